/* replay_main.c: runs every fuzz target over its seed corpus, as a GTest
 * binary, so that any compiler (gcc in CI, with or without sanitizers)
 * exercises the targets without libFuzzer.
 *
 * One test case per target, /fuzz/replay/<target>: it reads each file of
 * corpus/<target>/ under G_TEST_SRCDIR, in name order, and hands its bytes
 * to the target's entry point (linked in under a renamed symbol; see
 * fuzz_common.h).  A file passes when the call returns: the targets assert
 * their own invariants, and a sanitizer build catches memory errors.
 *
 * Files given on the command line after "--" are replayed instead,
 * through the target named first ("-- tcp-input crash-1234"), which is
 * how a crash found by libFuzzer is reproduced in a gcc build.
 */
#include "tests/fuzz/fuzz_common.h"

#include <glib.h>
#include <string.h>

typedef struct {
  const char *name;             /* also the corpus directory */
  int (*one_input) (const uint8_t *data, size_t size);
} FuzzTarget;

static const FuzzTarget targets[] = {
  { "scn", fuzz_scn_one_input },
  { "drill", fuzz_drill_one_input },
  { "tcp-input", fuzz_tcp_input_one_input },
};

static void
replay_file (const FuzzTarget *t, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len_bytes = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len_bytes, &error));
  g_assert_no_error (error);
  g_test_message ("%s: %s (%" G_GSIZE_FORMAT " bytes)", t->name, path,
                  len_bytes);
  g_assert_cmpint (t->one_input ((const uint8_t *) contents, len_bytes),
                   ==, 0);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
test_replay (gconstpointer data)
{
  const FuzzTarget *t = data;
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "corpus",
                                                     t->name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, &error);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  /* Directory order is the file system's; name order is reproducible. */
  g_ptr_array_sort (names, compare_names);
  /* An empty corpus would make this test pass for nothing. */
  g_assert_cmpuint (names->len, >, 0);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path,
                                                names->pdata[i], NULL);

      replay_file (t, path);
    }
}

static int
replay_args (int argc, char **argv)
{
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    if (strcmp (argv[0], targets[i].name) == 0)
      {
        for (int j = 1; j < argc; j++)
          replay_file (&targets[i], argv[j]);
        return 0;
      }
  g_printerr ("unknown target '%s' (scn, drill, tcp-input)\n", argv[0]);
  return 2;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* g_test_init() leaves what it does not know in argv; "--" is its
   * end-of-options marker and stays too. */
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--") == 0 && i + 1 < argc)
      return replay_args (argc - i - 1, argv + i + 1);

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fuzz/replay/%s",
                                               targets[i].name);

      g_test_add_data_func (path, &targets[i], test_replay);
    }
  return g_test_run ();
}
