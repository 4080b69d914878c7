/* link.h: a point-to-point link, two independent directions.
 *
 * Each direction has a rate (serialization delay), a propagation delay
 * with optional jitter, an MTU, a queue (drop-tail in packets or bytes,
 * RED or CoDel: queue.h), a random loss model (Bernoulli or
 * Gilbert-Elliott: loss.h), random duplication, reordering and
 * corruption, and scripted fault rules.  Every random consumer draws from
 * its own stream, "link/NAME/a>b/loss" and so on (see link.c), so that
 * changing one setting does not move the random numbers of another.
 *
 * One scheduler event per packet per hop is the cost of a link: a packet's
 * arrival is computed when it is sent, as
 *   max(now, transmitter busy until) + size * 8 / rate + delay [+ jitter],
 * and packets in flight wait in arrival order behind one timer per
 * direction.
 *
 * The link can go down and up, and any parameter can change, now or at a
 * given time of the run (link_set_up(), link_schedule_change()).
 *
 * Call order: link_new() -> link_add_drop_rule(), link_schedule_*() while
 * building -> link_send() for each packet during the run; the network
 * frees the link with the world.
 */
#pragma once

#include "models/loss.h"
#include "models/network.h"
#include "models/node.h"
#include "models/queue.h"

G_BEGIN_DECLS

#define LINK_ERROR (link_error_quark ())
GQuark link_error_quark (void);

typedef enum {
  LINK_ERROR_RANGE,             /* a parameter value out of its range */
  LINK_ERROR_TYPE,              /* a value of the wrong type */
  LINK_ERROR_UNKNOWN,           /* no parameter of that name */
} LinkError;

typedef enum {
  LINK_DIR_AB = 0,
  LINK_DIR_BA = 1,
} LinkDir;

/* The first four fields are the original link; every field after them is
 * off when zero, so `{ rate, delay, queue, loss }` still describes the
 * same link. */
typedef struct {
  guint64 rate_bps;             /* 0: no serialization delay */
  SimTime delay_ns;             /* propagation delay */
  guint32 queue_limit_pkts;     /* packets waiting, not counting the one
                                 * on the wire; 0: unlimited */
  double loss_prob;             /* Bernoulli, in [0, 1] */

  guint64 queue_limit_bytes;    /* bytes waiting; 0: unlimited */
  QueueKind queue_kind;         /* QUEUE_DROPTAIL */
  QueueRedParams red;           /* with QUEUE_RED */
  QueueCodelParams codel;       /* with QUEUE_CODEL */
  LossModelKind loss_model;     /* LOSS_MODEL_BERNOULLI uses loss_prob */
  LossGilbertParams gilbert;    /* with LOSS_MODEL_GILBERT */
  SimTime jitter_ns;            /* extra delay, uniform in [0, jitter_ns] */
  gboolean jitter_reorder;      /* FALSE: a packet never overtakes one
                                 * sent before it (its arrival is pushed
                                 * back instead); TRUE: jitter reorders */
  double dup_prob;              /* an extra copy delivered right after */
  double corrupt_prob;          /* bits flipped so a checksum fails */
  guint32 corrupt_bits;         /* bits flipped per corruption; 0: 1 */
  double reorder_prob;          /* a packet is held back ... */
  SimTime reorder_delay_ns;     /* ... by this much (with a gap: at most
                                 * this much; 0: no limit) */
  guint32 reorder_gap_pkts;     /* ... until this many later packets
                                 * have entered the link, arriving right
                                 * after the last of them; 0: by the
                                 * delay alone */
  guint32 mtu_bytes;            /* larger packets are dropped; 0: none */
} LinkDirParams;

/* Returns: (transfer none): a link owned by @net between new interfaces
 * of @a and @b (or their first interfaces without a link). */
Link *link_new (Network *net, const char *name, Node *a, Node *b,
                const LinkDirParams *ab, const LinkDirParams *ba);

const char *link_name (const Link *link);
Node *link_node (const Link *link, LinkDir from);
/* The interface of the @from end. */
Iface *link_iface (const Link *link, LinkDir from);
/* "a>b" with the node names, for traces. */
const char *link_dir_label (const Link *link, LinkDir dir);
const LinkDirParams *link_params (const Link *link, LinkDir dir);
/* Replaces the parameters of @dir at once, untraced (meant for building;
 * during a run use link_schedule_change(), which is traced).  Packets
 * already queued keep the times computed when they entered. */
void link_set_params (Link *link, LinkDir dir, const LinkDirParams *params);

/* Scripted rules on @dir (loss.h); they act in the order added. */
void link_add_drop_rule (Link *link, LinkDir dir, const LinkDropRule *rule);

/* Takes the link down or up, both directions, now.  Going down loses the
 * packets queued and in flight (link.drop "link-down"); while down every
 * packet sent is lost the same way. */
void link_set_up (Link *link, gboolean up);
gboolean link_is_up (const Link *link);

/* Timeline changes, applied at @at_ns (>= now) in the order scheduled, and
 * traced as link.change.  link_schedule_change() copies into the
 * parameters of @dir the fields of @values selected by @fields, a mask of
 * LinkParamInfo.field_bit, so that changes scheduled separately compose
 * (LINK_FIELDS_ALL: every field). */
#define LINK_FIELDS_ALL G_MAXUINT64
void link_schedule_change (Link *link, SimTime at_ns, LinkDir dir,
                           const LinkDirParams *values, guint64 fields);
void link_schedule_up (Link *link, SimTime at_ns, gboolean up);

/* The queue of @dir now: packets and bytes waiting, not counting the one
 * on the wire. */
guint32 link_queue_pkts (Link *link, LinkDir dir);
guint64 link_queue_bytes (Link *link, LinkDir dir);

/* Sends @pkt from the @dir end.  Takes @pkt. */
void link_send (Link *link, LinkDir dir, Packet *pkt);

typedef struct {
  guint64 sent_pkts;            /* entered the link (link.tx) */
  guint64 sent_bytes;
  guint64 delivered_pkts;       /* reached the far end, copies included */
  guint64 dropped_loss_pkts;
  guint64 dropped_queue_pkts;   /* buffer full */
  guint64 dropped_script_pkts;
  guint32 max_queue_pkts;
  /* Added after the first version. */
  guint64 max_queue_bytes;
  guint64 dropped_aqm_pkts;     /* RED or CoDel decisions */
  guint64 dropped_down_pkts;
  guint64 dropped_mtu_pkts;
  guint64 corrupted_pkts;
  guint64 duplicated_pkts;
  guint64 reordered_pkts;       /* held back */
} LinkDirStats;

const LinkDirStats *link_stats (const Link *link, LinkDir dir);

/* The parameter table: every field of LinkDirParams that a scenario can
 * set, by name, with its type and range; it serves the scenario builder,
 * --set, timeline changes (field_bit) and the documentation. */
typedef enum {
  LINK_PARAM_RATE,              /* guint64 bit/s; 0: unlimited */
  LINK_PARAM_TIME,              /* SimTime */
  LINK_PARAM_BYTES,             /* guint64 or guint32 (size_bytes), bytes */
  LINK_PARAM_COUNT,             /* guint32, a plain number */
  LINK_PARAM_PROB,              /* double in [0, 1] */
  LINK_PARAM_REAL,              /* double >= 0 */
  LINK_PARAM_BOOL,              /* gboolean */
  LINK_PARAM_CHOICE,            /* enum, an index into choices */
} LinkParamType;

typedef struct {
  const char *name;             /* "rate", "loss", "red_min_th", ... */
  LinkParamType type;
  gsize offset;                 /* into LinkDirParams */
  gsize size;                   /* of the field, bytes */
  guint64 min;                  /* RATE, TIME, BYTES, COUNT: inclusive */
  guint64 max;
  const char *const *choices;   /* CHOICE: NULL-terminated */
  guint64 field_bit;            /* for link_schedule_change() */
  const char *help;
} LinkParamInfo;

/* Returns: (transfer none): the table, @n_out entries. */
const LinkParamInfo *link_param_table (guint *n_out);
/* Returns: (transfer none) (nullable). */
const LinkParamInfo *link_param_lookup (const char *name);
/* Set one field from an integer (RATE, TIME, BYTES, COUNT, BOOL, CHOICE)
 * or a real (PROB, REAL), checking type and range. */
gboolean link_param_set_uint (LinkDirParams *params, const LinkParamInfo *info,
                              guint64 value, GError **error);
gboolean link_param_set_double (LinkDirParams *params,
                                const LinkParamInfo *info, double value,
                                GError **error);

/* Trace kinds; the body is a LinkTraceEvent.
 * link.tx: a packet enters the link (queued or on the wire; the capture
 *   point of a link's pcap), with arrive_ns, its expected arrival (for a
 *   packet held back until later packets go ahead, the arrival it would
 *   have without the hold).
 * link.rx: it reaches the far end.
 * link.drop: it is lost, with a reason: "queue" (buffer full, never
 *   transmitted: no link.tx before), "red" and "codel" (the queue
 *   discipline's drop, never transmitted), "mtu" (larger than the MTU,
 *   never transmitted), "loss" (random loss, transmitted and lost on the
 *   wire), "script" (a scripted drop, lost on the wire), "link-down"
 *   (sent while the link is down, or queued or in flight when it went
 *   down).
 * link.corrupt: bits of a packet that entered were flipped (after its
 *   link.tx, which shows it intact); flips lists them as [byte, bit]
 *   pairs, bit 0 being the least significant.
 * link.dup: an extra copy of packet orig_uid entered the link, with its
 *   own uid, and will arrive right after the original.
 * link.change: a timeline change: what is "params", "up" or "down".
 * Every record but link.change carries queue_pkts and queue_bytes, the
 * occupancy of the direction after the event: plot them against t_ns for
 * the queue length over time. */
extern const SimTraceKind link_trace_tx;
extern const SimTraceKind link_trace_rx;
extern const SimTraceKind link_trace_drop;
extern const SimTraceKind link_trace_corrupt;
extern const SimTraceKind link_trace_dup;
extern const SimTraceKind link_trace_change;

#define LINK_MAX_CORRUPT_BITS 64u

typedef struct {
  Link *link;
  LinkDir dir;
  const Packet *pkt;            /* NULL for link.change */
  const char *reason;           /* link.drop; link.change: what */
  SimTime arrive_at_ns;         /* link.tx: expected arrival */
  guint32 queue_pkts;           /* packets waiting after this event */
  /* Added after the first version. */
  guint64 queue_bytes;          /* bytes waiting after this event */
  guint n_flips;                /* link.corrupt */
  const guint32 *flip_bits;     /* byte * 8 + bit, n_flips of them */
  guint64 orig_uid;             /* link.dup */
} LinkTraceEvent;

G_END_DECLS
