/* fingerprint.c: SHA-256 over each record's JSON text, newline-separated,
 * so the fingerprint of a run equals the SHA-256 of its trace.jsonl. */
#include "sim/fingerprint.h"

struct SimFingerprint {
  GChecksum *sha;
  GString *line;
  guint64 count;
};

static void
on_record (const SimTraceRecord *rec, void *data)
{
  SimFingerprint *fp = data;

  g_string_truncate (fp->line, 0);
  sim_trace_record_to_json (rec, fp->line);
  g_string_append_c (fp->line, '\n');
  g_checksum_update (fp->sha, (const guchar *) fp->line->str,
                     (gssize) fp->line->len);
  fp->count++;
}

SimFingerprint *
sim_fingerprint_new (SimTraceBus *bus)
{
  SimFingerprint *fp = g_new0 (SimFingerprint, 1);

  fp->sha = g_checksum_new (G_CHECKSUM_SHA256);
  fp->line = g_string_sized_new (256);
  sim_trace_subscribe (bus, on_record, fp);
  return fp;
}

void
sim_fingerprint_free (SimFingerprint *fp)
{
  if (fp == NULL)
    return;
  g_checksum_free (fp->sha);
  g_string_free (fp->line, TRUE);
  g_free (fp);
}

guint64
sim_fingerprint_count (const SimFingerprint *fp)
{
  return fp->count;
}

char *
sim_fingerprint_hex (const SimFingerprint *fp)
{
  g_autoptr (GChecksum) copy = g_checksum_copy (fp->sha);

  return g_strdup (g_checksum_get_string (copy));
}
