/* scn_lexer.c: bytes -> tokens with file:line:col.
 *
 * scn_lexer_next() skips blanks, comments and line continuations, then
 * dispatches on the first byte: a newline, a punctuation token, a string
 * (scan_string()), a word (scan_word()), or an error (lex_error(), which
 * skips to the end of the line).  Columns count bytes from 1.
 */
#include "scenarios/scn_lexer.h"

#include <string.h>

struct ScnLexer {
  const char *file;
  const guchar *text;
  gsize len_bytes;
  gsize pos;
  guint line;
  gsize line_start;             /* offset of the current line's first byte */
  ScnDiag *diag;
};

static const char *const token_kind_names[SCN_N_TOKEN_KINDS] = {
  [SCN_TOKEN_EOF] = "end of file",
  [SCN_TOKEN_NEWLINE] = "end of line",
  [SCN_TOKEN_WORD] = "word",
  [SCN_TOKEN_STRING] = "string",
  [SCN_TOKEN_EQUALS] = "'='",
  [SCN_TOKEN_ARROW] = "'<->'",
  [SCN_TOKEN_LBRACE] = "'{'",
  [SCN_TOKEN_RBRACE] = "'}'",
  [SCN_TOKEN_ERROR] = "invalid input",
};

const char *
scn_token_kind_name (ScnTokenKind kind)
{
  g_return_val_if_fail (kind < SCN_N_TOKEN_KINDS, "?");
  return token_kind_names[kind];
}

void
scn_token_clear (ScnToken *tok)
{
  g_clear_pointer (&tok->text, g_free);
  tok->kind = SCN_TOKEN_EOF;
}

ScnLexer *
scn_lexer_new (const char *file, const char *text, gsize len_bytes,
               ScnDiag *diag)
{
  ScnLexer *lx;

  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (text != NULL || len_bytes == 0, NULL);
  g_return_val_if_fail (diag != NULL, NULL);

  lx = g_new0 (ScnLexer, 1);
  lx->file = file;
  lx->text = (const guchar *) (text != NULL ? text : "");
  lx->len_bytes = len_bytes;
  lx->line = 1;
  lx->diag = diag;
  /* Editors on some systems start UTF-8 files with a byte-order mark. */
  if (len_bytes >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    lx->pos = lx->line_start = 3;
  return lx;
}

void
scn_lexer_free (ScnLexer *lexer)
{
  g_free (lexer);
}

static int
peek (const ScnLexer *lx, gsize ahead)
{
  if (lx->pos + ahead >= lx->len_bytes)
    return -1;
  return lx->text[lx->pos + ahead];
}

static ScnLoc
here (const ScnLexer *lx)
{
  ScnLoc loc = { lx->file, lx->line,
                 (guint) MIN (lx->pos - lx->line_start + 1, G_MAXUINT) };

  return loc;
}

static gboolean
is_reserved (int c)
{
  return c != '\0' && strchr ("$@()[];'`", c) != NULL;
}

static gboolean
is_word_char (int c)
{
  return c > 0x20 && c < 0x7f && strchr ("=\"{}#\\", c) == NULL
         && !is_reserved (c);
}

static gboolean
at_arrow (const ScnLexer *lx)
{
  return peek (lx, 0) == '<' && peek (lx, 1) == '-' && peek (lx, 2) == '>';
}

static void
skip_to_newline (ScnLexer *lx)
{
  while (lx->pos < lx->len_bytes && lx->text[lx->pos] != '\n')
    lx->pos++;
}

static void
lex_error (ScnLexer *lx, const ScnLoc *loc, ScnToken *tok)
{
  skip_to_newline (lx);
  tok->kind = SCN_TOKEN_ERROR;
  tok->loc = *loc;
}

static void
scan_word (ScnLexer *lx, ScnToken *tok)
{
  gsize start = lx->pos;

  tok->kind = SCN_TOKEN_WORD;
  tok->loc = here (lx);
  while (is_word_char (peek (lx, 0)) && !(lx->pos > start && at_arrow (lx)))
    lx->pos++;
  tok->text = g_strndup ((const char *) lx->text + start, lx->pos - start);
}

static void
scan_string (ScnLexer *lx, ScnToken *tok)
{
  ScnLoc open = here (lx);
  g_autoptr (GString) s = g_string_new (NULL);

  lx->pos++;
  for (;;)
    {
      int c = peek (lx, 0);
      ScnLoc at = here (lx);

      if (c == -1 || c == '\n')
        {
          scn_diag_add (lx->diag, &open, SCN_ERROR_SYNTAX,
                        "unterminated string: a string ends with '\"' "
                        "on the line where it starts");
          lex_error (lx, &open, tok);
          return;
        }
      lx->pos++;
      if (c == '"')
        break;
      if (c == '\\')
        {
          int e = peek (lx, 0);

          lx->pos++;
          switch (e)
            {
            case '"':
            case '\\':
              g_string_append_c (s, (char) e);
              break;
            case 'n':
              g_string_append_c (s, '\n');
              break;
            case 't':
              g_string_append_c (s, '\t');
              break;
            default:
              scn_diag_add (lx->diag, &at, SCN_ERROR_SYNTAX,
                            "unknown escape in string: expected \\\", "
                            "\\\\, \\n or \\t");
              lx->pos--;
              lex_error (lx, &at, tok);
              return;
            }
          continue;
        }
      if (c < 0x20 && c != '\t')
        {
          scn_diag_add (lx->diag, &at, SCN_ERROR_SYNTAX,
                        "control character 0x%02X in string", (guint) c);
          lex_error (lx, &at, tok);
          return;
        }
      g_string_append_c (s, (char) c);
    }
  if (!g_utf8_validate_len (s->str, s->len, NULL))
    {
      scn_diag_add (lx->diag, &open, SCN_ERROR_SYNTAX,
                    "string is not valid UTF-8");
      lex_error (lx, &open, tok);
      return;
    }
  tok->kind = SCN_TOKEN_STRING;
  tok->loc = open;
  tok->text = g_string_free (g_steal_pointer (&s), FALSE);
}

/* Skips a backslash, blanks and the newline that follow it.  Returns
 * FALSE, with the error reported, when something else follows. */
static gboolean
skip_continuation (ScnLexer *lx)
{
  ScnLoc at = here (lx);
  gsize p = lx->pos + 1;

  while (p < lx->len_bytes
         && (lx->text[p] == ' ' || lx->text[p] == '\t' || lx->text[p] == '\r'))
    p++;
  if (p < lx->len_bytes && lx->text[p] != '\n')
    {
      scn_diag_add (lx->diag, &at, SCN_ERROR_SYNTAX,
                    "a '\\' continues a statement and must end its line");
      return FALSE;
    }
  lx->pos = p;
  if (p < lx->len_bytes)
    {
      lx->pos++;
      lx->line++;
      lx->line_start = lx->pos;
    }
  return TRUE;
}

void
scn_lexer_next (ScnLexer *lx, ScnToken *tok)
{
  g_return_if_fail (lx != NULL && tok != NULL);
  g_return_if_fail (tok->text == NULL);

  for (;;)
    {
      int c = peek (lx, 0);
      ScnLoc loc = here (lx);

      switch (c)
        {
        case -1:
          tok->kind = SCN_TOKEN_EOF;
          tok->loc = loc;
          return;
        case ' ':
        case '\t':
        case '\r':
          lx->pos++;
          continue;
        case '#':
          skip_to_newline (lx);
          continue;
        case '\\':
          if (!skip_continuation (lx))
            {
              lex_error (lx, &loc, tok);
              return;
            }
          continue;
        case '\n':
          tok->kind = SCN_TOKEN_NEWLINE;
          tok->loc = loc;
          lx->pos++;
          lx->line++;
          lx->line_start = lx->pos;
          return;
        case '=':
          tok->kind = SCN_TOKEN_EQUALS;
          tok->loc = loc;
          lx->pos++;
          return;
        case '{':
        case '}':
          tok->kind = c == '{' ? SCN_TOKEN_LBRACE : SCN_TOKEN_RBRACE;
          tok->loc = loc;
          lx->pos++;
          return;
        case '"':
          scan_string (lx, tok);
          return;
        default:
          break;
        }
      if (at_arrow (lx))
        {
          tok->kind = SCN_TOKEN_ARROW;
          tok->loc = loc;
          lx->pos += 3;
          return;
        }
      if (is_word_char (c))
        {
          scan_word (lx, tok);
          return;
        }
      if (is_reserved (c))
        scn_diag_add (lx->diag, &loc, SCN_ERROR_SYNTAX,
                      "character '%c' is reserved for later versions of "
                      "the language", c);
      else if (c >= 0x80)
        scn_diag_add (lx->diag, &loc, SCN_ERROR_SYNTAX,
                      "unexpected byte 0x%02X: only ASCII is allowed "
                      "outside comments and strings", (guint) c);
      else
        scn_diag_add (lx->diag, &loc, SCN_ERROR_SYNTAX,
                      "unexpected control character 0x%02X", (guint) c);
      lex_error (lx, &loc, tok);
      return;
    }
}
