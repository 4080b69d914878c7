/* test_plot_cli.c: `tcpsim run` writes the plots, and `tcpsim plot`
 * redraws every view of a run from its trace.jsonl, byte for byte.
 *
 * The tests run the tcpsim binary named by $TCPSIM (set by meson) in a
 * temporary directory: run a scenario, keep the bytes of every view,
 * delete the views, run `tcpsim plot OUTDIR`, and compare every file.
 * The other cases: --no-plots, --plot-terminal, a missing gnuplot (the
 * run still succeeds, with the scripts written), and usage errors.
 */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

typedef struct {
  char *out;
  char *err;
  int status;                   /* the exit status */
} Spawned;

static void
spawned_clear (Spawned *s)
{
  g_free (s->out);
  g_free (s->err);
  memset (s, 0, sizeof *s);
}

/* Runs tcpsim with @args (NULL-terminated), in @cwd, with @env_extra
 * ("NAME=VALUE", nullable) added to the environment. */
static void
tcpsim (Spawned *s, const char *cwd, const char *env_extra,
        const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_auto (GStrv) envp = g_get_environ ();
  g_autoptr (GError) error = NULL;
  const char *program = g_getenv ("TCPSIM");
  int wait_status;

  g_assert_nonnull (program);
  memset (s, 0, sizeof *s);
  g_ptr_array_add (argv, (gpointer) program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (env_extra != NULL)
    {
      g_auto (GStrv) kv = g_strsplit (env_extra, "=", 2);

      envp = g_environ_setenv (envp, kv[0], kv[1], TRUE);
    }
  g_spawn_sync (cwd, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL,
                NULL, &s->out, &s->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  s->status = WEXITSTATUS (wait_status);
}

static char *
scenario_path (const char *name)
{
  if (strcmp (name, "seed-exchange.scn") == 0)
    return g_test_build_filename (G_TEST_DIST, "..", "..", "scenarios", name,
                                  NULL);
  return g_test_build_filename (G_TEST_DIST, name, NULL);
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_remove (path);
    }
  g_rmdir (dir);
}

/* The files `tcpsim plot` redraws: all but the trace and the captures. */
static gboolean
is_view (const char *name)
{
  return strcmp (name, "trace.jsonl") != 0
         && !g_str_has_suffix (name, ".pcap");
}

/* Returns: (transfer full): view name -> GBytes, for @dir. */
static GHashTable *
read_views (const char *dir)
{
  GHashTable *views = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_bytes_unref);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (GError) error = NULL;
      char *bytes = NULL;
      gsize len = 0;

      if (!is_view (name))
        continue;
      g_file_get_contents (path, &bytes, &len, &error);
      g_assert_no_error (error);
      g_hash_table_insert (views, g_strdup (name),
                           g_bytes_new_take (bytes, len));
    }
  return views;
}

static gboolean
have_gnuplot (void)
{
  g_autofree char *program = g_find_program_in_path ("gnuplot");

  if (program == NULL)
    g_test_skip ("gnuplot is not installed");
  return program != NULL;
}

static void
test_redraw (gconstpointer data)
{
  const char *name = data;
  g_autofree char *scn = scenario_path (name);
  g_autofree char *tmp = g_dir_make_tmp ("tcpsim-plot-cli-XXXXXX", NULL);
  g_autofree char *outdir = g_build_filename (tmp, "out", NULL);
  g_autoptr (GHashTable) before = NULL;
  g_autoptr (GHashTable) after = NULL;
  GHashTableIter iter;
  gpointer key;
  gpointer value;
  Spawned s;
  guint n_png = 0;

  if (!have_gnuplot ())
    return;
  /* Not --quiet: that leaves out the diagram, sequence.txt included. */
  tcpsim (&s, tmp, NULL, (const char *[]) {
            "run", scn, "-o", outdir, NULL });
  g_assert_cmpstr (s.err, ==, "");
  g_assert_cmpint (s.status, ==, 0);
  spawned_clear (&s);

  before = read_views (outdir);
  g_assert_true (g_hash_table_contains (before, "sequence.txt"));
  g_assert_true (g_hash_table_contains (before, "summary.json"));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autofree char *path = g_build_filename (outdir, key, NULL);

      n_png += g_str_has_suffix (key, ".png");
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpuint (n_png, >=, 5);

  tcpsim (&s, tmp, NULL, (const char *[]) { "plot", outdir, "-q", NULL });
  g_assert_cmpstr (s.err, ==, "");
  g_assert_cmpint (s.status, ==, 0);
  spawned_clear (&s);

  after = read_views (outdir);
  g_assert_cmpuint (g_hash_table_size (after), ==,
                    g_hash_table_size (before));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GBytes *redrawn = g_hash_table_lookup (after, key);

      if (redrawn == NULL)
        g_error ("%s was not redrawn", (char *) key);
      if (!g_bytes_equal (value, redrawn))
        g_error ("%s differs once redrawn", (char *) key);
    }
  remove_tree (tmp);
}

static void
test_no_plots (void)
{
  g_autofree char *scn = scenario_path ("seed-exchange.scn");
  g_autofree char *tmp = g_dir_make_tmp ("tcpsim-plot-cli-XXXXXX", NULL);
  g_autofree char *outdir = g_build_filename (tmp, "out", NULL);
  g_autofree char *gp = g_build_filename (outdir, "queue-cable.gp", NULL);
  Spawned s;

  tcpsim (&s, tmp, NULL, (const char *[]) {
            "run", scn, "-o", outdir, "-q", "--no-plots", NULL });
  g_assert_cmpint (s.status, ==, 0);
  g_assert_false (g_file_test (gp, G_FILE_TEST_EXISTS));
  spawned_clear (&s);
  /* The scripts can be written later, without gnuplot. */
  tcpsim (&s, tmp, NULL, (const char *[]) {
            "plot", outdir, "--no-render", NULL });
  g_assert_cmpint (s.status, ==, 0);
  g_assert_true (g_file_test (gp, G_FILE_TEST_EXISTS));
  spawned_clear (&s);
  remove_tree (tmp);
}

static void
test_terminal (void)
{
  g_autofree char *scn = scenario_path ("plots-loss.scn");
  g_autofree char *tmp = g_dir_make_tmp ("tcpsim-plot-cli-XXXXXX", NULL);
  g_autofree char *outdir = g_build_filename (tmp, "out", NULL);
  Spawned s;

  if (!have_gnuplot ())
    return;
  tcpsim (&s, tmp, NULL, (const char *[]) {
            "run", scn, "-o", outdir, "--no-diagram", "--plot-terminal",
            NULL });
  g_assert_cmpstr (s.err, ==, "");
  g_assert_cmpint (s.status, ==, 0);
  /* The y label is drawn vertically, a letter per line. */
  g_assert_nonnull (strstr (s.out, "time (s)"));
  g_assert_nonnull (strstr (s.out, "sender:49152 -> receiver:5001"));
  spawned_clear (&s);
  remove_tree (tmp);
}

/* Without gnuplot the run succeeds and says so; the .dat and .gp files
 * are there to render later. */
static void
test_missing_gnuplot (void)
{
  g_autofree char *scn = scenario_path ("seed-exchange.scn");
  g_autofree char *tmp = g_dir_make_tmp ("tcpsim-plot-cli-XXXXXX", NULL);
  g_autofree char *outdir = g_build_filename (tmp, "out", NULL);
  g_autofree char *gp = g_build_filename (outdir, "queue-cable.gp", NULL);
  g_autofree char *png = g_build_filename (outdir, "queue-cable.png", NULL);
  Spawned s;

  tcpsim (&s, tmp, "TCPSIM_GNUPLOT=/nonexistent/gnuplot",
          (const char *[]) { "run", scn, "-o", outdir, "-q", NULL });
  g_assert_cmpint (s.status, ==, 0);
  g_assert_nonnull (strstr (s.err, "gnuplot not found"));
  g_assert_true (g_file_test (gp, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  spawned_clear (&s);
  /* Asked for explicitly, the plots failing is a failure. */
  tcpsim (&s, tmp, "TCPSIM_GNUPLOT=/nonexistent/gnuplot",
          (const char *[]) { "plot", outdir, "-q", NULL });
  g_assert_cmpint (s.status, ==, 1);
  spawned_clear (&s);
  remove_tree (tmp);
}

static void
test_usage (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("tcpsim-plot-cli-XXXXXX", NULL);
  Spawned s;

  tcpsim (&s, tmp, NULL, (const char *[]) { "plot", NULL });
  g_assert_cmpint (s.status, ==, 2);
  spawned_clear (&s);
  tcpsim (&s, tmp, NULL, (const char *[]) { "plot", "nowhere", NULL });
  g_assert_cmpint (s.status, ==, 2);
  g_assert_nonnull (strstr (s.err, "nowhere"));
  spawned_clear (&s);
  remove_tree (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/plots/cli/redraw/seed-exchange",
                        "seed-exchange.scn", test_redraw);
  g_test_add_data_func ("/plots/cli/redraw/loss", "plots-loss.scn",
                        test_redraw);
  g_test_add_func ("/plots/cli/no-plots", test_no_plots);
  g_test_add_func ("/plots/cli/plot-terminal", test_terminal);
  g_test_add_func ("/plots/cli/missing-gnuplot", test_missing_gnuplot);
  g_test_add_func ("/plots/cli/usage", test_usage);
  return g_test_run ();
}
