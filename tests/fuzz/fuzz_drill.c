/* fuzz_drill.c: libFuzzer target for the packetdrill script language.
 *
 * The input is the text of a .pkt script.  drill_script_parse() must
 * either accept it or fail with an error; a script that parses is then
 * played by drill_run() against a fresh world, under both profiles in
 * turn, so the driver meets scripts no test author would write (events out
 * of order, absurd times and sizes, packets for flows that do not exist).
 * Whether a run passes does not matter here, only that it ends cleanly.
 *
 * Call order per input: drill_script_parse() -> drill_options_init() ->
 * drill_run() (once per profile) -> drill_script_free().
 */
#include "tests/fuzz/fuzz_common.h"

#include "scenarios/drill/drill.h"

/* Playing is skipped above this input size, as in fuzz_scn.c: the parser
 * is fuzzed at any size, the driver on inputs that stay cheap. */
#define FUZZ_DRILL_RUN_MAX_INPUT_BYTES 4096u

int
FUZZ_ENTRY (const uint8_t *data, size_t size)
{
  static const char *const profiles[] = { "rfc", "linux" };
  g_autoptr (GError) error = NULL;
  g_autoptr (DrillScript) script = NULL;

  script = drill_script_parse ("fuzz.pkt", (const char *) data, size,
                               &error);
  if (script == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }
  g_assert (error == NULL);
  if (size > FUZZ_DRILL_RUN_MAX_INPUT_BYTES)
    return 0;

  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      g_autoptr (GError) run_error = NULL;
      DrillOptions opts;
      gboolean ok;

      drill_options_init (&opts);
      opts.profile = profiles[i];
      ok = drill_run (script, &opts, &run_error);
      /* It sets the error or succeeds, never both (STYLE.md section 6). */
      g_assert (ok == (run_error == NULL));
    }
  return 0;
}
