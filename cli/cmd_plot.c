/* cmd_plot.c: tcpsim plot OUTDIR [--ascii] [--max-segments N]
 * [--max-flows N] [--plot-terminal] [--no-render] [--quiet].
 *
 * Redraws every view of a run from OUTDIR/trace.jsonl, without running
 * it, and writes the files `tcpsim run` wrote, in the same order as
 * tracers_close() writes them:
 *   parse options -> trace_reader_read_file(): one pass feeding three
 *   sinks (the summary, the diagram replay, the plot series) ->
 *   sequence.txt, sequence.svg, sequence.mmd (the renderers a run uses,
 *   with its options) -> summary.json -> gnuplot_draw() (.dat, .gp, .png,
 *   .svg) -> report.html, made of the files above.
 * A run writes its plots from trace.jsonl too (tracers.c), which is why
 * the two give the same bytes.
 */
#include "cli/cmd_plot.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "plots/gnuplot.h"
#include "plots/plot_data.h"
#include "plots/report.h"
#include "plots/seqdiag_mermaid.h"
#include "plots/seqdiag_replay.h"
#include "plots/seqdiag_svg.h"
#include "plots/seqdiag_text.h"
#include "plots/summary.h"
#include "plots/trace_reader.h"
#include "scenarios/scn_units.h"

/* As tracers_config_init(): the defaults of `tcpsim run`. */
#define DEFAULT_MAX_SEGMENTS 40u

static gboolean
write_view (const char *outdir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (outdir, name, NULL);
  g_autoptr (GError) err = NULL;

  if (g_file_set_contents (path, text, -1, &err))
    return TRUE;
  cli_error ("%s", err->message);
  return FALSE;
}

/* A TraceRecordFn feeding a Summary, as summary_record() does live. */
static void
summary_sink (const TraceRecord *rec, void *data)
{
  Summary *summary = data;

  if (rec->kind == TRACE_KIND_TCP_CONN)
    summary_add_conn (summary, &rec->conn);
  else if (rec->kind == TRACE_KIND_APP_EVENT)
    summary_add_app_event (summary, rec->t_ns, &rec->app);
}

int
cli_cmd_plot (int argc, char **argv)
{
  g_autofree char *max_segments_text = NULL;
  g_autofree char *max_flows_text = NULL;
  gboolean ascii = FALSE;
  gboolean terminal = FALSE;
  gboolean no_render = FALSE;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "ascii", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &ascii,
      "Draw sequence.txt in ASCII, as 'run --ascii' does", NULL },
    { "max-segments", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING,
      &max_segments_text,
      "Elide sequence.txt beyond N segments (default 40, as 'run'; 0: "
      "never)", "N" },
    { "max-flows", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING,
      &max_flows_text,
      "Plot at most N data flows (default 8; 0: all)", "N" },
    { "plot-terminal", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &terminal,
      "Also draw the first time-sequence graph in the terminal", NULL },
    { "no-render", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &no_render,
      "Write the .dat and .gp files only; do not run gnuplot", NULL },
    { "quiet", 'q', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &quiet,
      "Print nothing but errors", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("OUTDIR");
  g_autoptr (GError) err = NULL;
  g_autoptr (TraceReader) reader = NULL;
  g_autoptr (Summary) summary = NULL;
  g_autoptr (SeqDiagReplay) replay = NULL;
  g_autoptr (PlotData) pd = NULL;
  g_autofree char *trace_path = NULL;
  g_autofree char *diagram = NULL;
  g_autofree char *path = NULL;
  SeqDiagTextOptions text_options = { FALSE, DEFAULT_MAX_SEGMENTS };
  GnuplotOptions plot_options;
  const SeqDiag *diag;
  const char *outdir;
  guint64 count;
  int status = CLI_EXIT_OK;

  g_option_context_set_summary (context,
                                "Redraw every view of a run from "
                                "OUTDIR/trace.jsonl, without running it:\n"
                                "sequence.txt, .svg and .mmd, "
                                "summary.json, the gnuplot plots (.dat, "
                                ".gp, .png,\n.svg) and report.html, the "
                                "same bytes as the run wrote.  See "
                                "docs/plots.md.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cli_parse_options (context, "plot", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2)
    {
      cli_error ("plot: expected one OUTDIR; run 'tcpsim plot --help' for "
                 "usage");
      return CLI_EXIT_USAGE;
    }
  outdir = argv[1];
  gnuplot_options_init (&plot_options);
  plot_options.terminal = terminal ? stdout : NULL;
  plot_options.render = !no_render;
  if (max_segments_text != NULL)
    {
      if (!scn_parse_count (max_segments_text, &count, &err)
          || count > G_MAXUINT)
        {
          cli_error ("--max-segments: %s",
                     err != NULL ? err->message : "too large");
          return CLI_EXIT_USAGE;
        }
      text_options.max_segments = (guint) count;
    }
  if (max_flows_text != NULL)
    {
      if (!scn_parse_count (max_flows_text, &count, &err)
          || count > G_MAXUINT)
        {
          cli_error ("--max-flows: %s", err != NULL ? err->message
                                                    : "too large");
          return CLI_EXIT_USAGE;
        }
      plot_options.max_flows = (guint) count;
    }
  text_options.ascii = ascii;

  trace_path = g_build_filename (outdir, "trace.jsonl", NULL);
  if (!g_file_test (trace_path, G_FILE_TEST_IS_REGULAR))
    {
      cli_error ("plot: %s: no such file; OUTDIR must be the output "
                 "directory of 'tcpsim run'", trace_path);
      return CLI_EXIT_USAGE;
    }
  reader = trace_reader_new ();
  summary = summary_new ();
  replay = seqdiag_replay_new ();
  pd = plot_data_new ();
  trace_reader_add_sink (reader, summary_sink, summary);
  trace_reader_add_sink (reader, seqdiag_replay_record, replay);
  trace_reader_add_sink (reader, plot_data_record, pd);
  /* No view reads timers; the diagram learns its hosts from the state
   * changes that come with them. */
  trace_reader_skip_kind (reader, "tcp.timer");
  if (!trace_reader_read_file (reader, trace_path, &err))
    {
      cli_error ("%s", err->message);
      return CLI_EXIT_SIM;
    }
  plot_data_finish (pd);

  /* The same renderers, fed the same model, with the same options, as
   * tracers_close(). */
  diag = seqdiag_replay_finish (replay);
  diagram = seqdiag_text_render (diag, &text_options);
  if (diagram[0] != '\0')
    {
      SeqDiagSvgOptions svg_options = { text_options.max_segments, TRUE };
      g_autofree char *svg = seqdiag_svg_render (diag, &svg_options);
      g_autofree char *mmd = seqdiag_mermaid_render (diag,
                                                     text_options.max_segments);

      if (!write_view (outdir, "sequence.txt", diagram)
          || !write_view (outdir, "sequence.svg", svg)
          || !write_view (outdir, "sequence.mmd", mmd))
        return CLI_EXIT_SIM;
    }
  path = g_build_filename (outdir, "summary.json", NULL);
  if (!summary_write_json (summary, trace_reader_end_ns (reader), path,
                           &err))
    {
      cli_error ("%s", err->message);
      return CLI_EXIT_SIM;
    }
  if (!gnuplot_draw (pd, outdir, &plot_options, &err))
    {
      cli_error ("plots: %s", err->message);
      g_clear_error (&err);
      status = CLI_EXIT_SIM;
    }
  /* Last, as in a run: the report is made of the files above. */
  if (!report_write (outdir, NULL, &err))
    {
      cli_error ("%s", err->message);
      return CLI_EXIT_SIM;
    }
  if (status == CLI_EXIT_OK && !quiet)
    printf ("%" G_GUINT64_FORMAT " records read; views redrawn in %s%s\n",
            trace_reader_n_records (reader), outdir, G_DIR_SEPARATOR_S);
  return status;
}
