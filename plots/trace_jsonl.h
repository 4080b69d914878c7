/* trace_jsonl.h: OUTDIR/trace.jsonl, every trace record as one line of
 * JSON (schema in docs/trace-format.md). */
#pragma once

#include "sim/trace.h"

G_BEGIN_DECLS

typedef struct TraceJsonl TraceJsonl;

/* Returns: (transfer full) (nullable): a writer to @path (created or
 * truncated), or NULL with @error set. */
TraceJsonl *trace_jsonl_open (const char *path, GError **error);

/* A SimTraceFn; @data is the writer.  Output is buffered; a write error
 * is kept and reported by trace_jsonl_close(). */
void trace_jsonl_record (const SimTraceRecord *rec, void *data);

/* Flushes and closes the file.  Returns FALSE with @error set when any
 * write failed.  The writer must still be freed. */
gboolean trace_jsonl_close (TraceJsonl *writer, GError **error);
/* Closes (ignoring errors) if still open, and frees. */
void trace_jsonl_free (TraceJsonl *writer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TraceJsonl, trace_jsonl_free)

G_END_DECLS
