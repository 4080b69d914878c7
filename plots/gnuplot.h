/* gnuplot.h: the plots of a run, as gnuplot data files and scripts, and
 * the PNG and SVG images gnuplot renders from them.
 *
 * Every plot is three things in OUTDIR, sharing one stem: STEM.dat (the
 * points, one named block per series), STEM.gp (a header naming the data
 * and the series, then the view's template from plots/gnuplot/, which is
 * built into the binary) and STEM.png / STEM.svg.  The scripts use
 * relative paths: `gnuplot STEM.gp` in OUTDIR renders them again, after
 * any edit.
 *
 * Call order: plot_data_load() or a PlotData fed by a TraceReader ->
 * gnuplot_write_views() (writes .dat and .gp, returns the scripts) ->
 * gnuplot_render() (runs gnuplot, in parallel) -> optionally
 * gnuplot_render_dumb() for the terminal.  gnuplot_draw() does the three.
 *
 * For overlays of several runs (tcpsim compare): gnuplot_write_flow_dat()
 * writes one view's data of one flow, and gnuplot_write_overlay() a
 * script that draws a series from each of several data files on the same
 * axes; gnuplot_render() renders it like any other.
 */
#pragma once

#include <stdio.h>

#include "plots/plot_data.h"

G_BEGIN_DECLS

#define GNUPLOT_ERROR (gnuplot_error_quark ())
GQuark gnuplot_error_quark (void);

typedef enum {
  GNUPLOT_ERROR_NOT_FOUND,      /* no gnuplot program */
  GNUPLOT_ERROR_FAILED,         /* gnuplot failed, or warned */
} GnuplotError;

typedef enum {
  GNUPLOT_VIEW_TSEQ,            /* per data flow: time-sequence graph */
  GNUPLOT_VIEW_CWND,            /* per data flow: cwnd, ssthresh */
  GNUPLOT_VIEW_RTT,             /* per data flow: RTT, SRTT, RTO */
  GNUPLOT_VIEW_GOODPUT,         /* per data flow: goodput at the receiver */
  GNUPLOT_VIEW_QUEUE,           /* per link: queue length, both ways */
  GNUPLOT_VIEW_OVERLAY,         /* several runs on the same axes */
  GNUPLOT_N_VIEWS
} GnuplotView;

/* "tseq", "cwnd", "rtt", "goodput", "queue", "overlay": the stem prefix
 * and the template's name (plots/gnuplot/NAME.gp). */
const char *gnuplot_view_name (GnuplotView view);
/* Returns: (transfer none): the built-in template of @view. */
const char *gnuplot_view_template (GnuplotView view);

/* One script written into a directory. */
typedef struct {
  GnuplotView view;
  char *stem;                   /* "tseq-client.49152-server.8080" */
  char *title;                  /* the plot's title */
  char *subject;                /* the flow's connection name, or the
                                 * link's name */
} GnuplotScript;

void gnuplot_script_free (GnuplotScript *script);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GnuplotScript, gnuplot_script_free)

typedef struct {
  guint max_flows;              /* data flows plotted (in order of their
                                 * first segment); 0: all */
  guint max_links;              /* links with a queue plot; 0: all */
  gboolean render;              /* gnuplot_draw(): run gnuplot */
  FILE *terminal;               /* (nullable): gnuplot_draw() also draws
                                 * the first time-sequence graph there, in
                                 * characters, as wide as the terminal
                                 * when it is one */
} GnuplotOptions;

/* At most 8 flows and 16 links, rendered, nothing in a terminal. */
void gnuplot_options_init (GnuplotOptions *options);

/* Writes STEM.dat and STEM.gp of every view of @pd (finished) into
 * @outdir: for each flow that carried data, tseq, cwnd, rtt and goodput
 * (each only when it has points), and for each link a queue plot.  Stems
 * are VIEW-SRCHOST.SPORT-DSTHOST.DPORT and queue-LINK, with characters
 * other than letters, digits, '.', '-' and '_' replaced by '_', and
 * "-2", "-3"... on a clash.
 * Returns: (transfer full) (element-type GnuplotScript): the scripts
 * written, flows first in order, then links; NULL with @error set when a
 * file cannot be written. */
GPtrArray *gnuplot_write_views (const PlotData *pd, const char *outdir,
                                const GnuplotOptions *options,
                                GError **error);

/* Writes the data of @view (TSEQ ... GOODPUT) of @flow to @path: the
 * blocks of STEM.dat, each "# [name] what it holds", "# columns", then
 * one line per point.  Times are seconds with nine decimals, exactly;
 * RTT values milliseconds with six. */
gboolean gnuplot_write_flow_dat (const PlotFlow *flow, GnuplotView view,
                                 const char *path, GError **error);

/* The file name of the gnuplot program: $TCPSIM_GNUPLOT when set (a path
 * or a name looked up in PATH), else "gnuplot" in PATH.
 * Returns: (transfer full) (nullable): NULL when there is none. */
char *gnuplot_find_program (void);

/* Runs `gnuplot STEM.gp` in @outdir for every script, several at a time,
 * rendering STEM.png and STEM.svg.  Returns FALSE with @error set when
 * gnuplot is missing (GNUPLOT_ERROR_NOT_FOUND), or when any run fails or
 * prints anything on stderr (GNUPLOT_ERROR_FAILED; the message holds
 * what it printed, script by script). */
gboolean gnuplot_render (const char *outdir, const GPtrArray *scripts,
                         GError **error);

/* Renders @script (a GnuplotScript of @outdir) with gnuplot's dumb
 * terminal, @cols x @rows characters.
 * Returns: (transfer full) (nullable): the picture, or NULL with @error
 * set as gnuplot_render() sets it. */
char *gnuplot_render_dumb (const char *outdir, const GnuplotScript *script,
                           guint cols, guint rows, GError **error);

/* Everything `tcpsim run` and `tcpsim plot` do with the plots of a run:
 * gnuplot_write_views(), then (with options->render) gnuplot_render(),
 * then (with options->terminal) gnuplot_render_dumb() of the first
 * time-sequence graph, printed there.  @options (nullable): the
 * defaults.  Returns FALSE with @error set as those functions set it. */
gboolean gnuplot_draw (const PlotData *pd, const char *outdir,
                       const GnuplotOptions *options, GError **error);

/* One run's series in an overlay. */
typedef struct {
  const char *title;            /* legend entry, e.g. "loss=1%" */
  const char *dat;              /* data file, relative to the script */
  const char *block;            /* (nullable): its block, e.g. "cwnd" */
  const char *columns;          /* gnuplot's using, e.g. "1:2" */
} GnuplotOverlayLine;

typedef struct {
  const char *title;
  const char *x_label;          /* with its unit: "time (s)" */
  const char *y_label;
  const char *style;            /* gnuplot's with: "steps", "lines",
                                 * "points pt 7 ps 0.5" */
} GnuplotOverlaySpec;

/* Writes @dir/@stem.gp, drawing each line of @lines (files relative to
 * @dir) on the same axes, with the style of @spec.
 * Returns: (transfer full) (nullable): the script, to render with
 * gnuplot_render(); NULL with @error set when it cannot be written. */
GnuplotScript *gnuplot_write_overlay (const char *dir, const char *stem,
                                      const GnuplotOverlaySpec *spec,
                                      const GnuplotOverlayLine *lines,
                                      guint n_lines, GError **error);

G_END_DECLS
