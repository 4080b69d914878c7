/* compare_plots.h: the figure plot of a sweep: one figure of every
 * variant against the values of the first varied parameter, one line per
 * combination of the other parameters, with error bars when there are
 * several seeds.
 *
 * The script has the shape of plots/gnuplot.c's (a header of settings,
 * then a loop over the formats), so it renders with gnuplot_render(),
 * and `gnuplot -e "formats='dumb'" NAME.gp` draws it in a terminal.  The
 * overlays of a sweep (seq/time, cwnd/time of every run) are
 * gnuplot_write_overlay()'s.
 *
 * Call order: compare_plots_write_figure() writes NAME.dat and NAME.gp
 * into the sweep's directory -> gnuplot_render() writes NAME.png and
 * NAME.svg.
 */
#pragma once

#include <glib.h>

#include "plots/compare_figures.h"
#include "plots/gnuplot.h"

G_BEGIN_DECLS

/* One point of a figure plot: the value at x category @x_index. */
typedef struct {
  guint x_index;
  gboolean has_value;
  double value;                 /* in the figure's own unit */
  gboolean has_error;
  double error;                 /* half-width of the error bar */
} ComparePoint;

/* One line of a figure plot. */
typedef struct {
  const char *title;            /* legend text; "" for a single line */
  const ComparePoint *points;
  guint n_points;
} CompareSeries;

typedef struct {
  const char *name;             /* file names: NAME.gp, NAME.dat, ... */
  const char *title;            /* the plot's title */
  const char *x_label;          /* the varied parameter */
  const char *const *x_values;  /* category labels, n_x of them */
  guint n_x;
  CompareFigureId figure;       /* the y axis */
  const CompareSeries *series;
  guint n_series;
  gboolean error_bars;
  const char *note;             /* (nullable): a comment for the script */
} CompareFigurePlot;

/* Writes @outdir/NAME.dat and @outdir/NAME.gp.  Values are shown in a
 * unit chosen from their size (bit/s as kbit/s or Mbit/s, ns as ms or
 * s, bytes as KB or MB).  Lines without a single value are left out.
 * Returns: (transfer full) (nullable): the script to render, or NULL
 * when no line has a value (nothing is written then, and @error is not
 * set) or with @error set when a file cannot be written. */
GnuplotScript *compare_plots_write_figure (const char *outdir,
                                           const CompareFigurePlot *plot,
                                           GError **error);

G_END_DECLS
