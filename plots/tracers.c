/* tracers.c: opens the views a TracersConfig asks for, subscribes them
 * to the world's trace bus, and finishes them after the run.
 *
 * tracers_open() -> (run: tracers_record() hands each record to
 * trace_jsonl, pcap_writer, seqdiag_collect and summary) ->
 * tracers_close(): files flushed, the diagram and the summary rendered,
 * printed and written; later records are ignored.
 */
#include "plots/tracers.h"

#include <errno.h>
#include <string.h>

#include "plots/pcap_writer.h"
#include "plots/seqdiag_collect.h"
#include "plots/seqdiag_text.h"
#include "plots/summary.h"
#include "plots/trace_jsonl.h"

#define DEFAULT_DIAGRAM_MAX_SEGMENTS 40u
#define DEFAULT_SUMMARY_MAX_ROWS 20u

struct Tracers {
  Network *net;
  TracersConfig config;         /* .outdir points to outdir below */
  char *outdir;
  TraceJsonl *jsonl;
  PcapLinkTracer *pcap;
  SeqDiagCollector *diagram;
  Summary *summary;
  gboolean closed;
};

void
tracers_config_init (TracersConfig *config)
{
  g_return_if_fail (config != NULL);

  memset (config, 0, sizeof *config);
  config->outdir = NULL;
  config->jsonl = TRUE;
  config->pcap = TRUE;
  config->diagram = TRUE;
  config->ascii = FALSE;
  config->diagram_max_segments = DEFAULT_DIAGRAM_MAX_SEGMENTS;
  config->summary = TRUE;
  config->out = NULL;
  config->summary_max_rows = DEFAULT_SUMMARY_MAX_ROWS;
}

/* The one subscriber of a Tracers: the views in a fixed order, and
 * nothing once closed, since models may still emit (timers cancelled while
 * the world is freed) and the bus has no unsubscribe. */
static void
tracers_record (const SimTraceRecord *rec, void *data)
{
  Tracers *t = data;

  if (t->closed)
    return;
  if (t->jsonl != NULL)
    trace_jsonl_record (rec, t->jsonl);
  if (t->pcap != NULL)
    pcap_link_tracer_record (rec, t->pcap);
  if (t->diagram != NULL)
    seqdiag_collector_record (rec, t->diagram);
  if (t->summary != NULL)
    summary_record (rec, t->summary);
}

Tracers *
tracers_open (Network *net, const TracersConfig *config, GError **error)
{
  g_autoptr (Tracers) t = NULL;
  SimTraceBus *bus;

  g_return_val_if_fail (net != NULL, NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  t = g_new0 (Tracers, 1);
  t->net = net;
  t->config = *config;
  t->outdir = g_strdup (config->outdir);
  t->config.outdir = t->outdir;
  bus = network_trace (net);

  if (t->outdir != NULL && g_mkdir_with_parents (t->outdir, 0777) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "cannot create directory %s: %s", t->outdir,
                   g_strerror (saved_errno));
      return NULL;
    }
  if (t->outdir != NULL && config->jsonl)
    {
      g_autofree char *path = g_build_filename (t->outdir, "trace.jsonl",
                                                NULL);

      t->jsonl = trace_jsonl_open (path, error);
      if (t->jsonl == NULL)
        return NULL;
    }
  if (t->outdir != NULL && config->pcap)
    {
      t->pcap = pcap_link_tracer_new (net, t->outdir, error);
      if (t->pcap == NULL)
        return NULL;
    }
  if (config->diagram)
    t->diagram = seqdiag_collector_new (net);
  if (config->summary)
    t->summary = summary_new ();

  /* Subscribed only once every file is open, so that a failure leaves
   * no subscriber pointing at freed tracers. */
  sim_trace_subscribe (bus, tracers_record, t);
  return g_steal_pointer (&t);
}

/* Keeps the first error of several steps, so that one failure does not
 * stop the other outputs from being finished. */
static void
keep_first_error (GError **first, GError *error)
{
  if (error == NULL)
    return;
  if (*first == NULL)
    *first = error;
  else
    g_error_free (error);
}

static void
write_text_file (const Tracers *t, const char *name, const char *text,
                 GError **first)
{
  g_autofree char *path = NULL;
  GError *local = NULL;

  if (t->outdir == NULL)
    return;
  path = g_build_filename (t->outdir, name, NULL);
  if (!g_file_set_contents (path, text, -1, &local))
    keep_first_error (first, local);
}

static void
close_diagram (Tracers *t, FILE *out, GError **first)
{
  SeqDiagTextOptions options = {
    t->config.ascii, t->config.diagram_max_segments,
  };
  g_autofree char *text = NULL;

  text = seqdiag_text_render (seqdiag_collector_model (t->diagram),
                              &options);
  if (text[0] == '\0')
    return;
  fputs (text, out);
  fputc ('\n', out);
  write_text_file (t, "sequence.txt", text, first);
}

static void
close_summary (Tracers *t, FILE *out, SimTime end_ns, GError **first)
{
  g_autofree char *table = summary_format_table (t->summary, end_ns,
                                                 t->config.summary_max_rows);
  GError *local = NULL;

  fputs (table, out);
  if (t->outdir != NULL)
    {
      g_autofree char *path = g_build_filename (t->outdir, "summary.json",
                                                NULL);

      if (!summary_write_json (t->summary, end_ns, path, &local))
        keep_first_error (first, local);
    }
}

gboolean
tracers_close (Tracers *t, GError **error)
{
  FILE *out;
  GError *first = NULL;
  GError *local = NULL;

  g_return_val_if_fail (t != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (t->closed)
    return TRUE;
  t->closed = TRUE;
  out = t->config.out != NULL ? t->config.out : stdout;

  if (t->jsonl != NULL && !trace_jsonl_close (t->jsonl, &local))
    keep_first_error (&first, g_steal_pointer (&local));
  if (t->pcap != NULL && !pcap_link_tracer_close (t->pcap, &local))
    keep_first_error (&first, g_steal_pointer (&local));
  if (t->diagram != NULL)
    close_diagram (t, out, &first);
  if (t->summary != NULL)
    close_summary (t, out, network_now (t->net), &first);
  fflush (out);

  if (first != NULL)
    {
      g_propagate_error (error, first);
      return FALSE;
    }
  return TRUE;
}

void
tracers_free (Tracers *t)
{
  if (t == NULL)
    return;
  trace_jsonl_free (t->jsonl);
  pcap_link_tracer_free (t->pcap);
  seqdiag_collector_free (t->diagram);
  summary_free (t->summary);
  g_free (t->outdir);
  g_free (t);
}
