/* cmd_compare.c: tcpsim compare SCENARIO --vary KEY=V1,V2,... [--vary ...]
 * [--seeds N] [--seed N] [--set KEY=VALUE]... [-j JOBS] [-o OUTDIR]
 * [--shard I/N] [--figure NAME] [--traces] [--no-plots] [--quiet].
 *
 * Call order: parse options -> build_grid() (the scenario's own grid
 * from scn_load_grid(), then --vary, --seeds, --set; checked against the
 * scenario's --set names) -> sweep_grid_expand() -> OUTDIR/grid.json ->
 * sweep_run() over this process's share: all runs, one shard (--shard),
 * or one MPI rank's (sweep_mpi.c, when launched by mpirun) -> with
 * --shard, stop: `tcpsim merge` reports; under MPI, sweep_mpi_gather()
 * and only rank 0 goes on -> sweep_report_write() (summary.csv,
 * stats.csv, summary.json, plots, the table).  Exit status: 0 when every
 * run succeeded, 1 when a run or an output failed (the others still ran),
 * 2 for a bad command line or scenario.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/sweep.h"
#include "scenarios/scn_build.h"
#include "scenarios/scn_units.h"
#ifdef TCPSIM_HAVE_MPI
#include "cli/sweep_mpi.h"
#endif

/* out/<scenario file name without .scn>-compare: next to what `run`
 * writes for the same scenario, without overwriting it. */
static char *
default_outdir (const char *scenario_path)
{
  g_autofree char *base = g_path_get_basename (scenario_path);
  g_autofree char *name = NULL;

  if (g_str_has_suffix (base, ".scn") && strlen (base) > strlen (".scn"))
    base[strlen (base) - strlen (".scn")] = '\0';
  name = g_strconcat (base, "-compare", NULL);
  return g_build_filename ("out", name, NULL);
}

/* The number of processes an MPI launcher started, from the variables
 * the common launchers set (Open MPI's mpirun, MPICH's hydra, Slurm's
 * srun with PMI); 0 when not launched by one. */
static guint
launched_mpi_size (void)
{
  static const char *const vars[] = {
    "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      const char *v = g_getenv (vars[i]);
      guint64 n;

      if (v != NULL && g_ascii_string_to_unsigned (v, 10, 1, G_MAXUINT, &n,
                                                   NULL))
        return (guint) n;
    }
  return 0;
}

static gboolean
parse_shard (const char *text, SweepSelect *select, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, "/", -1);
  guint64 i, n;

  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXUINT, &n, NULL)
      || !g_ascii_string_to_unsigned (parts[0], 10, 1, n, &i, NULL))
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_USAGE,
                   "--shard '%s': expected I/N with 1 <= I <= N (shard I "
                   "of N, for example 1/4)", text);
      return FALSE;
    }
  select->offset = (guint) (i - 1);
  select->stride = (guint) n;
  return TRUE;
}

static gboolean
parse_positive (const char *option, const char *text, guint max, guint *out,
                GError **error)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (text, 10, 1, max, &v, NULL))
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_USAGE,
                   "%s '%s': expected a whole number from 1 to %u", option,
                   text, max);
      return FALSE;
    }
  *out = (guint) v;
  return TRUE;
}

typedef struct {
  char **vary;
  char **sets;
  char *seeds;
  char *seed;
  gboolean traces;
} GridOptions;

static SweepGrid *
build_grid (const char *scenario, const GridOptions *o, GError **error)
{
  g_autoptr (SweepGrid) grid = sweep_grid_new (scenario);
  g_autoptr (ScnGrid) declared = NULL;
  g_auto (GStrv) known = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;

  if (!g_file_get_contents (scenario, &text, &len, error))
    return NULL;
  grid->scenario_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                       (const guchar *) text,
                                                       len);
  known = scn_list_parameters (scenario, error);
  if (known == NULL)
    return NULL;
  /* The scenario's own grid first: --vary then overrides an axis it
   * declares, or adds one after its axes. */
  declared = scn_load_grid (scenario, error);
  if (declared == NULL)
    return NULL;
  for (guint i = 0; i < declared->axes->len; i++)
    {
      const ScnGridAxis *axis = declared->axes->pdata[i];

      if (!sweep_grid_set_axis (grid, axis->key,
                                (const char *const *) axis->values,
                                g_strv_length (axis->values), error))
        {
          g_prefix_error (error, "%s: ", axis->where);
          return NULL;
        }
    }
  for (guint i = 0; o->vary != NULL && o->vary[i] != NULL; i++)
    if (!sweep_grid_add_vary (grid, o->vary[i], error))
      {
        g_prefix_error (error, "--vary: ");
        return NULL;
      }
  for (guint i = 0; o->sets != NULL && o->sets[i] != NULL; i++)
    g_ptr_array_add (grid->sets, g_strdup (o->sets[i]));
  if (o->seeds != NULL
      && !parse_positive ("--seeds", o->seeds, 100000, &grid->n_seeds, error))
    return NULL;
  if (o->seed != NULL)
    {
      if (!scn_parse_count (o->seed, &grid->seed, error))
        {
          g_prefix_error (error, "--seed: ");
          return NULL;
        }
      grid->has_seed = TRUE;
    }
  grid->traces = o->traces;
  if (!sweep_grid_expand (grid, (const char *const *) known, error))
    return NULL;
  return g_steal_pointer (&grid);
}

/* Every process computes grid.json, whose hash every variant.json
 * carries; one writes it (@write). */
static gboolean
write_grid_json (SweepGrid *grid, const char *outdir, gboolean write,
                 GError **error)
{
  g_autofree char *text = sweep_grid_to_json (grid);
  g_autofree char *path = g_build_filename (outdir, "grid.json", NULL);

  return !write || g_file_set_contents (path, text, -1, error);
}

static gboolean
make_outdir (const char *outdir, GError **error)
{
  if (g_mkdir_with_parents (outdir, 0777) == 0)
    return TRUE;
  {
    int saved_errno = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                 "cannot create directory %s: %s", outdir,
                 g_strerror (saved_errno));
  }
  return FALSE;
}

int
cli_cmd_compare (int argc, char **argv)
{
  GridOptions grid_options = { 0 };
  g_autofree char *outdir = NULL;
  g_autofree char *jobs_text = NULL;
  g_autofree char *shard_text = NULL;
  g_autofree char *figure_text = NULL;
  gboolean no_plots = FALSE;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "vary", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY,
      &grid_options.vary,
      "Run once per value of a parameter (repeatable: the cross product)",
      "KEY=V1,V2,..." },
    { "seeds", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING,
      &grid_options.seeds,
      "Run every variant with N seeds, and report means and 95% "
      "confidence intervals", "N" },
    { "seed", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &grid_options.seed,
      "The seed of every run, or with --seeds the first seed (default 1)",
      "N" },
    { "set", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY,
      &grid_options.sets, "Override a parameter in every run (repeatable)",
      "KEY=VALUE" },
    { "jobs", 'j', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &jobs_text,
      "Runs at a time (default: one per processor)", "JOBS" },
    { "output", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &outdir,
      "Write into OUTDIR (default: out/SCENARIO-NAME-compare)", "OUTDIR" },
    { "shard", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &shard_text,
      "Run only shard I of N (runs I, I+N, ...); then 'tcpsim merge'",
      "I/N" },
    { "figure", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &figure_text,
      "The figure to plot against the first varied parameter (default "
      "goodput)", "NAME" },
    { "traces", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE,
      &grid_options.traces,
      "Also write every run's trace.jsonl, captures and diagram", NULL },
    { "no-plots", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &no_plots,
      "Do not write or render the gnuplot plots", NULL },
    { "quiet", 'q', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &quiet,
      "Print nothing but errors (no table, no progress)", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("SCENARIO");
  g_autoptr (GError) err = NULL;
  g_autoptr (SweepGrid) grid = NULL;
  g_autofree char *figures_help = NULL;
  SweepResult *results = NULL;
  SweepSelect select = { 0, 1 };
  SweepReportOptions report = { 0 };
  CompareFigureId figure = COMPARE_FIGURE_GOODPUT;
  guint jobs = g_get_num_processors ();
  guint mpi_size = launched_mpi_size ();
  int rank = 0;
#ifdef TCPSIM_HAVE_MPI
  int size = 1;
#endif
  guint n_failed = 0;
  int status = CLI_EXIT_OK;

  {
    GString *h = g_string_new ("Figures (--figure):\n");

    for (guint f = 0; f < COMPARE_N_FIGURES; f++)
      g_string_append_printf (h, "  %-12s %s\n", compare_figure_info (f)->name,
                              compare_figure_info (f)->help);
    g_string_append (h, "\nOUTDIR gets one directory per run, summary.csv, "
                     "summary.json, stats.csv (with --seeds)\nand the plots; "
                     "see docs/compare.md.");
    figures_help = g_string_free (h, FALSE);
  }
  g_option_context_set_summary (context,
                                "Run a scenario over a grid of parameter "
                                "values, on every core, and compare the "
                                "runs.");
  g_option_context_set_description (context, figures_help);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse_options (context, "compare", &argc, &argv))
    {
      status = CLI_EXIT_USAGE;
      goto out;
    }
  if (argc != 2)
    {
      cli_error ("compare: expected one SCENARIO file; run 'tcpsim compare "
                 "--help' for usage");
      status = CLI_EXIT_USAGE;
      goto out;
    }
  if ((jobs_text != NULL
       && !parse_positive ("-j", jobs_text, 4096, &jobs, &err))
      || (shard_text != NULL && !parse_shard (shard_text, &select, &err)))
    {
      cli_error ("compare: %s", err->message);
      status = CLI_EXIT_USAGE;
      goto out;
    }
  if (figure_text != NULL)
    {
      figure = compare_figure_lookup (figure_text);
      if (figure == COMPARE_N_FIGURES)
        {
          cli_error ("compare: --figure '%s': not a figure; 'tcpsim compare "
                     "--help' lists them", figure_text);
          status = CLI_EXIT_USAGE;
          goto out;
        }
    }
  if (mpi_size > 1 && shard_text != NULL)
    {
      cli_error ("compare: --shard and mpirun both split the sweep; use one");
      status = CLI_EXIT_USAGE;
      goto out;
    }
#ifndef TCPSIM_HAVE_MPI
  if (mpi_size > 1)
    {
      /* Every process would run the whole grid into the same OUTDIR. */
      cli_error ("compare: started by an MPI launcher, but this tcpsim was "
                 "built without MPI (meson setup -Dmpi=enabled); use --shard "
                 "I/N and 'tcpsim merge' instead");
      status = CLI_EXIT_USAGE;
      goto out;
    }
#endif

  grid = build_grid (argv[1], &grid_options, &err);
  if (grid == NULL)
    {
      cli_error ("%s", err->message);
      status = CLI_EXIT_USAGE;
      goto out;
    }
  if (outdir == NULL)
    outdir = default_outdir (argv[1]);

#ifdef TCPSIM_HAVE_MPI
  if (mpi_size > 1)
    {
      const char *local = g_getenv ("OMPI_COMM_WORLD_LOCAL_SIZE");
      guint64 n_local;

      if (!sweep_mpi_init (&rank, &size, &err))
        {
          cli_error ("%s", err->message);
          status = CLI_EXIT_SIM;
          goto out;
        }
      select.offset = (guint) rank;
      select.stride = (guint) size;
      /* Ranks on one machine share its processors. */
      if (jobs_text == NULL && local != NULL
          && g_ascii_string_to_unsigned (local, 10, 1, G_MAXUINT, &n_local,
                                         NULL))
        jobs = MAX (1u, jobs / (guint) n_local);
    }
#endif

  if (!make_outdir (outdir, &err)
      || !write_grid_json (grid, outdir, rank == 0, &err))
    {
      cli_error ("%s", err->message);
#ifdef TCPSIM_HAVE_MPI
      if (size > 1)
        sweep_mpi_abort (CLI_EXIT_SIM);
#endif
      status = CLI_EXIT_SIM;
      goto finish;
    }
  if (!sweep_run (grid, outdir, jobs, &select, !quiet && rank == 0,
                  &n_failed, &results, &err))
    {
      cli_error ("%s", err->message);
      status = CLI_EXIT_SIM;
      goto finish;
    }

  if (shard_text != NULL)
    {
      guint n_mine = 0;

      sweep_print_failures (grid, results, &select);
      for (guint i = 0; i < grid->runs->len; i++)
        n_mine += sweep_select_has (&select, i) ? 1 : 0;
      if (!quiet)
        printf ("shard %s: %u of %u runs done (%u failed) in %s%s\n"
                "When every shard is done: tcpsim merge %s\n", shard_text,
                n_mine, grid->runs->len, n_failed, outdir,
                G_DIR_SEPARATOR_S, outdir);
      status = n_failed > 0 ? CLI_EXIT_SIM : CLI_EXIT_OK;
      goto finish;
    }

#ifdef TCPSIM_HAVE_MPI
  if (size > 1)
    {
      if (!sweep_mpi_gather (grid, outdir, rank, size, &err))
        {
          cli_error ("%s", err->message);
          /* The other ranks may be waiting on this one. */
          sweep_mpi_abort (CLI_EXIT_SIM);
        }
      if (rank != 0)
        {
          status = n_failed > 0 ? CLI_EXIT_SIM : CLI_EXIT_OK;
          goto finish;
        }
    }
#endif

  report.figure = figure;
  report.plots = !no_plots;
  report.table_out = quiet ? NULL : stdout;
  report.print_failures = TRUE;
  if (!sweep_report_write (outdir, &report, &n_failed, &err))
    {
      cli_error ("%s", err->message);
      status = CLI_EXIT_SIM;
      goto finish;
    }
  if (!quiet)
    printf ("%u runs, %u failed; outputs in %s%s\n", grid->runs->len,
            n_failed, outdir, G_DIR_SEPARATOR_S);
  status = n_failed > 0 ? CLI_EXIT_SIM : CLI_EXIT_OK;

finish:
  if (grid != NULL)
    sweep_results_free (results, grid->runs->len);
#ifdef TCPSIM_HAVE_MPI
  if (size > 1)
    sweep_mpi_finalize ();
#endif
out:
  g_strfreev (grid_options.vary);
  g_strfreev (grid_options.sets);
  g_free (grid_options.seeds);
  g_free (grid_options.seed);
  return status;
}
