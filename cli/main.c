/* main.c: tcpsim, the command line.
 *
 * main() parses the global options (--version, --help) with a strict
 * POSIX GOptionContext, which stops at the first word that is not an
 * option: that word names the subcommand, and the subcommand gets the
 * rest of argv (its own argv[0] being its name) to parse with its own
 * context.  Every subcommand returns a CliExit status.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_drill.h"
#include "cli/cmd_plot.h"
#include "scenarios/scn_diag.h"
#include "tcpsim-config.h"

typedef struct {
  const char *name;
  CliCommandFn run;             /* NULL: not implemented yet */
  const char *summary;
} CliCommand;

static const CliCommand commands[] = {
  { "run", cli_cmd_run,
    "Run a scenario; print its diagram and summary, write its outputs" },
  { "check", cli_cmd_check,
    "Parse and validate a scenario without running it" },
  { "compare", cli_cmd_compare,
    "Run a scenario over a grid of --vary values, on every core" },
  { "merge", cli_cmd_merge,
    "Merge the shards of a sweep (compare --shard I/N) into one result" },
  { "plot", cli_cmd_plot,
    "Redraw the views of a run (plots, diagram, summary) from its trace" },
  { "drill", cli_cmd_drill,
    "Run packetdrill scripts against the TCP model" },
};

void
cli_error (const char *format, ...)
{
  g_autofree char *message = NULL;
  g_auto (GStrv) lines = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* Raw bytes to stderr: g_printerr() would transliterate UTF-8 in the C
   * locale, and tcpsim never sets a locale (it would change how numbers
   * print, and outputs must be the same everywhere). */
  lines = g_strsplit (message, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    fprintf (stderr, "tcpsim: %s\n", lines[i]);
}

gboolean
cli_parse_options (GOptionContext *context, const char *command, int *argc,
                   char ***argv)
{
  g_autoptr (GError) err = NULL;

  if (g_option_context_parse (context, argc, argv, &err))
    return TRUE;
  cli_error ("%s%s%s", command != NULL ? command : "",
             command != NULL ? ": " : "", err->message);
  fprintf (stderr, "Run 'tcpsim%s%s --help' for usage.\n",
           command != NULL ? " " : "", command != NULL ? command : "");
  return FALSE;
}

static char *
commands_summary (void)
{
  GString *s = g_string_new ("Commands:\n");

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (s, "  %-9s %s\n", commands[i].name,
                            commands[i].summary);
  g_string_append (s, "\nRun 'tcpsim COMMAND --help' for the options of a "
                   "command.\nExit status: 0 success, 1 simulation error, "
                   "2 usage or scenario error.");
  return g_string_free (s, FALSE);
}

int
main (int argc, char **argv)
{
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "version", 'V', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &version,
      "Print the version and exit", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autofree char *summary = commands_summary ();
  const char *name;

  g_set_prgname ("tcpsim");
  context = g_option_context_new ("COMMAND [ARGUMENTS...]");
  g_option_context_set_summary (context,
                                "tcpsim: a discrete-event TCP simulator.");
  g_option_context_set_description (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_strict_posix (context, TRUE);
  if (!cli_parse_options (context, NULL, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (version)
    {
      printf ("tcpsim %s\n", TCPSIM_VERSION);
      return CLI_EXIT_OK;
    }
  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      fputs (help, stderr);
      return CLI_EXIT_USAGE;
    }
  name = argv[1];
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strcmp (name, commands[i].name) != 0)
        continue;
      if (commands[i].run == NULL)
        {
          cli_error ("'%s' is not implemented yet", name);
          return CLI_EXIT_USAGE;
        }
      return commands[i].run (argc - 1, argv + 1);
    }
  {
    const char *names[G_N_ELEMENTS (commands)];
    g_autofree char *q = scn_quote (name, SCN_QUOTE_MAX_CHARS);
    g_autofree char *hint = NULL;

    for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
      names[i] = commands[i].name;
    hint = scn_hint (name, names, G_N_ELEMENTS (commands));
    cli_error ("unknown command '%s'%s; run 'tcpsim --help' for the list",
               q, hint);
  }
  return CLI_EXIT_USAGE;
}
