/* plot_data.h: the time series behind the gnuplot views, taken from a
 * run's trace records.
 *
 * A PlotFlow is one direction of a TCP connection, named as its sender
 * names the connection ("10.0.0.1:49152>10.0.0.2:5001").  It holds what
 * that sender saw (the segments it sent, the ACKs as they reached it, its
 * congestion and RTT variables) and what its receiver got (goodput).  A
 * PlotLinkDir is one direction of a link and its queue.
 *
 * Call order: plot_data_new() -> plot_data_record() as a TraceReader
 * sink, for every record -> plot_data_finish() (bins the goodput) ->
 * read flows, links and series -> plot_data_free().  plot_data_load()
 * does all of it for a trace.jsonl file.
 *
 * Every point is exact: times are integer nanoseconds and values
 * integers (sequence numbers unwrapped to 64 bits, relative to the
 * flow's ISN), so that the .dat files written from them are the same
 * bytes whenever the same trace is read.
 */
#pragma once

#include "plots/trace_reader.h"

G_BEGIN_DECLS

typedef enum {
  /* The time-sequence graph, at the sender. */
  PLOT_SERIES_SEG,              /* t, rel_seq, rel_seq + len: data sent for
                                 * the first time */
  PLOT_SERIES_REXMIT_RTO,       /* t, start, end: sent again while
                                 * recovering from a timeout */
  PLOT_SERIES_REXMIT,           /* t, start, end: other retransmissions
                                 * (fast retransmit, SACK recovery) */
  PLOT_SERIES_ACK,              /* t, rel_ack: each ACK that moves the
                                 * cumulative ACK, as it reaches the
                                 * sender, and the last ACK (a stair) */
  PLOT_SERIES_WIN,              /* t, rel_ack + window: each ACK that moves
                                 * the right edge of the offered window,
                                 * and the last ACK */
  PLOT_SERIES_SACK,             /* t, start, end: every SACK block of every
                                 * ACK reaching the sender */
  PLOT_SERIES_DROP,             /* t, start, end: a lost data segment, at
                                 * the time it was sent */
  PLOT_SERIES_DUPACK,           /* t, rel_ack, n: the n-th duplicate ACK in
                                 * a row, as the sender counts them (RFC
                                 * 5681 2, and RFC 6675 2: an ACK with new
                                 * SACK information) */
  /* The sender's variables (tcp.vars), one point per change, and one at
   * its last tcp.vars record so that each stair reaches it. */
  PLOT_SERIES_CWND,             /* t, bytes */
  PLOT_SERIES_SSTHRESH,         /* t, bytes; absent while "infinite" */
  PLOT_SERIES_FLIGHT,           /* t, bytes */
  PLOT_SERIES_RWND,             /* t, bytes */
  PLOT_SERIES_RTT_SAMPLE,       /* t, ns */
  PLOT_SERIES_SRTT,             /* t, ns; from the first sample */
  PLOT_SERIES_RTO,              /* t, ns */
  /* At the receiver, filled by plot_data_finish(): one point per bin,
   * from the bin of the first data arrival to that of the last. */
  PLOT_SERIES_GOODPUT,          /* bin start, bin end, bit/s: bytes
                                 * newly delivered in order */
  PLOT_SERIES_THROUGHPUT,       /* bin start, bin end, bit/s: every data
                                 * byte that arrived, duplicates included */
  PLOT_N_SERIES
} PlotSeriesId;

/* "seg", "rexmit_rto", ...: the block names of the .dat files. */
const char *plot_series_name (PlotSeriesId id);
/* Values per point after the time: 1 or 2. */
guint plot_series_n_values (PlotSeriesId id);

typedef struct {
  SimTime t_ns;
  gint64 v[2];
} PlotPoint;

typedef struct {
  char *name;                   /* the sender's connection name */
  char *src_node;               /* (nullable): where its segments start */
  char *dst_node;               /* (nullable): its receiver's node */
  Ipv4Addr src;
  guint16 sport;
  Ipv4Addr dst;
  guint16 dport;
  guint index;                  /* order of first appearance */
  guint64 data_bytes;           /* payload sent, retransmissions included */
  SimTime first_ns;             /* first segment sent */
  SimTime last_ns;              /* last record about it */
  SimTime bin_ns;               /* goodput bin, once finished */
  GArray *series[PLOT_N_SERIES];  /* (element-type PlotPoint) */
} PlotFlow;

typedef struct {
  char *link;
  char *dir;                    /* "from>to" */
  guint index;
  GArray *queue;                /* PlotPoint: t, packets waiting; one point
                                 * per change, and one at the last
                                 * sample */
  GArray *drops;                /* PlotPoint: t, packets waiting; one per
                                 * packet the queue refused */
} PlotLinkDir;

typedef struct PlotData PlotData;

/* Returns: (transfer full): empty series. */
PlotData *plot_data_new (void);
void plot_data_free (PlotData *pd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlotData, plot_data_free)

/* A TraceRecordFn; @data is the PlotData. */
void plot_data_record (const TraceRecord *rec, void *data);

/* Bins the goodput of every flow; records are ignored afterwards.  Bins
 * are a 1-2-5 multiple of a nanosecond: about a sixtieth of the flow's
 * transfer, and no less than its sender's largest smoothed RTT, so that
 * a window's burst does not make a comb of the plot. */
void plot_data_finish (PlotData *pd);

/* Returns: (transfer full) (nullable): the finished series of @path (a
 * trace.jsonl), or NULL with @error set. */
PlotData *plot_data_load (const char *path, GError **error);

/* Flows in order of their first segment, data or not. */
guint plot_data_n_flows (const PlotData *pd);
/* Returns: (transfer none). */
const PlotFlow *plot_data_flow (const PlotData *pd, guint index);
/* Returns: (transfer none) (nullable): by connection name. */
const PlotFlow *plot_data_find_flow (const PlotData *pd, const char *name);

/* Link directions in order of their first packet. */
guint plot_data_n_link_dirs (const PlotData *pd);
/* Returns: (transfer none). */
const PlotLinkDir *plot_data_link_dir (const PlotData *pd, guint index);

/* Returns: (transfer none): the points of @id in @flow. */
const GArray *plot_flow_series (const PlotFlow *flow, PlotSeriesId id);

G_END_DECLS
