/* cmd_drill.c: tcpsim drill SCRIPT.pkt... [--profile rfc|linux]
 * [--tolerance_usecs N] [--seed N] [--verbose].
 *
 * For each script: drill_script_load_file() (a malformed script fails
 * here, with FILE:LINE:COL, and nothing of it runs) -> drill_run().  Each
 * script prints "FILE: PASS" or "FILE: FAIL" on stdout, after its error
 * ("FILE:LINE: error: ...") on stderr; several scripts end with a count.
 * The exit status is 0 when every script passed, 1 when one failed, and 2
 * when one could not be read or parsed, or the command line is wrong.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_drill.h"
#include "scenarios/drill/drill.h"

static void
print_line (const char *line, void *user)
{
  (void) user;
  printf ("%s\n", line);
}

int
cli_cmd_drill (int argc, char **argv)
{
  g_autofree char *profile = NULL;
  gint64 tolerance_usecs = -1;
  gint64 seed = 1;
  gboolean verbose = FALSE;
  const GOptionEntry entries[] = {
    { "profile", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &profile,
      "TCP parameters to start from: rfc (default) or linux", "NAME" },
    { "tolerance_usecs", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT64,
      &tolerance_usecs, "Tolerance on event times (default: the script's, "
      "else 4000)", "N" },
    { "seed", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT64, &seed,
      "Seed of the simulated host (its ISNs and TS clock; default 1)", "N" },
    { "verbose", 'v', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &verbose,
      "Print every event as it happens, and what is ignored", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context =
    g_option_context_new ("SCRIPT.pkt...");
  DrillOptions opts;
  guint passed = 0;
  guint failed = 0;
  int status = CLI_EXIT_OK;

  g_option_context_set_summary (context,
                                "Run packetdrill scripts against the TCP "
                                "model: the script's system calls drive a "
                                "simulated host, its '<' packets come from "
                                "the peer, and every packet the host sends "
                                "must match a '>' line.  See "
                                "docs/packetdrill.md.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse_options (context, "drill", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc < 2)
    {
      cli_error ("drill: expected at least one SCRIPT.pkt; run 'tcpsim "
                 "drill --help' for usage");
      return CLI_EXIT_USAGE;
    }
  if (profile != NULL && strcmp (profile, "rfc") != 0
      && strcmp (profile, "linux") != 0)
    {
      cli_error ("drill: unknown --profile '%s' (expected rfc or linux)",
                 profile);
      return CLI_EXIT_USAGE;
    }
  if (tolerance_usecs < -1 || tolerance_usecs > G_MAXINT64 / SIM_US (1))
    {
      cli_error ("drill: --tolerance_usecs must be a number of "
                 "microseconds");
      return CLI_EXIT_USAGE;
    }
  if (seed < 0)
    {
      cli_error ("drill: --seed must not be negative");
      return CLI_EXIT_USAGE;
    }
  drill_options_init (&opts);
  if (profile != NULL)
    opts.profile = profile;
  if (tolerance_usecs >= 0)
    opts.tolerance_ns = SIM_US (tolerance_usecs);
  opts.seed = (guint64) seed;
  if (verbose)
    opts.log = print_line;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GError) err = NULL;
      g_autoptr (DrillScript) script = drill_script_load_file (argv[i], &err);

      if (script != NULL)
        drill_run (script, &opts, &err);
      /* Keep stdout and stderr in order on a terminal. */
      fflush (stdout);
      if (err == NULL)
        {
          printf ("%s: PASS\n", argv[i]);
          passed++;
          continue;
        }
      fprintf (stderr, "%s\n", err->message);
      fflush (stderr);
      printf ("%s: FAIL\n", argv[i]);
      failed++;
      if (err->domain == DRILL_ERROR && err->code != DRILL_ERROR_SYNTAX)
        status = MAX (status, CLI_EXIT_SIM);
      else
        status = CLI_EXIT_USAGE;
    }
  if (argc > 2)
    printf ("%u passed, %u failed\n", passed, failed);
  return status;
}
