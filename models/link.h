/* link.h: a point-to-point link, two independent directions.
 *
 * Each direction has a rate (serialization delay), a propagation delay, a
 * drop-tail queue counted in packets, a Bernoulli loss probability with its
 * own random stream ("link/NAME/a>b/loss"), and scripted drops.
 *
 * One scheduler event per packet per hop is the cost of a link: a packet's
 * arrival is computed when it is sent, as
 *   max(now, transmitter busy until) + size * 8 / rate + delay,
 * and packets in flight wait in a FIFO behind one timer per direction.
 */
#pragma once

#include "models/network.h"
#include "models/node.h"

G_BEGIN_DECLS

typedef enum {
  LINK_DIR_AB = 0,
  LINK_DIR_BA = 1,
} LinkDir;

typedef struct {
  guint64 rate_bps;             /* 0: no serialization delay */
  SimTime delay_ns;             /* propagation delay */
  guint32 queue_limit_pkts;     /* packets waiting, not counting the one
                                 * on the wire; 0: unlimited */
  double loss_prob;             /* Bernoulli, in [0, 1] */
} LinkDirParams;

typedef enum {
  LINK_DROP_NTH,                /* the Nth packet entering the direction */
  LINK_DROP_MATCH,              /* TCP segments matching the fields set */
} LinkDropKind;

typedef struct {
  LinkDropKind kind;
  guint64 nth;                  /* NTH: 1-based */
  guint8 flags_mask;            /* MATCH: (flags & mask) == value */
  guint8 flags_value;
  gboolean match_seq;           /* MATCH: relative seq equals rel_seq */
  guint32 rel_seq;
  gboolean match_len;           /* MATCH: payload length */
  guint32 len_bytes;
  guint32 count;                /* matches to drop; 0: every match */
} LinkDropRule;

/* Returns: (transfer none): a link owned by @net between new interfaces
 * of @a and @b (with their primary addresses). */
Link *link_new (Network *net, const char *name, Node *a, Node *b,
                const LinkDirParams *ab, const LinkDirParams *ba);

const char *link_name (const Link *link);
Node *link_node (const Link *link, LinkDir from);
/* "a>b" with the node names, for traces. */
const char *link_dir_label (const Link *link, LinkDir dir);
const LinkDirParams *link_params (const Link *link, LinkDir dir);
void link_set_params (Link *link, LinkDir dir, const LinkDirParams *params);

void link_add_drop_rule (Link *link, LinkDir dir, const LinkDropRule *rule);

/* Sends @pkt from the @dir end.  Takes @pkt. */
void link_send (Link *link, LinkDir dir, Packet *pkt);

typedef struct {
  guint64 sent_pkts;
  guint64 sent_bytes;
  guint64 delivered_pkts;
  guint64 dropped_loss_pkts;
  guint64 dropped_queue_pkts;
  guint64 dropped_script_pkts;
  guint32 max_queue_pkts;
} LinkDirStats;

const LinkDirStats *link_stats (const Link *link, LinkDir dir);

/* Trace kinds; the body is a LinkTraceEvent.  link.tx: a packet enters the
 * link (queued or on the wire; the capture point of a link's pcap).
 * link.rx: it reaches the far end.  link.drop: it is lost, with a reason:
 * "queue" (drop-tail overflow, never transmitted), "loss" (random loss,
 * transmitted and lost on the wire), "script" (a scripted drop, lost on the
 * wire). */
extern const SimTraceKind link_trace_tx;
extern const SimTraceKind link_trace_rx;
extern const SimTraceKind link_trace_drop;

typedef struct {
  Link *link;
  LinkDir dir;
  const Packet *pkt;
  const char *reason;           /* link.drop only */
  SimTime arrive_at_ns;         /* link.tx: expected arrival */
  guint32 queue_pkts;           /* packets waiting after this event */
} LinkTraceEvent;

G_END_DECLS
