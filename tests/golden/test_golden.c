/* test_golden.c: golden traces.  Each scenario of the table runs end to
 * end and its trace.jsonl must equal tests/golden/NAME.trace byte for
 * byte; then it runs a second time and the two fingerprints must match.
 *
 * A change in behaviour shows here first: rerun with UPDATE_GOLDEN=1 to
 * rewrite the files, and review the diff before committing it (SimGrid's
 * .tesh files, smoltcp's snapshots). */
#include <string.h>

#include <glib/gstdio.h>

#include "plots/trace_jsonl.h"
#include "scenarios/scn_build.h"
#include "sim/fingerprint.h"

static const char *const golden_scenarios[] = {
  "seed-exchange",
  "why-three-way",
  "why-time-wait",
  "three-or-four",
  "lost-syn",
  "fast-retransmit",
  "zero-window",
};

/* Runs scenarios/NAME.scn, writing its trace to @trace_path (nullable),
 * and returns the fingerprint of its records. */
static char *
run_scenario (const char *name, const char *trace_path)
{
  g_autofree char *file = g_strconcat (name, ".scn", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..",
                                                 "scenarios", file, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TraceJsonl) writer = NULL;
  g_autoptr (SimFingerprint) fp = NULL;
  ScnRun run;
  SimWorld *world;
  char *hex;

  world = scn_load_file (path, NULL, &run, &error);
  g_assert_no_error (error);
  g_assert_nonnull (world);
  fp = sim_fingerprint_new (sim_world_trace (world));
  if (trace_path != NULL)
    {
      writer = trace_jsonl_open (trace_path, &error);
      g_assert_no_error (error);
      sim_trace_subscribe (sim_world_trace (world), trace_jsonl_record,
                           writer);
    }
  sim_world_run (world, run.end_ns);
  if (writer != NULL)
    {
      g_assert_true (trace_jsonl_close (writer, &error));
      g_assert_no_error (error);
    }
  hex = sim_fingerprint_hex (fp);
  g_assert_cmpuint (sim_fingerprint_count (fp), >, 0);
  sim_world_free (world);
  return hex;
}

static void
test_golden (gconstpointer data)
{
  const char *name = data;
  g_autofree char *dir = g_dir_make_tmp ("tcpsim-golden-XXXXXX", NULL);
  g_autofree char *actual_path = g_build_filename (dir, "trace.jsonl", NULL);
  g_autofree char *golden_file = g_strconcat (name, ".trace", NULL);
  g_autofree char *golden_path = g_test_build_filename (G_TEST_DIST,
                                                        golden_file, NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *expected = NULL;
  gsize actual_len;
  gsize expected_len;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (dir);
  first = run_scenario (name, actual_path);
  g_assert_true (g_file_get_contents (actual_path, &actual, &actual_len,
                                      &error));
  if (g_getenv ("UPDATE_GOLDEN") != NULL)
    {
      g_assert_true (g_file_set_contents (golden_path, actual,
                                          (gssize) actual_len, &error));
      g_test_message ("rewrote %s", golden_path);
    }
  g_assert_true (g_file_get_contents (golden_path, &expected, &expected_len,
                                      &error));
  if (actual_len != expected_len || memcmp (actual, expected, actual_len))
    {
      /* Name the first line that differs, the useful part of a diff. */
      g_auto (GStrv) a = g_strsplit (actual, "\n", -1);
      g_auto (GStrv) e = g_strsplit (expected, "\n", -1);
      guint i = 0;

      while (a[i] != NULL && e[i] != NULL && strcmp (a[i], e[i]) == 0)
        i++;
      g_error ("%s: trace differs from %s at line %u:\n  expected %s\n"
               "  actual   %s\n(UPDATE_GOLDEN=1 rewrites it; review the "
               "diff)", name, golden_file, i + 1, e[i] ? e[i] : "(end)",
               a[i] ? a[i] : "(end)");
    }
  /* The same run again, with no tracer but the fingerprint: tracers
   * never change the simulation, and runs are deterministic. */
  second = run_scenario (name, NULL);
  g_assert_cmpstr (first, ==, second);

  g_unlink (actual_path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (golden_scenarios); i++)
    {
      g_autofree char *path = g_strconcat ("/golden/",
                                           golden_scenarios[i], NULL);

      g_test_add_data_func (path, golden_scenarios[i], test_golden);
    }
  return g_test_run ();
}
