/* drill_lexer.h: the tokens of packetdrill scripts.
 *
 * The language is line-oriented: a newline ends an event, except inside
 * brackets, where the parser skips newlines.  "//" comments run to the end
 * of the line; "/" "*" comments may span lines and then count as one
 * newline.  Every token carries its file:line:col and whether blanks
 * preceded it, so the parser can join "S" and "." into the flags "S.".
 *
 * The lexer stops at the first error: it returns DRILL_TOK_ERROR from then
 * on, and drill_lexer_take_error() hands the parser the GError.  It never
 * reads past @len_bytes, so it takes any bytes at all (NULs included).
 *
 * Call order: drill_lexer_new() -> drill_lexer_next()... (and, right after
 * a '(' that opens an errno's text, drill_lexer_raw_paren()) ->
 * drill_lexer_free().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where something was written.  @file is not owned: it points into the
 * DrillScript, which outlives every location taken from it. */
typedef struct {
  const char *file;
  guint line;                   /* 1-based */
  guint col;                    /* 1-based byte column */
} DrillLoc;

typedef enum {
  DRILL_TOK_EOF,
  DRILL_TOK_NEWLINE,
  DRILL_TOK_NUMBER,             /* 12, 0.100, .1, 0x802 */
  DRILL_TOK_WORD,               /* S, ack, SOCK_STREAM, sackOK */
  DRILL_TOK_STRING,             /* "cubic", escapes resolved */
  DRILL_TOK_COMMAND,            /* `shell command`, without the quotes */
  DRILL_TOK_OPTION,             /* --name=value at the start of a line */
  DRILL_TOK_ELLIPSIS,           /* ... */
  DRILL_TOK_DOT,
  DRILL_TOK_PLUS,
  DRILL_TOK_MINUS,
  DRILL_TOK_STAR,
  DRILL_TOK_TILDE,
  DRILL_TOK_LT,
  DRILL_TOK_GT,
  DRILL_TOK_COLON,
  DRILL_TOK_COMMA,
  DRILL_TOK_EQUALS,
  DRILL_TOK_PIPE,
  DRILL_TOK_LPAREN,
  DRILL_TOK_RPAREN,
  DRILL_TOK_LBRACKET,
  DRILL_TOK_RBRACKET,
  DRILL_TOK_LBRACE,
  DRILL_TOK_RBRACE,
  DRILL_TOK_ERROR,              /* see drill_lexer_take_error() */
  DRILL_N_TOKEN_KINDS
} DrillTokenKind;

/* "end of file", "number", "'<'", ... for messages. */
const char *drill_token_kind_name (DrillTokenKind kind);

typedef struct {
  DrillTokenKind kind;
  DrillLoc loc;
  char *text;                   /* (owned) (nullable): NUMBER, WORD, STRING,
                                 * COMMAND, OPTION */
  gboolean space_before;        /* blanks (or a line start) before it */
} DrillToken;

/* Frees the token's text and empties it. */
void drill_token_clear (DrillToken *tok);

typedef struct DrillLexer DrillLexer;

/* Returns: (transfer full): a lexer over @text (@len_bytes long, need not
 * be NUL-terminated).  @file and @text must outlive it. */
DrillLexer *drill_lexer_new (const char *file, const char *text,
                             gsize len_bytes);
void drill_lexer_free (DrillLexer *lexer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrillLexer, drill_lexer_free)

/* Fills @tok (which must be clear) with the next token.  After EOF or an
 * error every call returns the same kind again. */
void drill_lexer_next (DrillLexer *lexer, DrillToken *tok);

/* Reads the free text up to the next ')' on the same line, which it
 * consumes, into @tok as a DRILL_TOK_STRING: the "(Connection refused)"
 * after an errno.  An error token when the line ends first. */
void drill_lexer_raw_paren (DrillLexer *lexer, DrillToken *tok);

/* Returns: (transfer full) (nullable): the error behind the first
 * DRILL_TOK_ERROR, "FILE:LINE:COL: error: ..."; NULL when none. */
GError *drill_lexer_take_error (DrillLexer *lexer);

G_END_DECLS
