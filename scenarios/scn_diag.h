/* scn_diag.h: source locations, error collection and "did you mean"
 * hints, shared by every layer of the scenario language.
 *
 * Every token and AST node carries a ScnLoc.  The lexer, the parser and
 * the builder add what they find wrong to one ScnDiag and carry on, so the
 * user sees every mistake in a file at once instead of one per run; at the
 * end scn_diag_propagate() sorts the messages by position and joins them,
 * one per line, into a single GError.
 *
 * Call order: scn_diag_new() -> scn_diag_add()... -> scn_diag_propagate()
 * -> scn_diag_free().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SCN_ERROR (scn_error_quark ())
GQuark scn_error_quark (void);

/* The code of a joined error is the code of its first message. */
typedef enum {
  SCN_ERROR_SYNTAX,             /* lexer and parser */
  SCN_ERROR_UNKNOWN,            /* unknown keyword, key, name or unit */
  SCN_ERROR_VALUE,              /* wrong type, unit, or out of range */
  SCN_ERROR_DUPLICATE,          /* a name or a key given twice */
  SCN_ERROR_MISSING,            /* a required argument or key is absent */
  SCN_ERROR_BUILD,              /* a model refused a checked configuration */
} ScnErrorCode;

/* Where something was written.  @file is not owned: it points into the
 * ScnScript (or the override) that the token came from, which outlives
 * every location taken from it.  A --set item has @line 0, @file is the
 * whole "--set KEY=VALUE" text, which is what its messages start with,
 * and @col its position on the command line, which orders its messages. */
typedef struct {
  const char *file;
  guint line;                   /* 1-based; 0: not in a file */
  guint col;                    /* 1-based byte column (see above) */
} ScnLoc;

typedef struct ScnDiag ScnDiag;

/* Messages past @max_errors are counted but not kept, so binary garbage
 * yields a readable report instead of a million lines. */
#define SCN_DIAG_DEFAULT_MAX_ERRORS 50u

/* Returns: (transfer full): an empty collector. */
ScnDiag *scn_diag_new (guint max_errors);
void scn_diag_free (ScnDiag *diag);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScnDiag, scn_diag_free)

/* Records "FILE:LINE:COL: MESSAGE" (or "--set K=V: MESSAGE"). */
void scn_diag_add (ScnDiag *diag, const ScnLoc *loc, ScnErrorCode code,
                   const char *format, ...) G_GNUC_PRINTF (4, 5);
/* Records @error's message at @loc with @code (the error's own domain
 * and code are dropped). */
void scn_diag_add_error (ScnDiag *diag, const ScnLoc *loc, ScnErrorCode code,
                         const char *prefix, const GError *error);
guint scn_diag_count (const ScnDiag *diag);

/* Returns TRUE, with nothing set, when no error was recorded; otherwise
 * sets @error to every message, sorted by position, joined by newlines,
 * and returns FALSE. */
gboolean scn_diag_propagate (const ScnDiag *diag, GError **error);

/* Levenshtein distance, counted in bytes. */
gsize scn_edit_distance (const char *a, const char *b);

/* Returns: (transfer none) (nullable): the candidate nearest to @word when
 * it is near enough to be a plausible typo, else NULL.  Ties go to the
 * earliest candidate.  @n_candidates -1: @candidates is NULL-terminated. */
const char *scn_suggest (const char *word, const char *const *candidates,
                         gssize n_candidates);

/* Returns: (transfer full): " (did you mean 'X'?)" or "". */
char *scn_hint (const char *word, const char *const *candidates,
                gssize n_candidates);

/* Returns: (transfer full): @text made safe to quote in a message: bytes
 * outside printable ASCII become \xNN and anything past @max_chars is cut
 * and marked with "...". */
char *scn_quote (const char *text, gsize max_chars);

/* The length at which messages cut quoted user text. */
#define SCN_QUOTE_MAX_CHARS 40u

G_END_DECLS
