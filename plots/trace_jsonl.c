/* trace_jsonl.c: the trace.jsonl writer.
 *
 * Records are formatted into one GString by sim_trace_record_to_json()
 * and written with fwrite() once the buffer passes FLUSH_BYTES, so a long
 * run costs one system call per few hundred records.  The first write
 * error is kept: later records are dropped and trace_jsonl_close()
 * reports it.
 */
#include "plots/trace_jsonl.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>

#define FLUSH_BYTES (64u * 1024u)

struct TraceJsonl {
  char *path;
  FILE *file;                   /* NULL once closed */
  GString *buf;
  GError *error;                /* the first write error */
};

TraceJsonl *
trace_jsonl_open (const char *path, GError **error)
{
  TraceJsonl *w;
  FILE *file;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_fopen (path, "wb");
  if (file == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "cannot create %s: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  w = g_new0 (TraceJsonl, 1);
  w->path = g_strdup (path);
  w->file = file;
  w->buf = g_string_sized_new (FLUSH_BYTES + 4096);
  return w;
}

static void
jsonl_flush (TraceJsonl *w)
{
  if (w->buf->len > 0 && w->error == NULL
      && fwrite (w->buf->str, 1, w->buf->len, w->file) != w->buf->len)
    {
      int saved_errno = errno;

      g_set_error (&w->error, G_FILE_ERROR,
                   g_file_error_from_errno (saved_errno),
                   "cannot write %s: %s", w->path, g_strerror (saved_errno));
    }
  g_string_truncate (w->buf, 0);
}

void
trace_jsonl_record (const SimTraceRecord *rec, void *data)
{
  TraceJsonl *w = data;

  if (w->file == NULL || w->error != NULL)
    return;
  sim_trace_record_to_json (rec, w->buf);
  g_string_append_c (w->buf, '\n');
  if (w->buf->len >= FLUSH_BYTES)
    jsonl_flush (w);
}

gboolean
trace_jsonl_close (TraceJsonl *w, GError **error)
{
  g_return_val_if_fail (w != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (w->file == NULL)
    return TRUE;
  jsonl_flush (w);
  if (fclose (w->file) != 0 && w->error == NULL)
    {
      int saved_errno = errno;

      g_set_error (&w->error, G_FILE_ERROR,
                   g_file_error_from_errno (saved_errno),
                   "cannot write %s: %s", w->path, g_strerror (saved_errno));
    }
  w->file = NULL;
  if (w->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&w->error));
      return FALSE;
    }
  return TRUE;
}

void
trace_jsonl_free (TraceJsonl *w)
{
  if (w == NULL)
    return;
  if (w->file != NULL)
    trace_jsonl_close (w, NULL);
  g_clear_error (&w->error);
  g_string_free (w->buf, TRUE);
  g_free (w->path);
  g_free (w);
}
