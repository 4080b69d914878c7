/* drill.h: packetdrill scripts run against the tcpsim TCP model.
 *
 * A script is parsed whole before anything runs, so a malformed script
 * fails with FILE:LINE:COL and never half-runs.  drill_run() then builds a
 * world of its own: the host under test (192.168.0.1, the tcpsim stack)
 * and a peer (192.0.2.1, a router without TCP) on a link with no delay and
 * no rate limit.  The script's system calls drive the host's sockets at
 * their times, its '<' packets are injected from the peer, and every
 * packet the host sends must match the next '>' line.  See
 * docs/packetdrill.md for the language and what it maps to.
 *
 * Call order: drill_script_load_file() (or drill_script_parse()) ->
 * drill_options_init() -> drill_run() -> drill_script_free().
 */
#pragma once

#include <glib.h>

#include "sim/clock.h"

G_BEGIN_DECLS

#define DRILL_ERROR (drill_error_quark ())
GQuark drill_error_quark (void);

typedef enum {
  /* The script is malformed: "FILE:LINE:COL: error: ...". */
  DRILL_ERROR_SYNTAX,
  /* Well formed, but it asks for something tcpsim does not model:
   * "FILE:LINE: error: ...". */
  DRILL_ERROR_UNSUPPORTED,
  /* An expectation was not met: "FILE:LINE: error: ... expected ...
   * actual ...". */
  DRILL_ERROR_FAILED,
} DrillErrorCode;

/* packetdrill's default tolerance for the time of an event. */
#define DRILL_DEFAULT_TOLERANCE_NS SIM_MS (4)

typedef struct DrillScript DrillScript;

/* Returns: (transfer full) (nullable): the parsed script, or NULL with
 * @error set (DRILL_ERROR_SYNTAX) at the first mistake.  @file names the
 * script in messages; @text need not be NUL-terminated. */
DrillScript *drill_script_parse (const char *file, const char *text,
                                 gsize len_bytes, GError **error);
/* Returns: (transfer full) (nullable): drill_script_parse() of the file's
 * contents. */
DrillScript *drill_script_load_file (const char *path, GError **error);
void drill_script_free (DrillScript *script);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrillScript, drill_script_free)

/* The file name the script was parsed under. */
const char *drill_script_file (const DrillScript *script);

/* Receives one line of --verbose output, without a newline. */
typedef void (*DrillLogFn) (const char *line, void *user);

typedef struct {
  const char *profile;          /* "rfc" or "linux" */
  /* Tolerance on event times; negative: the script's --tolerance_usecs
   * line, else DRILL_DEFAULT_TOLERANCE_NS. */
  SimTime tolerance_ns;
  guint64 seed;                 /* the world's seed (ISNs, TS offsets) */
  DrillLogFn log;               /* (nullable) where --verbose goes */
  void *log_user;
} DrillOptions;

/* The `rfc` profile, the script's tolerance, seed 1, no log. */
void drill_options_init (DrillOptions *opts);

/* Runs @script once against a fresh world.  Returns TRUE when every event
 * happened as the script says; otherwise sets @error at the first event
 * that did not (DRILL_ERROR_FAILED), or that tcpsim cannot play
 * (DRILL_ERROR_UNSUPPORTED), and returns FALSE.  An unknown profile is a
 * G_OPTION_ERROR. */
gboolean drill_run (const DrillScript *script, const DrillOptions *opts,
                    GError **error);

G_END_DECLS
