/* drill_parser.c: tokens -> DrillScript, stopping at the first mistake.
 *
 * Grammar (one event per line; newlines inside (), [], {} and <> are
 * blanks):
 *
 *   script  := { NEWLINE | OPTION | event } EOF
 *   event   := [time] COMMAND | time (packet | syscall)
 *   time    := '*' | point [ '~' point | '...' point ]
 *   point   := ['+'] NUMBER
 *   packet  := ('<' | '>') flags NUMBER ':' NUMBER '(' NUMBER ')'
 *              [ 'ack' NUMBER ] [ 'win' NUMBER ] [ options ]
 *   options := '<' ( '...' | option { ',' option } ) '>'
 *   syscall := WORD '(' [ expr { ',' expr } ] ')' '=' expr
 *              [ ERRNO [ '(' free text ')' ] ]
 *   expr    := term { '|' term }
 *   term    := '...' | ['-'] NUMBER | WORD | STRING
 *            | '[' [ expr { ',' expr } ] ']' | '{' [ member { ',' member } ] '}'
 *
 * drill_script_parse() -> parse_line() -> parse_event() -> parse_time(),
 * then parse_packet() (-> parse_flags(), parse_options()),
 * parse_syscall() (-> parse_expr(), check_call()) or parse_shell().  Each
 * returns FALSE once p->error is set; values are range-checked here so
 * that running a script fails only on what the model does.
 */
#include "scenarios/drill/drill_ast.h"

#include <string.h>

#include "scenarios/drill/drill_symbols.h"
#include "scenarios/scn_diag.h"

G_DEFINE_QUARK (drill-error-quark, drill_error)

/* Times beyond this are surely a typo, and keep sums far from overflow. */
#define MAX_SCRIPT_TIME_NS SIM_S (1000000)
/* The largest payload an injected IPv4 packet can carry with a full TCP
 * header. */
#define MAX_INBOUND_PAYLOAD_BYTES (65535u - IPV4_HEADER_BYTES \
                                   - TCP_HEADER_BYTES - TCP_MAX_OPTIONS_BYTES)

typedef struct {
  DrillLexer *lx;
  DrillToken tok;               /* the lookahead */
  guint nesting;                /* open brackets: newlines are blanks */
  DrillScript *script;
  GError *error;                /* (nullable) the first error */
} Parser;

/* ---- freeing ---- */

static void
expr_free (gpointer data)
{
  DrillExpr *e = data;

  if (e == NULL)
    return;
  g_free (e->text);
  g_free (e->field);
  if (e->items != NULL)
    g_ptr_array_unref (e->items);
  g_free (e);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrillExpr, expr_free)

static void
event_free (gpointer data)
{
  DrillEvent *ev = data;

  if (ev == NULL)
    return;
  if (ev->packet.options != NULL)
    g_array_unref (ev->packet.options);
  if (ev->call.args != NULL)
    g_ptr_array_unref (ev->call.args);
  expr_free (ev->call.ret);
  g_free (ev->shell.text);
  if (ev->shell.settings != NULL)
    g_array_unref (ev->shell.settings);
  if (ev->shell.notes != NULL)
    g_ptr_array_unref (ev->shell.notes);
  g_free (ev);
}

void
drill_script_free (DrillScript *script)
{
  if (script == NULL)
    return;
  g_ptr_array_unref (script->events);
  g_ptr_array_unref (script->option_notes);
  g_free (script->file);
  g_free (script);
}

const char *
drill_script_file (const DrillScript *script)
{
  return script->file;
}

/* ---- tokens ---- */

static void
advance (Parser *p)
{
  drill_token_clear (&p->tok);
  drill_lexer_next (p->lx, &p->tok);
  while (p->nesting > 0 && p->tok.kind == DRILL_TOK_NEWLINE)
    {
      drill_token_clear (&p->tok);
      drill_lexer_next (p->lx, &p->tok);
    }
}

/* Returns: (transfer full): "'ack'", "number '12'", "end of line". */
static char *
describe_token (const DrillToken *t)
{
  g_autofree char *q = NULL;

  switch (t->kind)
    {
    case DRILL_TOK_WORD:
      q = scn_quote (t->text, SCN_QUOTE_MAX_CHARS);
      return g_strdup_printf ("'%s'", q);
    case DRILL_TOK_NUMBER:
      q = scn_quote (t->text, SCN_QUOTE_MAX_CHARS);
      return g_strdup_printf ("number '%s'", q);
    case DRILL_TOK_STRING:
      q = scn_quote (t->text, SCN_QUOTE_MAX_CHARS);
      return g_strdup_printf ("string \"%s\"", q);
    default:
      return g_strdup (drill_token_kind_name (t->kind));
    }
}

static gboolean fail_at (Parser *p, const DrillLoc *loc, const char *format,
                         ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail_at (Parser *p, const DrillLoc *loc, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (p->error != NULL)
    return FALSE;
  /* A lexical error explains itself better than what the parser expected
   * instead. */
  if (p->tok.kind == DRILL_TOK_ERROR)
    {
      p->error = drill_lexer_take_error (p->lx);
      if (p->error != NULL)
        return FALSE;
    }
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  p->error = g_error_new (DRILL_ERROR, DRILL_ERROR_SYNTAX,
                          "%s:%u:%u: error: %s", loc->file, loc->line,
                          loc->col, message);
  return FALSE;
}

/* "expected WHAT, found TOKEN" at the lookahead. */
static gboolean
fail_expected (Parser *p, const char *what)
{
  g_autofree char *found = describe_token (&p->tok);

  return fail_at (p, &p->tok.loc, "expected %s, found %s", what, found);
}

static gboolean
accept_token (Parser *p, DrillTokenKind kind)
{
  if (p->tok.kind != kind)
    return FALSE;
  advance (p);
  return TRUE;
}

static gboolean
expect_token (Parser *p, DrillTokenKind kind, const char *what)
{
  if (accept_token (p, kind))
    return TRUE;
  return fail_expected (p, what);
}

static gboolean
at_word (const Parser *p, const char *word)
{
  return p->tok.kind == DRILL_TOK_WORD && strcmp (p->tok.text, word) == 0;
}

/* ---- numbers ---- */

/* Reads an integer NUMBER token (decimal or 0x hex) up to @max. */
static gboolean
parse_uint (Parser *p, guint64 max, const char *what, guint64 *out)
{
  const char *t;
  guint base = 10;

  if (p->tok.kind != DRILL_TOK_NUMBER)
    return fail_expected (p, what);
  t = p->tok.text;
  if (strchr (t, '.') != NULL)
    return fail_at (p, &p->tok.loc, "%s must be a whole number, found '%s'",
                    what, t);
  if (t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
    {
      base = 16;
      t += 2;
    }
  if (!g_ascii_string_to_unsigned (t, base, 0, max, out, NULL))
    return fail_at (p, &p->tok.loc, "%s '%s' is out of range (at most %"
                    G_GUINT64_FORMAT ")", what, p->tok.text, max);
  advance (p);
  return TRUE;
}

/* Seconds with up to nine decimals, digit by digit ("0.100", ".1"). */
static gboolean
parse_seconds (Parser *p, SimTime *out_ns)
{
  const char *t;
  SimTime ns = 0;
  SimTime scale = SIM_S (1);
  gboolean fraction = FALSE;

  if (p->tok.kind != DRILL_TOK_NUMBER)
    return fail_expected (p, "a time in seconds");
  t = p->tok.text;
  if (t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
    return fail_at (p, &p->tok.loc, "a time is written in decimal seconds, "
                    "found '%s'", t);
  for (const char *c = t; *c != '\0'; c++)
    {
      if (*c == '.')
        {
          fraction = TRUE;
          continue;
        }
      if (!fraction)
        {
          ns = ns * 10 + SIM_S (*c - '0');
          if (ns > MAX_SCRIPT_TIME_NS)
            return fail_at (p, &p->tok.loc, "the time '%s' is too large "
                            "(at most %" G_GINT64_FORMAT " s)", t,
                            MAX_SCRIPT_TIME_NS / SIM_S (1));
        }
      else
        {
          if (scale == 1)
            return fail_at (p, &p->tok.loc, "the time '%s' is finer than a "
                            "nanosecond", t);
          scale /= 10;
          ns += scale * (*c - '0');
        }
    }
  *out_ns = ns;
  advance (p);
  return TRUE;
}

/* ---- time ---- */

static gboolean
parse_point (Parser *p, DrillTimePoint *pt)
{
  pt->kind = accept_token (p, DRILL_TOK_PLUS) ? DRILL_TIME_RELATIVE
                                        : DRILL_TIME_ABSOLUTE;
  return parse_seconds (p, &pt->ns);
}

static gboolean
parse_time (Parser *p, DrillTime *time)
{
  if (accept_token (p, DRILL_TOK_STAR))
    {
      time->shape = DRILL_TIME_POINT;
      time->start.kind = DRILL_TIME_ANY;
      return TRUE;
    }
  if (p->tok.kind != DRILL_TOK_PLUS && p->tok.kind != DRILL_TOK_NUMBER)
    return fail_expected (p, "a time ('0.100', '+0.1' or '*') to start "
                          "the event");
  if (!parse_point (p, &time->start))
    return FALSE;
  time->shape = DRILL_TIME_POINT;
  if (p->tok.kind == DRILL_TOK_TILDE || p->tok.kind == DRILL_TOK_ELLIPSIS)
    {
      DrillLoc loc = p->tok.loc;

      time->shape = p->tok.kind == DRILL_TOK_TILDE ? DRILL_TIME_RANGE
                                                   : DRILL_TIME_BLOCKING;
      advance (p);
      if (!parse_point (p, &time->end))
        return FALSE;
      if (time->shape == DRILL_TIME_RANGE
          && time->start.kind == DRILL_TIME_ABSOLUTE
          && time->end.kind == DRILL_TIME_ABSOLUTE
          && time->end.ns < time->start.ns)
        return fail_at (p, &loc, "the range ends before it starts");
      if (time->shape == DRILL_TIME_BLOCKING
          && time->start.kind == DRILL_TIME_ABSOLUTE
          && time->end.kind == DRILL_TIME_ABSOLUTE
          && time->end.ns < time->start.ns)
        return fail_at (p, &loc, "the call returns before it starts");
    }
  return TRUE;
}

/* ---- packets ---- */

static gboolean
parse_flags (Parser *p, guint8 *flags)
{
  static const struct {
    char c;
    guint8 bit;
  } table[] = {
    { 'S', TCP_SYN }, { 'F', TCP_FIN }, { 'R', TCP_RST },
    { 'P', TCP_PSH }, { '.', TCP_ACK }, { 'U', TCP_URG },
    { 'E', TCP_ECE }, { 'W', TCP_CWR },
  };
  g_autoptr (GString) text = g_string_new (NULL);
  DrillLoc loc = p->tok.loc;

  if (p->tok.kind != DRILL_TOK_WORD && p->tok.kind != DRILL_TOK_DOT)
    return fail_expected (p, "TCP flags ('S', 'S.', '.', 'P.', 'F.', "
                          "'R', ...)");
  /* "S." arrives as the word "S" and a '.' with no blank between. */
  do
    {
      g_string_append (text, p->tok.kind == DRILL_TOK_DOT ? "."
                                                          : p->tok.text);
      advance (p);
    }
  while ((p->tok.kind == DRILL_TOK_WORD || p->tok.kind == DRILL_TOK_DOT)
         && !p->tok.space_before);
  *flags = 0;
  for (gsize i = 0; i < text->len; i++)
    {
      gsize k;

      for (k = 0; k < G_N_ELEMENTS (table); k++)
        if (table[k].c == text->str[i])
          break;
      if (k == G_N_ELEMENTS (table))
        {
          DrillLoc at = loc;

          at.col += (guint) i;
          return fail_at (p, &at, "unknown TCP flag '%c' in '%s' (flags "
                          "are S F R P . U E W)", text->str[i], text->str);
        }
      *flags |= table[k].bit;
    }
  return TRUE;
}

static gboolean
parse_u32 (Parser *p, const char *what, guint32 *out)
{
  guint64 v;

  if (!parse_uint (p, G_MAXUINT32, what, &v))
    return FALSE;
  *out = (guint32) v;
  return TRUE;
}

static gboolean
parse_option (Parser *p, DrillOption *o)
{
  static const char *const names[] = { "nop", "eol", "mss", "wscale",
                                       "sackOK", "sack", "TS", NULL };
  DrillLoc loc = p->tok.loc;
  g_autofree char *name = NULL;
  guint64 v;

  memset (o, 0, sizeof *o);
  if (p->tok.kind != DRILL_TOK_WORD)
    return fail_expected (p, "a TCP option (nop, eol, mss, wscale, sackOK, "
                          "sack, TS)");
  name = g_strdup (p->tok.text);
  advance (p);
  if (strcmp (name, "nop") == 0)
    o->kind = DRILL_OPT_NOP;
  else if (strcmp (name, "eol") == 0)
    o->kind = DRILL_OPT_EOL;
  else if (strcmp (name, "sackOK") == 0)
    o->kind = DRILL_OPT_SACK_OK;
  else if (strcmp (name, "mss") == 0)
    {
      o->kind = DRILL_OPT_MSS;
      if (!parse_uint (p, 65535, "the MSS", &v))
        return FALSE;
      o->value = (guint32) v;
    }
  else if (strcmp (name, "wscale") == 0)
    {
      o->kind = DRILL_OPT_WSCALE;
      if (!parse_uint (p, 255, "the window scale", &v))
        return FALSE;
      o->value = (guint32) v;
    }
  else if (strcmp (name, "TS") == 0)
    {
      o->kind = DRILL_OPT_TS;
      if (!at_word (p, "val"))
        return fail_expected (p, "'val' in 'TS val X ecr Y'");
      advance (p);
      if (!parse_u32 (p, "the TS value", &o->ts_val))
        return FALSE;
      if (!at_word (p, "ecr"))
        return fail_expected (p, "'ecr' in 'TS val X ecr Y'");
      advance (p);
      if (!parse_u32 (p, "the TS echo reply", &o->ts_ecr))
        return FALSE;
    }
  else if (strcmp (name, "sack") == 0)
    {
      o->kind = DRILL_OPT_SACK;
      while (p->tok.kind == DRILL_TOK_NUMBER)
        {
          TcpSackBlock b;

          if (o->n_sack == TCP_MAX_SACK_BLOCKS)
            return fail_at (p, &p->tok.loc, "a SACK option holds at most "
                            "%u blocks", TCP_MAX_SACK_BLOCKS);
          if (!parse_u32 (p, "the start of a SACK block", &b.start)
              || !expect_token (p, DRILL_TOK_COLON, "':' in a SACK block "
                          "(start:end)")
              || !parse_u32 (p, "the end of a SACK block", &b.end))
            return FALSE;
          o->sack[o->n_sack++] = b;
        }
      if (o->n_sack == 0)
        return fail_expected (p, "a SACK block (start:end)");
    }
  else
    {
      g_autofree char *q = scn_quote (name, SCN_QUOTE_MAX_CHARS);
      g_autofree char *hint = scn_hint (name, names, -1);

      return fail_at (p, &loc, "unknown TCP option '%s'%s", q, hint);
    }
  return TRUE;
}

static gboolean
parse_options (Parser *p, DrillPacket *pkt)
{
  DrillLoc loc = p->tok.loc;

  advance (p);                  /* '<' */
  p->nesting++;
  if (p->tok.kind == DRILL_TOK_NEWLINE)
    advance (p);
  if (accept_token (p, DRILL_TOK_ELLIPSIS))
    pkt->any_options = TRUE;
  else
    for (;;)
      {
        DrillOption o;

        if (!parse_option (p, &o))
          return FALSE;
        g_array_append_val (pkt->options, o);
        if (!accept_token (p, DRILL_TOK_COMMA))
          break;
      }
  p->nesting--;
  if (p->tok.kind != DRILL_TOK_GT)
    {
      g_autofree char *found = describe_token (&p->tok);

      return fail_at (p, &p->tok.loc, "expected ',' or '>' in the option "
                      "list opened at column %u, found %s", loc.col, found);
    }
  advance (p);
  return TRUE;
}

static guint
options_bytes (const GArray *options)
{
  guint n = 0;

  for (guint i = 0; i < options->len; i++)
    {
      const DrillOption *o = &g_array_index (options, DrillOption, i);

      switch (o->kind)
        {
        case DRILL_OPT_EOL:
        case DRILL_OPT_NOP:
          n += 1;
          break;
        case DRILL_OPT_MSS:
          n += 4;
          break;
        case DRILL_OPT_WSCALE:
          n += 3;
          break;
        case DRILL_OPT_SACK_OK:
          n += 2;
          break;
        case DRILL_OPT_SACK:
          n += 2 + 8 * o->n_sack;
          break;
        case DRILL_OPT_TS:
          n += 10;
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return n;
}

static gboolean
parse_packet (Parser *p, DrillEvent *ev)
{
  DrillPacket *pkt = &ev->packet;
  DrillLoc seq_loc;
  guint32 end;
  DrillLoc ack_loc = { 0 };

  pkt->inbound = p->tok.kind == DRILL_TOK_LT;
  pkt->options = g_array_new (FALSE, TRUE, sizeof (DrillOption));
  advance (p);
  if (!parse_flags (p, &pkt->flags))
    return FALSE;
  seq_loc = p->tok.loc;
  if (!parse_u32 (p, "the first sequence number (start:end(length))",
                  &pkt->seq)
      || !expect_token (p, DRILL_TOK_COLON, "':' in start:end(length)")
      || !parse_u32 (p, "the end sequence number", &end)
      || !expect_token (p, DRILL_TOK_LPAREN, "'(' in start:end(length)")
      || !parse_u32 (p, "the length", &pkt->len_bytes)
      || !expect_token (p, DRILL_TOK_RPAREN, "')' in start:end(length)"))
    return FALSE;
  if ((guint32) (end - pkt->seq) != pkt->len_bytes)
    return fail_at (p, &seq_loc, "%u:%u holds %u bytes, not %u", pkt->seq,
                    end, (guint32) (end - pkt->seq), pkt->len_bytes);
  if (at_word (p, "ack"))
    {
      ack_loc = p->tok.loc;
      advance (p);
      pkt->has_ack = TRUE;
      if (!parse_u32 (p, "the acknowledgement number", &pkt->ack))
        return FALSE;
    }
  if (at_word (p, "win"))
    {
      guint64 w;

      advance (p);
      pkt->has_win = TRUE;
      if (!parse_uint (p, 65535, "the window", &w))
        return FALSE;
      pkt->win = (guint32) w;
    }
  if (p->tok.kind == DRILL_TOK_LT && !parse_options (p, pkt))
    return FALSE;

  if (pkt->has_ack && !(pkt->flags & TCP_ACK))
    return fail_at (p, &ack_loc, "'ack' needs the '.' (ACK) flag");
  if (pkt->inbound)
    {
      if ((pkt->flags & TCP_ACK) && !pkt->has_ack)
        return fail_at (p, &ev->loc, "an inbound packet with the '.' flag "
                        "needs 'ack N'");
      if (!pkt->has_win)
        return fail_at (p, &ev->loc, "an inbound packet needs 'win N'");
      if (pkt->any_options)
        return fail_at (p, &ev->loc, "'<...>' only matches outbound "
                        "packets; an inbound packet lists its options");
      if (pkt->len_bytes > MAX_INBOUND_PAYLOAD_BYTES)
        return fail_at (p, &seq_loc, "an inbound packet carries at most %u "
                        "bytes", MAX_INBOUND_PAYLOAD_BYTES);
    }
  if (!pkt->any_options && options_bytes (pkt->options)
                           > TCP_MAX_OPTIONS_BYTES)
    return fail_at (p, &ev->loc, "the options take %u bytes; TCP has room "
                    "for %u", options_bytes (pkt->options),
                    TCP_MAX_OPTIONS_BYTES);
  return TRUE;
}

/* ---- expressions ---- */

static DrillExpr *
expr_new (DrillExprKind kind, const DrillLoc *loc)
{
  DrillExpr *e = g_new0 (DrillExpr, 1);

  e->kind = kind;
  e->loc = *loc;
  return e;
}

static DrillExpr *parse_expr (Parser *p);

static DrillExpr *
parse_term (Parser *p)
{
  DrillLoc loc = p->tok.loc;
  g_autoptr (DrillExpr) e = NULL;

  switch (p->tok.kind)
    {
    case DRILL_TOK_ELLIPSIS:
      advance (p);
      return expr_new (DRILL_EXPR_ELLIPSIS, &loc);
    case DRILL_TOK_MINUS:
    case DRILL_TOK_NUMBER:
      {
        gboolean negative = accept_token (p, DRILL_TOK_MINUS);
        guint64 v;
        g_autofree char *text = g_strdup (p->tok.kind == DRILL_TOK_NUMBER
                                          ? p->tok.text : "");

        if (!parse_uint (p, G_MAXINT64, "a number", &v))
          return NULL;
        e = expr_new (DRILL_EXPR_INT, &loc);
        e->value = negative ? -(gint64) v : (gint64) v;
        e->text = negative ? g_strconcat ("-", text, NULL)
                           : g_steal_pointer (&text);
        return g_steal_pointer (&e);
      }
    case DRILL_TOK_WORD:
      {
        gint64 v;

        if (!drill_symbol_lookup (p->tok.text, &v))
          {
            g_autofree char *q = scn_quote (p->tok.text, SCN_QUOTE_MAX_CHARS);
            g_autofree char *hint = scn_hint (p->tok.text,
                                              drill_symbol_names (), -1);

            fail_at (p, &loc, "unknown name '%s'%s", q, hint);
            return NULL;
          }
        e = expr_new (DRILL_EXPR_INT, &loc);
        e->value = v;
        e->text = g_strdup (p->tok.text);
        advance (p);
        return g_steal_pointer (&e);
      }
    case DRILL_TOK_STRING:
      e = expr_new (DRILL_EXPR_STRING, &loc);
      e->text = g_strdup (p->tok.text);
      advance (p);
      return g_steal_pointer (&e);
    case DRILL_TOK_LBRACKET:
    case DRILL_TOK_LBRACE:
      {
        gboolean list = p->tok.kind == DRILL_TOK_LBRACKET;
        DrillTokenKind close = list ? DRILL_TOK_RBRACKET : DRILL_TOK_RBRACE;

        e = expr_new (list ? DRILL_EXPR_LIST : DRILL_EXPR_STRUCT, &loc);
        e->items = g_ptr_array_new_with_free_func (expr_free);
        p->nesting++;
        advance (p);
        while (p->tok.kind != close)
          {
            DrillExpr *item;

            if (!list && p->tok.kind == DRILL_TOK_ELLIPSIS)
              {
                /* {...}: any structure. */
                advance (p);
                e->kind = DRILL_EXPR_ELLIPSIS;
                break;
              }
            if (!list)
              {
                g_autofree char *field = NULL;

                if (p->tok.kind != DRILL_TOK_WORD)
                  {
                    fail_expected (p, "a member name ('l_onoff=1')");
                    return NULL;
                  }
                field = g_strdup (p->tok.text);
                advance (p);
                if (!expect_token (p, DRILL_TOK_EQUALS, "'=' after the member "
                             "name"))
                  return NULL;
                item = parse_expr (p);
                if (item == NULL)
                  return NULL;
                item->field = g_steal_pointer (&field);
              }
            else
              {
                item = parse_expr (p);
                if (item == NULL)
                  return NULL;
              }
            g_ptr_array_add (e->items, item);
            if (!accept_token (p, DRILL_TOK_COMMA))
              break;
          }
        p->nesting--;
        if (!expect_token (p, close, list ? "',' or ']'" : "',' or '}'"))
          return NULL;
        return g_steal_pointer (&e);
      }
    default:
      fail_expected (p, "a value (a number, a name, '...', [ ] or { })");
      return NULL;
    }
}

static DrillExpr *
parse_expr (Parser *p)
{
  g_autoptr (DrillExpr) e = parse_term (p);

  while (e != NULL && p->tok.kind == DRILL_TOK_PIPE)
    {
      DrillLoc loc = p->tok.loc;
      g_autoptr (DrillExpr) rhs = NULL;
      char *text;

      advance (p);
      rhs = parse_term (p);
      if (rhs == NULL)
        return NULL;
      if (e->kind != DRILL_EXPR_INT || rhs->kind != DRILL_EXPR_INT)
        {
          fail_at (p, &loc, "'|' joins numbers and names only");
          return NULL;
        }
      e->value |= rhs->value;
      text = g_strconcat (e->text, "|", rhs->text, NULL);
      g_free (e->text);
      e->text = text;
    }
  return g_steal_pointer (&e);
}

/* ---- system calls ---- */

/* Which arguments must be plain numbers, per call: bit i for argument i. */
static guint
int_args (DrillCallId id)
{
  switch (id)
    {
    case DRILL_CALL_SOCKET:
      return 1u << 1;
    case DRILL_CALL_BIND:
    case DRILL_CALL_ACCEPT:
    case DRILL_CALL_CONNECT:
    case DRILL_CALL_CLOSE:
      return 1u << 0;
    case DRILL_CALL_LISTEN:
    case DRILL_CALL_SHUTDOWN:
      return (1u << 0) | (1u << 1);
    case DRILL_CALL_WRITE:
    case DRILL_CALL_READ:
      return (1u << 0) | (1u << 2);
    case DRILL_CALL_SEND:
    case DRILL_CALL_RECV:
      return (1u << 0) | (1u << 2) | (1u << 3);
    case DRILL_CALL_SETSOCKOPT:
    case DRILL_CALL_GETSOCKOPT:
      return (1u << 0) | (1u << 1) | (1u << 2);
    case DRILL_CALL_FCNTL:
      return (1u << 0) | (1u << 1) | (1u << 2);
    case DRILL_N_CALLS:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
check_call (Parser *p, const DrillEvent *ev, const DrillLoc *name_loc,
            const DrillCallInfo *info)
{
  const DrillSyscall *call = &ev->call;
  guint need = int_args (info->id);

  if (call->args->len < info->min_args || call->args->len > info->max_args)
    {
      if (info->min_args == info->max_args)
        return fail_at (p, name_loc, "%s() takes %u argument%s, found %u",
                        info->name, info->min_args,
                        info->min_args == 1 ? "" : "s", call->args->len);
      return fail_at (p, name_loc, "%s() takes %u to %u arguments, found %u",
                      info->name, info->min_args, info->max_args,
                      call->args->len);
    }
  for (guint i = 0; i < call->args->len; i++)
    {
      const DrillExpr *a = g_ptr_array_index (call->args, i);

      if ((need & (1u << i)) && a->kind != DRILL_EXPR_INT)
        return fail_at (p, &a->loc, "argument %u of %s() must be a number "
                        "or a name", i + 1, info->name);
    }
  if (call->ret->kind != DRILL_EXPR_INT)
    return fail_at (p, &call->ret_loc, "the expected return value of %s() "
                    "must be a number", info->name);
  if (call->has_errno && call->ret->value != -1)
    return fail_at (p, &call->ret_loc, "an errno goes with a return value "
                    "of -1");
  return TRUE;
}

static gboolean
parse_syscall (Parser *p, DrillEvent *ev)
{
  DrillSyscall *call = &ev->call;
  DrillLoc name_loc = p->tok.loc;
  const DrillCallInfo *info = drill_call_lookup (p->tok.text);

  if (info == NULL)
    {
      g_autofree char *q = scn_quote (p->tok.text, SCN_QUOTE_MAX_CHARS);
      g_autofree char *hint = scn_hint (p->tok.text, drill_call_names (), -1);

      return fail_at (p, &name_loc, "unsupported system call '%s'%s", q,
                      hint);
    }
  call->id = info->id;
  call->name = info->name;
  call->args = g_ptr_array_new_with_free_func (expr_free);
  advance (p);
  if (p->tok.kind != DRILL_TOK_LPAREN)
    return fail_expected (p, "'(' after the system call's name");
  p->nesting++;
  advance (p);
  if (p->tok.kind != DRILL_TOK_RPAREN)
    for (;;)
      {
        DrillExpr *a = parse_expr (p);

        if (a == NULL)
          return FALSE;
        g_ptr_array_add (call->args, a);
        if (!accept_token (p, DRILL_TOK_COMMA))
          break;
      }
  p->nesting--;
  if (!expect_token (p, DRILL_TOK_RPAREN, "',' or ')' after an argument")
      || !expect_token (p, DRILL_TOK_EQUALS, "'= VALUE' (the expected result)"))
    return FALSE;
  call->ret_loc = p->tok.loc;
  call->ret = parse_expr (p);
  if (call->ret == NULL)
    return FALSE;
  if (p->tok.kind == DRILL_TOK_WORD)
    {
      if (!drill_errno_lookup (p->tok.text, &call->err))
        {
          g_autofree char *q = scn_quote (p->tok.text, SCN_QUOTE_MAX_CHARS);

          return fail_at (p, &p->tok.loc, "unknown errno '%s'", q);
        }
      call->has_errno = TRUE;
      advance (p);
      if (p->tok.kind == DRILL_TOK_LPAREN)
        {
          DrillToken text = { 0 };

          /* The text is free prose ("Operation now in progress"); only the
           * errno's name is compared. */
          drill_token_clear (&p->tok);
          drill_lexer_raw_paren (p->lx, &text);
          if (text.kind == DRILL_TOK_ERROR)
            {
              p->tok = text;
              return fail_at (p, &text.loc, "no ')' closes the errno's text");
            }
          drill_token_clear (&text);
          advance (p);
        }
    }
  return check_call (p, ev, &name_loc, info);
}

/* ---- shell commands and option lines ---- */

static gboolean
parse_shell (Parser *p, DrillEvent *ev)
{
  ev->kind = DRILL_EVENT_SHELL;
  ev->shell.text = g_strdup (p->tok.text);
  ev->shell.settings = g_array_new (FALSE, TRUE, sizeof (DrillSetting));
  ev->shell.notes = g_ptr_array_new_with_free_func (g_free);
  if (!drill_shell_interpret (&p->tok.loc, &ev->shell, &p->error))
    return FALSE;
  advance (p);
  return TRUE;
}

static gboolean
parse_option_line (Parser *p)
{
  const char *t = p->tok.text;
  const char *eq = strchr (t, '=');

  if (g_str_has_prefix (t, "tolerance_usecs"))
    {
      guint64 us;

      if (eq == NULL || eq != t + strlen ("tolerance_usecs")
          || !g_ascii_string_to_unsigned (eq + 1, 10, 0,
                                          G_MAXINT64 / SIM_US (1), &us,
                                          NULL))
        return fail_at (p, &p->tok.loc, "expected --tolerance_usecs=N with "
                        "N a number of microseconds");
      p->script->has_tolerance = TRUE;
      p->script->tolerance_ns = SIM_US (us);
    }
  else
    g_ptr_array_add (p->script->option_notes,
                     g_strdup_printf ("%s:%u: ignored option --%s",
                                      p->tok.loc.file, p->tok.loc.line, t));
  advance (p);
  return TRUE;
}

/* ---- events ---- */

static gboolean
parse_event (Parser *p, DrillEvent *ev)
{
  ev->loc = p->tok.loc;
  /* A shell command may stand without a time: it runs right after the
   * previous event. */
  if (p->tok.kind == DRILL_TOK_COMMAND)
    {
      ev->time.shape = DRILL_TIME_POINT;
      ev->time.start.kind = DRILL_TIME_RELATIVE;
      return parse_shell (p, ev);
    }
  if (!parse_time (p, &ev->time))
    return FALSE;
  switch (p->tok.kind)
    {
    case DRILL_TOK_LT:
    case DRILL_TOK_GT:
      ev->kind = DRILL_EVENT_PACKET;
      if (!parse_packet (p, ev))
        return FALSE;
      break;
    case DRILL_TOK_WORD:
      ev->kind = DRILL_EVENT_SYSCALL;
      if (!parse_syscall (p, ev))
        return FALSE;
      break;
    case DRILL_TOK_COMMAND:
      if (!parse_shell (p, ev))
        return FALSE;
      break;
    default:
      return fail_expected (p, "'<', '>', a system call or a `shell "
                            "command` after the time");
    }
  if (ev->time.start.kind == DRILL_TIME_ANY
      && !(ev->kind == DRILL_EVENT_PACKET && !ev->packet.inbound))
    return fail_at (p, &ev->loc, "only an outbound packet ('>') may happen "
                    "at any time ('*')");
  if (ev->time.shape == DRILL_TIME_RANGE
      && !(ev->kind == DRILL_EVENT_PACKET && !ev->packet.inbound))
    return fail_at (p, &ev->loc, "only an outbound packet ('>') may have a "
                    "time range ('~')");
  if (ev->time.shape == DRILL_TIME_BLOCKING
      && ev->kind != DRILL_EVENT_SYSCALL)
    return fail_at (p, &ev->loc, "only a system call may block ('...')");
  return TRUE;
}

static gboolean
parse_line (Parser *p)
{
  DrillEvent *ev;

  if (p->tok.kind == DRILL_TOK_OPTION)
    {
      if (!parse_option_line (p))
        return FALSE;
    }
  else
    {
      ev = g_new0 (DrillEvent, 1);
      g_ptr_array_add (p->script->events, ev);
      if (!parse_event (p, ev))
        return FALSE;
    }
  if (p->tok.kind != DRILL_TOK_NEWLINE && p->tok.kind != DRILL_TOK_EOF)
    return fail_expected (p, "the end of the line");
  return TRUE;
}

DrillScript *
drill_script_parse (const char *file, const char *text, gsize len_bytes,
                    GError **error)
{
  g_autoptr (DrillScript) script = g_new0 (DrillScript, 1);
  Parser p = { 0 };

  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  script->file = g_strdup (file);
  script->events = g_ptr_array_new_with_free_func (event_free);
  script->option_notes = g_ptr_array_new_with_free_func (g_free);
  p.script = script;
  p.lx = drill_lexer_new (script->file, text, len_bytes);
  advance (&p);
  while (p.error == NULL && p.tok.kind != DRILL_TOK_EOF)
    {
      if (p.tok.kind == DRILL_TOK_NEWLINE)
        advance (&p);
      else if (p.tok.kind == DRILL_TOK_ERROR)
        fail_at (&p, &p.tok.loc, "invalid input");
      else
        parse_line (&p);
    }
  drill_token_clear (&p.tok);
  drill_lexer_free (p.lx);
  if (p.error != NULL)
    {
      g_propagate_error (error, p.error);
      return NULL;
    }
  return g_steal_pointer (&script);
}

DrillScript *
drill_script_load_file (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr (GError) err = NULL;

  if (!g_file_get_contents (path, &text, &len, &err))
    {
      g_set_error (error, DRILL_ERROR, DRILL_ERROR_SYNTAX, "%s: error: %s",
                   path, err->message);
      return NULL;
    }
  return drill_script_parse (path, text, len, error);
}
