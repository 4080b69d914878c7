/* sweep_report.c: what a finished sweep shows: summary.csv, stats.csv,
 * summary.json, the terminal table and the plots.
 *
 * sweep_report_write() -> load_sweep() (grid.json, then every run's
 * variant.json: the only input, whichever processes ran the runs) ->
 * variant_stats() (mean and 95% confidence interval per variant and
 * figure) -> write_runs_csv(), write_stats_csv(), write_summary_json() ->
 * print_table() -> write_plots() (compare_plots.c, then gnuplot).
 *
 * Numbers are printed with fixed formats from IEEE arithmetic only (the
 * t quantiles come from a table, not from libm), so the files are the
 * same bytes on every machine.
 */
#include "cli/sweep.h"

#include <math.h>
#include <string.h>

#include "plots/compare_plots.h"
#include "plots/summary.h"

/* t(0.975, df), df = 1..30, to six decimals. */
static const double t975_small[30] = {
  12.706205, 4.302653, 3.182446, 2.776445, 2.570582,
  2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
  2.200985, 2.178813, 2.160369, 2.144787, 2.131450,
  2.119905, 2.109816, 2.100922, 2.093024, 2.085963,
  2.079614, 2.073873, 2.068658, 2.063899, 2.059539,
  2.055529, 2.051831, 2.048407, 2.045230, 2.042272,
};

/* Beyond 30, t(0.975, df) is linear in 1/df to better than 1e-4
 * between these points; 0 stands for df = infinity (the normal
 * quantile). */
static const struct {
  guint df;
  double t;
} t975_large[] = {
  { 30, 2.042272 }, { 40, 2.021075 }, { 50, 2.008559 }, { 60, 2.000298 },
  { 80, 1.990063 }, { 100, 1.983972 }, { 120, 1.979930 }, { 0, 1.959964 },
};

double
sweep_student_t975 (guint df)
{
  g_return_val_if_fail (df >= 1, NAN);

  if (df <= 30)
    return t975_small[df - 1];
  for (gsize i = 1; i < G_N_ELEMENTS (t975_large); i++)
    {
      double x0 = 1.0 / (double) t975_large[i - 1].df;
      double x1 = t975_large[i].df != 0 ? 1.0 / (double) t975_large[i].df
                                        : 0.0;
      double x = 1.0 / (double) df;

      if (t975_large[i].df != 0 && df > t975_large[i].df)
        continue;
      return t975_large[i - 1].t
             + (t975_large[i].t - t975_large[i - 1].t) * (x0 - x) / (x0 - x1);
    }
  g_assert_not_reached ();
}

gboolean
sweep_mean_ci95 (const double *values, guint n, double *mean_out,
                 double *ci95_out)
{
  double sum = 0.0;
  double ss = 0.0;
  double mean;

  g_return_val_if_fail (values != NULL || n == 0, FALSE);

  if (n == 0)
    return FALSE;
  for (guint i = 0; i < n; i++)
    sum += values[i];
  mean = sum / (double) n;
  if (mean_out != NULL)
    *mean_out = mean;
  if (n < 2)
    return FALSE;
  for (guint i = 0; i < n; i++)
    ss += (values[i] - mean) * (values[i] - mean);
  /* sqrt() is correctly rounded (IEEE 754), unlike pow() or exp(). */
  if (ci95_out != NULL)
    *ci95_out = sweep_student_t975 (n - 1) * sqrt (ss / (double) (n - 1))
                / sqrt ((double) n);
  return TRUE;
}

typedef struct {
  guint n_runs;
  guint n_ok;
  guint n[COMPARE_N_FIGURES];   /* runs with a value */
  double mean[COMPARE_N_FIGURES];
  gboolean has_ci[COMPARE_N_FIGURES];
  double ci95[COMPARE_N_FIGURES];
} VariantStats;

typedef struct {
  SweepGrid *grid;
  SweepResult *results;         /* indexed like grid->runs */
  VariantStats *stats;          /* indexed by variant */
} Report;

static void
report_clear (Report *rep)
{
  if (rep->grid != NULL)
    sweep_results_free (rep->results, rep->grid->runs->len);
  g_free (rep->stats);
  g_clear_pointer (&rep->grid, sweep_grid_free);
}

/* Missing runs are listed, at most this many by name. */
#define MAX_MISSING_NAMED 10u

static gboolean
load_sweep (const char *outdir, Report *rep, GError **error)
{
  g_autofree char *grid_path = g_build_filename (outdir, "grid.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GString) missing = g_string_new (NULL);
  guint n_missing = 0;

  if (!sweep_read_file (grid_path, &text, error))
    return FALSE;
  rep->grid = sweep_grid_from_json (text, grid_path, error);
  if (rep->grid == NULL)
    return FALSE;
  rep->results = g_new0 (SweepResult, MAX (rep->grid->runs->len, 1u));
  for (guint i = 0; i < rep->grid->runs->len; i++)
    {
      const SweepRun *run = rep->grid->runs->pdata[i];
      g_autofree char *path = g_build_filename (outdir, run->name,
                                                "variant.json", NULL);
      g_autofree char *json = NULL;
      g_autoptr (GError) local = NULL;

      if (!g_file_get_contents (path, &json, NULL, &local))
        {
          if (n_missing < MAX_MISSING_NAMED)
            g_string_append_printf (missing, "\n  %s", run->name);
          n_missing++;
          continue;
        }
      if (!sweep_result_from_json (rep->grid, run, json, path,
                                   &rep->results[i], error))
        return FALSE;
    }
  if (n_missing > 0)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_MISSING,
                   "%s: %u of %u runs have no results yet:%s%s", outdir,
                   n_missing, rep->grid->runs->len, missing->str,
                   n_missing > MAX_MISSING_NAMED ? "\n  ..." : "");
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_value (const SweepResult *r, CompareFigureId id, double *v)
{
  return r->status == SWEEP_STATUS_OK
         && compare_figure_value (&r->figures, id, v);
}

static void
variant_stats (Report *rep)
{
  const SweepGrid *grid = rep->grid;
  guint n_seeds = MAX (grid->n_seeds, 1u);
  g_autofree double *values = g_new0 (double, n_seeds);

  rep->stats = g_new0 (VariantStats, MAX (grid->n_variants, 1u));
  for (guint v = 0; v < grid->n_variants; v++)
    {
      VariantStats *st = &rep->stats[v];

      for (guint s = 0; s < n_seeds; s++)
        {
          st->n_runs++;
          if (rep->results[v * n_seeds + s].status == SWEEP_STATUS_OK)
            st->n_ok++;
        }
      for (guint f = 0; f < COMPARE_N_FIGURES; f++)
        {
          guint n = 0;

          for (guint s = 0; s < n_seeds; s++)
            if (run_value (&rep->results[v * n_seeds + s], f, &values[n]))
              n++;
          st->n[f] = n;
          st->has_ci[f] = sweep_mean_ci95 (values, n, &st->mean[f],
                                           &st->ci95[f]);
        }
    }
}

/* Numbers as the files show them: whole figures as integers, the rest
 * with three decimals. */
static void
append_value (GString *out, gboolean integer, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buf, sizeof buf,
                                         integer ? "%.0f" : "%.3f", v));
}

/* RFC 4180: a field with a comma, a quote or a line break is quoted,
 * with its quotes doubled. */
static void
append_csv (GString *out, const char *field)
{
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (out, field);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static gboolean
write_file (const char *outdir, const char *name, const GString *text,
            GError **error)
{
  g_autofree char *path = g_build_filename (outdir, name, NULL);

  return g_file_set_contents (path, text->str, (gssize) text->len, error);
}

static gboolean
write_runs_csv (const char *outdir, const Report *rep, GError **error)
{
  const SweepGrid *grid = rep->grid;
  g_autoptr (GString) out = g_string_new ("run");

  for (guint i = 0; i < grid->axes->len; i++)
    {
      g_string_append_c (out, ',');
      append_csv (out, ((SweepAxis *) grid->axes->pdata[i])->key);
    }
  g_string_append (out, ",seed,status");
  for (guint f = 0; f < COMPARE_N_FIGURES; f++)
    g_string_append_printf (out, ",%s", compare_figure_info (f)->column);
  g_string_append (out, ",events,end_ns,error\r\n");

  for (guint i = 0; i < grid->runs->len; i++)
    {
      const SweepRun *run = grid->runs->pdata[i];
      const SweepResult *r = &rep->results[i];

      append_csv (out, run->name);
      for (guint a = 0; a < grid->axes->len; a++)
        {
          g_string_append_c (out, ',');
          append_csv (out, run->values[a]);
        }
      g_string_append_c (out, ',');
      if (r->has_seed)
        g_string_append_printf (out, "%" G_GUINT64_FORMAT, r->seed);
      g_string_append (out, r->status == SWEEP_STATUS_OK ? ",ok" : ",error");
      for (guint f = 0; f < COMPARE_N_FIGURES; f++)
        {
          double v;

          g_string_append_c (out, ',');
          if (run_value (r, f, &v))
            append_value (out, compare_figure_info (f)->integer, v);
        }
      g_string_append_printf (out, ",%" G_GUINT64_FORMAT ",%" G_GINT64_FORMAT
                              ",", r->events, r->end_ns);
      if (r->status != SWEEP_STATUS_OK && r->error != NULL)
        append_csv (out, r->error);
      g_string_append (out, "\r\n");
    }
  return write_file (outdir, "summary.csv", out, error);
}

static gboolean
write_stats_csv (const char *outdir, const Report *rep, GError **error)
{
  const SweepGrid *grid = rep->grid;
  guint n_seeds = MAX (grid->n_seeds, 1u);
  g_autoptr (GString) out = g_string_new ("variant");

  for (guint i = 0; i < grid->axes->len; i++)
    {
      g_string_append_c (out, ',');
      append_csv (out, ((SweepAxis *) grid->axes->pdata[i])->key);
    }
  g_string_append (out, ",runs,ok");
  for (guint f = 0; f < COMPARE_N_FIGURES; f++)
    g_string_append_printf (out, ",%s_mean,%s_ci95",
                            compare_figure_info (f)->column,
                            compare_figure_info (f)->column);
  g_string_append (out, "\r\n");
  for (guint v = 0; v < grid->n_variants; v++)
    {
      const SweepRun *first = grid->runs->pdata[v * n_seeds];
      const VariantStats *st = &rep->stats[v];

      append_csv (out, first->label[0] != '\0' ? first->label : "all");
      for (guint a = 0; a < grid->axes->len; a++)
        {
          g_string_append_c (out, ',');
          append_csv (out, first->values[a]);
        }
      g_string_append_printf (out, ",%u,%u", st->n_runs, st->n_ok);
      for (guint f = 0; f < COMPARE_N_FIGURES; f++)
        {
          g_string_append_c (out, ',');
          if (st->n[f] > 0)
            append_value (out, FALSE, st->mean[f]);
          g_string_append_c (out, ',');
          if (st->has_ci[f])
            append_value (out, FALSE, st->ci95[f]);
        }
      g_string_append (out, "\r\n");
    }
  return write_file (outdir, "stats.csv", out, error);
}

static void
append_params_json (GString *out, const SweepGrid *grid, const SweepRun *run)
{
  g_string_append (out, "\"params\": {");
  for (guint a = 0; a < grid->axes->len; a++)
    {
      g_string_append (out, a > 0 ? ", " : "");
      sim_json_append_escaped (out, ((SweepAxis *) grid->axes->pdata[a])->key);
      g_string_append (out, ": ");
      sim_json_append_escaped (out, run->values[a]);
    }
  g_string_append_c (out, '}');
}

static gboolean
write_summary_json (const char *outdir, const Report *rep, GError **error)
{
  const SweepGrid *grid = rep->grid;
  guint n_seeds = MAX (grid->n_seeds, 1u);
  g_autoptr (GString) out = g_string_new ("{\n  \"scenario\": ");

  sim_json_append_escaped (out, grid->scenario);
  g_string_append_printf (out, ",\n  \"grid\": \"%s\",\n  \"axes\": [",
                          grid->id);
  for (guint a = 0; a < grid->axes->len; a++)
    {
      const SweepAxis *axis = grid->axes->pdata[a];

      g_string_append (out, a > 0 ? ", {\"key\": " : "{\"key\": ");
      sim_json_append_escaped (out, axis->key);
      g_string_append (out, ", \"values\": [");
      for (guint i = 0; i < axis->values->len; i++)
        {
          g_string_append (out, i > 0 ? ", " : "");
          sim_json_append_escaped (out, axis->values->pdata[i]);
        }
      g_string_append (out, "]}");
    }
  g_string_append (out, "],\n  \"seeds\": ");
  if (grid->n_seeds > 0)
    {
      g_string_append_c (out, '[');
      for (guint s = 0; s < grid->n_seeds; s++)
        g_string_append_printf (out, "%s%" G_GUINT64_FORMAT, s > 0 ? ", " : "",
                                ((SweepRun *) grid->runs->pdata[s])->seed);
      g_string_append_c (out, ']');
    }
  else
    g_string_append (out, "null");
  g_string_append (out, ",\n  \"figures\": [");
  for (guint f = 0; f < COMPARE_N_FIGURES; f++)
    {
      const CompareFigureInfo *info = compare_figure_info (f);

      g_string_append_printf (out, "%s\n    {\"name\": \"%s\", \"column\": "
                              "\"%s\", \"meaning\": ", f > 0 ? "," : "",
                              info->name, info->column);
      sim_json_append_escaped (out, info->help);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "\n  ],\n  \"runs\": [");
  for (guint i = 0; i < grid->runs->len; i++)
    {
      const SweepRun *run = grid->runs->pdata[i];
      const SweepResult *r = &rep->results[i];

      g_string_append (out, i > 0 ? ",\n    {\"name\": " : "\n    {\"name\": ");
      sim_json_append_escaped (out, run->name);
      g_string_append (out, ", ");
      append_params_json (out, grid, run);
      if (r->has_seed)
        g_string_append_printf (out, ", \"seed\": %" G_GUINT64_FORMAT,
                                r->seed);
      else
        g_string_append (out, ", \"seed\": null");
      g_string_append_printf (out, ", \"status\": \"%s\"",
                              r->status == SWEEP_STATUS_OK ? "ok" : "error");
      if (r->status != SWEEP_STATUS_OK)
        {
          g_string_append (out, ", \"error\": ");
          sim_json_append_escaped (out, r->error != NULL ? r->error : "");
        }
      for (guint f = 0; f < COMPARE_N_FIGURES; f++)
        {
          double v;

          g_string_append_printf (out, ", \"%s\": ",
                                  compare_figure_info (f)->column);
          if (run_value (r, f, &v))
            append_value (out, compare_figure_info (f)->integer, v);
          else
            g_string_append (out, "null");
        }
      g_string_append_printf (out, ", \"events\": %" G_GUINT64_FORMAT
                              ", \"end_ns\": %" G_GINT64_FORMAT "}",
                              r->events, r->end_ns);
    }
  g_string_append (out, grid->runs->len > 0 ? "\n  ],\n" : "],\n");
  g_string_append (out, "  \"variants\": [");
  for (guint v = 0; v < grid->n_variants; v++)
    {
      const SweepRun *first = grid->runs->pdata[v * n_seeds];
      const VariantStats *st = &rep->stats[v];

      g_string_append (out, v > 0 ? ",\n    {\"label\": "
                                  : "\n    {\"label\": ");
      sim_json_append_escaped (out, first->label);
      g_string_append (out, ", ");
      append_params_json (out, grid, first);
      g_string_append_printf (out, ", \"runs\": %u, \"ok\": %u", st->n_runs,
                              st->n_ok);
      for (guint f = 0; f < COMPARE_N_FIGURES; f++)
        {
          g_string_append_printf (out, ", \"%s\": ",
                                  compare_figure_info (f)->column);
          if (st->n[f] == 0)
            {
              g_string_append (out, "null");
              continue;
            }
          g_string_append (out, "{\"mean\": ");
          append_value (out, FALSE, st->mean[f]);
          g_string_append (out, ", \"ci95\": ");
          if (st->has_ci[f])
            append_value (out, FALSE, st->ci95[f]);
          else
            g_string_append (out, "null");
          g_string_append_printf (out, ", \"n\": %u}", st->n[f]);
        }
      g_string_append_c (out, '}');
    }
  g_string_append (out, grid->n_variants > 0 ? "\n  ]\n}\n" : "]\n}\n");
  return write_file (outdir, "summary.json", out, error);
}

/* The terminal table. */
static void
format_figure (CompareFigureId f, double v, gboolean whole,
               char buf[SUMMARY_STR_BYTES])
{
  const CompareFigureInfo *info = compare_figure_info (f);

  switch (info->unit)
    {
    case COMPARE_UNIT_BPS:
      summary_format_rate (v, buf);
      break;
    case COMPARE_UNIT_NS:
      summary_format_duration ((SimTime) (v + 0.5), buf);
      break;
    case COMPARE_UNIT_BYTES:
      {
        char num[G_ASCII_DTOSTR_BUF_SIZE];

        if (v >= 1e6)
          g_snprintf (buf, SUMMARY_STR_BYTES, "%s MB",
                      g_ascii_formatd (num, sizeof num, "%.2f", v / 1e6));
        else if (v >= 1e3)
          g_snprintf (buf, SUMMARY_STR_BYTES, "%s KB",
                      g_ascii_formatd (num, sizeof num, "%.1f", v / 1e3));
        else
          g_snprintf (buf, SUMMARY_STR_BYTES, "%s B",
                      g_ascii_formatd (num, sizeof num, "%.0f", v));
      }
      break;
    case COMPARE_UNIT_COUNT:
      {
        char num[G_ASCII_DTOSTR_BUF_SIZE];

        g_strlcpy (buf, g_ascii_formatd (num, sizeof num,
                                         whole ? "%.0f" : "%.1f", v),
                   SUMMARY_STR_BYTES);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static char *
stat_cell (const VariantStats *st, CompareFigureId f, gboolean seeds)
{
  char mean[SUMMARY_STR_BYTES];
  char ci[SUMMARY_STR_BYTES];

  if (st->n[f] == 0)
    return g_strdup ("-");
  /* Without seeds the mean is the one run's value, a whole number when
   * the figure is. */
  format_figure (f, st->mean[f],
                 !seeds && compare_figure_info (f)->integer, mean);
  if (!seeds || !st->has_ci[f])
    return g_strdup (mean);
  format_figure (f, st->ci95[f], FALSE, ci);
  return g_strdup_printf ("%s ±%s", mean, ci);
}

static void
print_table (FILE *out, const Report *rep)
{
  static const CompareFigureId shown[] = {
    COMPARE_FIGURE_GOODPUT, COMPARE_FIGURE_COMPLETION,
    COMPARE_FIGURE_RETRANSMITS, COMPARE_FIGURE_TIMEOUTS,
    COMPARE_FIGURE_RTT_MEAN, COMPARE_FIGURE_RTT_MAX,
    COMPARE_FIGURE_CWND_MEAN, COMPARE_FIGURE_DROPS,
  };
  static const char *const titles[] = {
    "goodput", "completion", "rexmit", "rto", "rtt mean", "rtt max",
    "cwnd mean", "drops",
  };
  const SweepGrid *grid = rep->grid;
  gboolean seeds = grid->n_seeds > 0;
  guint n_seeds = MAX (grid->n_seeds, 1u);
  guint n_axes = grid->axes->len;
  guint n_cols = MAX (n_axes, 1u) + G_N_ELEMENTS (shown) + (seeds ? 1 : 0);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (
    (GDestroyNotify) g_strfreev);
  g_autofree guint *widths = g_new0 (guint, n_cols);
  char **head = g_new0 (char *, n_cols + 1);
  guint c = 0;

  if (n_axes == 0)
    head[c++] = g_strdup ("variant");
  for (guint a = 0; a < n_axes; a++)
    head[c++] = g_strdup (((SweepAxis *) grid->axes->pdata[a])->key);
  for (gsize f = 0; f < G_N_ELEMENTS (shown); f++)
    head[c++] = g_strdup (titles[f]);
  if (seeds)
    head[c++] = g_strdup ("ok/runs");
  g_ptr_array_add (rows, head);

  for (guint v = 0; v < grid->n_variants; v++)
    {
      const SweepRun *first = grid->runs->pdata[v * n_seeds];
      const VariantStats *st = &rep->stats[v];
      char **row = g_new0 (char *, n_cols + 1);

      c = 0;
      if (n_axes == 0)
        row[c++] = g_strdup ("all");
      for (guint a = 0; a < n_axes; a++)
        row[c++] = g_strdup (first->values[a]);
      for (gsize f = 0; f < G_N_ELEMENTS (shown); f++)
        row[c++] = st->n_ok == 0 && f == 0 ? g_strdup ("failed")
                                            : stat_cell (st, shown[f], seeds);
      if (seeds)
        row[c++] = g_strdup_printf ("%u/%u", st->n_ok, st->n_runs);
      g_ptr_array_add (rows, row);
    }

  for (guint r = 0; r < rows->len; r++)
    {
      char **row = rows->pdata[r];

      for (guint i = 0; i < n_cols; i++)
        widths[i] = MAX (widths[i], (guint) g_utf8_strlen (row[i], -1));
    }
  for (guint r = 0; r < rows->len; r++)
    {
      char **row = rows->pdata[r];
      g_autoptr (GString) line = g_string_new (NULL);

      for (guint i = 0; i < n_cols; i++)
        {
          guint pad = widths[i] - (guint) g_utf8_strlen (row[i], -1);
          gboolean left = i < MAX (n_axes, 1u);

          if (i > 0)
            g_string_append (line, "  ");
          if (!left)
            g_string_append_printf (line, "%*s", (int) pad, "");
          g_string_append (line, row[i]);
          if (left && i + 1 < n_cols)
            g_string_append_printf (line, "%*s", (int) pad, "");
        }
      fprintf (out, "%s\n", line->str);
    }
  fprintf (out, "goodput: bytes delivered x 8 / (last delivery - first open)"
           "; completion: first SYN to last byte;\nrexmit: segments "
           "retransmitted; rto: timeouts; rtt and cwnd: of the data "
           "senders%s\n",
           seeds ? ";\nmean ±half-width of its 95% confidence interval "
                   "over the seeds (Student t)" : "");
}

/* The plots: the chosen figure against the first axis, and the series
 * of the first seed of every variant on one graph. */
static gboolean
write_figure_plot (const char *outdir, const Report *rep,
                   CompareFigureId figure, GPtrArray *scripts,
                   GError **error)
{
  const SweepGrid *grid = rep->grid;
  guint n_seeds = MAX (grid->n_seeds, 1u);
  const SweepAxis *x_axis = grid->axes->pdata[0];
  guint n_x = x_axis->values->len;
  guint n_series = grid->n_variants / n_x;
  g_autofree CompareSeries *series = g_new0 (CompareSeries, n_series);
  g_autofree ComparePoint *points = g_new0 (ComparePoint, n_x * n_series);
  g_autoptr (GPtrArray) series_titles = g_ptr_array_new_with_free_func (
    g_free);
  g_autofree char *scn_base = g_path_get_basename (grid->scenario);
  g_autofree char *title = NULL;
  g_autofree char *note = NULL;
  g_autoptr (GError) local = NULL;
  CompareFigurePlot plot = { 0 };
  GnuplotScript *script;

  /* Variant v = x * n_series + s: the first axis varies slowest. */
  for (guint s = 0; s < n_series; s++)
    {
      const SweepRun *run = grid->runs->pdata[s * n_seeds];
      GString *t = g_string_new (NULL);

      for (guint a = 1; a < grid->axes->len; a++)
        g_string_append_printf (t, "%s%s=%s", a > 1 ? "," : "",
                                ((SweepAxis *) grid->axes->pdata[a])->key,
                                run->values[a]);
      g_ptr_array_add (series_titles, g_string_free (t, FALSE));
      series[s].title = series_titles->pdata[s];
      series[s].points = &points[s * n_x];
      series[s].n_points = n_x;
      for (guint x = 0; x < n_x; x++)
        {
          const VariantStats *st = &rep->stats[x * n_series + s];
          ComparePoint *p = &points[s * n_x + x];

          p->x_index = x;
          p->has_value = st->n[figure] > 0;
          p->value = st->mean[figure];
          p->has_error = st->has_ci[figure];
          p->error = st->ci95[figure];
        }
    }
  title = g_strdup_printf ("%s against %s (%s)",
                           compare_figure_info (figure)->title, x_axis->key,
                           scn_base);
  if (grid->n_seeds > 1)
    note = g_strdup_printf ("Points: mean over %u seeds; error bars: 95%% "
                            "confidence interval (Student t).",
                            grid->n_seeds);
  plot.name = compare_figure_info (figure)->name;
  plot.title = title;
  plot.x_label = x_axis->key;
  plot.x_values = (const char *const *) x_axis->values->pdata;
  plot.n_x = n_x;
  plot.figure = figure;
  plot.series = series;
  plot.n_series = n_series;
  plot.error_bars = grid->n_seeds > 1;
  plot.note = note;
  script = compare_plots_write_figure (outdir, &plot, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (script != NULL)
    g_ptr_array_add (scripts, script);
  return TRUE;
}

static gboolean
write_plots (const char *outdir, const Report *rep, CompareFigureId figure,
             GError **error)
{
  static const struct {
    const char *stem;
    const char *what;
    const char *y_label;
    const char *style;
  } overlays[] = {
    { "seq", "sequence number", "relative sequence number (bytes)",
      "points pt 7 ps 0.4" },
    { "cwnd", "cwnd", "cwnd (bytes)", "steps" },
  };
  const SweepGrid *grid = rep->grid;
  g_autoptr (GPtrArray) scripts = g_ptr_array_new_with_free_func (
    (GDestroyNotify) gnuplot_script_free);
  g_autoptr (GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) dats = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *scn_base = g_path_get_basename (grid->scenario);

  if (grid->axes->len > 0
      && !write_figure_plot (outdir, rep, figure, scripts, error))
    return FALSE;

  for (gsize o = 0; o < G_N_ELEMENTS (overlays); o++)
    {
      g_autofree GnuplotOverlayLine *lines = NULL;
      g_autofree char *title = NULL;
      GnuplotOverlaySpec spec = { 0 };
      GnuplotScript *script;
      guint n = 0;

      g_ptr_array_set_size (titles, 0);
      g_ptr_array_set_size (dats, 0);
      /* Without axes every seed is a line of its own; with axes, the
       * first seed of each variant, so that lines differ by parameters
       * only.  Runs that moved no data have nothing to draw. */
      for (guint i = 0; i < grid->runs->len; i++)
        {
          const SweepRun *run = grid->runs->pdata[i];
          const SweepResult *r = &rep->results[i];

          if ((grid->axes->len > 0 && run->seed_index != 0)
              || r->status != SWEEP_STATUS_OK
              || r->figures.bytes_delivered == 0)
            continue;
          g_ptr_array_add (titles, grid->axes->len > 0
                                   ? g_strdup (run->label)
                                   : g_strdup_printf ("seed=%"
                                                      G_GUINT64_FORMAT,
                                                      run->seed));
          g_ptr_array_add (dats, g_strdup_printf ("%s/%s.dat", run->name,
                                                  overlays[o].stem));
        }
      if (titles->len == 0)
        continue;
      lines = g_new0 (GnuplotOverlayLine, titles->len);
      for (guint i = 0; i < titles->len; i++, n++)
        {
          lines[n].title = titles->pdata[i];
          lines[n].dat = dats->pdata[i];
          lines[n].columns = "1:2";
        }
      title = g_strdup_printf ("%s over time, main flow of each run (%s%s)",
                               overlays[o].what, scn_base,
                               grid->axes->len > 0 && grid->n_seeds > 1
                                 ? ", first seed" : "");
      spec.title = title;
      spec.x_label = "time (s)";
      spec.y_label = overlays[o].y_label;
      spec.style = overlays[o].style;
      script = gnuplot_write_overlay (outdir, overlays[o].stem, &spec, lines,
                                      n, error);
      if (script == NULL)
        return FALSE;
      g_ptr_array_add (scripts, script);
    }
  return gnuplot_render (outdir, scripts, error);
}

gboolean
sweep_report_write (const char *outdir, const SweepReportOptions *options,
                    guint *n_failed_out, GError **error)
{
  Report rep = { 0 };
  g_autoptr (GError) plot_error = NULL;
  guint n_failed = 0;
  gboolean ok;

  g_return_val_if_fail (outdir != NULL && options != NULL, FALSE);
  g_return_val_if_fail (options->figure < COMPARE_N_FIGURES, FALSE);

  if (!load_sweep (outdir, &rep, error))
    {
      report_clear (&rep);
      return FALSE;
    }
  for (guint i = 0; i < rep.grid->runs->len; i++)
    if (rep.results[i].status != SWEEP_STATUS_OK)
      n_failed++;
  variant_stats (&rep);
  ok = write_runs_csv (outdir, &rep, error)
       && (rep.grid->n_seeds == 0 || write_stats_csv (outdir, &rep, error))
       && write_summary_json (outdir, &rep, error);
  if (options->print_failures)
    sweep_print_failures (rep.grid, rep.results, NULL);
  if (ok && options->table_out != NULL)
    print_table (options->table_out, &rep);
  if (ok && options->plots
      && !write_plots (outdir, &rep, options->figure, &plot_error))
    {
      /* The summaries are the sweep's result and are written by now; a
       * plot gnuplot cannot draw, or draws with a complaint (a run with a
       * single segment has an empty axis), is worth a warning, not a
       * failed sweep.  Files that cannot be written are a failure. */
      if (g_error_matches (plot_error, GNUPLOT_ERROR,
                           GNUPLOT_ERROR_NOT_FOUND))
        fprintf (stderr, "tcpsim: warning: %s; the plots' scripts (*.gp) "
                 "are in %s, to render later\n", plot_error->message,
                 outdir);
      else if (plot_error->domain == GNUPLOT_ERROR)
        {
          g_auto (GStrv) lines = g_strsplit (plot_error->message, "\n", -1);

          for (guint i = 0; lines[i] != NULL; i++)
            if (lines[i][0] != '\0')
              fprintf (stderr, "tcpsim: warning: %s\n", lines[i]);
        }
      else
        {
          g_propagate_error (error, g_steal_pointer (&plot_error));
          ok = FALSE;
        }
    }
  if (n_failed_out != NULL)
    *n_failed_out = n_failed;
  report_clear (&rep);
  return ok;
}
