/* test_trace_jsonl.c: the trace.jsonl writer: one JSON object per line,
 * exactly as sim_trace_record_to_json() formats it, across buffer
 * flushes, and errors reported. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "plots/trace_jsonl.h"

typedef struct {
  const char *conn;
  gint64 value;
} TestBody;

static void
test_body_to_json (const void *body, GString *out)
{
  const TestBody *b = body;

  sim_json_append_string (out, "conn", b->conn);
  sim_json_append_int (out, "value", b->value);
}

static const SimTraceKind test_kind = { "test.event", test_body_to_json };
static const SimTraceKind bare_kind = { "test.bare", NULL };

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("tcpsim-jsonl-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "trace.jsonl", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_remove (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
emit (TraceJsonl *w, SimTime at_ns, const SimTraceKind *kind,
      const void *body)
{
  SimTraceRecord rec = { at_ns, kind, body };

  trace_jsonl_record (&rec, w);
}

static void
test_lines (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TraceJsonl) w = trace_jsonl_open (f->path, &error);
  TestBody a = { "10.0.0.1:1>10.0.0.2:2", -5 };
  TestBody b = { "quote\" back\\slash\nnew", G_MAXINT64 };
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  g_assert_no_error (error);
  emit (w, 0, &test_kind, &a);
  emit (w, SIM_S (3) + 7, &bare_kind, NULL);
  emit (w, G_MAXINT64, &test_kind, &b);
  g_assert_true (trace_jsonl_close (w, &error));
  g_assert_no_error (error);
  /* Closing twice is harmless. */
  g_assert_true (trace_jsonl_close (w, &error));

  g_file_get_contents (f->path, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==,
                   "{\"t_ns\":0,\"ev\":\"test.event\","
                   "\"conn\":\"10.0.0.1:1>10.0.0.2:2\",\"value\":-5}\n"
                   "{\"t_ns\":3000000007,\"ev\":\"test.bare\"}\n"
                   "{\"t_ns\":9223372036854775807,\"ev\":\"test.event\","
                   "\"conn\":\"quote\\\" back\\\\slash\\nnew\","
                   "\"value\":9223372036854775807}\n");

  /* Every line is a JSON object that json-glib reads back. */
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *obj;

      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      obj = json_node_get_object (json_parser_get_root (parser));
      g_assert_true (json_object_has_member (obj, "t_ns"));
      g_assert_true (json_object_has_member (obj, "ev"));
      if (i == 2)
        g_assert_cmpstr (json_object_get_string_member (obj, "conn"), ==,
                         b.conn);
    }
}

/* Enough records to flush the buffer many times; none lost or split.
 * Lines are walked with memchr(): g_strsplit() is quadratic under ASan,
 * whose strstr() measures the whole rest of the text on every call. */
static void
test_many (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TraceJsonl) w = trace_jsonl_open (f->path, &error);
  g_autofree char *text = NULL;
  gsize len = 0;
  const char *line;
  const char *end;
  const guint n = 50000;
  guint i = 0;

  g_assert_no_error (error);
  for (i = 0; i < n; i++)
    {
      TestBody body = { "c", i };

      emit (w, i, &test_kind, &body);
    }
  g_assert_true (trace_jsonl_close (w, &error));
  g_file_get_contents (f->path, &text, &len, &error);
  g_assert_no_error (error);
  end = text + len;
  i = 0;
  for (line = text; line < end; i++)
    {
      const char *nl = memchr (line, '\n', (gsize) (end - line));
      g_autofree char *expected = g_strdup_printf (
        "{\"t_ns\":%u,\"ev\":\"test.event\",\"conn\":\"c\",\"value\":%u}",
        i, i);
      g_autofree char *actual = NULL;

      g_assert_nonnull (nl);
      if (strncmp (line, expected, (gsize) (nl - line)) != 0
          || (gsize) (nl - line) != strlen (expected))
        {
          actual = g_strndup (line, (gsize) (nl - line));
          g_assert_cmpstr (actual, ==, expected);
        }
      line = nl + 1;
    }
  g_assert_cmpuint (i, ==, n);
}

static void
test_open_error (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "missing", "trace.jsonl",
                                            NULL);
  TraceJsonl *w = trace_jsonl_open (path, &error);

  g_assert_null (w);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, path));
}

/* A full disk is reported at close, not lost. */
static void
test_write_error (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TraceJsonl) w = NULL;
  TestBody body = { "c", 1 };

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  w = trace_jsonl_open ("/dev/full", &error);
  g_assert_no_error (error);
  emit (w, 1, &test_kind, &body);
  g_assert_false (trace_jsonl_close (w, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/plots/jsonl/lines", Fixture, NULL, fixture_set_up,
              test_lines, fixture_tear_down);
  g_test_add ("/plots/jsonl/many", Fixture, NULL, fixture_set_up,
              test_many, fixture_tear_down);
  g_test_add ("/plots/jsonl/open-error", Fixture, NULL, fixture_set_up,
              test_open_error, fixture_tear_down);
  g_test_add ("/plots/jsonl/write-error", Fixture, NULL, fixture_set_up,
              test_write_error, fixture_tear_down);
  return g_test_run ();
}
