/* cmd_check.c: tcpsim check SCENARIO [--seed N] [--set KEY=VALUE]...
 * [--params].
 *
 * Loads the scenario exactly as `run` would (parse, check, build the
 * world), then frees the world without running it and prints
 * "SCENARIO: ok".  With --params, prints instead every name that --set
 * accepts for this scenario.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "scenarios/scn_build.h"
#include "scenarios/scn_units.h"

int
cli_cmd_check (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  g_autofree char *seed_text = NULL;
  gboolean params = FALSE;
  const GOptionEntry entries[] = {
    { "set", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, &sets,
      "Override a scenario parameter (repeatable)", "KEY=VALUE" },
    { "seed", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &seed_text,
      "Override the scenario's seed", "N" },
    { "params", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &params,
      "List the names that --set accepts for this scenario", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("SCENARIO");
  g_autoptr (GError) err = NULL;
  g_autoptr (SimWorld) world = NULL;
  ScnOverrides overrides = { 0 };

  g_option_context_set_summary (context,
                                "Parse and validate a scenario without "
                                "running it.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse_options (context, "check", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2)
    {
      cli_error ("check: expected one SCENARIO file; run 'tcpsim check "
                 "--help' for usage");
      return CLI_EXIT_USAGE;
    }
  if (params)
    {
      g_auto (GStrv) names = scn_list_parameters (argv[1], &err);

      if (names == NULL)
        {
          cli_error ("%s", err->message);
          return CLI_EXIT_USAGE;
        }
      for (guint i = 0; names[i] != NULL; i++)
        printf ("%s\n", names[i]);
      return CLI_EXIT_OK;
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
  overrides.sets = (const char *const *) sets;
  world = scn_load_file (argv[1], &overrides, NULL, &err);
  if (world == NULL)
    {
      cli_error ("%s", err->message);
      return CLI_EXIT_USAGE;
    }
  printf ("%s: ok\n", argv[1]);
  return CLI_EXIT_OK;
}
