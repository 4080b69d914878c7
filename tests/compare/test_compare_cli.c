/* test_compare_cli.c: tcpsim compare and tcpsim merge, run as users run
 * them.
 *
 * Each test spawns the built binary (TCPSIM_EXE) in a fresh temporary
 * directory.  The same sweep run with -j 1, with -j 4, as shards merged
 * from separate directories, as shards merged in place, and (when meson
 * found mpirun for an MPI build: TCPSIM_MPIRUN) under mpirun -n 2 must
 * leave byte-identical directory trees.  The window-size lesson must
 * follow min(window / RTT, bottleneck rate) within 5%.  A run with a bad
 * value fails alone, by name.  Paths: /compare/cli/...
 */
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

typedef struct {
  char *dir;                    /* the working directory of the command */
  char *small;                  /* tests/compare/small.scn, absolute */
  char *out;
  char *err;
  int status;
} Fixture;

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR)
      && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) err = NULL;

  f->dir = g_dir_make_tmp ("tcpsim-compare-XXXXXX", &err);
  g_assert_no_error (err);
  f->small = g_test_build_filename (G_TEST_DIST, "small.scn", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->small);
  g_free (f->out);
  g_free (f->err);
}

/* Runs @argv (NULL-terminated; "tcpsim" stands for the built binary) in
 * f->dir. */
static void
run_argv (Fixture *f, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) err = NULL;
  int wait_status = 0;

  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) (strcmp (args[i], "tcpsim") == 0
                                       ? g_getenv ("TCPSIM_EXE") : args[i]));
  g_assert_nonnull (g_getenv ("TCPSIM_EXE"));
  g_ptr_array_add (argv, NULL);
  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  g_spawn_sync (f->dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL,
                NULL, &f->out, &f->err, &wait_status, &err);
  g_assert_no_error (err);
  g_assert_true (WIFEXITED (wait_status));
  f->status = WEXITSTATUS (wait_status);
}

#define RUN(f, ...) \
  run_argv ((f), (const char *const[]) { "tcpsim", __VA_ARGS__, NULL })

static void
expect_ok (Fixture *f)
{
  if (f->status != 0)
    g_error ("exit status %d; stderr:\n%s", f->status, f->err);
}

/* Every regular file under @root, as paths relative to it, sorted. */
static void
list_files (const char *root, const char *rel, GPtrArray *out)
{
  g_autofree char *path = g_build_filename (root, rel, NULL);
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_rel = rel[0] != '\0'
                                     ? g_build_filename (rel, name, NULL)
                                     : g_strdup (name);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        list_files (root, child_rel, out);
      else
        g_ptr_array_add (out, g_steal_pointer (&child_rel));
    }
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Byte for byte: the same files, with the same contents. */
static void
assert_same_tree (Fixture *f, const char *a, const char *b)
{
  g_autofree char *ra = g_build_filename (f->dir, a, NULL);
  g_autofree char *rb = g_build_filename (f->dir, b, NULL);
  g_autoptr (GPtrArray) fa = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) fb = g_ptr_array_new_with_free_func (g_free);

  list_files (ra, "", fa);
  list_files (rb, "", fb);
  g_ptr_array_sort (fa, compare_strings);
  g_ptr_array_sort (fb, compare_strings);
  for (guint i = 0; i < MAX (fa->len, fb->len); i++)
    {
      const char *na = i < fa->len ? fa->pdata[i] : "(none)";
      const char *nb = i < fb->len ? fb->pdata[i] : "(none)";
      g_autofree char *pa = NULL;
      g_autofree char *pb = NULL;
      g_autofree char *ca = NULL;
      g_autofree char *cb = NULL;
      gsize la = 0, lb = 0;

      if (strcmp (na, nb) != 0)
        g_error ("%s and %s differ: %s against %s", a, b, na, nb);
      pa = g_build_filename (ra, na, NULL);
      pb = g_build_filename (rb, nb, NULL);
      g_assert_true (g_file_get_contents (pa, &ca, &la, NULL));
      g_assert_true (g_file_get_contents (pb, &cb, &lb, NULL));
      if (la != lb || memcmp (ca, cb, la) != 0)
        g_error ("%s differs between %s and %s", na, a, b);
    }
  g_assert_cmpuint (fa->len, >, 0);
}

static char *
read_in (Fixture *f, const char *rel)
{
  g_autofree char *path = g_build_filename (f->dir, rel, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("cannot read %s", rel);
  return text;
}

#define SMALL_GRID "--vary", "tcp.rcvbuf=8KB,32KB", \
                   "--vary", "tcp.cc=newreno,cubic", "--seeds", "3", "--traces"

static void
test_identical (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  g_autofree char *stats = g_build_filename (f->dir, "j1", "stats.csv", NULL);

  RUN (f, "compare", f->small, SMALL_GRID, "-j", "1", "-o", "j1");
  expect_ok (f);
  /* Not a terminal: no progress line, nothing on stderr. */
  g_assert_cmpstr (f->err, ==, "");
  g_assert_nonnull (strstr (f->out, "tcp.rcvbuf"));
  g_assert_nonnull (strstr (f->out, "12 runs, 0 failed"));

  RUN (f, "compare", f->small, SMALL_GRID, "-j", "4", "-o", "j4");
  expect_ok (f);
  assert_same_tree (f, "j1", "j4");

  /* Shards in directories of their own, merged into a new one. */
  RUN (f, "compare", f->small, SMALL_GRID, "--shard", "1/3", "-o", "s1");
  expect_ok (f);
  g_assert_nonnull (strstr (f->out, "tcpsim merge"));
  RUN (f, "compare", f->small, SMALL_GRID, "--shard", "2/3", "-o", "s2");
  expect_ok (f);
  RUN (f, "compare", f->small, SMALL_GRID, "--shard", "3/3", "-o", "s3");
  expect_ok (f);
  RUN (f, "merge", "-o", "merged", "s3", "s1", "s2");
  expect_ok (f);
  assert_same_tree (f, "j1", "merged");

  /* Shards sharing one directory, merged in place. */
  RUN (f, "compare", f->small, SMALL_GRID, "--shard", "2/2", "-o", "shared");
  expect_ok (f);
  RUN (f, "compare", f->small, SMALL_GRID, "--shard", "1/2", "-o", "shared");
  expect_ok (f);
  RUN (f, "merge", "shared");
  expect_ok (f);
  assert_same_tree (f, "j1", "shared");

  csv = read_in (f, "j1/summary.csv");
  g_assert_true (g_str_has_prefix (csv, "run,tcp.rcvbuf,tcp.cc,seed,status,"
                                        "goodput_bps,completion_ns,"));
  /* Run names hold commas: CSV quotes them (RFC 4180). */
  g_assert_nonnull (strstr (csv, "\r\n\"tcp.rcvbuf=32KB,tcp.cc=cubic,"
                                 "seed=3\",32KB,cubic,3,ok,"));
  json = read_in (f, "j1/summary.json");
  g_assert_nonnull (strstr (json, "\"variants\": ["));
  g_assert_nonnull (strstr (json, "\"ci95\": "));
  g_assert_true (g_file_test (stats, G_FILE_TEST_EXISTS));
}

static void
test_mpi (Fixture *f, gconstpointer data)
{
  const char *mpirun = g_getenv ("TCPSIM_MPIRUN");
  const char *exe = g_getenv ("TCPSIM_EXE");

  if (mpirun == NULL || mpirun[0] == '\0')
    {
      g_test_skip ("tcpsim was built without MPI (-Dmpi=enabled)");
      return;
    }
  RUN (f, "compare", f->small, SMALL_GRID, "-j", "2", "-o", "single");
  expect_ok (f);
  run_argv (f, (const char *const[]) {
    mpirun, "--allow-run-as-root", "--oversubscribe", "-n", "2", exe,
    "compare", f->small, SMALL_GRID, "-j", "2", "-o", "mpi", NULL });
  expect_ok (f);
  assert_same_tree (f, "single", "mpi");
}

/* scenarios/window-sizes.scn: goodput = min(window / RTT, payload rate)
 * within 5%, with the numbers its comments derive. */
static void
test_window_law (Fixture *f, gconstpointer data)
{
  const double rtt_s = 0.100 + 1040.0 * 8 / 2e6 + 40.0 * 8 / 2e6;
  const double payload_bps = 2e6 * 1000.0 / 1040.0;
  const double mss_bytes = 1000.0;
  g_autofree char *scn = g_test_build_filename (G_TEST_DIST, "..", "..",
                                                "scenarios",
                                                "window-sizes.scn", NULL);
  g_autofree char *json = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) err = NULL;
  JsonArray *runs;
  guint n_window = 0, n_link = 0;

  RUN (f, "compare", scn, "-o", "ws", "--no-plots", "--quiet");
  expect_ok (f);
  json = read_in (f, "ws/summary.json");
  json_parser_load_from_data (parser, json, -1, &err);
  g_assert_no_error (err);
  runs = json_object_get_array_member (
    json_node_get_object (json_parser_get_root (parser)), "runs");
  g_assert_cmpuint (json_array_get_length (runs), >=, 5);
  for (guint i = 0; i < json_array_get_length (runs); i++)
    {
      JsonObject *run = json_array_get_object_element (runs, i);
      const char *rcvbuf = json_object_get_string_member (
        json_object_get_object_member (run, "params"), "tcp.rcvbuf");
      double goodput = json_object_get_double_member (run, "goodput_bps");
      double window_bytes, by_window, expected;

      g_assert_true (g_str_has_suffix (rcvbuf, "KB"));
      /* The sender sees rcvbuf less the one segment not yet read when
       * each ACK leaves (see the scenario's comments). */
      window_bytes = g_ascii_strtod (rcvbuf, NULL) * 1000.0 - mss_bytes;
      by_window = window_bytes * 8.0 / rtt_s;
      expected = MIN (by_window, payload_bps);
      if (by_window < payload_bps)
        n_window++;
      else
        n_link++;
      if (fabs (goodput - expected) > 0.05 * expected)
        g_error ("rcvbuf %s: goodput %.0f bit/s, expected %.0f (more than "
                 "5%% apart)", rcvbuf, goodput, expected);
    }
  /* The lesson spans both sides of the bandwidth-delay product. */
  g_assert_cmpuint (n_window, >=, 2);
  g_assert_cmpuint (n_link, >=, 2);
}

static void
test_failing_variant (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = NULL;
  g_autofree char *ok_json = NULL;
  g_autofree char *bad_json = NULL;
  g_auto (GStrv) lines = NULL;

  RUN (f, "compare", f->small, "--vary", "tcp.rcvbuf=8KB,12XB,32KB", "-o",
       "out", "-j", "2");
  g_assert_cmpint (f->status, ==, 1);
  g_assert_nonnull (strstr (f->err, "tcpsim: run tcp.rcvbuf=12XB failed: "
                                    "--set tcp.rcvbuf=12XB: "));
  g_assert_null (strstr (f->err, "tcp.rcvbuf=8KB"));
  g_assert_nonnull (strstr (f->out, "3 runs, 1 failed"));

  csv = read_in (f, "out/summary.csv");
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);  /* header, 3, "" */
  g_assert_true (g_str_has_prefix (lines[1], "tcp.rcvbuf=8KB,8KB,1,ok,"));
  /* The scenario's seed for the runs that loaded; none for the other. */
  g_assert_true (g_str_has_prefix (lines[2], "tcp.rcvbuf=12XB,12XB,,error,"));
  g_assert_true (g_str_has_prefix (lines[3], "tcp.rcvbuf=32KB,32KB,1,ok,"));

  ok_json = read_in (f, "out/tcp.rcvbuf=32KB/variant.json");
  g_assert_nonnull (strstr (ok_json, "\"status\": \"ok\""));
  bad_json = read_in (f, "out/tcp.rcvbuf=12XB/variant.json");
  g_assert_nonnull (strstr (bad_json, "\"status\": \"error\""));
}

static void
test_usage (Fixture *f, gconstpointer data)
{
  RUN (f, "compare", f->small, "--vary", "tcp.rcvbuff=1KB,2KB");
  g_assert_cmpint (f->status, ==, 2);
  g_assert_nonnull (strstr (f->err, "did you mean 'tcp.rcvbuf'"));

  RUN (f, "compare", f->small);
  g_assert_cmpint (f->status, ==, 2);
  g_assert_nonnull (strstr (f->err, "nothing to compare"));

  RUN (f, "compare", f->small, "--seeds", "2", "--shard", "3/2");
  g_assert_cmpint (f->status, ==, 2);
  g_assert_nonnull (strstr (f->err, "--shard '3/2'"));

  RUN (f, "compare", f->small, "--seeds", "2", "--figure", "speed");
  g_assert_cmpint (f->status, ==, 2);

  RUN (f, "compare", f->small, "--vary", "tcp.rcvbuf=1KB,1KB");
  g_assert_cmpint (f->status, ==, 2);
  g_assert_nonnull (strstr (f->err, "given twice"));

  RUN (f, "compare", "missing.scn", "--seeds", "2");
  g_assert_cmpint (f->status, ==, 2);

  RUN (f, "merge", "nowhere");
  g_assert_cmpint (f->status, ==, 1);
}

/* Merging before every shard is done names what is missing; shards of
 * different sweeps do not merge. */
static void
test_merge_errors (Fixture *f, gconstpointer data)
{
  g_autofree char *summary = g_build_filename (f->dir, "a", "summary.csv",
                                               NULL);

  RUN (f, "compare", f->small, "--seeds", "4", "--shard", "1/2", "-o", "a",
       "--quiet");
  expect_ok (f);
  g_assert_cmpstr (f->out, ==, "");
  RUN (f, "merge", "a");
  g_assert_cmpint (f->status, ==, 1);
  g_assert_nonnull (strstr (f->err, "2 of 4 runs are in none of the "
                                    "directories"));
  g_assert_nonnull (strstr (f->err, "seed=2"));
  g_assert_false (g_file_test (summary, G_FILE_TEST_EXISTS));

  RUN (f, "compare", f->small, "--seeds", "3", "--shard", "2/2", "-o", "b",
       "--quiet");
  expect_ok (f);
  RUN (f, "merge", "-o", "c", "a", "b");
  g_assert_cmpint (f->status, ==, 2);
  g_assert_nonnull (strstr (f->err, "describes another sweep"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/compare/cli/identical", Fixture, NULL, fixture_set_up,
              test_identical, fixture_tear_down);
  g_test_add ("/compare/cli/mpi", Fixture, NULL, fixture_set_up, test_mpi,
              fixture_tear_down);
  g_test_add ("/compare/cli/window-law", Fixture, NULL, fixture_set_up,
              test_window_law, fixture_tear_down);
  g_test_add ("/compare/cli/failing-variant", Fixture, NULL, fixture_set_up,
              test_failing_variant, fixture_tear_down);
  g_test_add ("/compare/cli/usage", Fixture, NULL, fixture_set_up,
              test_usage, fixture_tear_down);
  g_test_add ("/compare/cli/merge-errors", Fixture, NULL, fixture_set_up,
              test_merge_errors, fixture_tear_down);
  return g_test_run ();
}
