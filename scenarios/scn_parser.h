/* scn_parser.h: the syntax tree of a scenario file.
 *
 * Grammar (v1; see docs/scenario-language.md):
 *
 *   file      = { line } ;
 *   line      = [ statement ] NEWLINE ;
 *   statement = KEYWORD { argument } { pair } ;
 *   argument  = WORD | STRING | "<->" ;
 *   pair      = WORD "=" ( WORD | STRING ) ;   (no spaces around "=")
 *
 * The parser knows no keyword: it checks only this shape, so that new
 * statements (and later sections, a timeline and triggers) need no change
 * here.  Meaning, names and units are the builder's (scn_build.c).  A
 * statement with a syntax error stays in the tree marked @broken, so the
 * builder can still learn the name it declares and does not pile up
 * "unknown host" errors behind one typo.
 *
 * Call order: scn_parse() -> (scn_build.c reads and may add to the tree)
 * -> scn_script_free().
 */
#pragma once

#include "scenarios/scn_diag.h"

G_BEGIN_DECLS

typedef enum {
  SCN_ARG_WORD,
  SCN_ARG_STRING,
  SCN_ARG_ARROW,                /* text is "<->" */
} ScnArgKind;

typedef struct {
  ScnArgKind kind;
  ScnLoc loc;
  char *text;                   /* (owned) */
} ScnArg;

typedef struct {
  char *key;                    /* (owned) */
  ScnLoc key_loc;
  char *value;                  /* (owned) */
  ScnLoc value_loc;
  gboolean value_quoted;        /* written as a "string" */
  gboolean overridden;          /* replaced or added by --set */
} ScnKv;

typedef struct {
  char *keyword;                /* (owned) */
  ScnLoc loc;
  GPtrArray *args;              /* (element-type ScnArg) positionals */
  GPtrArray *kvs;               /* (element-type ScnKv) in written order */
  gboolean broken;              /* had a syntax error */
} ScnStmt;

typedef struct {
  char *file;                   /* (owned) the name locations point at */
  GPtrArray *stmts;             /* (element-type ScnStmt) in file order */
  GPtrArray *origins;           /* (element-type utf8) other strings that
                                 * locations point at (--set items) */
} ScnScript;

/* Returns: (transfer full): the tree of @text (@len_bytes long, any
 * bytes), never NULL.  Syntax errors go to @diag, located in @file (a
 * display name: the path as the user wrote it, or a basename). */
ScnScript *scn_parse (const char *file, const char *text, gsize len_bytes,
                      ScnDiag *diag);
void scn_script_free (ScnScript *script);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScnScript, scn_script_free)

/* Returns: (transfer none): a copy of @text that lives as long as
 * @script, for locations that point outside the file. */
const char *scn_script_intern (ScnScript *script, const char *text);

/* Returns: (transfer none): a new statement appended to @script. */
ScnStmt *scn_script_add_stmt (ScnScript *script, const char *keyword,
                              const ScnLoc *loc);
/* Returns: (transfer none): a new pair appended to @stmt. */
ScnKv *scn_stmt_add_kv (ScnStmt *stmt, const char *key, const ScnLoc *key_loc,
                        const char *value, const ScnLoc *value_loc);
/* Returns: (transfer none): a new positional argument. */
ScnArg *scn_stmt_add_arg (ScnStmt *stmt, ScnArgKind kind, const char *text,
                          const ScnLoc *loc);

/* Returns: (transfer none) (nullable): the first pair with @key. */
ScnKv *scn_stmt_find_kv (const ScnStmt *stmt, const char *key);
/* Returns: (transfer none) (nullable): argument @i when it is a WORD. */
const char *scn_stmt_word (const ScnStmt *stmt, guint i);

/* Appends @stmt in canonical form ("host a addr=1.2.3.4", strings
 * re-quoted, no location), for tests and debugging. */
void scn_stmt_to_string (const ScnStmt *stmt, GString *out);

G_END_DECLS
