/* drill_lexer.c: bytes -> tokens with file:line:col.
 *
 * drill_lexer_next() skips blanks and comments (skip_blanks()), then
 * dispatches on the first byte: a newline, an option line ("--name=value"
 * first on its line, scan_option()), a number (scan_number()), a word, a
 * string (scan_string()), a shell command in backquotes (scan_command()),
 * punctuation, or an error (lex_error(), after which every token is an
 * error).  Columns count bytes from 1.
 */
#include "scenarios/drill/drill_lexer.h"

#include <string.h>

#include "scenarios/drill/drill.h"

struct DrillLexer {
  const char *file;
  const guchar *text;
  gsize len_bytes;
  gsize pos;
  guint line;
  gsize line_start;             /* offset of the current line's first byte */
  gboolean at_line_start;       /* no token yet on this line */
  GError *error;                /* (nullable) the first error */
};

static const char *const token_kind_names[DRILL_N_TOKEN_KINDS] = {
  [DRILL_TOK_EOF] = "end of file",
  [DRILL_TOK_NEWLINE] = "end of line",
  [DRILL_TOK_NUMBER] = "number",
  [DRILL_TOK_WORD] = "word",
  [DRILL_TOK_STRING] = "string",
  [DRILL_TOK_COMMAND] = "shell command",
  [DRILL_TOK_OPTION] = "option line",
  [DRILL_TOK_ELLIPSIS] = "'...'",
  [DRILL_TOK_DOT] = "'.'",
  [DRILL_TOK_PLUS] = "'+'",
  [DRILL_TOK_MINUS] = "'-'",
  [DRILL_TOK_STAR] = "'*'",
  [DRILL_TOK_TILDE] = "'~'",
  [DRILL_TOK_LT] = "'<'",
  [DRILL_TOK_GT] = "'>'",
  [DRILL_TOK_COLON] = "':'",
  [DRILL_TOK_COMMA] = "','",
  [DRILL_TOK_EQUALS] = "'='",
  [DRILL_TOK_PIPE] = "'|'",
  [DRILL_TOK_LPAREN] = "'('",
  [DRILL_TOK_RPAREN] = "')'",
  [DRILL_TOK_LBRACKET] = "'['",
  [DRILL_TOK_RBRACKET] = "']'",
  [DRILL_TOK_LBRACE] = "'{'",
  [DRILL_TOK_RBRACE] = "'}'",
  [DRILL_TOK_ERROR] = "invalid input",
};

const char *
drill_token_kind_name (DrillTokenKind kind)
{
  g_return_val_if_fail (kind < DRILL_N_TOKEN_KINDS, "?");
  return token_kind_names[kind];
}

void
drill_token_clear (DrillToken *tok)
{
  g_clear_pointer (&tok->text, g_free);
  tok->kind = DRILL_TOK_EOF;
}

DrillLexer *
drill_lexer_new (const char *file, const char *text, gsize len_bytes)
{
  DrillLexer *lx;

  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (text != NULL || len_bytes == 0, NULL);

  lx = g_new0 (DrillLexer, 1);
  lx->file = file;
  lx->text = (const guchar *) (text != NULL ? text : "");
  lx->len_bytes = len_bytes;
  lx->line = 1;
  lx->at_line_start = TRUE;
  /* Editors on some systems start UTF-8 files with a byte-order mark. */
  if (len_bytes >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    lx->pos = lx->line_start = 3;
  return lx;
}

void
drill_lexer_free (DrillLexer *lexer)
{
  if (lexer == NULL)
    return;
  g_clear_error (&lexer->error);
  g_free (lexer);
}

GError *
drill_lexer_take_error (DrillLexer *lexer)
{
  return g_steal_pointer (&lexer->error);
}

static int
peek (const DrillLexer *lx, gsize ahead)
{
  if (lx->pos + ahead >= lx->len_bytes)
    return -1;
  return lx->text[lx->pos + ahead];
}

static DrillLoc
here (const DrillLexer *lx)
{
  DrillLoc loc = { lx->file, lx->line,
                   (guint) MIN (lx->pos - lx->line_start + 1, G_MAXUINT) };

  return loc;
}

static void
new_line (DrillLexer *lx)
{
  /* lx->pos is at the '\n'. */
  lx->pos++;
  lx->line++;
  lx->line_start = lx->pos;
}

static void lex_error (DrillLexer *lx, const DrillLoc *loc, DrillToken *tok,
                       const char *format, ...) G_GNUC_PRINTF (4, 5);

static void
lex_error (DrillLexer *lx, const DrillLoc *loc, DrillToken *tok,
           const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (lx->error == NULL)
    lx->error = g_error_new (DRILL_ERROR, DRILL_ERROR_SYNTAX,
                             "%s:%u:%u: error: %s", loc->file, loc->line,
                             loc->col, message);
  tok->kind = DRILL_TOK_ERROR;
  tok->loc = *loc;
  /* Nothing after an error is read: the parser stops at the first one. */
  lx->pos = lx->len_bytes;
}

/* Skips blanks and comments.  Returns TRUE when a block comment spanned a
 * line break, which then ends the event like a newline. */
static gboolean
skip_blanks (DrillLexer *lx, DrillToken *tok)
{
  gboolean crossed = FALSE;

  for (;;)
    {
      int c = peek (lx, 0);

      if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
        lx->pos++;
      else if (c == '/' && peek (lx, 1) == '/')
        {
          while (lx->pos < lx->len_bytes && lx->text[lx->pos] != '\n')
            lx->pos++;
        }
      else if (c == '/' && peek (lx, 1) == '*')
        {
          DrillLoc start = here (lx);

          lx->pos += 2;
          for (;;)
            {
              int d = peek (lx, 0);

              if (d < 0)
                {
                  lex_error (lx, &start, tok, "unterminated comment");
                  return FALSE;
                }
              if (d == '*' && peek (lx, 1) == '/')
                {
                  lx->pos += 2;
                  break;
                }
              if (d == '\n')
                {
                  new_line (lx);
                  crossed = TRUE;
                }
              else
                lx->pos++;
            }
        }
      else
        return crossed;
    }
}

static gboolean
is_word_start (int c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_word_char (int c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static char *
take (const DrillLexer *lx, gsize start)
{
  return g_strndup ((const char *) lx->text + start, lx->pos - start);
}

static void
scan_number (DrillLexer *lx, DrillToken *tok)
{
  gsize start = lx->pos;

  if (peek (lx, 0) == '0' && (peek (lx, 1) == 'x' || peek (lx, 1) == 'X'))
    {
      lx->pos += 2;
      if (!g_ascii_isxdigit (peek (lx, 0)))
        {
          lex_error (lx, &tok->loc, tok, "'0x' without hexadecimal digits");
          return;
        }
      while (g_ascii_isxdigit (peek (lx, 0)))
        lx->pos++;
    }
  else
    {
      while (g_ascii_isdigit (peek (lx, 0)))
        lx->pos++;
      /* "0.100" is one number, but "0...0.2" is a number, '...', and a
       * number. */
      if (peek (lx, 0) == '.' && g_ascii_isdigit (peek (lx, 1)))
        {
          lx->pos++;
          while (g_ascii_isdigit (peek (lx, 0)))
            lx->pos++;
        }
    }
  if (is_word_char (peek (lx, 0)))
    {
      DrillLoc loc = here (lx);

      lex_error (lx, &loc, tok, "unexpected '%c' after the number '%.*s'",
                 peek (lx, 0), (int) (lx->pos - start),
                 (const char *) lx->text + start);
      return;
    }
  tok->kind = DRILL_TOK_NUMBER;
  tok->text = take (lx, start);
}

static void
scan_string (DrillLexer *lx, DrillToken *tok)
{
  GString *s = g_string_new (NULL);

  lx->pos++;                    /* the opening quote */
  for (;;)
    {
      int c = peek (lx, 0);

      if (c < 0 || c == '\n')
        {
          g_string_free (s, TRUE);
          lex_error (lx, &tok->loc, tok, "unterminated string");
          return;
        }
      lx->pos++;
      if (c == '"')
        break;
      if (c == '\\')
        {
          int e = peek (lx, 0);

          if (e == 'n')
            c = '\n';
          else if (e == 't')
            c = '\t';
          else if (e == '\\' || e == '"')
            c = e;
          else
            {
              DrillLoc loc = here (lx);

              g_string_free (s, TRUE);
              lex_error (lx, &loc, tok, "unknown escape in a string");
              return;
            }
          lx->pos++;
        }
      g_string_append_c (s, (char) c);
    }
  tok->kind = DRILL_TOK_STRING;
  tok->text = g_string_free (s, FALSE);
}

static void
scan_command (DrillLexer *lx, DrillToken *tok)
{
  gsize start;

  lx->pos++;                    /* the opening backquote */
  start = lx->pos;
  while (peek (lx, 0) >= 0 && peek (lx, 0) != '`')
    {
      if (peek (lx, 0) == '\n')
        new_line (lx);
      else
        lx->pos++;
    }
  if (peek (lx, 0) < 0)
    {
      lex_error (lx, &tok->loc, tok, "unterminated shell command (no "
                 "closing '`')");
      return;
    }
  tok->kind = DRILL_TOK_COMMAND;
  tok->text = take (lx, start);
  lx->pos++;
}

static void
scan_option (DrillLexer *lx, DrillToken *tok)
{
  gsize start;

  lx->pos += 2;                 /* "--" */
  start = lx->pos;
  while (peek (lx, 0) >= 0 && peek (lx, 0) != '\n' && peek (lx, 0) != ' '
         && peek (lx, 0) != '\t' && peek (lx, 0) != '\r')
    lx->pos++;
  tok->kind = DRILL_TOK_OPTION;
  tok->text = take (lx, start);
}

void
drill_lexer_next (DrillLexer *lx, DrillToken *tok)
{
  gsize start_pos = lx->pos;
  gboolean crossed;
  int c;

  g_return_if_fail (tok->text == NULL);

  if (lx->error != NULL)
    {
      tok->kind = DRILL_TOK_ERROR;
      tok->loc = here (lx);
      return;
    }
  crossed = skip_blanks (lx, tok);
  if (lx->error != NULL)
    return;
  tok->space_before = lx->pos != start_pos || lx->at_line_start;
  tok->loc = here (lx);
  if (crossed && !lx->at_line_start)
    {
      tok->kind = DRILL_TOK_NEWLINE;
      lx->at_line_start = TRUE;
      return;
    }
  c = peek (lx, 0);
  if (c < 0)
    {
      tok->kind = DRILL_TOK_EOF;
      return;
    }
  if (c == '\n')
    {
      new_line (lx);
      tok->kind = DRILL_TOK_NEWLINE;
      lx->at_line_start = TRUE;
      return;
    }
  if (lx->at_line_start && c == '-' && peek (lx, 1) == '-'
      && is_word_start (peek (lx, 2)))
    {
      lx->at_line_start = FALSE;
      scan_option (lx, tok);
      return;
    }
  lx->at_line_start = FALSE;
  if (g_ascii_isdigit (c) || (c == '.' && g_ascii_isdigit (peek (lx, 1))))
    {
      scan_number (lx, tok);
      return;
    }
  if (is_word_start (c))
    {
      gsize start = lx->pos;

      while (is_word_char (peek (lx, 0)))
        lx->pos++;
      tok->kind = DRILL_TOK_WORD;
      tok->text = take (lx, start);
      return;
    }
  if (c == '"')
    {
      scan_string (lx, tok);
      return;
    }
  if (c == '`')
    {
      scan_command (lx, tok);
      return;
    }
  if (c == '.' && peek (lx, 1) == '.' && peek (lx, 2) == '.')
    {
      lx->pos += 3;
      tok->kind = DRILL_TOK_ELLIPSIS;
      return;
    }
  if (c == '%' && peek (lx, 1) == '{')
    {
      lex_error (lx, &tok->loc, tok, "inline Python ('%%{ ... }%%') is not "
                 "supported");
      return;
    }
  {
    static const struct {
      char c;
      DrillTokenKind kind;
    } punct[] = {
      { '.', DRILL_TOK_DOT }, { '+', DRILL_TOK_PLUS },
      { '-', DRILL_TOK_MINUS }, { '*', DRILL_TOK_STAR },
      { '~', DRILL_TOK_TILDE }, { '<', DRILL_TOK_LT },
      { '>', DRILL_TOK_GT }, { ':', DRILL_TOK_COLON },
      { ',', DRILL_TOK_COMMA }, { '=', DRILL_TOK_EQUALS },
      { '|', DRILL_TOK_PIPE }, { '(', DRILL_TOK_LPAREN },
      { ')', DRILL_TOK_RPAREN }, { '[', DRILL_TOK_LBRACKET },
      { ']', DRILL_TOK_RBRACKET }, { '{', DRILL_TOK_LBRACE },
      { '}', DRILL_TOK_RBRACE },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (punct); i++)
      if (punct[i].c == c)
        {
          lx->pos++;
          tok->kind = punct[i].kind;
          return;
        }
  }
  if (g_ascii_isprint (c))
    lex_error (lx, &tok->loc, tok, "unexpected character '%c'", c);
  else
    lex_error (lx, &tok->loc, tok, "unexpected character '\\x%02x'", c);
}

void
drill_lexer_raw_paren (DrillLexer *lx, DrillToken *tok)
{
  gsize start = lx->pos;
  guint depth = 0;

  g_return_if_fail (tok->text == NULL);
  tok->loc = here (lx);
  tok->space_before = FALSE;
  if (lx->error != NULL)
    {
      tok->kind = DRILL_TOK_ERROR;
      return;
    }
  /* The text may hold parentheses of its own, balanced. */
  for (;;)
    {
      int c = peek (lx, 0);

      if (c < 0 || c == '\n')
        {
          lex_error (lx, &tok->loc, tok, "no ')' closes this text before "
                     "the end of the line");
          return;
        }
      if (c == ')' && depth == 0)
        break;
      if (c == '(')
        depth++;
      else if (c == ')')
        depth--;
      lx->pos++;
    }
  tok->kind = DRILL_TOK_STRING;
  tok->text = take (lx, start);
  lx->pos++;
}
