/* test_scn_malformed.c: inputs no one writes on purpose.
 *
 * Every input here must give an error (or, for the harmless ones, load),
 * never crash, never read out of bounds (the tests run under ASan and
 * UBSan), and never produce a message that is not short, printable
 * UTF-8.  The table is built in code: truncations, binary garbage,
 * megabyte lines, unknown units, duplicates, unknown hosts, cycles in
 * triggers (short, long, dense), huge grids and timelines.  Then every
 * prefix and every single-byte mutation of a few gallery and corpus
 * files (timeline, triggers, topologies among them), and seeded random
 * garbage.  Paths: /scenario/malformed/...
 */
#include <string.h>

#include "scenarios/scn_build.h"

#define BIG_BYTES (1024u * 1024u)

/* Loads @text; checks that an error, if any, is well formed.  Returns
 * the error message (transfer full) or NULL when the text loaded. */
static char *
load (const char *text, gsize len)
{
  g_autoptr (GError) err = NULL;
  g_autoptr (SimWorld) world = NULL;
  ScnRun run = { 0 };

  world = scn_load_text ("t.scn", text, (gssize) len, NULL, &run, &err);
  if (world != NULL)
    {
      g_assert_no_error (err);
      g_assert_nonnull (run.network);
      return NULL;
    }
  g_assert_nonnull (err);
  g_assert_true (err->domain == SCN_ERROR);
  g_assert_true (g_utf8_validate (err->message, -1, NULL));
  /* At most 50 messages and the "too many" line, each short: a message
   * quotes at most 40 bytes of input. */
  g_assert_cmpuint (strlen (err->message), <, 51u * 400u);
  for (const char *p = err->message; *p != '\0'; p++)
    g_assert_true (*p == '\n' || (*p >= 0x20 && *p < 0x7f));
  return g_strdup (err->message);
}

static char *
first_line (const char *message)
{
  const char *nl = strchr (message, '\n');

  return nl != NULL ? g_strndup (message, (gsize) (nl - message))
                    : g_strdup (message);
}

typedef struct {
  const char *name;
  GString *(*make) (void);
  const char *first;            /* NULL: must load */
  guint n_lines;                /* 0: not checked */
} MalformedCase;

#define HOSTS "host a addr=10.0.0.1\nhost b addr=10.0.0.2\n"

/* The statements an unknown keyword is answered with. */
#define KEYWORDS "seed, tcp, host, router, link, chain, dumbbell, star, " \
  "route, routing, drop, corrupt, duplicate, hold, app, at, when, compare " \
  "or run"

static GString *
make_big_number (void)
{
  GString *s = g_string_new ("seed ");

  for (guint i = 0; i < BIG_BYTES; i++)
    g_string_append_c (s, '9');
  return s;
}

static GString *
make_big_keyword (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < BIG_BYTES; i++)
    g_string_append_c (s, 'a');
  g_string_append (s, " x=1\n");
  return s;
}

static GString *
make_big_comment (void)
{
  GString *s = g_string_new ("seed 1 #");

  for (guint i = 0; i < BIG_BYTES; i++)
    g_string_append_c (s, (char) (0x80 | (i & 0x7f)));
  return s;
}

static GString *
make_big_newlines (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < BIG_BYTES; i++)
    g_string_append_c (s, '\n');
  g_string_append (s, "hots a");
  return s;
}

static GString *
make_many_pairs (void)
{
  GString *s = g_string_new ("host a addr=10.0.0.1");

  for (guint i = 0; i < 100000; i++)
    g_string_append (s, " x=1");
  return s;
}

static GString *
make_many_args (void)
{
  GString *s = g_string_new ("host a");

  for (guint i = 0; i < 100000; i++)
    g_string_append (s, " x");
  g_string_append (s, " addr=10.0.0.1\n");
  return s;
}

static GString *
make_many_error_lines (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < 1000; i++)
    g_string_append (s, "hots x\n");
  return s;
}

static GString *
make_long_value (void)
{
  GString *s = g_string_new (HOSTS "link l a <-> b rate=10Mbps delay=");

  for (guint i = 0; i < BIG_BYTES; i++)
    g_string_append_c (s, '1');
  g_string_append (s, "ms\n");
  return s;
}

static GString *
make_long_name (void)
{
  GString *s = g_string_new ("host ");

  for (guint i = 0; i < 64; i++)
    g_string_append_c (s, 'h');
  g_string_append (s, " addr=10.0.0.1\n");
  return s;
}

static GString *
make_nul_inside (void)
{
  GString *s = g_string_new ("seed 1");

  g_string_append_c (s, '\0');
  g_string_append (s, "2\nseed 3\n");
  return s;
}

/* A ring of 2000 echo apps, each started when the one before has
 * connected: one long cycle, which must be found without recursion and
 * told in one short line. */
static GString *
make_long_trigger_cycle (void)
{
  GString *s = g_string_new (HOSTS "link l a <-> b rate=1Mbps delay=1ms\n");

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (s, "app e%u echo client=a server=b:%u\n", i,
                            1000 + i);
  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (s, "when e%u.client enters ESTABLISHED then "
                            "start e%u\n", i, (i + 1) % 2000);
  return s;
}

/* Triggers that all wait for one host and all start the same app: many
 * edges, one cycle through each, each told once. */
static GString *
make_dense_triggers (void)
{
  GString *s = g_string_new (HOSTS "link l a <-> b rate=1Mbps delay=1ms\n"
                             "app e echo client=a server=b:7\n");

  for (guint i = 0; i < 3000; i++)
    g_string_append (s, "when b enters ESTABLISHED then start e\n");
  return s;
}

/* A grid of 5000 values: each value is checked by loading the file again,
 * up to a cap. */
static GString *
make_long_grid (void)
{
  GString *s = g_string_new (HOSTS "link l a <-> b rate=1Mbps delay=1ms\n"
                             "compare link.l.delay=");

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (s, "%s%ums", i == 0 ? "" : ",", i + 1);
  g_string_append_c (s, '\n');
  return s;
}

/* Ten thousand timeline entries on one link. */
static GString *
make_many_ats (void)
{
  GString *s = g_string_new (HOSTS "link l a <-> b rate=1Mbps delay=1ms\n");

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (s, "at %ums link l loss=%u%%\n", i, i % 100);
  return s;
}

#define TEXT_CASE(fn, literal) \
  static GString *fn (void) { return g_string_new (literal); }

TEXT_CASE (make_truncated_string, "host \"ab")
TEXT_CASE (make_truncated_pair, "host a addr=")
TEXT_CASE (make_truncated_continuation, "host a \\")
TEXT_CASE (make_truncated_arrow, HOSTS "link l a <-")
TEXT_CASE (make_partial_bom, "\xEF\xBBseed 1\n")
TEXT_CASE (make_cr_only, "seed 1\rseed 2\r")
TEXT_CASE (make_braces, "{{{{{{{{}}}}}}}}\n")
TEXT_CASE (make_unknown_unit, HOSTS "link l a <-> b rate=10Mbit delay=5ms\n")
TEXT_CASE (make_unknown_size_unit, HOSTS "link l a <-> b rate=1Mbps "
           "delay=1ms\napp x bulk from=a to=b:80 bytes=10MBytes\n")
TEXT_CASE (make_duplicate_name, HOSTS "host a addr=10.0.0.3\n")
TEXT_CASE (make_unknown_host, HOSTS "link l a <-> c rate=1Mbps delay=1ms\n")
TEXT_CASE (make_only_equals, "==\n=\n")
TEXT_CASE (make_utf8_keyword, "h\xC3\xB4st a addr=10.0.0.1\n")
TEXT_CASE (make_trigger_cycle, HOSTS "link l a <-> b rate=1Mbps delay=1ms\n"
           "app p echo client=a server=b:7\napp q echo client=a server=b:8\n"
           "when p.client enters ESTABLISHED then start q\n"
           "when q.client enters ESTABLISHED then start p\n")
TEXT_CASE (make_truncated_when, HOSTS "when a enters")
TEXT_CASE (make_truncated_at, HOSTS "at 1s link")
TEXT_CASE (make_unknown_time_unit, HOSTS "at 5sec link l down\n")
TEXT_CASE (make_topology_huge, "star hosts=70000 edge.rate=1Mbps "
           "edge.delay=1ms\n")

static const MalformedCase cases[] = {
  { "big-number", make_big_number,
    "t.scn:1:6: seed: number '9999999999999999999999999999999999999999...' "
    "is too large", 1 },
  { "big-keyword", make_big_keyword,
    "t.scn:1:1: unknown statement 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "...': expected " KEYWORDS, 1 },
  { "big-comment", make_big_comment, NULL, 0 },
  { "big-newlines", make_big_newlines,
    "t.scn:1048577:1: unknown statement 'hots' (did you mean 'host'?): "
    "expected " KEYWORDS, 1 },
  { "many-pairs", make_many_pairs,
    "t.scn:1:22: unknown key 'x': host 'a' takes addr, tcp.profile or "
    "tcp.KEY (a TCP parameter)", 51 },
  { "many-args", make_many_args,
    "t.scn:1:8: unexpected argument 'x': expected host NAME addr=A.B.C.D "
    "[tcp.KEY=VALUE]...", 1 },
  { "many-error-lines", make_many_error_lines,
    "t.scn:1:1: unknown statement 'hots' (did you mean 'host'?): expected "
    KEYWORDS, 51 },
  { "long-value", make_long_value,
    "t.scn:3:34: delay: duration '1111111111111111111111111111111111111111"
    "...' is too large", 1 },
  { "long-name", make_long_name,
    "t.scn:1:6: invalid host name 'hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
    "...': a name starts with a letter or '_' and holds letters, digits, "
    "'_' and '-', at most 63 of them", 1 },
  { "nul-inside", make_nul_inside,
    "t.scn:1:7: unexpected control character 0x00", 1 },
  { "truncated-string", make_truncated_string,
    "t.scn:1:6: unterminated string: a string ends with '\"' on the line "
    "where it starts", 1 },
  { "truncated-pair", make_truncated_pair,
    "t.scn:1:13: expected a value after 'addr=', got end of file", 1 },
  { "truncated-continuation", make_truncated_continuation,
    "t.scn:1:1: host 'a' needs addr= (for example addr=10.0.0.1)", 1 },
  { "truncated-arrow", make_truncated_arrow,
    "t.scn:3:1: link 'l' needs rate= (for example rate=10Mbps)", 3 },
  { "partial-bom", make_partial_bom,
    "t.scn:1:1: unexpected byte 0xEF: only ASCII is allowed outside "
    "comments and strings", 1 },
  { "cr-only", make_cr_only,
    "t.scn:1:8: unexpected argument 'seed': expected seed NUMBER", 1 },
  { "braces", make_braces,
    "t.scn:1:1: expected a statement keyword (such as host, link, app, at "
    "or when), got '{'", 1 },
  { "unknown-unit", make_unknown_unit,
    "t.scn:3:21: rate: unknown rate unit 'Mbit' in '10Mbit': expected bps, "
    "kbps, Mbps or Gbps", 1 },
  { "unknown-size-unit", make_unknown_size_unit,
    "t.scn:4:33: bytes: unknown size unit 'MBytes' in '10MBytes': expected "
    "B, KB, KiB, MB, MiB, GB or GiB", 1 },
  { "duplicate-name", make_duplicate_name,
    "t.scn:3:6: duplicate name 'a': already names the host at line 1", 1 },
  { "unknown-host", make_unknown_host,
    "t.scn:3:14: link 'l' names unknown host 'c'", 1 },
  { "only-equals", make_only_equals,
    "t.scn:1:1: expected a statement keyword (such as host, link, app, at "
    "or when), got '='", 2 },
  { "utf8-keyword", make_utf8_keyword,
    "t.scn:1:2: unexpected byte 0xC3: only ASCII is allowed outside "
    "comments and strings", 1 },
  { "trigger-cycle", make_trigger_cycle,
    "t.scn:6:1: triggers form a cycle (line 6 -> line 7 -> line 6): each "
    "one's action sets off the next, without end", 1 },
  { "long-trigger-cycle", make_long_trigger_cycle,
    "t.scn:2004:1: triggers form a cycle (line 2004 -> line 2005 -> line "
    "2006 -> ... (2000 triggers in all) -> line 4002 -> line 4003 -> line "
    "2004): each "
    "one's action sets off the next, without end", 1 },
  { "dense-triggers", make_dense_triggers,
    "t.scn:5:1: trigger sets itself off: its action leads back to the "
    "event it waits for, without end", 51 },
  { "long-grid", make_long_grid, NULL, 0 },
  { "many-ats", make_many_ats, NULL, 0 },
  { "truncated-when", make_truncated_when,
    "t.scn:3:1: missing arguments: expected when SUBJECT enters STATE "
    "[wait TIME] then ACTION, such as when server enters CLOSE_WAIT wait 2s "
    "then close", 1 },
  { "truncated-at", make_truncated_at,
    "t.scn:3:1: missing arguments: expected link LINK up, link LINK down, "
    "or link LINK KEY=VALUE...", 1 },
  { "unknown-time-unit", make_unknown_time_unit,
    "t.scn:3:4: at: unknown time unit 'sec' in '5sec': "
    "expected ns, us, ms, s, min or h", 2 },
  { "topology-huge", make_topology_huge,
    "t.scn:1:12: hosts: must be at most 65536, got 70000", 1 },
};

static void
test_case (gconstpointer data)
{
  const MalformedCase *c = data;
  g_autoptr (GString) text = c->make ();
  g_autofree char *message = load (text->str, text->len);
  g_autofree char *first = NULL;

  if (c->first == NULL)
    {
      g_assert_null (message);
      return;
    }
  g_assert_nonnull (message);
  first = first_line (message);
  g_assert_cmpstr (first, ==, c->first);
  if (c->n_lines > 0)
    {
      g_auto (GStrv) lines = g_strsplit (message, "\n", -1);

      g_assert_cmpuint (g_strv_length (lines), ==, c->n_lines);
    }
}

/* Files whose every prefix and every one-byte mutation are loaded: the
 * seed exchange, a file with triggers, one with an injection and a
 * scripted hold, and the corpus's timeline and topologies. */
static const char *const mutated_files[] = {
  "../../scenarios/seed-exchange.scn",
  "../../scenarios/three-or-four.scn",
  "../../scenarios/why-three-way.scn",
  "corpus/y_timeline.scn",
  "corpus/y_topologies.scn",
};

static char *
read_file (const char *name, gsize *len)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, name, NULL);
  g_autoptr (GError) err = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, len, &err);
  g_assert_no_error (err);
  return text;
}

static void
test_every_prefix (gconstpointer data)
{
  gsize len = 0;
  g_autofree char *text = read_file (data, &len);
  guint n_ok = 0;

  for (gsize cut = 0; cut <= len; cut++)
    {
      /* A private copy of exactly @cut bytes, so ASan sees any read past
       * the end. */
      g_autofree char *prefix = g_memdup2 (text, MAX (cut, (gsize) 1));
      g_autofree char *message = load (prefix, cut);

      n_ok += message == NULL;
    }
  /* The empty file and whole statements load; cuts inside most
   * statements do not. */
  g_assert_cmpuint (n_ok, >, 0);
  g_assert_cmpuint (n_ok, <, len);
}

static void
test_mutations (gconstpointer data)
{
  static const guchar replacements[] = {
    0x00, '=', '"', '#', '\\', '<', '>', 0xFF, '\n', ' ', '0', 'x', '{',
  };
  gsize len = 0;
  g_autofree char *text = read_file (data, &len);
  g_autofree char *copy = g_malloc (len);

  for (gsize pos = 0; pos < len; pos++)
    {
      /* Bytes inside comments change nothing the loader looks at. */
      if (text[pos] == '#')
        {
          while (pos < len && text[pos] != '\n')
            pos++;
          continue;
        }
      for (gsize r = 0; r < G_N_ELEMENTS (replacements); r++)
        {
          g_autofree char *message = NULL;

          memcpy (copy, text, len);
          copy[pos] = (char) replacements[r];
          message = load (copy, len);
        }
    }
}

static void
test_garbage (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240601);
  static const char alphabet[] = "host link app drop tcp seed run <-> = \" "
                                 "# \\ \n{}>:.%0123456789abBkKMGis_-+ at "
                                 "when enters then start close router "
                                 "dumbbell compare , sink onoff echo ";

  for (guint round = 0; round < 400; round++)
    {
      gsize len = (gsize) g_rand_int_range (rand, 0, 3000);
      g_autofree char *buf = g_malloc (MAX (len, (gsize) 1));
      g_autofree char *message = NULL;
      gboolean binary = round % 2 == 0;

      for (gsize i = 0; i < len; i++)
        buf[i] = binary ? (char) g_rand_int_range (rand, 0, 256)
                        : alphabet[g_rand_int_range (rand, 0,
                                                     sizeof alphabet - 1)];
      message = load (buf, len);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/scenario/malformed/%s",
                                               cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (mutated_files); i++)
    {
      g_autofree char *base = g_path_get_basename (mutated_files[i]);
      g_autofree char *p1 = g_strdup_printf ("/scenario/malformed/"
                                             "every-prefix/%s", base);
      g_autofree char *p2 = g_strdup_printf ("/scenario/malformed/"
                                             "mutations/%s", base);

      g_test_add_data_func (p1, mutated_files[i], test_every_prefix);
      g_test_add_data_func (p2, mutated_files[i], test_mutations);
    }
  g_test_add_func ("/scenario/malformed/garbage", test_garbage);
  return g_test_run ();
}
