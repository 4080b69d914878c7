/* scn_parser.c: tokens -> statements.
 *
 * scn_parse() -> parse_statement() per line -> parse_item() per argument
 * or key=value pair.  One token of lookahead tells a positional WORD from
 * the key of a pair.  On a syntax error the statement is marked broken,
 * the rest of its line is skipped (recover()) and parsing goes on with
 * the next line, so one run reports every error in the file.
 */
#include "scenarios/scn_parser.h"

#include "scenarios/scn_lexer.h"

#include <string.h>

typedef struct {
  ScnLexer *lexer;
  ScnDiag *diag;
  ScnToken cur;
  ScnToken next;
} ScnParser;

static void
scn_arg_free (gpointer p)
{
  ScnArg *arg = p;

  g_free (arg->text);
  g_free (arg);
}

static void
scn_kv_free (gpointer p)
{
  ScnKv *kv = p;

  g_free (kv->key);
  g_free (kv->value);
  g_free (kv);
}

static void
scn_stmt_free (gpointer p)
{
  ScnStmt *stmt = p;

  g_free (stmt->keyword);
  g_ptr_array_unref (stmt->args);
  g_ptr_array_unref (stmt->kvs);
  g_free (stmt);
}

void
scn_script_free (ScnScript *script)
{
  if (script == NULL)
    return;
  g_ptr_array_unref (script->stmts);
  g_ptr_array_unref (script->origins);
  g_free (script->file);
  g_free (script);
}

const char *
scn_script_intern (ScnScript *script, const char *text)
{
  char *copy = g_strdup (text);

  g_ptr_array_add (script->origins, copy);
  return copy;
}

ScnStmt *
scn_script_add_stmt (ScnScript *script, const char *keyword,
                     const ScnLoc *loc)
{
  ScnStmt *stmt = g_new0 (ScnStmt, 1);

  stmt->keyword = g_strdup (keyword);
  stmt->loc = *loc;
  stmt->args = g_ptr_array_new_with_free_func (scn_arg_free);
  stmt->kvs = g_ptr_array_new_with_free_func (scn_kv_free);
  g_ptr_array_add (script->stmts, stmt);
  return stmt;
}

ScnKv *
scn_stmt_add_kv (ScnStmt *stmt, const char *key, const ScnLoc *key_loc,
                 const char *value, const ScnLoc *value_loc)
{
  ScnKv *kv = g_new0 (ScnKv, 1);

  kv->key = g_strdup (key);
  kv->key_loc = *key_loc;
  kv->value = g_strdup (value);
  kv->value_loc = *value_loc;
  g_ptr_array_add (stmt->kvs, kv);
  return kv;
}

ScnArg *
scn_stmt_add_arg (ScnStmt *stmt, ScnArgKind kind, const char *text,
                  const ScnLoc *loc)
{
  ScnArg *arg = g_new0 (ScnArg, 1);

  arg->kind = kind;
  arg->text = g_strdup (text);
  arg->loc = *loc;
  g_ptr_array_add (stmt->args, arg);
  return arg;
}

ScnKv *
scn_stmt_find_kv (const ScnStmt *stmt, const char *key)
{
  for (guint i = 0; i < stmt->kvs->len; i++)
    {
      ScnKv *kv = g_ptr_array_index (stmt->kvs, i);

      if (g_str_equal (kv->key, key))
        return kv;
    }
  return NULL;
}

const char *
scn_stmt_word (const ScnStmt *stmt, guint i)
{
  const ScnArg *arg;

  if (i >= stmt->args->len)
    return NULL;
  arg = g_ptr_array_index (stmt->args, i);
  return arg->kind == SCN_ARG_WORD ? arg->text : NULL;
}

static void
append_quoted (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '\t')
        g_string_append (out, "\\t");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

void
scn_stmt_to_string (const ScnStmt *stmt, GString *out)
{
  g_string_append (out, stmt->keyword);
  for (guint i = 0; i < stmt->args->len; i++)
    {
      const ScnArg *arg = g_ptr_array_index (stmt->args, i);

      g_string_append_c (out, ' ');
      if (arg->kind == SCN_ARG_STRING)
        append_quoted (out, arg->text);
      else
        g_string_append (out, arg->text);
    }
  for (guint i = 0; i < stmt->kvs->len; i++)
    {
      const ScnKv *kv = g_ptr_array_index (stmt->kvs, i);

      g_string_append_printf (out, " %s=", kv->key);
      if (kv->value_quoted)
        append_quoted (out, kv->value);
      else
        g_string_append (out, kv->value);
    }
}

static void
advance (ScnParser *p)
{
  scn_token_clear (&p->cur);
  p->cur = p->next;
  p->next = (ScnToken) { 0 };
  scn_lexer_next (p->lexer, &p->next);
}

static gboolean
at_end_of_statement (const ScnParser *p)
{
  return p->cur.kind == SCN_TOKEN_NEWLINE || p->cur.kind == SCN_TOKEN_EOF;
}

/* Skips to the end of the statement's line. */
static void
recover (ScnParser *p, ScnStmt *stmt)
{
  if (stmt != NULL)
    stmt->broken = TRUE;
  while (!at_end_of_statement (p))
    advance (p);
}

/* Describes the current token for "expected X, got Y" messages. */
static char *
describe (const ScnToken *tok)
{
  if (tok->kind == SCN_TOKEN_WORD || tok->kind == SCN_TOKEN_STRING)
    {
      g_autofree char *q = scn_quote (tok->text, SCN_QUOTE_MAX_CHARS);

      return g_strdup_printf ("%s '%s'", scn_token_kind_name (tok->kind), q);
    }
  return g_strdup (scn_token_kind_name (tok->kind));
}

static void
syntax_error (ScnParser *p, const ScnLoc *loc, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

static void
syntax_error (ScnParser *p, const ScnLoc *loc, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  scn_diag_add (p->diag, loc, SCN_ERROR_SYNTAX, "%s", message);
}

/* TRUE when the token at @b starts right where the @a_len_bytes long
 * token at @a ends: "key=value" is one unit, written without spaces, so
 * that "rate= delay=5ms" is reported as the missing value it is. */
static gboolean
adjacent (const ScnLoc *a, gsize a_len_bytes, const ScnLoc *b)
{
  return a->line == b->line && (gsize) a->col + a_len_bytes == b->col;
}

/* Parses one argument or pair at p->cur.  Returns FALSE after reporting
 * an error. */
static gboolean
parse_item (ScnParser *p, ScnStmt *stmt)
{
  ScnToken *t = &p->cur;

  switch (t->kind)
    {
    case SCN_TOKEN_WORD:
      if (p->next.kind == SCN_TOKEN_EQUALS)
        {
          ScnToken key = *t;
          ScnLoc eq = p->next.loc;
          g_autofree char *qkey = scn_quote (key.text, SCN_QUOTE_MAX_CHARS);
          ScnKv *kv;

          t->text = NULL;
          advance (p);          /* to '=' */
          advance (p);          /* to the value */
          if (!adjacent (&key.loc, strlen (key.text), &eq))
            {
              syntax_error (p, &eq, "unexpected space before '=': write "
                            "%s=VALUE with no spaces", qkey);
              g_free (key.text);
              return FALSE;
            }
          if (t->kind == SCN_TOKEN_ERROR)
            {
              g_free (key.text);
              return FALSE;
            }
          if ((t->kind != SCN_TOKEN_WORD && t->kind != SCN_TOKEN_STRING)
              || !adjacent (&eq, 1, &t->loc))
            {
              g_autofree char *got = describe (t);

              if (t->kind != SCN_TOKEN_EOF && t->kind != SCN_TOKEN_NEWLINE
                  && !adjacent (&eq, 1, &t->loc))
                syntax_error (p, &eq, "expected a value right after '%s=' "
                              "(no spaces around '='), got %s", qkey, got);
              else
                syntax_error (p, &t->loc, "expected a value after '%s=', "
                              "got %s", qkey, got);
              g_free (key.text);
              return FALSE;
            }
          kv = scn_stmt_add_kv (stmt, key.text, &key.loc, t->text, &t->loc);
          kv->value_quoted = t->kind == SCN_TOKEN_STRING;
          g_free (key.text);
          advance (p);
          return TRUE;
        }
      G_GNUC_FALLTHROUGH;
    case SCN_TOKEN_STRING:
    case SCN_TOKEN_ARROW:
      if (stmt->kvs->len > 0)
        {
          g_autofree char *got = describe (t);

          syntax_error (p, &t->loc,
                        "expected key=value, got %s: positional arguments "
                        "come before key=value pairs", got);
          return FALSE;
        }
      scn_stmt_add_arg (stmt,
                        t->kind == SCN_TOKEN_WORD ? SCN_ARG_WORD
                        : t->kind == SCN_TOKEN_STRING ? SCN_ARG_STRING
                        : SCN_ARG_ARROW,
                        t->kind == SCN_TOKEN_ARROW ? "<->" : t->text,
                        &t->loc);
      advance (p);
      return TRUE;
    case SCN_TOKEN_EQUALS:
      syntax_error (p, &t->loc, "expected a key before '='");
      return FALSE;
    case SCN_TOKEN_LBRACE:
    case SCN_TOKEN_RBRACE:
      syntax_error (p, &t->loc, "'%c' is reserved: blocks are not part of "
                    "this version of the language",
                    t->kind == SCN_TOKEN_LBRACE ? '{' : '}');
      return FALSE;
    case SCN_TOKEN_ERROR:
      /* Already reported by the lexer. */
      return FALSE;
    case SCN_TOKEN_EOF:
    case SCN_TOKEN_NEWLINE:
    case SCN_N_TOKEN_KINDS:
    default:
      g_assert_not_reached ();
    }
}

static void
parse_statement (ScnParser *p, ScnScript *script)
{
  ScnStmt *stmt;

  if (p->cur.kind != SCN_TOKEN_WORD || p->next.kind == SCN_TOKEN_EQUALS)
    {
      if (p->cur.kind != SCN_TOKEN_ERROR)
        {
          g_autofree char *got = describe (&p->cur);

          syntax_error (p, &p->cur.loc,
                        "expected a statement keyword (such as host, link, "
                        "app, at or when), got %s", got);
        }
      recover (p, NULL);
      return;
    }
  stmt = scn_script_add_stmt (script, p->cur.text, &p->cur.loc);
  advance (p);
  while (!at_end_of_statement (p))
    if (!parse_item (p, stmt))
      {
        recover (p, stmt);
        return;
      }
}

ScnScript *
scn_parse (const char *file, const char *text, gsize len_bytes,
           ScnDiag *diag)
{
  ScnScript *script;
  ScnParser p = { 0 };

  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (diag != NULL, NULL);

  script = g_new0 (ScnScript, 1);
  script->file = g_strdup (file);
  script->stmts = g_ptr_array_new_with_free_func (scn_stmt_free);
  script->origins = g_ptr_array_new_with_free_func (g_free);

  p.lexer = scn_lexer_new (script->file, text, len_bytes, diag);
  p.diag = diag;
  scn_lexer_next (p.lexer, &p.cur);
  scn_lexer_next (p.lexer, &p.next);
  while (p.cur.kind != SCN_TOKEN_EOF)
    {
      if (p.cur.kind == SCN_TOKEN_NEWLINE)
        {
          advance (&p);
          continue;
        }
      parse_statement (&p, script);
    }
  scn_token_clear (&p.cur);
  scn_token_clear (&p.next);
  scn_lexer_free (p.lexer);
  return script;
}
