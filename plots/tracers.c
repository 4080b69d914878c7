/* tracers.c: opens the views a TracersConfig asks for, subscribes them
 * to the world's trace bus, and finishes them after the run.
 *
 * tracers_open() -> (run: tracers_record() hands each record to
 * trace_jsonl, pcap_writer, seqdiag_collect, summary and explain) ->
 * tracers_close(): files flushed, the diagram and the summary rendered,
 * printed and written, the plots drawn from trace.jsonl, report.html
 * last; later records are ignored ->
 * tracers_explain() when a segment was asked for.
 */
#include "plots/tracers.h"

#include <errno.h>
#include <string.h>

#include "plots/explain.h"
#include "plots/gnuplot.h"
#include "plots/pcap_writer.h"
#include "plots/report.h"
#include "plots/seqdiag_collect.h"
#include "plots/seqdiag_mermaid.h"
#include "plots/seqdiag_svg.h"
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
  ExplainCollector *explain;
  GError *plot_error;           /* kept by close_plots() */
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
  config->report = TRUE;
  config->explain_segment = 0;
  /* Off: drawing runs gnuplot, which takes time and may be missing;
   * `tcpsim run` turns it on unless --no-plots. */
  config->plots = FALSE;
  config->plot_terminal = FALSE;
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
  if (t->explain != NULL)
    explain_collector_record (rec, t->explain);
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
  if (config->explain_segment > 0)
    t->explain = explain_collector_new (net, config->explain_segment);

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
  if (t->outdir != NULL)
    {
      const SeqDiag *diag = seqdiag_collector_model (t->diagram);
      SeqDiagSvgOptions svg_options = {
        t->config.diagram_max_segments, TRUE,
      };
      g_autofree char *svg = seqdiag_svg_render (diag, &svg_options);
      g_autofree char *mmd = NULL;

      mmd = seqdiag_mermaid_render (diag, t->config.diagram_max_segments);

      write_text_file (t, "sequence.svg", svg, first);
      write_text_file (t, "sequence.mmd", mmd, first);
    }
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

/* The gnuplot views, drawn from trace.jsonl (closed by now) as `tcpsim
 * plot` draws them, so that the two give the same bytes.  A failure is
 * kept for tracers_plot_error(). */
static void
close_plots (Tracers *t, FILE *out)
{
  g_autofree char *path = g_build_filename (t->outdir, "trace.jsonl", NULL);
  g_autoptr (PlotData) pd = plot_data_load (path, &t->plot_error);
  GnuplotOptions options;

  if (pd == NULL)
    return;
  gnuplot_options_init (&options);
  options.terminal = t->config.plot_terminal ? out : NULL;
  gnuplot_draw (pd, t->outdir, &options, &t->plot_error);
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
  if (t->outdir != NULL && t->jsonl != NULL && t->config.plots)
    close_plots (t, out);
  /* Last: the report is made of the files the other views wrote. */
  if (t->outdir != NULL && t->config.report
      && !report_write (t->outdir, NULL, &local))
    keep_first_error (&first, g_steal_pointer (&local));
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
  explain_collector_free (t->explain);
  g_clear_error (&t->plot_error);
  g_free (t->outdir);
  g_free (t);
}

char *
tracers_explain (Tracers *t, GError **error)
{
  g_return_val_if_fail (t != NULL, NULL);
  g_return_val_if_fail (t->explain != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return explain_collector_render (t->explain, t->config.ascii, error);
}

const GError *
tracers_plot_error (const Tracers *t)
{
  g_return_val_if_fail (t != NULL, NULL);
  return t->plot_error;
}
