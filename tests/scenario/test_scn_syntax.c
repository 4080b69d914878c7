/* test_scn_syntax.c: the lexer, the parser and the diagnostics
 * (scenarios/scn_lexer.c, scn_parser.c, scn_diag.c), without any model.
 *
 * Tokens are compared as "kind@line:col=text" strings, trees in their
 * canonical form (scn_stmt_to_string()), errors as the exact joined
 * message.  Paths: /scenario/syntax/...
 */
#include <string.h>

#include "scenarios/scn_lexer.h"
#include "scenarios/scn_parser.h"

static char *
lex_all (const char *text, gsize len, guint *n_errors)
{
  g_autoptr (ScnDiag) diag = scn_diag_new (SCN_DIAG_DEFAULT_MAX_ERRORS);
  g_autoptr (ScnLexer) lx = scn_lexer_new ("t.scn", text, len, diag);
  GString *out = g_string_new (NULL);
  ScnToken tok = { 0 };

  do
    {
      scn_token_clear (&tok);
      scn_lexer_next (lx, &tok);
      g_string_append_printf (out, "%s%s@%u:%u", out->len > 0 ? " " : "",
                              scn_token_kind_name (tok.kind), tok.loc.line,
                              tok.loc.col);
      if (tok.text != NULL)
        g_string_append_printf (out, "=%s", tok.text);
    }
  while (tok.kind != SCN_TOKEN_EOF);
  scn_token_clear (&tok);
  if (n_errors != NULL)
    *n_errors = scn_diag_count (diag);
  return g_string_free (out, FALSE);
}

static void
test_lexer_tokens (void)
{
  const char *text = "link l1 a<->b rate=10Mbps # a comment\n"
                     "drop l1 a>b match flags=S+\n";
  g_autofree char *got = lex_all (text, strlen (text), NULL);

  g_assert_cmpstr (got, ==,
                   "word@1:1=link word@1:6=l1 word@1:9=a '<->'@1:10 "
                   "word@1:13=b word@1:15=rate '='@1:19 word@1:20=10Mbps "
                   "end of line@1:38 "
                   "word@2:1=drop word@2:6=l1 word@2:9=a>b word@2:13=match "
                   "word@2:19=flags '='@2:24 word@2:25=S+ end of line@2:27 "
                   "end of file@3:1");
}

static void
test_lexer_strings (void)
{
  const char *text = "x \"a \\\"q\\\" \\\\ \\t b\" \"\"\n";
  g_autofree char *got = lex_all (text, strlen (text), NULL);

  g_assert_cmpstr (got, ==,
                   "word@1:1=x string@1:3=a \"q\" \\ \t b string@1:21= "
                   "end of line@1:23 end of file@2:1");
}

static void
test_lexer_continuation (void)
{
  /* Also: a byte-order mark, CRLF endings, and no final newline. */
  const char *text = "\xEF\xBB\xBFhost a \\\r\n   addr=1.2.3.4\r\nseed 1";
  g_autofree char *got = lex_all (text, strlen (text), NULL);

  g_assert_cmpstr (got, ==,
                   "word@1:1=host word@1:6=a word@2:4=addr '='@2:8 "
                   "word@2:9=1.2.3.4 end of line@2:17 word@3:1=seed "
                   "word@3:6=1 end of file@3:7");
}

static void
test_lexer_nul_bytes (void)
{
  /* The text is not NUL-terminated where it ends; NULs inside are bytes
   * like any other, and an error. */
  const char text[] = { 's', 'e', 'e', 'd', ' ', '\0', '1', '\n', 'r' };
  guint n_errors = 0;
  g_autofree char *got = lex_all (text, sizeof text, &n_errors);

  g_assert_cmpuint (n_errors, ==, 1);
  g_assert_cmpstr (got, ==,
                   "word@1:1=seed invalid input@1:6 end of line@1:8 "
                   "word@2:1=r end of file@2:2");
}

static void
test_lexer_comment_bytes (void)
{
  /* Comments may hold any bytes, UTF-8 or not. */
  const char *text = "# caf\xC3\xA9 \xFF\xFE\x01\nseed 1 # \xE2\x86\x92\n";
  guint n_errors = 1;
  g_autofree char *got = lex_all (text, strlen (text), &n_errors);

  g_assert_cmpuint (n_errors, ==, 0);
  g_assert_cmpstr (got, ==,
                   "end of line@1:12 word@2:1=seed word@2:6=1 "
                   "end of line@2:13 end of file@3:1");
}

/* Parses @text; returns the canonical statements, one per line, with a
 * '!' before broken ones; @errors gets the joined message or NULL. */
static char *
parse_all (const char *text, char **errors)
{
  g_autoptr (ScnDiag) diag = scn_diag_new (SCN_DIAG_DEFAULT_MAX_ERRORS);
  g_autoptr (ScnScript) script = scn_parse ("t.scn", text, strlen (text),
                                            diag);
  g_autoptr (GError) err = NULL;
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < script->stmts->len; i++)
    {
      const ScnStmt *stmt = g_ptr_array_index (script->stmts, i);

      if (stmt->broken)
        g_string_append_c (out, '!');
      scn_stmt_to_string (stmt, out);
      g_string_append_c (out, '\n');
    }
  if (scn_diag_propagate (diag, &err))
    *errors = NULL;
  else
    *errors = g_strdup (err->message);
  return g_string_free (out, FALSE);
}

static void
test_parser_good (void)
{
  const char *text =
    "# The seed exchange.\n"
    "\n"
    "seed 42\n"
    "tcp profile=rfc isn=0\n"
    "host client addr=172.16.17.94 tcp.mss=1000B\n"
    "host server addr=172.16.17.95\n"
    "link cable client <-> server rate=10Mbps delay=5ms \\\n"
    "     client>server.loss=1%\n"
    "drop cable client>server match flags=S count=1\n"
    "app ex reqresp client=client server=server:8080 request=159B\n"
    "future \"quoted name\" label=\"two words\"\n"
    "run until=5min\n";
  g_autofree char *errors = NULL;
  g_autofree char *got = parse_all (text, &errors);
  g_autoptr (ScnDiag) diag = scn_diag_new (1);
  g_autoptr (ScnScript) script = scn_parse ("t.scn", text, strlen (text),
                                            diag);
  const ScnStmt *link = g_ptr_array_index (script->stmts, 4);
  const ScnKv *kv = scn_stmt_find_kv (link, "client>server.loss");

  g_assert_null (errors);
  g_assert_cmpstr (got, ==,
                   "seed 42\n"
                   "tcp profile=rfc isn=0\n"
                   "host client addr=172.16.17.94 tcp.mss=1000B\n"
                   "host server addr=172.16.17.95\n"
                   "link cable client <-> server rate=10Mbps delay=5ms "
                   "client>server.loss=1%\n"
                   "drop cable client>server match flags=S count=1\n"
                   "app ex reqresp client=client server=server:8080 "
                   "request=159B\n"
                   "future \"quoted name\" label=\"two words\"\n"
                   "run until=5min\n");
  /* Locations survive the continuation line. */
  g_assert_nonnull (kv);
  g_assert_cmpuint (kv->key_loc.line, ==, 8);
  g_assert_cmpuint (kv->key_loc.col, ==, 6);
  g_assert_cmpuint (kv->value_loc.col, ==, 25);
  g_assert_cmpstr (scn_stmt_word (link, 0), ==, "cable");
  g_assert_null (scn_stmt_word (link, 2));      /* the arrow */
  g_assert_null (scn_stmt_word (link, 9));
  g_assert_cmpstr (link->keyword, ==, "link");
  g_assert_cmpuint (link->loc.line, ==, 7);
}

typedef struct {
  const char *name;
  const char *text;
  const char *tree;             /* canonical statements, '!' = broken */
  const char *errors;
} SyntaxCase;

static const SyntaxCase syntax_cases[] = {
  { "missing-value", "host a addr=\nseed 1\n",
    "!host a\nseed 1\n",
    "t.scn:1:13: expected a value after 'addr=', got end of line" },
  { "no-keyword", "= x\n", "",
    "t.scn:1:1: expected a statement keyword (such as host, link, app, at "
    "or when), got '='" },
  { "pair-first", "rate=10Mbps\n", "",
    "t.scn:1:1: expected a statement keyword (such as host, link, app, at "
    "or when), got word 'rate'" },
  { "positional-after-pair", "host a addr=1.2.3.4 b\n",
    "!host a addr=1.2.3.4\n",
    "t.scn:1:21: expected key=value, got word 'b': positional arguments "
    "come before key=value pairs" },
  { "two-equals", "a b=c=d\n", "!a b=c\n",
    "t.scn:1:6: expected a key before '='" },
  { "brace", "host {\n", "!host\n",
    "t.scn:1:6: '{' is reserved: blocks are not part of this version of "
    "the language" },
  { "reserved-char", "host a (x)\n", "!host a\n",
    "t.scn:1:8: character '(' is reserved for later versions of the "
    "language" },
  { "unterminated-string", "host \"abc\nseed 1\n", "!host\nseed 1\n",
    "t.scn:1:6: unterminated string: a string ends with '\"' on the line "
    "where it starts" },
  { "bad-escape", "x \"a\\qb\"\n", "!x\n",
    "t.scn:1:5: unknown escape in string: expected \\\", \\\\, \\n or \\t" },
  { "string-utf8", "x \"caf\xC3\xA9\"\ny \"\xFF\"\n", "x \"caf\xC3\xA9\"\n!y\n",
    "t.scn:2:3: string is not valid UTF-8" },
  { "control", "host \x01\n", "!host\n",
    "t.scn:1:6: unexpected control character 0x01" },
  { "non-ascii", "h\xC3\xA9 x\n", "!h\n",
    "t.scn:1:2: unexpected byte 0xC3: only ASCII is allowed outside "
    "comments and strings" },
  { "stray-backslash", "a \\ b\n", "!a\n",
    "t.scn:1:3: a '\\' continues a statement and must end its line" },
  { "value-is-arrow", "a b=<->\n", "!a\n",
    "t.scn:1:5: expected a value after 'b=', got '<->'" },
  { "space-after-equals", "host a addr= 1.2.3.4\n", "!host a\n",
    "t.scn:1:12: expected a value right after 'addr=' (no spaces around "
    "'='), got word '1.2.3.4'" },
  { "space-before-equals", "host a addr =1.2.3.4\n", "!host a\n",
    "t.scn:1:13: unexpected space before '=': write addr=VALUE with no "
    "spaces" },
  { "pair-across-continuation", "host a addr=\\\n1.2.3.4\n", "!host a\n",
    "t.scn:1:12: expected a value right after 'addr=' (no spaces around "
    "'='), got word '1.2.3.4'" },
  { "every-error", "a b=\nc \x02\nok 1\nd \"\n",
    "!a\n!c\nok 1\n!d\n",
    "t.scn:1:5: expected a value after 'b=', got end of line\n"
    "t.scn:2:3: unexpected control character 0x02\n"
    "t.scn:4:3: unterminated string: a string ends with '\"' on the line "
    "where it starts" },
  { "empty", "", "", NULL },
  { "only-comments", "# x\n\n   # y", "", NULL },
};

static void
test_syntax_case (gconstpointer data)
{
  const SyntaxCase *c = data;
  g_autofree char *errors = NULL;
  g_autofree char *tree = parse_all (c->text, &errors);

  g_assert_cmpstr (tree, ==, c->tree);
  g_assert_cmpstr (errors, ==, c->errors);
}

static void
test_diag_limit (void)
{
  g_autoptr (ScnDiag) diag = scn_diag_new (3);
  g_autoptr (GError) err = NULL;
  ScnLoc loc = { "f", 1, 1 };

  for (guint i = 0; i < 10; i++)
    {
      loc.line = 10 - i;
      scn_diag_add (diag, &loc, SCN_ERROR_VALUE, "e%u", i);
    }
  g_assert_cmpuint (scn_diag_count (diag), ==, 10);
  g_assert_false (scn_diag_propagate (diag, &err));
  g_assert_error (err, SCN_ERROR, SCN_ERROR_VALUE);
  g_assert_cmpstr (err->message, ==,
                   "f:8:1: e2\nf:9:1: e1\nf:10:1: e0\n"
                   "too many errors: 7 more not shown");
}

static void
test_diag_order (void)
{
  g_autoptr (ScnDiag) diag = scn_diag_new (10);
  g_autoptr (GError) err = NULL;
  ScnLoc set = { "--set x=1", 0, 0 };
  ScnLoc a = { "f", 2, 5 };
  ScnLoc b = { "f", 2, 1 };

  g_assert_true (scn_diag_propagate (diag, &err));
  g_assert_no_error (err);
  scn_diag_add (diag, &set, SCN_ERROR_UNKNOWN, "s");
  scn_diag_add (diag, &a, SCN_ERROR_VALUE, "a");
  scn_diag_add (diag, &b, SCN_ERROR_SYNTAX, "b");
  g_assert_false (scn_diag_propagate (diag, &err));
  /* File order first, --set items last; the code is the first's. */
  g_assert_cmpstr (err->message, ==, "f:2:1: b\nf:2:5: a\n--set x=1: s");
  g_assert_error (err, SCN_ERROR, SCN_ERROR_SYNTAX);
}

static void
test_suggest (void)
{
  static const char *const words[] = {
    "seed", "tcp", "host", "link", "drop", "app", "run", NULL
  };
  g_autofree char *hint = scn_hint ("hots", words, -1);
  g_autofree char *none = scn_hint ("zzzzzz", words, -1);
  g_autofree char *long_word = g_strnfill (100000, 'h');

  g_assert_cmpuint (scn_edit_distance ("", ""), ==, 0);
  g_assert_cmpuint (scn_edit_distance ("abc", ""), ==, 3);
  g_assert_cmpuint (scn_edit_distance ("kitten", "sitting"), ==, 3);
  g_assert_cmpuint (scn_edit_distance ("hsot", "host"), ==, 1);
  g_assert_cmpstr (scn_suggest ("hots", words, -1), ==, "host");
  g_assert_cmpstr (scn_suggest ("lnik", words, -1), ==, "link");
  g_assert_cmpstr (scn_suggest ("HOST", words, -1), ==, "host");
  g_assert_cmpstr (scn_suggest ("rnu", words, 7), ==, "run");
  g_assert_null (scn_suggest ("host", words, -1));      /* exact */
  g_assert_null (scn_suggest ("x", words, -1));
  g_assert_null (scn_suggest ("network", words, -1));
  g_assert_null (scn_suggest (long_word, words, -1));
  g_assert_cmpstr (hint, ==, " (did you mean 'host'?)");
  g_assert_cmpstr (none, ==, "");
}

static void
test_quote (void)
{
  g_autofree char *a = scn_quote ("plain", 40);
  g_autofree char *b = scn_quote ("\x01\xFFz", 40);
  g_autofree char *c = scn_quote ("abcdef", 3);

  g_assert_cmpstr (a, ==, "plain");
  g_assert_cmpstr (b, ==, "\\x01\\xFFz");
  g_assert_cmpstr (c, ==, "abc...");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scenario/syntax/lexer/tokens", test_lexer_tokens);
  g_test_add_func ("/scenario/syntax/lexer/strings", test_lexer_strings);
  g_test_add_func ("/scenario/syntax/lexer/continuation",
                   test_lexer_continuation);
  g_test_add_func ("/scenario/syntax/lexer/nul-bytes", test_lexer_nul_bytes);
  g_test_add_func ("/scenario/syntax/lexer/comment-bytes",
                   test_lexer_comment_bytes);
  g_test_add_func ("/scenario/syntax/parser/good", test_parser_good);
  for (gsize i = 0; i < G_N_ELEMENTS (syntax_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/scenario/syntax/parser/%s",
                                               syntax_cases[i].name);

      g_test_add_data_func (path, &syntax_cases[i], test_syntax_case);
    }
  g_test_add_func ("/scenario/syntax/diag/limit", test_diag_limit);
  g_test_add_func ("/scenario/syntax/diag/order", test_diag_order);
  g_test_add_func ("/scenario/syntax/diag/suggest", test_suggest);
  g_test_add_func ("/scenario/syntax/diag/quote", test_quote);
  return g_test_run ();
}
