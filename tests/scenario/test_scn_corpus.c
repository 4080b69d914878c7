/* test_scn_corpus.c: the scenario corpus and the gallery.
 *
 * tests/scenario/corpus/y_*.scn must load and build; n_*.scn must fail,
 * and the lines of the matching n_*.err must be the first lines of the
 * error (the file named by its basename, so the text does not depend on
 * where the tree is).  Every file in scenarios/ (the gallery) must load.
 * Paths: /scenario/corpus/<file>, /scenario/gallery/<file>.
 */
#include <string.h>

#include "scenarios/scn_build.h"

static char *
read_file (const char *path, gsize *len)
{
  g_autoptr (GError) err = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, len, &err);
  g_assert_no_error (err);
  return text;
}

static void
test_loads (gconstpointer data)
{
  const char *path = data;
  g_autofree char *base = g_path_get_basename (path);
  gsize len = 0;
  g_autofree char *text = read_file (path, &len);
  g_autoptr (GError) err = NULL;
  g_autoptr (SimWorld) world = NULL;
  ScnRun run = { 0 };

  world = scn_load_text (base, text, (gssize) len, NULL, &run, &err);
  g_assert_no_error (err);
  g_assert_nonnull (world);
  g_assert_nonnull (run.network);
  g_assert_cmpint (run.end_ns, >, 0);
}

static void
test_fails (gconstpointer data)
{
  const char *path = data;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *stem = g_strndup (path, strlen (path) - strlen (".scn"));
  g_autofree char *err_path = g_strconcat (stem, ".err", NULL);
  gsize len = 0;
  g_autofree char *text = read_file (path, &len);
  g_autofree char *expected = NULL;
  g_autoptr (GError) err = NULL;
  g_autoptr (SimWorld) world = NULL;
  g_auto (GStrv) want = NULL;
  g_auto (GStrv) got = NULL;
  ScnRun run = { 0 };

  expected = read_file (err_path, NULL);
  g_strchomp (expected);
  world = scn_load_text (base, text, (gssize) len, NULL, &run, &err);
  g_assert_null (world);
  g_assert_nonnull (err);
  g_assert_true (err->domain == SCN_ERROR);
  /* Nothing built, nothing reported back. */
  g_assert_null (run.network);
  want = g_strsplit (expected, "\n", -1);
  got = g_strsplit (err->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (got), >=, g_strv_length (want));
  for (guint i = 0; want[i] != NULL; i++)
    g_assert_cmpstr (got[i], ==, want[i]);
}

static void
test_corpus_pairs (gconstpointer data)
{
  const char *dir_path = data;
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n_y = 0;
  guint n_n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *stem = NULL;
      g_autofree char *other = NULL;

      if (g_str_has_prefix (name, "y_") && g_str_has_suffix (name, ".scn"))
        n_y++;
      else if (g_str_has_prefix (name, "n_")
               && (g_str_has_suffix (name, ".scn")
                   || g_str_has_suffix (name, ".err")))
        {
          /* Every n_*.scn has its n_*.err and the other way round. */
          stem = g_strndup (name, strlen (name) - 4);
          other = g_strdup_printf ("%s/%s%s", dir_path, stem,
                                   g_str_has_suffix (name, ".scn") ? ".err"
                                                                   : ".scn");
          g_assert_true (g_file_test (other, G_FILE_TEST_IS_REGULAR));
          n_n += g_str_has_suffix (name, ".scn");
        }
      else
        {
          g_test_message ("%s: corpus files are y_*.scn, n_*.scn, n_*.err",
                          name);
          g_test_fail ();
        }
    }
  g_assert_cmpuint (n_y, >, 0);
  g_assert_cmpuint (n_n, >, 0);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Adds one test per file of @dir_path whose name matches @prefix and
 * .scn, in sorted order. */
static void
add_dir_tests (const char *dir_path, const char *test_prefix,
               const char *prefix, GTestDataFunc func)
{
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix) && g_str_has_suffix (name, ".scn"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("%s/%s", test_prefix, n);

      g_test_add_data_func_full (test_path,
                                 g_build_filename (dir_path, n, NULL), func,
                                 g_free);
    }
}

int
main (int argc, char **argv)
{
  g_autofree char *corpus = NULL;
  g_autofree char *gallery = NULL;

  g_test_init (&argc, &argv, NULL);

  corpus = g_test_build_filename (G_TEST_DIST, "corpus", NULL);
  gallery = g_test_build_filename (G_TEST_DIST, "..", "..", "scenarios",
                                   NULL);
  g_test_add_data_func ("/scenario/corpus/pairs", corpus, test_corpus_pairs);
  add_dir_tests (corpus, "/scenario/corpus", "y_", test_loads);
  add_dir_tests (corpus, "/scenario/corpus", "n_", test_fails);
  add_dir_tests (gallery, "/scenario/gallery", "", test_loads);
  return g_test_run ();
}
