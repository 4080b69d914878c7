/* progress.h: a one-line progress display for long commands.
 *
 * The line is drawn on a terminal only, and only once the command has
 * run for a second, so quick commands and output piped into files or
 * tests stay silent.  Wall-clock time decides what is drawn and when,
 * never anything a command writes to its outputs.
 *
 * Call order: cli_progress_new() -> cli_progress_update()... (as often as
 * wanted; drawing is throttled) -> cli_progress_free() (erases the line).
 */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

typedef struct CliProgress CliProgress;

/* Returns: (transfer full): a display on @stream; silent when @stream is
 * not a terminal (or when the TERM is "dumb"). */
CliProgress *cli_progress_new (FILE *stream);
/* Erases the line, if one was drawn, and frees @progress. */
void cli_progress_free (CliProgress *progress);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliProgress, cli_progress_free)

/* Whether anything may ever be drawn. */
gboolean cli_progress_active (const CliProgress *progress);

/* Seconds since cli_progress_new(). */
double cli_progress_elapsed_s (const CliProgress *progress);

/* Redraws the line with @text when the display is active, a second has
 * passed since it was created and a tenth of a second since the last
 * draw.  @text should fit one line. */
void cli_progress_update (CliProgress *progress, const char *text);

/* Writes "1:05" or "1:02:05" (hours, minutes, seconds) for @seconds,
 * or "?" when negative. */
void cli_progress_format_eta (double seconds, char buf[16]);

G_END_DECLS
