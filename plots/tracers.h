/* tracers.h: the views of a run.  Every tracer subscribes to a world's
 * trace bus before the run and writes its output when closed after it.
 * Tracers never change the simulation.
 *
 * Call order: scenario loaded -> tracers_open() -> sim_world_run() ->
 * tracers_close() (writes files, prints the diagram and the summary) ->
 * world freed -> tracers_free().
 *
 * The trace bus has no unsubscribe and models may emit while the world
 * is freed, so free the world first: records after tracers_close() are
 * ignored, but the tracers must still exist to ignore them.
 *
 * Files in OUTDIR: trace.jsonl, <link>.pcap per link, sequence.txt (the
 * diagram as printed), sequence.svg and sequence.mmd (the same diagram as
 * a figure and as Mermaid), summary.json, the gnuplot plots (STEM.dat,
 * .gp, .png, .svg; docs/plots.md), and report.html last, from the other
 * files; see docs/trace-format.md and docs/views.md.
 */
#pragma once

#include <stdio.h>

#include "sim/world.h"
#include "models/network.h"

G_BEGIN_DECLS

typedef struct Tracers Tracers;

typedef struct {
  const char *outdir;           /* (nullable): no files when NULL */
  gboolean jsonl;               /* OUTDIR/trace.jsonl */
  gboolean pcap;                /* OUTDIR/<link>.pcap, one per link */
  gboolean diagram;             /* the terminal sequence diagram */
  gboolean ascii;               /* diagram in ASCII instead of Unicode */
  guint diagram_max_segments;   /* longer exchanges are elided */
  gboolean summary;             /* terminal summary + OUTDIR/summary.json */
  FILE *out;                    /* (nullable): where diagram and summary
                                 * print; stdout when NULL */
  guint summary_max_rows;       /* endpoints listed on the terminal (all
                                 * are in summary.json); 0: all */
  gboolean report;              /* OUTDIR/report.html */
  guint64 explain_segment;      /* keep the Nth packet (1-based) to enter
                                 * a link, for tracers_explain(); 0: none */
  gboolean plots;               /* the gnuplot views in OUTDIR, drawn from
                                 * trace.jsonl (needs jsonl); see
                                 * docs/plots.md */
  gboolean plot_terminal;       /* also the time-sequence graph on @out, in
                                 * characters */
} TracersConfig;

/* Everything on but the plots, Unicode, at most 40 segments drawn and 20
 * summary rows, no OUTDIR, printing to stdout, no segment to explain. */
void tracers_config_init (TracersConfig *config);

/* Returns: (transfer full) (nullable): the tracers subscribed to @net's
 * world, or NULL with @error set when an output file cannot be created. */
Tracers *tracers_open (Network *net, const TracersConfig *config,
                       GError **error);
/* Finishes every output after the run; records emitted afterwards are
 * ignored.  Returns FALSE with @error set on an I/O error (the other
 * outputs are still finished). */
gboolean tracers_close (Tracers *tracers, GError **error);
void tracers_free (Tracers *tracers);
/* Returns: (transfer full) (nullable): after tracers_close(), the
 * textbook decoding of segment config.explain_segment (explain.h), or
 * NULL with @error set when the run sent fewer packets. */
char *tracers_explain (Tracers *tracers, GError **error);
/* Returns: (transfer none) (nullable): after tracers_close(), why the
 * plots could not be drawn (no gnuplot, a gnuplot warning).  It does not
 * make tracers_close() fail: a run without gnuplot has every other
 * output, and the plots' .dat and .gp files. */
const GError *tracers_plot_error (const Tracers *tracers);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tracers, tracers_free)

G_END_DECLS
