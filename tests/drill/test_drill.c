/* test_drill.c: packetdrill scripts against the TCP model.
 *
 *   /drill/rfc/NAME, /drill/linux/NAME: every rfc/NAME.pkt and
 *     linux/NAME.pkt under G_TEST_SRCDIR, run with that profile, passes.
 *   /drill/fail/NAME: fail/NAME.pkt fails, and its message is exactly
 *     fail/NAME.err: a wrong expectation names its line and what differs.
 *     UPDATE_GOLDEN=1 rewrites the .err files from what the runner says.
 *   /drill/malformed/N: each script of a table is refused before it runs,
 *     with the FILE:LINE:COL message given.
 *   /drill/api/...: the library's edges (no events, unknown profile,
 *     missing file, a second run of the same script).
 */
#include <string.h>

#include "scenarios/drill/drill.h"

/* ---- scripts from the source tree ---- */

typedef struct {
  char *dir;                    /* "rfc", "linux", "fail" */
  char *name;                   /* without .pkt */
} ScriptCase;

static void
script_case_free (gpointer data)
{
  ScriptCase *c = data;

  g_free (c->dir);
  g_free (c->name);
  g_free (c);
}

/* Parses under the name "DIR/NAME.pkt", so messages do not depend on
 * where the tree is. */
static DrillScript *
load (const ScriptCase *c, GError **error)
{
  g_autofree char *rel = g_strdup_printf ("%s/%s.pkt", c->dir, c->name);
  g_autofree char *path = g_build_filename (g_test_get_dir (G_TEST_DIST),
                                            rel, NULL);
  g_autofree char *text = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  return drill_script_parse (rel, text, len, error);
}

static void
test_script_passes (gconstpointer data)
{
  const ScriptCase *c = data;
  g_autoptr (GError) err = NULL;
  g_autoptr (DrillScript) script = load (c, &err);
  DrillOptions opts;

  g_assert_no_error (err);
  drill_options_init (&opts);
  opts.profile = c->dir;
  drill_run (script, &opts, &err);
  g_assert_no_error (err);
}

static void
test_script_fails (gconstpointer data)
{
  const ScriptCase *c = data;
  g_autoptr (GError) err = NULL;
  g_autoptr (DrillScript) script = load (c, &err);
  g_autofree char *err_name = g_strdup_printf ("%s.err", c->name);
  g_autofree char *err_path = g_build_filename (g_test_get_dir (G_TEST_DIST),
                                                c->dir, err_name, NULL);
  g_autofree char *want = NULL;
  DrillOptions opts;
  gboolean ok;

  g_assert_no_error (err);
  drill_options_init (&opts);
  g_assert_false (drill_run (script, &opts, &err));
  g_assert_nonnull (err);
  /* UPDATE_GOLDEN=1 rewrites the expected messages; review the diff. */
  if (g_strcmp0 (g_getenv ("UPDATE_GOLDEN"), "1") == 0)
    {
      g_autofree char *text = g_strconcat (err->message, "\n", NULL);
      g_autoptr (GError) werr = NULL;

      g_file_set_contents (err_path, text, -1, &werr);
      g_assert_no_error (werr);
    }
  ok = g_file_get_contents (err_path, &want, NULL, NULL);
  g_assert_true (ok);
  g_strchomp (want);
  g_assert_true (err->domain == DRILL_ERROR);
  g_assert_cmpint (err->code, !=, DRILL_ERROR_SYNTAX);
  g_assert_cmpstr (err->message, ==, want);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Adds one test per DIR/NAME.pkt, in name order. */
static void
add_dir (GPtrArray *keep, const char *dir, GTestDataFunc fn)
{
  g_autofree char *path = g_build_filename (g_test_get_dir (G_TEST_DIST),
                                            dir, NULL);
  g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  g_assert_nonnull (d);
  while ((entry = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (entry, ".pkt"))
      g_ptr_array_add (names, g_strndup (entry, strlen (entry) - 4));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      ScriptCase *c = g_new0 (ScriptCase, 1);
      g_autofree char *test_path = NULL;

      c->dir = g_strdup (dir);
      c->name = g_strdup (g_ptr_array_index (names, i));
      test_path = g_strdup_printf ("/drill/%s/%s", dir, c->name);
      g_ptr_array_add (keep, c);
      g_test_add_data_func (test_path, c, fn);
    }
}

/* ---- malformed scripts ---- */

typedef struct {
  const char *text;
  const char *message;          /* the whole error message */
} Malformed;

static const Malformed malformed[] = {
  { "0 socket(..., SOCK_STREAM, IPPROTO_TCP)\n",
    "bad.pkt:1:40: error: expected '= VALUE' (the expected result), found "
    "end of line" },
  { "0 poll(3) = 0\n",
    "bad.pkt:1:3: error: unsupported system call 'poll'" },
  { "0 sockett(..., SOCK_STREAM, IPPROTO_TCP) = 3\n",
    "bad.pkt:1:3: error: unsupported system call 'sockett' (did you mean "
    "'socket'?)" },
  { "0 socket(..., SOCK_STRAEM, IPPROTO_TCP) = 3\n",
    "bad.pkt:1:15: error: unknown name 'SOCK_STRAEM' (did you mean "
    "'SOCK_STREAM'?)" },
  { "0 close() = 0\n",
    "bad.pkt:1:3: error: close() takes 1 argument, found 0" },
  { "0 close(...) = 0\n",
    "bad.pkt:1:9: error: argument 1 of close() must be a number or a name" },
  { "0 close(3) = 0 EBADF\n",
    "bad.pkt:1:14: error: an errno goes with a return value of -1" },
  { "0 close(3) = -1 EBADFF (Bad file descriptor)\n",
    "bad.pkt:1:17: error: unknown errno 'EBADFF'" },
  { "0 close(3) = -1 EBADF (Bad file descriptor\n",
    "bad.pkt:1:24: error: no ')' closes this text before the end of the "
    "line" },
  { "0 < SX 0:0(0) win 100\n",
    "bad.pkt:1:6: error: unknown TCP flag 'X' in 'SX' (flags are S F R P "
    ". U E W)" },
  { "0 < . 1:10(5) ack 1 win 100\n",
    "bad.pkt:1:7: error: 1:10 holds 9 bytes, not 5" },
  { "0 < S 0:0(0)\n",
    "bad.pkt:1:1: error: an inbound packet needs 'win N'" },
  { "0 < . 1:1(0) win 100\n",
    "bad.pkt:1:1: error: an inbound packet with the '.' flag needs 'ack N'" },
  { "0 > S 0:0(0) ack 1\n",
    "bad.pkt:1:14: error: 'ack' needs the '.' (ACK) flag" },
  { "0 < S 0:0(0) win 70000\n",
    "bad.pkt:1:18: error: the window '70000' is out of range (at most "
    "65535)" },
  { "0 < S 0:0(0) win 100 <mss 1460,sackOk>\n",
    "bad.pkt:1:32: error: unknown TCP option 'sackOk' (did you mean "
    "'sackOK'?)" },
  { "0 < S 0:0(0) win 100 <mss 1460 nop>\n",
    "bad.pkt:1:32: error: expected ',' or '>' in the option list opened at "
    "column 22, found 'nop'" },
  { "0 < . 1:1(0) ack 1 win 100 <sack 1:2 3:4 5:6 7:8 9:10>\n",
    "bad.pkt:1:50: error: a SACK option holds at most 4 blocks" },
  { "0 < S 0:0(0) win 100 <TS val 1 ecr 2,TS val 1 ecr 2,TS val 1 ecr 2,"
    "TS val 1 ecr 2,nop>\n",
    "bad.pkt:1:1: error: the options take 41 bytes; TCP has room for 40" },
  { "0 < S 0:0(0) win 100 <...>\n",
    "bad.pkt:1:1: error: '<...>' only matches outbound packets; an inbound "
    "packet lists its options" },
  { "0 < . 1:4294967296(0) ack 1 win 100\n",
    "bad.pkt:1:9: error: the end sequence number '4294967296' is out of "
    "range (at most 4294967295)" },
  { "* < S 0:0(0) win 100\n",
    "bad.pkt:1:1: error: only an outbound packet ('>') may happen at any "
    "time ('*')" },
  { "0~1 close(3) = 0\n",
    "bad.pkt:1:1: error: only an outbound packet ('>') may have a time "
    "range ('~')" },
  { "0...1 > S 0:0(0)\n",
    "bad.pkt:1:1: error: only a system call may block ('...')" },
  { "0.2~0.1 > S 0:0(0)\n",
    "bad.pkt:1:4: error: the range ends before it starts" },
  { "0.0000000001 close(3) = 0\n",
    "bad.pkt:1:1: error: the time '0.0000000001' is finer than a "
    "nanosecond" },
  { "0 close(3) = 0\n+ close(3) = 0\n",
    "bad.pkt:2:3: error: expected a time in seconds, found 'close'" },
  { "close(3) = 0\n",
    "bad.pkt:1:1: error: expected a time ('0.100', '+0.1' or '*') to start "
    "the event, found 'close'" },
  { "0\n",
    "bad.pkt:1:2: error: expected '<', '>', a system call or a `shell "
    "command` after the time, found end of line" },
  { "0 close(3) = 0 0\n",
    "bad.pkt:1:16: error: expected the end of the line, found number '0'" },
  { "0 close(3) = 0 /* never closed\n",
    "bad.pkt:1:16: error: unterminated comment" },
  { "`sysctl -q net.ipv4.tcp_sack=1\n",
    "bad.pkt:1:1: error: unterminated shell command (no closing '`')" },
  { "`sysctl -q net.ipv4.tcp_sack=yes`\n",
    "bad.pkt:1:1: error: net.ipv4.tcp_sack: expected 0 or 1, found 'yes'" },
  { "`sysctl -w net.ipv4.tcp_rmem=\"4096 87380\"`\n",
    "bad.pkt:1:1: error: net.ipv4.tcp_rmem: expected three numbers (min "
    "default max), found '4096 87380'" },
  { "`sysctl net.ipv4.tcp_congestion_control=bbr`\n",
    "bad.pkt:1:1: error: net.ipv4.tcp_congestion_control: tcpsim has no "
    "congestion control 'bbr'" },
  { "--tolerance_usecs=soon\n",
    "bad.pkt:1:1: error: expected --tolerance_usecs=N with N a number of "
    "microseconds" },
  { "0 %{ print(1) }%\n",
    "bad.pkt:1:3: error: inline Python ('%{ ... }%') is not supported" },
  { "0 close(3) = 0 # a comment\n",
    "bad.pkt:1:16: error: unexpected character '#'" },
  { "\x01\x02\x03",
    "bad.pkt:1:1: error: unexpected character '\\x01'" },
  { "0 close(3) = 12abc\n",
    "bad.pkt:1:16: error: unexpected 'a' after the number '12'" },
  { "0 write(4, ..., 10) = 10 \"\n",
    "bad.pkt:1:26: error: unterminated string" },
  { "0 setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff 1}, 8) = 0\n",
    "bad.pkt:1:49: error: expected '=' after the member name, found number "
    "'1'" },
  { "0 fcntl(3, F_SETFL, \"x\" | 4) = 0\n",
    "bad.pkt:1:25: error: '|' joins numbers and names only" },
};

static void
test_malformed (gconstpointer data)
{
  const Malformed *m = data;
  g_autoptr (GError) err = NULL;
  g_autoptr (DrillScript) script = drill_script_parse ("bad.pkt", m->text,
                                                       strlen (m->text),
                                                       &err);

  g_assert_null (script);
  g_assert_error (err, DRILL_ERROR, DRILL_ERROR_SYNTAX);
  g_assert_cmpstr (err->message, ==, m->message);
}

/* A NUL byte is input like any other: refused, not a crash. */
static void
test_malformed_nul (void)
{
  static const char text[] = "0 close(3)\0 = 0\n";
  g_autoptr (GError) err = NULL;
  g_autoptr (DrillScript) script = drill_script_parse ("bad.pkt", text,
                                                       sizeof text - 1,
                                                       &err);

  g_assert_null (script);
  g_assert_error (err, DRILL_ERROR, DRILL_ERROR_SYNTAX);
  g_assert_cmpstr (err->message, ==,
                   "bad.pkt:1:11: error: unexpected character '\\x00'");
}

/* ---- the library's edges ---- */

static void
test_api_empty (void)
{
  g_autoptr (GError) err = NULL;
  g_autoptr (DrillScript) script =
    drill_script_parse ("empty.pkt", "// nothing\n\n", 12, &err);

  g_assert_no_error (err);
  g_assert_true (drill_run (script, NULL, &err));
  g_assert_no_error (err);
}

static void
test_api_bad_profile (void)
{
  g_autoptr (GError) err = NULL;
  g_autoptr (DrillScript) script =
    drill_script_parse ("p.pkt", "0 close(3) = -1 EBADF\n", 22, &err);
  DrillOptions opts;

  g_assert_no_error (err);
  drill_options_init (&opts);
  opts.profile = "bsd";
  g_assert_false (drill_run (script, &opts, &err));
  g_assert_error (err, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
}

static void
test_api_missing_file (void)
{
  g_autoptr (GError) err = NULL;
  g_autoptr (DrillScript) script =
    drill_script_load_file ("no-such-dir/no-such-script.pkt", &err);

  g_assert_null (script);
  g_assert_error (err, DRILL_ERROR, DRILL_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (err->message,
                                   "no-such-dir/no-such-script.pkt: error: "));
}

/* A script is read-only to drill_run(): it runs twice the same. */
static void
test_api_run_twice (void)
{
  static const char text[] =
    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
    "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
    "+0 > S 0:0(0) <mss 1460>\n"
    "+.1 < S. 0:0(0) ack 1 win 1000 <mss 1000>\n"
    "+0 > . 1:1(0) ack 1\n";
  g_autoptr (GError) err = NULL;
  g_autoptr (DrillScript) script = drill_script_parse ("twice.pkt", text,
                                                       sizeof text - 1,
                                                       &err);

  g_assert_no_error (err);
  for (int i = 0; i < 2; i++)
    {
      g_assert_true (drill_run (script, NULL, &err));
      g_assert_no_error (err);
    }
}

/* The tolerance: a packet 3 ms late passes by default and fails with a
 * 1 ms tolerance, from the options or from the script. */
static void
test_api_tolerance (void)
{
  static const char text[] =
    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
    "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
    "+0.003 > S 0:0(0) <mss 1460>\n";
  g_autofree char *strict = g_strconcat ("--tolerance_usecs=1000\n", text,
                                         NULL);
  g_autoptr (GError) err = NULL;
  g_autoptr (DrillScript) script = drill_script_parse ("tol.pkt", text,
                                                       sizeof text - 1,
                                                       &err);
  g_autoptr (DrillScript) script_strict = NULL;
  DrillOptions opts;

  g_assert_no_error (err);
  g_assert_true (drill_run (script, NULL, &err));
  drill_options_init (&opts);
  opts.tolerance_ns = SIM_MS (1);
  g_assert_false (drill_run (script, &opts, &err));
  g_assert_error (err, DRILL_ERROR, DRILL_ERROR_FAILED);
  g_assert_cmpstr (err->message, ==,
                   "tol.pkt:4: error: outbound packet S 0:0(0) win 65535 "
                   "<mss 1460>: expected at 0.003000 s, actual 0.000000 s "
                   "(tolerance 1000 us)");
  g_clear_error (&err);
  script_strict = drill_script_parse ("tol.pkt", strict, strlen (strict),
                                      &err);
  g_assert_no_error (err);
  g_assert_false (drill_run (script_strict, NULL, &err));
  g_assert_error (err, DRILL_ERROR, DRILL_ERROR_FAILED);
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func
                                 (script_case_free);

  g_test_init (&argc, &argv, NULL);
  add_dir (keep, "rfc", test_script_passes);
  add_dir (keep, "linux", test_script_passes);
  add_dir (keep, "fail", test_script_fails);
  for (gsize i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autofree char *path = g_strdup_printf ("/drill/malformed/%02"
                                               G_GSIZE_FORMAT, i + 1);

      g_test_add_data_func (path, &malformed[i], test_malformed);
    }
  g_test_add_func ("/drill/malformed/nul", test_malformed_nul);
  g_test_add_func ("/drill/api/empty", test_api_empty);
  g_test_add_func ("/drill/api/bad-profile", test_api_bad_profile);
  g_test_add_func ("/drill/api/missing-file", test_api_missing_file);
  g_test_add_func ("/drill/api/run-twice", test_api_run_twice);
  g_test_add_func ("/drill/api/tolerance", test_api_tolerance);
  return g_test_run ();
}
