/* test_trace.c: the trace bus, the JSON form of a record and the
 * fingerprint.
 *
 * The JSON text is compared byte for byte with literals, because
 * trace.jsonl and the golden traces are compared byte for byte; it is also
 * fed through json-glib to be sure it is JSON at all.  The fingerprint is
 * checked against GLib's SHA-256 of lines written out by hand here.
 */
#include "sim/fingerprint.h"
#include "sim/trace.h"

#include <json-glib/json-glib.h>
#include <math.h>

typedef struct {
  gint64 n;
  const char *text;
} TestBody;

static void
test_body_to_json (const void *body, GString *out)
{
  const TestBody *b = body;

  sim_json_append_int (out, "n", b->n);
  sim_json_append_string (out, "text", b->text);
}

static const SimTraceKind test_kind = { "test.event", test_body_to_json };
static const SimTraceKind bare_kind = { "test.bare", NULL };

typedef struct {
  GString *log;
  const char *tag;
} Subscriber;

static void
on_record (const SimTraceRecord *rec, void *data)
{
  Subscriber *s = data;
  const TestBody *b = rec->body;

  g_string_append_printf (s->log, "%s:%" G_GINT64_FORMAT ":%s:%" G_GINT64_FORMAT
                          " ", s->tag, rec->at_ns, rec->kind->name, b->n);
}

static void
test_subscribe_order (void)
{
  SimTraceBus bus;
  g_autoptr (GString) log = g_string_new (NULL);
  Subscriber a = { log, "a" };
  Subscriber b = { log, "b" };
  Subscriber c = { log, "c" };
  TestBody body1 = { 1, "x" };
  TestBody body2 = { 2, "y" };

  sim_trace_bus_init (&bus);
  sim_trace_subscribe (&bus, on_record, &a);
  sim_trace_subscribe (&bus, on_record, &b);
  sim_trace_subscribe (&bus, on_record, &c);
  g_assert_true (sim_trace_on (&bus));
  g_assert_cmpuint (bus.n_subscribers, ==, 3);

  sim_trace_emit (&bus, 100, &test_kind, &body1);
  sim_trace_emit (&bus, 250, &test_kind, &body2);
  g_assert_cmpstr (log->str, ==,
                   "a:100:test.event:1 b:100:test.event:1 c:100:test.event:1 "
                   "a:250:test.event:2 b:250:test.event:2 c:250:test.event:2 ");
  sim_trace_bus_clear (&bus);
  g_assert_false (sim_trace_on (&bus));
}

static void
fail_if_called (const SimTraceRecord *rec, void *data)
{
  g_assert_not_reached ();
}

static void
test_no_subscriber (void)
{
  SimTraceBus bus;
  TestBody body = { 1, "x" };

  sim_trace_bus_init (&bus);
  g_assert_false (sim_trace_on (&bus));
  /* Emitting to nobody is allowed and does nothing. */
  sim_trace_emit (&bus, 1, &test_kind, &body);

  /* A cleared bus forgets its subscribers. */
  sim_trace_subscribe (&bus, fail_if_called, NULL);
  g_assert_true (sim_trace_on (&bus));
  sim_trace_bus_clear (&bus);
  g_assert_false (sim_trace_on (&bus));
  sim_trace_emit (&bus, 2, &test_kind, &body);
  sim_trace_bus_clear (&bus);           /* twice is harmless */
  g_assert_null (bus.subscribers);
}

static char *
record_json (SimTime at_ns, const SimTraceKind *kind, const void *body)
{
  SimTraceRecord rec = { at_ns, kind, body };
  GString *out = g_string_new ("");

  sim_trace_record_to_json (&rec, out);
  return g_string_free (out, FALSE);
}

/* Parses @text with json-glib and returns the root object's member @key
 * as a string, or NULL. */
static char *
json_member_string (const char *text, const char *key)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *obj;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  obj = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (obj, key)
      || json_object_get_null_member (obj, key))
    return NULL;
  return g_strdup (json_object_get_string_member (obj, key));
}

static void
test_record_json (void)
{
  TestBody body = { -42, "hello" };
  g_autofree char *a = record_json (1500000, &test_kind, &body);
  g_autofree char *b = record_json (0, &bare_kind, NULL);
  g_autofree char *c = NULL;

  g_assert_cmpstr (a, ==, "{\"t_ns\":1500000,\"ev\":\"test.event\","
                   "\"n\":-42,\"text\":\"hello\"}");
  g_assert_cmpstr (b, ==, "{\"t_ns\":0,\"ev\":\"test.bare\"}");

  body.text = NULL;
  c = record_json (G_MAXINT64, &test_kind, &body);
  g_assert_cmpstr (c, ==, "{\"t_ns\":9223372036854775807,\"ev\":\"test.event\","
                   "\"n\":-42,\"text\":null}");
  g_assert_null (json_member_string (c, "text"));
}

typedef struct {
  const char *raw;
  const char *json;
} EscapeCase;

static const EscapeCase escape_cases[] = {
  { "", "\"\"" },
  { "plain", "\"plain\"" },
  { "a\"b", "\"a\\\"b\"" },
  { "back\\slash", "\"back\\\\slash\"" },
  { "line\nbreak", "\"line\\nbreak\"" },
  { "tab\there", "\"tab\\there\"" },
  { "cr\rhere", "\"cr\\rhere\"" },
  { "\x01\x1f", "\"\\u0001\\u001f\"" },
  { "bell\aesc\x1b", "\"bell\\u0007esc\\u001b\"" },
  { "del\x7f", "\"del\x7f\"" },
  { "caf\xc3\xa9 \xe2\x86\x92", "\"caf\xc3\xa9 \xe2\x86\x92\"" },
  { "/slash/", "\"/slash/\"" },
};

static void
test_escape (gconstpointer data)
{
  const EscapeCase *c = data;
  g_autoptr (GString) out = g_string_new (NULL);
  TestBody body = { 0, c->raw };
  g_autofree char *line = record_json (1, &test_kind, &body);
  g_autofree char *back = NULL;

  sim_json_append_escaped (out, c->raw);
  g_assert_cmpstr (out->str, ==, c->json);
  /* A real JSON parser reads back the original string. */
  back = json_member_string (line, "text");
  g_assert_cmpstr (back, ==, c->raw);
}

static void
test_json_helpers (void)
{
  g_autoptr (GString) out = g_string_new (NULL);

  sim_json_append_int (out, "i", G_MININT64);
  sim_json_append_uint (out, "u", G_MAXUINT64);
  sim_json_append_bool (out, "t", TRUE);
  sim_json_append_bool (out, "f", FALSE);
  sim_json_append_string (out, "s", "q\"");
  sim_json_append_string (out, "z", NULL);
  g_assert_cmpstr (out->str, ==,
                   ",\"i\":-9223372036854775808,\"u\":18446744073709551615"
                   ",\"t\":true,\"f\":false,\"s\":\"q\\\"\",\"z\":null");

  g_string_truncate (out, 0);
  sim_json_append_double (out, "a", 1.5);
  sim_json_append_double (out, "b", 0.1);
  sim_json_append_double (out, "c", 0.0);
  sim_json_append_double (out, "d", -2.0);
  sim_json_append_double (out, "e", 1e300);
  sim_json_append_double (out, "nan", NAN);
  sim_json_append_double (out, "inf", INFINITY);
  sim_json_append_double (out, "ninf", -INFINITY);
  /* %.17g: enough digits that the value reads back exactly. */
  g_assert_cmpstr (out->str, ==,
                   ",\"a\":1.5,\"b\":0.10000000000000001,\"c\":0,\"d\":-2"
                   ",\"e\":1.0000000000000001e+300"
                   ",\"nan\":null,\"inf\":null,\"ninf\":null");

  /* The whole object parses, and the doubles read back exactly. */
  g_string_prepend (out, "{\"x\":0");
  g_string_append_c (out, '}');
  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    g_autoptr (GError) error = NULL;
    JsonObject *obj;

    json_parser_load_from_data (parser, out->str, -1, &error);
    g_assert_no_error (error);
    obj = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpfloat (fabs (json_object_get_double_member (obj, "b") - 0.1),
                       <=, 0.0);
    g_assert_true (json_object_get_null_member (obj, "nan"));
  }
}

/* Emits @n records, record @changed carrying a different value. */
static char *
fingerprint_of (guint n, guint changed, guint64 *count)
{
  SimTraceBus bus;
  SimFingerprint *fp;
  char *hex;

  sim_trace_bus_init (&bus);
  fp = sim_fingerprint_new (&bus);
  for (guint i = 0; i < n; i++)
    {
      TestBody body = { i == changed ? -1 : (gint64) i * 7, "r" };

      sim_trace_emit (&bus, (SimTime) i * 1000, &test_kind, &body);
    }
  hex = sim_fingerprint_hex (fp);
  *count = sim_fingerprint_count (fp);
  sim_fingerprint_free (fp);
  sim_trace_bus_clear (&bus);
  return hex;
}

static void
test_fingerprint (void)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *expect = NULL;
  g_autofree char *got = NULL;
  g_autofree char *again = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *empty = NULL;
  guint64 count = 0;

  /* The same lines a trace.jsonl would hold, written out by hand. */
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (text, "{\"t_ns\":%u,\"ev\":\"test.event\","
                            "\"n\":%u,\"text\":\"r\"}\n", i * 1000, i * 7);
  expect = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str,
                                          (gssize) text->len);

  got = fingerprint_of (100, G_MAXUINT, &count);
  g_assert_cmpstr (got, ==, expect);
  g_assert_cmpuint (count, ==, 100);

  again = fingerprint_of (100, G_MAXUINT, &count);
  g_assert_cmpstr (again, ==, got);

  changed = fingerprint_of (100, 57, &count);
  g_assert_cmpstr (changed, !=, got);
  g_assert_cmpuint (count, ==, 100);

  /* No records: the SHA-256 of nothing. */
  empty = fingerprint_of (0, G_MAXUINT, &count);
  g_assert_cmpstr (empty, ==, "e3b0c44298fc1c149afbf4c8996fb924"
                   "27ae41e4649b934ca495991b7852b855");
  g_assert_cmpuint (count, ==, 0);
}

/* Reading the hex mid-run does not disturb the running hash. */
static void
test_fingerprint_midway (void)
{
  SimTraceBus bus;
  g_autoptr (SimFingerprint) fp = NULL;
  g_autofree char *mid = NULL;
  g_autofree char *end = NULL;
  g_autofree char *first_line = NULL;
  TestBody body = { 1, "a" };

  sim_trace_bus_init (&bus);
  fp = sim_fingerprint_new (&bus);
  sim_trace_emit (&bus, 5, &test_kind, &body);
  mid = sim_fingerprint_hex (fp);
  first_line = g_compute_checksum_for_string (
      G_CHECKSUM_SHA256, "{\"t_ns\":5,\"ev\":\"test.event\",\"n\":1,"
      "\"text\":\"a\"}\n", -1);
  g_assert_cmpstr (mid, ==, first_line);

  sim_trace_emit (&bus, 6, &bare_kind, NULL);
  end = sim_fingerprint_hex (fp);
  {
    g_autofree char *both = g_compute_checksum_for_string (
        G_CHECKSUM_SHA256, "{\"t_ns\":5,\"ev\":\"test.event\",\"n\":1,"
        "\"text\":\"a\"}\n{\"t_ns\":6,\"ev\":\"test.bare\"}\n", -1);

    g_assert_cmpstr (end, ==, both);
  }
  g_assert_cmpuint (sim_fingerprint_count (fp), ==, 2);
  g_clear_pointer (&fp, sim_fingerprint_free);
  sim_trace_bus_clear (&bus);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trace/subscribe-order", test_subscribe_order);
  g_test_add_func ("/trace/no-subscriber", test_no_subscriber);
  g_test_add_func ("/trace/record-json", test_record_json);
  for (gsize i = 0; i < G_N_ELEMENTS (escape_cases); i++)
    {
      g_autofree char *path =
          g_strdup_printf ("/trace/escape/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &escape_cases[i], test_escape);
    }
  g_test_add_func ("/trace/json-helpers", test_json_helpers);
  g_test_add_func ("/trace/fingerprint", test_fingerprint);
  g_test_add_func ("/trace/fingerprint-midway", test_fingerprint_midway);
  return g_test_run ();
}
