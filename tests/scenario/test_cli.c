/* test_cli.c: the tcpsim command, run as a user runs it.
 *
 * Each test spawns the built binary (TCPSIM_EXE, set by meson) in a fresh
 * temporary directory and checks its exit status (0 success, 1
 * simulation error, 2 usage or scenario error), what it prints, and the
 * files it writes.  Paths: /cli/...
 */
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "tcpsim-config.h"

typedef struct {
  char *dir;                    /* the working directory of the command */
  char *seed_path;              /* scenarios/seed-exchange.scn, absolute */
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

  f->dir = g_dir_make_tmp ("tcpsim-cli-XXXXXX", &err);
  g_assert_no_error (err);
  f->seed_path = g_test_build_filename (G_TEST_DIST, "..", "..",
                                        "scenarios", "seed-exchange.scn",
                                        NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->seed_path);
  g_free (f->out);
  g_free (f->err);
}

/* Runs tcpsim with the NULL-terminated arguments in f->dir. */
static void
run_tcpsim (Fixture *f, ...)
{
  const char *exe = g_getenv ("TCPSIM_EXE");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) err = NULL;
  int wait_status = 0;
  const char *arg;
  va_list args;

  g_assert_nonnull (exe);
  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  g_ptr_array_add (argv, (gpointer) exe);
  va_start (args, f);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (f->dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL,
                NULL, &f->out, &f->err, &wait_status, &err);
  g_assert_no_error (err);
  g_assert_true (WIFEXITED (wait_status));
  f->status = WEXITSTATUS (wait_status);
}

static char *
path_in (Fixture *f, const char *relative)
{
  return g_build_filename (f->dir, relative, NULL);
}

static void
write_file (Fixture *f, const char *relative, const char *text)
{
  g_autofree char *path = path_in (f, relative);
  g_autoptr (GError) err = NULL;

  g_file_set_contents (path, text, -1, &err);
  g_assert_no_error (err);
}

static void
test_version (Fixture *f, gconstpointer data)
{
  run_tcpsim (f, "--version", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpstr (f->out, ==, "tcpsim " TCPSIM_VERSION "\n");
}

static void
test_help (Fixture *f, gconstpointer data)
{
  run_tcpsim (f, "--help", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "Commands:"));
  g_assert_nonnull (strstr (f->out, "  run "));
  g_assert_nonnull (strstr (f->out, "  check "));
  g_assert_nonnull (strstr (f->out, "  compare "));
  run_tcpsim (f, "run", "--help", NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "--set=KEY=VALUE"));
  g_assert_nonnull (strstr (f->out, "--no-diagram"));
}

static void
test_usage_errors (Fixture *f, gconstpointer data)
{
  static const char *const others[] = { "compare", "plot", "drill" };

  run_tcpsim (f, NULL);
  g_assert_cmpint (f->status, ==, 2);
  g_assert_nonnull (strstr (f->err, "Usage:"));
  run_tcpsim (f, "rnu", NULL);
  g_assert_cmpint (f->status, ==, 2);
  g_assert_cmpstr (f->err, ==, "tcpsim: unknown command 'rnu' (did you "
                   "mean 'run'?); run 'tcpsim --help' for the list\n");
  /* The other subcommands are their owners' to test; here only that a
   * missing input is an error, not a crash. */
  for (gsize i = 0; i < G_N_ELEMENTS (others); i++)
    {
      run_tcpsim (f, others[i], "x", NULL);
      g_assert_true (f->status == 1 || f->status == 2);
    }
  run_tcpsim (f, "run", NULL);
  g_assert_cmpint (f->status, ==, 2);
  run_tcpsim (f, "run", "--bogus", f->seed_path, NULL);
  g_assert_cmpint (f->status, ==, 2);
  g_assert_true (g_str_has_prefix (f->err, "tcpsim: run: "));
  run_tcpsim (f, "run", "--seed", "abc", f->seed_path, NULL);
  g_assert_cmpint (f->status, ==, 2);
  g_assert_cmpstr (f->err, ==, "tcpsim: --seed: expected a whole number, "
                   "got 'abc'\n");
  run_tcpsim (f, "check", "a.scn", "b.scn", NULL);
  g_assert_cmpint (f->status, ==, 2);
}

static void
test_check (Fixture *f, gconstpointer data)
{
  g_autofree char *ok = g_strdup_printf ("%s: ok\n", f->seed_path);

  run_tcpsim (f, "check", f->seed_path, NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpstr (f->out, ==, ok);
  g_assert_cmpstr (f->err, ==, "");

  write_file (f, "bad.scn", "hots a addr=10.0.0.1\nhost b addr=1.2.3\n");
  run_tcpsim (f, "check", "bad.scn", NULL);
  g_assert_cmpint (f->status, ==, 2);
  g_assert_cmpstr (f->out, ==, "");
  g_assert_cmpstr (f->err, ==,
                   "tcpsim: bad.scn:1:1: unknown statement 'hots' (did you "
                   "mean 'host'?): expected seed, tcp, host, router, link, "
                   "chain, dumbbell, star, route, routing, drop, corrupt, "
                   "duplicate, hold, app, at, when, compare or run\n"
                   "tcpsim: bad.scn:2:13: addr: expected an IPv4 address "
                   "such as 10.0.0.1, got '1.2.3'\n");

  run_tcpsim (f, "check", "missing.scn", NULL);
  g_assert_cmpint (f->status, ==, 2);
  g_assert_true (g_str_has_prefix (f->err, "tcpsim: "));
  g_assert_nonnull (strstr (f->err, "missing.scn"));

  run_tcpsim (f, "check", f->seed_path, "--set", "link.cable.rate=fast",
              NULL);
  g_assert_cmpint (f->status, ==, 2);
  g_assert_cmpstr (f->err, ==, "tcpsim: --set link.cable.rate=fast: "
                   "expected a rate such as 10Mbps, got 'fast'\n");

  run_tcpsim (f, "check", "--params", f->seed_path, NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_true (g_str_has_prefix (f->out, "seed\nrun.until\n"));
  g_assert_nonnull (strstr (f->out, "\nlink.cable.client>server.loss\n"));
  g_assert_nonnull (strstr (f->out, "\napp.exchange.close_delay\n"));
}

static void
test_run (Fixture *f, gconstpointer data)
{
  static const char *const files[] = {
    "trace.jsonl", "summary.json", "cable.pcap"
  };

  run_tcpsim (f, "run", "--quiet", "-o", "quiet", f->seed_path, NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpstr (f->out, ==, "");
  g_assert_cmpstr (f->err, ==, "");
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *p = g_build_filename (f->dir, "quiet", files[i], NULL);

      g_assert_true (g_file_test (p, G_FILE_TEST_IS_REGULAR));
    }

  /* The default OUTDIR is out/<scenario name>, from the working
   * directory; the diagram shows the ten segments. */
  run_tcpsim (f, "run", "--ascii", f->seed_path, NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "SYN seq=0"));
  g_assert_nonnull (strstr (f->out, "PSH,ACK seq=1 ack=160 len=111"));
  g_assert_nonnull (strstr (f->out, "ACK seq=161 ack=113"));
  g_assert_nonnull (strstr (f->out, "outputs in out/seed-exchange/\n"));
  {
    g_autofree char *p = path_in (f, "out/seed-exchange/trace.jsonl");

    g_assert_true (g_file_test (p, G_FILE_TEST_IS_REGULAR));
  }

  run_tcpsim (f, "run", "--no-diagram", "-o", "nd", f->seed_path, NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_null (strstr (f->out, "SYN seq=0"));
}

static void
test_run_deterministic (Fixture *f, gconstpointer data)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *pa = path_in (f, "a/trace.jsonl");
  g_autofree char *pb = path_in (f, "b/trace.jsonl");
  gsize la = 0;
  gsize lb = 0;

  run_tcpsim (f, "run", "-q", "-o", "a", "--set", "tcp.isn=random",
              "--seed", "99", f->seed_path, NULL);
  g_assert_cmpint (f->status, ==, 0);
  run_tcpsim (f, "run", "-q", "-o", "b", "--set", "tcp.isn=random",
              "--seed", "99", f->seed_path, NULL);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_true (g_file_get_contents (pa, &a, &la, NULL));
  g_assert_true (g_file_get_contents (pb, &b, &lb, NULL));
  g_assert_cmpmem (a, la, b, lb);
}

static void
test_run_output_error (Fixture *f, gconstpointer data)
{
  write_file (f, "plain-file", "x");
  run_tcpsim (f, "run", "-q", "-o", "plain-file/sub", f->seed_path, NULL);
  g_assert_cmpint (f->status, ==, 1);
  g_assert_true (g_str_has_prefix (f->err, "tcpsim: "));
  g_assert_nonnull (strstr (f->err, "plain-file"));
}

static void
add (const char *path, void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add ("/cli/version", test_version);
  add ("/cli/help", test_help);
  add ("/cli/usage-errors", test_usage_errors);
  add ("/cli/check", test_check);
  add ("/cli/run", test_run);
  add ("/cli/run/deterministic", test_run_deterministic);
  add ("/cli/run/output-error", test_run_output_error);
  return g_test_run ();
}
