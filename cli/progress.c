/* progress.c: the one-line progress display.
 *
 * cli_progress_new() decides once whether the stream is a terminal;
 * cli_progress_update() redraws with "\r", the text and an erase to the
 * end of the line (ECMA-48 EL, "\033[K"), throttled to ten draws a
 * second; cli_progress_free() erases the line so that whatever prints
 * next starts on a clean one.
 */
#include "cli/progress.h"

#include <string.h>
#include <unistd.h>

#define PROGRESS_DELAY_US G_USEC_PER_SEC
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 10)

struct CliProgress {
  FILE *stream;
  gboolean active;
  gboolean drawn;
  gint64 start_us;
  gint64 last_draw_us;
};

CliProgress *
cli_progress_new (FILE *stream)
{
  CliProgress *p = g_new0 (CliProgress, 1);
  const char *term = g_getenv ("TERM");

  p->stream = stream;
  p->active = stream != NULL && isatty (fileno (stream))
              && !(term != NULL && strcmp (term, "dumb") == 0);
  p->start_us = g_get_monotonic_time ();
  return p;
}

void
cli_progress_free (CliProgress *p)
{
  if (p == NULL)
    return;
  if (p->drawn)
    {
      fputs ("\r\033[K", p->stream);
      fflush (p->stream);
    }
  g_free (p);
}

gboolean
cli_progress_active (const CliProgress *p)
{
  return p != NULL && p->active;
}

double
cli_progress_elapsed_s (const CliProgress *p)
{
  g_return_val_if_fail (p != NULL, 0.0);
  return (double) (g_get_monotonic_time () - p->start_us) / 1e6;
}

void
cli_progress_update (CliProgress *p, const char *text)
{
  gint64 now_us;

  g_return_if_fail (p != NULL);
  g_return_if_fail (text != NULL);

  if (!p->active)
    return;
  now_us = g_get_monotonic_time ();
  if (now_us - p->start_us < PROGRESS_DELAY_US)
    return;
  if (p->drawn && now_us - p->last_draw_us < PROGRESS_INTERVAL_US)
    return;
  fprintf (p->stream, "\r%s\033[K", text);
  fflush (p->stream);
  p->drawn = TRUE;
  p->last_draw_us = now_us;
}

void
cli_progress_format_eta (double seconds, char buf[16])
{
  guint64 s;

  if (!(seconds >= 0.0) || seconds > 99.0 * 3600.0)
    {
      g_strlcpy (buf, "?", 16);
      return;
    }
  s = (guint64) (seconds + 0.5);
  if (s >= 3600)
    g_snprintf (buf, 16, "%" G_GUINT64_FORMAT ":%02u:%02u", s / 3600,
                (guint) (s / 60 % 60), (guint) (s % 60));
  else
    g_snprintf (buf, 16, "%u:%02u", (guint) (s / 60), (guint) (s % 60));
}
