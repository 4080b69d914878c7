/* compare_plots.c: the figure-against-parameter plot of a sweep.
 *
 * compare_plots_write_figure() -> pick_scale() (the unit of the y axis)
 * -> NAME.dat (one block per line of the plot, in the order of the
 * legend) -> NAME.gp (settings, then one plot command per format, as
 * the templates in plots/gnuplot/ do).  Nothing written depends on where
 * the sweep's directory is, so the script keeps working after the
 * directory moves.
 */
#include "plots/compare_plots.h"

#include <string.h>

/* Gnuplot strings in single quotes: a quote is written twice, and
 * nothing else is special. */
static void
append_quoted (GString *out, const char *text)
{
  g_string_append_c (out, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append_c (out, '\'');
      if (*p == '\n' || *p == '\r')
        g_string_append_c (out, ' ');
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

typedef struct {
  double divisor;
  const char *unit;             /* NULL: a plain count */
} Scale;

static Scale
pick_scale (CompareUnit unit, double max_value)
{
  static const char *const bps[] = { "bit/s", "kbit/s", "Mbit/s", "Gbit/s" };
  static const char *const ns[] = { "ns", "us", "ms", "s" };
  static const char *const bytes[] = { "B", "KB", "MB", "GB" };
  const char *const *names;
  Scale s = { 1.0, NULL };
  guint step = 0;

  switch (unit)
    {
    case COMPARE_UNIT_BPS:
      names = bps;
      break;
    case COMPARE_UNIT_NS:
      names = ns;
      break;
    case COMPARE_UNIT_BYTES:
      names = bytes;
      break;
    case COMPARE_UNIT_COUNT:
      return s;
    default:
      g_assert_not_reached ();
    }
  while (step < 3 && max_value >= s.divisor * 1000.0)
    {
      s.divisor *= 1000.0;
      step++;
    }
  s.unit = names[step];
  return s;
}

static void
append_number (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.9g", v));
}

static gboolean
series_has_value (const CompareSeries *series)
{
  for (guint i = 0; i < series->n_points; i++)
    if (series->points[i].has_value)
      return TRUE;
  return FALSE;
}

static void
append_dat (GString *dat, const CompareFigurePlot *plot, Scale scale)
{
  const CompareFigureInfo *info = compare_figure_info (plot->figure);
  guint block = 0;

  g_string_append_printf (dat, "# %s against %s; columns: x, label, "
                          "value%s%s%s\n", info->column, plot->x_label,
                          scale.unit != NULL ? " in " : "",
                          scale.unit != NULL ? scale.unit : "",
                          plot->error_bars ? ", 95% confidence half-width"
                                           : "");
  for (guint s = 0; s < plot->n_series; s++)
    {
      const CompareSeries *series = &plot->series[s];

      if (!series_has_value (series))
        continue;
      if (block++ > 0)
        g_string_append (dat, "\n\n");
      g_string_append_printf (dat, "# line: %s\n", series->title);
      for (guint i = 0; i < series->n_points; i++)
        {
          const ComparePoint *p = &series->points[i];
          g_autofree char *label = g_strdelimit (
            g_strdup (plot->x_values[p->x_index]), "\"\n\r", '\'');

          g_string_append_printf (dat, "%u \"%s\" ", p->x_index, label);
          if (p->has_value)
            append_number (dat, p->value / scale.divisor);
          else
            g_string_append_c (dat, '?');
          g_string_append_c (dat, ' ');
          if (p->has_value && p->has_error)
            append_number (dat, p->error / scale.divisor);
          else
            g_string_append_c (dat, p->has_value ? '0' : '?');
          g_string_append_c (dat, '\n');
        }
    }
}

/* @max_value: the largest value; 0 gets a fixed y range, since gnuplot
 * warns about an empty one. */
static void
append_gp (GString *gp, const CompareFigurePlot *plot, Scale scale,
           double max_value)
{
  const CompareFigureInfo *info = compare_figure_info (plot->figure);
  g_autofree char *y_label = NULL;
  gboolean any_title = FALSE;
  guint block = 0;

  for (guint s = 0; s < plot->n_series; s++)
    any_title = any_title || plot->series[s].title[0] != '\0';

  y_label = scale.unit != NULL
              ? g_strdup_printf ("%s (%s)", info->title, scale.unit)
              : g_strdup (info->title);
  g_string_append_printf (gp, "# %s.gp: %s against %s, written by tcpsim "
                          "compare.\n", plot->name, info->title,
                          plot->x_label);
  if (plot->note != NULL)
    g_string_append_printf (gp, "# %s\n", plot->note);
  g_string_append (gp, "# Re-render in this directory with:   gnuplot ");
  g_string_append_printf (gp, "%s.gp\n# In the terminal:                    "
                          "gnuplot -e \"formats='dumb'\" %s.gp\n"
                          "reset\nout = ", plot->name, plot->name);
  append_quoted (gp, plot->name);
  g_string_append (gp, "\ndat = ");
  {
    g_autofree char *dat = g_strconcat (plot->name, ".dat", NULL);

    append_quoted (gp, dat);
  }
  g_string_append (gp, "\nif (!exists(\"formats\")) formats = 'png svg'\n"
                   "if (!exists(\"cols\")) cols = 100\n"
                   "if (!exists(\"rows\")) rows = 30\n\n"
                   "set encoding utf8\nset title ");
  append_quoted (gp, plot->title);
  g_string_append (gp, " noenhanced\nset xlabel ");
  append_quoted (gp, plot->x_label);
  g_string_append (gp, " noenhanced\nset ylabel ");
  append_quoted (gp, y_label);
  g_string_append_printf (gp,
                          " noenhanced\n"
                          "set format y '%%g'\n"
                          "%s"
                          "set grid lc rgb '#e0e0e0'\n"
                          "set border lc rgb '#404040'\n"
                          "set datafile missing '?'\n"
                          "set xrange [-0.5:%u.5]\n"
                          "set yrange [0:%s]\n\n"
                          "do for [fmt in formats] {\n"
                          "  if (fmt eq 'png') {\n"
                          "    set terminal pngcairo size 1200,700 font "
                          "'sans,11' noenhanced\n"
                          "    set output out.'.png'\n"
                          "  }\n"
                          "  if (fmt eq 'svg') {\n"
                          "    set terminal svg size 1200,700 font 'sans,11' "
                          "noenhanced background '#ffffff'\n"
                          "    set output out.'.svg'\n"
                          "  }\n"
                          "  if (fmt eq 'dumb') {\n"
                          "    set terminal dumb size cols,rows noenhanced\n"
                          "    set output\n"
                          "  }\n"
                          "  plot ",
                          any_title ? "set key top left opaque box "
                                      "noenhanced\n" : "unset key\n",
                          plot->n_x - 1, max_value > 0.0 ? "*" : "1");
  for (guint s = 0; s < plot->n_series; s++)
    {
      const CompareSeries *series = &plot->series[s];

      if (!series_has_value (series))
        continue;
      g_string_append_printf (gp, "%sdat index %u using 1:3%s:xtic(2) "
                              "with %s lw 2 pt 7 ",
                              block > 0 ? ", \\\n       " : "", block,
                              plot->error_bars ? ":4" : "",
                              plot->error_bars ? "yerrorlines"
                                               : "linespoints");
      if (series->title[0] == '\0')
        g_string_append (gp, "notitle");
      else
        {
          g_string_append (gp, "title ");
          append_quoted (gp, series->title);
        }
      block++;
    }
  g_string_append (gp, "\n  set output\n}\n");
}

GnuplotScript *
compare_plots_write_figure (const char *outdir, const CompareFigurePlot *plot,
                            GError **error)
{
  const CompareFigureInfo *info;
  g_autoptr (GString) dat = g_string_new (NULL);
  g_autoptr (GString) gp = g_string_new (NULL);
  g_autofree char *dat_path = NULL;
  g_autofree char *gp_path = NULL;
  GnuplotScript *script;
  gboolean any = FALSE;
  double max_value = 0.0;
  Scale scale;

  g_return_val_if_fail (outdir != NULL && plot != NULL, NULL);
  g_return_val_if_fail (plot->figure < COMPARE_N_FIGURES, NULL);
  g_return_val_if_fail (plot->n_x > 0, NULL);

  info = compare_figure_info (plot->figure);
  for (guint s = 0; s < plot->n_series; s++)
    for (guint i = 0; i < plot->series[s].n_points; i++)
      {
        const ComparePoint *p = &plot->series[s].points[i];

        g_return_val_if_fail (p->x_index < plot->n_x, NULL);
        if (!p->has_value)
          continue;
        any = TRUE;
        max_value = MAX (max_value, p->value);
      }
  if (!any)
    return NULL;
  scale = pick_scale (info->unit, max_value);
  append_dat (dat, plot, scale);
  append_gp (gp, plot, scale, max_value);

  dat_path = g_strdup_printf ("%s%s%s.dat", outdir, G_DIR_SEPARATOR_S,
                              plot->name);
  gp_path = g_strdup_printf ("%s%s%s.gp", outdir, G_DIR_SEPARATOR_S,
                             plot->name);
  if (!g_file_set_contents (dat_path, dat->str, (gssize) dat->len, error)
      || !g_file_set_contents (gp_path, gp->str, (gssize) gp->len, error))
    return NULL;
  script = g_new0 (GnuplotScript, 1);
  script->view = GNUPLOT_VIEW_OVERLAY;
  script->stem = g_strdup (plot->name);
  script->title = g_strdup (plot->title);
  script->subject = g_strdup (plot->x_label);
  return script;
}
