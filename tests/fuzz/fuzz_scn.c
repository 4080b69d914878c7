/* fuzz_scn.c: libFuzzer target for the scenario loader.
 *
 * The input is the text of a scenario file.  scn_load_text() lexes,
 * parses, checks and builds it; a world that builds is then run for a
 * short simulated time, so that what the builder wired (links, apps,
 * timeline actions) is exercised too and not only accepted.
 *
 * Call order per input: scn_load_text() -> (world built) set an event
 * budget -> sim_world_run() -> sim_world_free().
 */
#include "tests/fuzz/fuzz_common.h"

#include "scenarios/scn_build.h"

/* Running is skipped above this input size: a large input is more likely
 * to describe a large network, and a fuzzer wants many cheap runs rather
 * than a few long ones.  Loading is still fuzzed at any size. */
#define FUZZ_SCN_RUN_MAX_INPUT_BYTES 4096u
/* Simulated time a built world runs for, at most. */
#define FUZZ_SCN_RUN_NS SIM_S (2)
/* Events a run may take before it is stopped.  A legitimate scenario on
 * a fast link can schedule millions of events in two simulated seconds,
 * which would make one input cost seconds of CPU. */
#define FUZZ_SCN_MAX_EVENTS G_GUINT64_CONSTANT (200000)

/* The scheduler's progress hook, not an event: it stops the run without
 * changing what runs before that, and leaves nothing behind in the world. */
static void
stop_world (void *data)
{
  sim_world_stop (data);
}

int
FUZZ_ENTRY (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimWorld) world = NULL;
  ScnRun run = { 0 };

  /* scn_load_text() takes any bytes, NULs included, when given a length;
   * gssize keeps that length signed, so refuse what would not fit. */
  if (size > G_MAXSSIZE)
    return 0;
  world = scn_load_text ("fuzz.scn", (const char *) data, (gssize) size,
                         NULL, &run, &error);
  if (world == NULL)
    {
      /* All or nothing: a failed load must say why. */
      g_assert (error != NULL);
      return 0;
    }
  g_assert (error == NULL);
  if (size > FUZZ_SCN_RUN_MAX_INPUT_BYTES)
    return 0;

  sim_scheduler_set_progress (sim_world_scheduler (world),
                              FUZZ_SCN_MAX_EVENTS, stop_world, world);
  sim_world_run (world, MIN (run.end_ns, FUZZ_SCN_RUN_NS));
  return 0;
}
