/* compare_figures.h: the figures of one run of a sweep, and the time
 * series its overlay plots draw.
 *
 * A CompareCollector is a trace-bus subscriber, like the other tracers.
 * It reads tcp.conn (per-connection counters), tcp.vars (cwnd and RTT
 * samples), link.tx (data segments as they leave their sender) and
 * link.drop.  What it keeps is integers, plus one sum of products kept as
 * a double, so that a run's figures can be written to variant.json and
 * read back exactly: a sweep merged from shards then computes the same
 * bytes as one that ran in a single process.
 *
 * Call order: compare_collector_new() -> sim_trace_subscribe
 * (compare_collector_record) -> sim_world_run() -> compare_collector_finish()
 * -> compare_collector_figures() and compare_collector_write_series() ->
 * compare_collector_free().  The figures themselves are plain data; any
 * thread may read them, and compare_figure_value() derives the numbers the
 * summaries show.
 */
#pragma once

#include <glib.h>

#include "sim/trace.h"
#include "models/network.h"

G_BEGIN_DECLS

/* The raw counts of one run.  Times are -1 when nothing happened. */
typedef struct {
  guint n_conns;                /* endpoints reported by tcp.conn */
  guint64 bytes_delivered;      /* in-order application bytes, all ends */
  SimTime first_open_ns;        /* earliest open of any endpoint */
  SimTime first_recv_open_ns;   /* earliest open of an endpoint that
                                 * received data */
  SimTime last_delivery_ns;     /* latest delivery to any application */
  guint64 retransmits;          /* segments sent again, all endpoints */
  guint64 timeouts;             /* RTO expirations, all endpoints */
  guint64 fast_retransmits;
  /* The next four cover data senders only (endpoints that sent at least
   * one data segment): a pure receiver's cwnd never matters, and its only
   * RTT sample is the handshake's. */
  guint64 rtt_samples;
  guint64 rtt_sum_ns;
  SimTime rtt_max_ns;
  double cwnd_byte_ns;          /* the integral of cwnd over time */
  SimTime cwnd_span_ns;         /* the time that integral covers */
  guint64 drops;                /* link.drop records, every reason */
} CompareFigures;

/* The figures a sweep reports, in column order. */
typedef enum {
  COMPARE_FIGURE_GOODPUT,
  COMPARE_FIGURE_COMPLETION,
  COMPARE_FIGURE_RETRANSMITS,
  COMPARE_FIGURE_TIMEOUTS,
  COMPARE_FIGURE_RTT_MEAN,
  COMPARE_FIGURE_RTT_MAX,
  COMPARE_FIGURE_CWND_MEAN,
  COMPARE_FIGURE_DROPS,
  COMPARE_N_FIGURES
} CompareFigureId;

typedef enum {
  COMPARE_UNIT_BPS,             /* bit/s */
  COMPARE_UNIT_NS,              /* a duration */
  COMPARE_UNIT_BYTES,
  COMPARE_UNIT_COUNT,
} CompareUnit;

typedef struct {
  const char *name;             /* for --figure: "goodput", "rtt_mean" */
  const char *column;           /* CSV and JSON: "goodput_bps" */
  const char *title;            /* axis and table: "goodput" */
  CompareUnit unit;
  gboolean integer;             /* every value is a whole number */
  const char *help;
} CompareFigureInfo;

/* Returns: (transfer none): the description of @id. */
const CompareFigureInfo *compare_figure_info (CompareFigureId id);
/* Returns the id named @name ("goodput", "rtt_max", ...), or
 * COMPARE_N_FIGURES when no figure has that name. */
CompareFigureId compare_figure_lookup (const char *name);

/* Sets @value_out to figure @id of @figures and returns TRUE, or returns
 * FALSE when the run has no such value (no data delivered, no RTT
 * sample, ...).  Goodput: bytes delivered x 8 over the time from the
 * first open of a receiving endpoint to the last delivery (per endpoint,
 * this is the summary's goodput).  Completion: from the first open of
 * any endpoint to the last delivery. */
gboolean compare_figure_value (const CompareFigures *figures,
                               CompareFigureId id, double *value_out);

typedef struct CompareCollector CompareCollector;

/* Returns: (transfer full): a collector for the world of @net (borrowed;
 * it must outlive the collector's use).  Subscribe
 * compare_collector_record() with it as data. */
CompareCollector *compare_collector_new (Network *net);
void compare_collector_free (CompareCollector *collector);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CompareCollector, compare_collector_free)

/* A SimTraceFn; @data is the collector.  Records after
 * compare_collector_finish() are ignored. */
void compare_collector_record (const SimTraceRecord *rec, void *data);

/* Ends collection after the run and adds up the figures. */
void compare_collector_finish (CompareCollector *collector);

/* Returns: (transfer none): the figures; valid after finish. */
const CompareFigures *compare_collector_figures (const CompareCollector *c);

/* Writes @dir/seq.dat and @dir/cwnd.dat for the run's main flow, the
 * data sender that sent the most bytes (the first reported on a tie):
 * "t_s rel_seq" for every data segment it sent, retransmissions
 * included, and "t_s cwnd_bytes" at every change of its cwnd.  Times are
 * seconds with nine decimals, exactly; the files hold only a comment
 * line when the run moved no data.  Returns FALSE with @error set when a
 * file cannot be written. */
gboolean compare_collector_write_series (const CompareCollector *c,
                                         const char *dir, GError **error);

G_END_DECLS
