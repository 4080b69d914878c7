/* cmd_run.c: tcpsim run SCENARIO [-o OUTDIR] [--seed N]
 * [--set KEY=VALUE]... [--ascii] [--no-diagram] [--no-plots]
 * [--plot-terminal] [--quiet] [--explain N].
 *
 * Call order: parse options -> scn_load_file() (exit 2 on any scenario
 * error) -> tracers_open() (creates OUTDIR) -> sim_world_run() ->
 * tracers_close() (writes the files, prints the diagram and the summary,
 * draws the plots; a plot failure is only reported) -> tracers_explain() prints segment N (exit 2 when the run sent fewer)
 * -> unsubscribe everything -> tracers_free() -> the world is freed.
 * Output and simulation failures exit 1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/progress.h"
#include "plots/tracers.h"
#include "scenarios/scn_build.h"
#include "scenarios/scn_units.h"

/* out/<scenario file name without .scn>, relative to the current
 * directory, so that runs of different scenarios never collide. */
static char *
default_outdir (const char *scenario_path)
{
  g_autofree char *base = g_path_get_basename (scenario_path);

  if (g_str_has_suffix (base, ".scn") && strlen (base) > strlen (".scn"))
    base[strlen (base) - strlen (".scn")] = '\0';
  return g_build_filename ("out", base, NULL);
}

typedef struct {
  CliProgress *progress;
  SimWorld *world;
  SimTime end_ns;
} RunProgress;

static void
run_progress_update (void *data)
{
  RunProgress *rp = data;
  SimTime now_ns = sim_world_now (rp->world);
  char text[128];
  char sim[32];

  g_snprintf (sim, sizeof sim, "%.3f s", (double) now_ns / 1e9);
  if (rp->end_ns != SIM_TIME_NEVER && rp->end_ns > 0 && now_ns > 0)
    {
      double done = (double) now_ns / (double) rp->end_ns;
      double elapsed_s = cli_progress_elapsed_s (rp->progress);
      char eta[16];

      cli_progress_format_eta (elapsed_s / done - elapsed_s, eta);
      g_snprintf (text, sizeof text, "simulated %s of the run (%.0f%%), "
                  "%" G_GUINT64_FORMAT " events, ETA %s", sim, 100 * done,
                  sim_scheduler_events_run (sim_world_scheduler (rp->world)),
                  eta);
    }
  else
    g_snprintf (text, sizeof text, "simulated %s, %" G_GUINT64_FORMAT
                " events", sim,
                sim_scheduler_events_run (sim_world_scheduler (rp->world)));
  cli_progress_update (rp->progress, text);
}

int
cli_cmd_run (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *outdir = NULL;
  g_autofree char *explain_text = NULL;
  guint64 explain = 0;
  gboolean ascii = FALSE;
  gboolean no_diagram = FALSE;
  gboolean quiet = FALSE;
  gboolean no_plots = FALSE;
  gboolean plot_terminal = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &outdir,
      "Write the outputs into OUTDIR (default: out/SCENARIO-NAME)",
      "OUTDIR" },
    { "seed", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &seed_text,
      "Override the scenario's seed", "N" },
    { "set", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, &sets,
      "Override a scenario parameter (repeatable; see 'tcpsim check "
      "--params SCENARIO')", "KEY=VALUE" },
    { "ascii", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &ascii,
      "Draw the sequence diagram in ASCII instead of Unicode", NULL },
    { "no-diagram", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &no_diagram,
      "Do not print the sequence diagram", NULL },
    { "no-plots", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &no_plots,
      "Do not write the gnuplot plots (.dat, .gp, .png, .svg)", NULL },
    { "plot-terminal", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE,
      &plot_terminal,
      "Also draw the time-sequence graph in the terminal", NULL },
    { "quiet", 'q', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &quiet,
      "Print nothing but errors; still write every output file", NULL },
    { "explain", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &explain_text,
      "Decode the Nth packet to enter a link (1-based) field by field, "
      "as a textbook would (printed even with --quiet)", "N" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("SCENARIO");
  g_autoptr (GError) err = NULL;
  g_autoptr (SimWorld) world = NULL;
  g_autoptr (Tracers) tracers = NULL;
  ScnOverrides overrides = { 0 };
  ScnRun run = { 0 };
  TracersConfig config;
  guint64 n_events;
  FILE *null_out = NULL;
  int status = CLI_EXIT_OK;

  g_option_context_set_summary (context,
                                "Run a scenario: print its sequence diagram "
                                "and summary, and write trace.jsonl,\n"
                                "captures, diagrams and summary.json into "
                                "OUTDIR.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse_options (context, "run", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2)
    {
      cli_error ("run: expected one SCENARIO file; run 'tcpsim run --help' "
                 "for usage");
      return CLI_EXIT_USAGE;
    }
  if (seed_text != NULL)
    {
      if (!scn_parse_count (seed_text, &overrides.seed, &err))
        {
          cli_error ("--seed: %s", err->message);
          return CLI_EXIT_USAGE;
        }
      overrides.has_seed = TRUE;
    }
  if (explain_text != NULL)
    {
      if (!scn_parse_count (explain_text, &explain, &err) || explain == 0)
        {
          cli_error ("--explain: %s", err != NULL
                                        ? err->message
                                        : "segments are numbered from 1");
          return CLI_EXIT_USAGE;
        }
    }
  overrides.sets = (const char *const *) sets;

  world = scn_load_file (argv[1], &overrides, &run, &err);
  if (world == NULL)
    {
      cli_error ("%s", err->message);
      return CLI_EXIT_USAGE;
    }

  if (outdir == NULL)
    outdir = default_outdir (argv[1]);
  tracers_config_init (&config);
  config.outdir = outdir;         /* tracers_open() creates it */
  config.ascii = ascii;
  config.diagram = !(no_diagram || quiet);
  config.explain_segment = explain;
  config.plots = !no_plots;
  config.plot_terminal = plot_terminal;
  if (quiet)
    {
      /* The summary still goes to summary.json; only its terminal copy is
       * thrown away. */
      null_out = fopen ("/dev/null", "w");
      if (null_out == NULL)
        {
          int saved_errno = errno;

          cli_error ("cannot open /dev/null: %s", g_strerror (saved_errno));
          return CLI_EXIT_SIM;
        }
      config.out = null_out;
    }
  tracers = tracers_open (run.network, &config, &err);
  if (tracers == NULL)
    {
      cli_error ("%s", err->message);
      g_clear_pointer (&null_out, fclose);
      return CLI_EXIT_SIM;
    }

  {
    /* A progress line on a terminal for runs longer than a second; it
     * watches the scheduler between events and changes nothing. */
    RunProgress rp = { cli_progress_new (stderr), world, run.end_ns };

    if (cli_progress_active (rp.progress))
      sim_scheduler_set_progress (sim_world_scheduler (world), 65536,
                                  run_progress_update, &rp);
    n_events = sim_world_run (world, run.end_ns);
    sim_scheduler_set_progress (sim_world_scheduler (world), 1, NULL, NULL);
    cli_progress_free (rp.progress);
  }

  if (!tracers_close (tracers, &err))
    {
      cli_error ("%s", err->message);
      status = CLI_EXIT_SIM;
    }
  if (tracers_plot_error (tracers) != NULL)
    cli_error ("plots: %s", tracers_plot_error (tracers)->message);
  if (status == CLI_EXIT_OK && explain > 0)
    {
      g_autofree char *text = tracers_explain (tracers, &err);

      if (text == NULL)
        {
          cli_error ("%s", err->message);
          status = CLI_EXIT_USAGE;
        }
      else
        {
          if (!quiet)
            fputc ('\n', stdout);
          fputs (text, stdout);
        }
    }
  /* Nobody listens after the run: freeing the world can still emit
   * records (timers cancelled as endpoints go), and they must not reach
   * tracers that are closed and about to be freed.  Tracers go before the
   * world, since they hold pointers into it. */
  sim_trace_bus_clear (sim_world_trace (world));
  g_clear_pointer (&tracers, tracers_free);
  g_clear_pointer (&null_out, fclose);
  if (status == CLI_EXIT_OK && !quiet)
    {
      char now[SIM_TIME_FORMAT_BYTES];

      sim_time_format_buf (sim_world_now (world), now);
      printf ("%" G_GUINT64_FORMAT " events, %s s simulated, seed %"
              G_GUINT64_FORMAT "; outputs in %s%s\n", n_events, now,
              run.seed, outdir, G_DIR_SEPARATOR_S);
    }
  return status;
}
