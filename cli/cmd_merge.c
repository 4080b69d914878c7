/* cmd_merge.c: tcpsim merge [-o OUTDIR] [--figure NAME] [--no-plots]
 * [--quiet] DIR...
 *
 * Joins the shards of a sweep (tcpsim compare --shard I/N, one per job of
 * a batch scheduler) into the result a single `tcpsim compare` would have
 * written, byte for byte.
 *
 * Call order: read every DIR/grid.json (they must be the same bytes: the
 * same sweep) -> for every run of the grid, find the first DIR holding
 * its variant.json (of this grid) and copy the run's directory into
 * OUTDIR unless it is already there -> stop if a run has no result yet ->
 * sweep_report_write() in OUTDIR.  OUTDIR defaults to the first DIR, so
 * shards written into one shared directory merge in place.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cli/cli.h"
#include "cli/sweep.h"

/* The same directory, whatever the path that names it. */
static gboolean
same_dir (const char *a, const char *b)
{
  GStatBuf sa, sb;

  if (g_stat (a, &sa) != 0 || g_stat (b, &sb) != 0)
    return FALSE;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static gboolean
copy_file (const char *from, const char *to, GError **error)
{
  FILE *in = NULL;
  FILE *out = NULL;
  char buf[65536];
  size_t n;
  gboolean ok = FALSE;
  int saved_errno = 0;
  const char *failed = from;

  in = fopen (from, "rb");
  if (in == NULL)
    {
      saved_errno = errno;
      goto done;
    }
  out = fopen (to, "wb");
  if (out == NULL)
    {
      saved_errno = errno;
      failed = to;
      goto done;
    }
  while ((n = fread (buf, 1, sizeof buf, in)) > 0)
    if (fwrite (buf, 1, n, out) != n)
      {
        saved_errno = errno;
        failed = to;
        goto done;
      }
  if (ferror (in))
    {
      saved_errno = errno;
      goto done;
    }
  ok = TRUE;

done:
  if (in != NULL)
    fclose (in);
  if (out != NULL && fclose (out) != 0 && ok)
    {
      saved_errno = errno;
      failed = to;
      ok = FALSE;
    }
  if (!ok)
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                 "cannot copy %s: %s", failed, g_strerror (saved_errno));
  return ok;
}

/* Copies the regular files of @from into @to (created), in name order. */
static gboolean
copy_run_dir (const char *from, const char *to, GError **error)
{
  g_autoptr (GDir) dir = g_dir_open (from, 0, error);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return FALSE;
  if (g_mkdir_with_parents (to, 0777) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "cannot create directory %s: %s", to,
                   g_strerror (saved_errno));
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *src = g_build_filename (from, names->pdata[i], NULL);
      g_autofree char *dst = g_build_filename (to, names->pdata[i], NULL);

      if (!g_file_test (src, G_FILE_TEST_IS_REGULAR))
        continue;
      if (!copy_file (src, dst, error))
        return FALSE;
    }
  return TRUE;
}

/* Whether @dir holds a result of @run for @grid. */
static gboolean
has_result (const SweepGrid *grid, const SweepRun *run, const char *dir)
{
  g_autofree char *path = g_build_filename (dir, run->name, "variant.json",
                                            NULL);
  g_autofree char *text = NULL;
  SweepResult r = { 0 };
  gboolean ok;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  ok = sweep_result_from_json (grid, run, text, path, &r, NULL);
  sweep_result_clear (&r);
  return ok;
}

static gboolean
merge_dirs (char **dirs, guint n_dirs, const char *outdir, guint *n_runs_out,
            GError **error)
{
  g_autofree char *first_text = NULL;
  g_autofree char *first_path = g_build_filename (dirs[0], "grid.json",
                                                  NULL);
  g_autoptr (SweepGrid) grid = NULL;
  g_autoptr (GString) missing = g_string_new (NULL);
  g_autofree gboolean *is_out = g_new0 (gboolean, n_dirs);
  guint n_missing = 0;

  if (!sweep_read_file (first_path, &first_text, error))
    return FALSE;
  grid = sweep_grid_from_json (first_text, first_path, error);
  if (grid == NULL)
    return FALSE;
  for (guint d = 1; d < n_dirs; d++)
    {
      g_autofree char *path = g_build_filename (dirs[d], "grid.json", NULL);
      g_autofree char *text = NULL;

      if (!sweep_read_file (path, &text, error))
        return FALSE;
      if (strcmp (text, first_text) != 0)
        {
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_MISMATCH,
                       "%s describes another sweep than %s (other "
                       "scenario, options or version)", path, first_path);
          return FALSE;
        }
    }
  if (g_mkdir_with_parents (outdir, 0777) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "cannot create directory %s: %s", outdir,
                   g_strerror (saved_errno));
      return FALSE;
    }
  for (guint d = 0; d < n_dirs; d++)
    is_out[d] = same_dir (dirs[d], outdir);
  *n_runs_out = grid->runs->len;

  for (guint i = 0; i < grid->runs->len; i++)
    {
      const SweepRun *run = grid->runs->pdata[i];
      gboolean found = FALSE;

      for (guint d = 0; d < n_dirs && !found; d++)
        {
          g_autofree char *from = NULL;
          g_autofree char *to = NULL;

          if (!has_result (grid, run, dirs[d]))
            continue;
          found = TRUE;
          if (is_out[d])
            continue;
          from = g_build_filename (dirs[d], run->name, NULL);
          to = g_build_filename (outdir, run->name, NULL);
          if (!copy_run_dir (from, to, error))
            return FALSE;
        }
      if (found)
        continue;
      if (n_missing < 10)
        g_string_append_printf (missing, "\n  %s", run->name);
      n_missing++;
    }
  if (n_missing > 0)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_MISSING,
                   "%u of %u runs are in none of the directories (a shard "
                   "still running, or not given?):%s%s", n_missing,
                   grid->runs->len, missing->str,
                   n_missing > 10 ? "\n  ..." : "");
      return FALSE;
    }
  {
    g_autofree char *path = g_build_filename (outdir, "grid.json", NULL);

    return g_file_set_contents (path, first_text, -1, error);
  }
}

int
cli_cmd_merge (int argc, char **argv)
{
  g_autofree char *outdir = NULL;
  g_autofree char *figure_text = NULL;
  gboolean no_plots = FALSE;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &outdir,
      "Write the merged sweep into OUTDIR (default: the first DIR)",
      "OUTDIR" },
    { "figure", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &figure_text,
      "The figure to plot against the first varied parameter (default "
      "goodput)", "NAME" },
    { "no-plots", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &no_plots,
      "Do not write or render the gnuplot plots", NULL },
    { "quiet", 'q', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &quiet,
      "Print nothing but errors", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("DIR...");
  g_autoptr (GError) err = NULL;
  SweepReportOptions report = { 0 };
  CompareFigureId figure = COMPARE_FIGURE_GOODPUT;
  guint n_failed = 0;
  guint n_runs = 0;

  g_option_context_set_summary (context,
                                "Merge the shards of a sweep (tcpsim compare "
                                "--shard I/N) into one result, identical\n"
                                "to what one tcpsim compare would have "
                                "written.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse_options (context, "merge", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc < 2)
    {
      cli_error ("merge: expected the shards' directories; run 'tcpsim "
                 "merge --help' for usage");
      return CLI_EXIT_USAGE;
    }
  if (figure_text != NULL)
    {
      figure = compare_figure_lookup (figure_text);
      if (figure == COMPARE_N_FIGURES)
        {
          cli_error ("merge: --figure '%s': not a figure; 'tcpsim compare "
                     "--help' lists them", figure_text);
          return CLI_EXIT_USAGE;
        }
    }
  if (outdir == NULL)
    outdir = g_strdup (argv[1]);
  if (!merge_dirs (argv + 1, (guint) argc - 1, outdir, &n_runs, &err))
    {
      cli_error ("merge: %s", err->message);
      return g_error_matches (err, SWEEP_ERROR, SWEEP_ERROR_MISMATCH)
               ? CLI_EXIT_USAGE : CLI_EXIT_SIM;
    }
  report.figure = figure;
  report.plots = !no_plots;
  report.table_out = quiet ? NULL : stdout;
  report.print_failures = TRUE;
  if (!sweep_report_write (outdir, &report, &n_failed, &err))
    {
      cli_error ("merge: %s", err->message);
      return CLI_EXIT_SIM;
    }
  if (!quiet)
    printf ("%u runs merged, %u failed; outputs in %s%s\n", n_runs,
            n_failed, outdir, G_DIR_SEPARATOR_S);
  return n_failed > 0 ? CLI_EXIT_SIM : CLI_EXIT_OK;
}
