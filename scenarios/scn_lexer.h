/* scn_lexer.h: the tokens of the scenario language.
 *
 * The language is line-oriented: a newline ends a statement, '#' starts a
 * comment that runs to the end of the line, and a backslash at the end of
 * a line continues the statement on the next one.  A word is any run of
 * printable ASCII other than the characters with a meaning of their own
 * (= " { } # \ and the reserved $ @ ( ) [ ] ; ' `), so "10Mbps",
 * "client>server.loss", "server:8080" and "S+" are single words; "<->" is
 * a token of its own even when written without spaces around it.
 *
 * A lexical error is reported to the ScnDiag once, the rest of its line is
 * skipped, and a SCN_TOKEN_ERROR token tells the parser to drop the
 * statement.  The lexer never fails and never reads past @len_bytes, so it
 * takes any bytes at all (NULs included).
 *
 * Call order: scn_lexer_new() -> scn_lexer_next()... until SCN_TOKEN_EOF
 * -> scn_lexer_free().
 */
#pragma once

#include "scenarios/scn_diag.h"

G_BEGIN_DECLS

typedef enum {
  SCN_TOKEN_EOF,
  SCN_TOKEN_NEWLINE,            /* ends a statement */
  SCN_TOKEN_WORD,               /* keyword, name, value, "a>b.loss" */
  SCN_TOKEN_STRING,             /* "double quoted", escapes resolved */
  SCN_TOKEN_EQUALS,
  SCN_TOKEN_ARROW,              /* <-> */
  SCN_TOKEN_LBRACE,             /* reserved for sections */
  SCN_TOKEN_RBRACE,
  SCN_TOKEN_ERROR,              /* reported; the line's rest is skipped */
  SCN_N_TOKEN_KINDS
} ScnTokenKind;

/* "end of file", "newline", "word", ... for messages. */
const char *scn_token_kind_name (ScnTokenKind kind);

typedef struct {
  ScnTokenKind kind;
  ScnLoc loc;
  char *text;                   /* (owned) (nullable): WORD and STRING */
} ScnToken;

/* Frees the token's text and empties it. */
void scn_token_clear (ScnToken *tok);

typedef struct ScnLexer ScnLexer;

/* Returns: (transfer full): a lexer over @text (@len_bytes long, need not
 * be NUL-terminated).  @file, @text and @diag must outlive the lexer;
 * locations point at @file. */
ScnLexer *scn_lexer_new (const char *file, const char *text, gsize len_bytes,
                         ScnDiag *diag);
void scn_lexer_free (ScnLexer *lexer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScnLexer, scn_lexer_free)

/* Fills @tok (which must be clear) with the next token.  After
 * SCN_TOKEN_EOF every call returns SCN_TOKEN_EOF again. */
void scn_lexer_next (ScnLexer *lexer, ScnToken *tok);

G_END_DECLS
