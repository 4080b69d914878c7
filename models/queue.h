/* queue.h: the queue of one link direction: its occupancy, and the
 * discipline that decides which offered packets enter.
 *
 * A link computes every departure when a packet is offered (link.c), so a
 * queue holds no packets: it holds the transmission times of the packets
 * that have entered and not yet finished, oldest first.  Those whose
 * transmission has not started are waiting; the oldest unfinished one is
 * on the wire.  Occupancy is therefore exact at any instant without an
 * event per departure.
 *
 * Call order, per offered packet: queue_offer() -> queue_expire() (the
 * packets finished by now leave) -> ops->enqueue() (the discipline's
 * decision, from the occupancy at that instant and the instant the packet
 * would start transmission) -> on acceptance the packet is appended and
 * its transmission start and end are returned to the link.  A packet
 * leaves when its transmission has finished, at the next queue_expire().
 *
 * QueueOps has no dequeue hook: the instant every packet leaves is known
 * when it is offered (the start of its transmission, QueueOffer.start_ns),
 * so a discipline that acts at dequeue, as CoDel does, decides at enqueue
 * from that instant and from the sojourn time it implies.
 *
 * Disciplines: drop-tail (queue_droptail.c), RED (queue_red.c, Floyd and
 * Jacobson 1993) and CoDel (queue_codel.c, RFC 8289).  Every discipline
 * also honours the buffer's hard limits, in packets and in bytes.
 */
#pragma once

#include "sim/clock.h"
#include "sim/rng.h"

G_BEGIN_DECLS

typedef enum {
  QUEUE_DROPTAIL = 0,
  QUEUE_RED,
  QUEUE_CODEL,
  QUEUE_N_KINDS
} QueueKind;

/* "droptail", "red", "codel", NULL-terminated; indexed by QueueKind. */
extern const char *const queue_kind_names[];

/* Random Early Detection, Floyd and Jacobson 1993, in packet mode: the
 * thresholds and the average are in packets. */
typedef struct {
  double min_th_pkts;
  double max_th_pkts;
  double max_p;                 /* drop probability at max_th */
  double w_q;                   /* weight of the EWMA; 0: 0.002 */
  guint32 mean_pkt_bytes;       /* "a typical small packet", whose
                                 * transmission time s counts the idle
                                 * decay steps; 0: 500 bytes */
} QueueRedParams;

/* CoDel, RFC 8289. */
typedef struct {
  SimTime target_ns;            /* 0: 5 ms (RFC 8289 4.4) */
  SimTime interval_ns;          /* 0: 100 ms (RFC 8289 4.3) */
  guint32 mtu_bytes;            /* "maxpacket"; 0: 1500 bytes */
} QueueCodelParams;

typedef struct {
  QueueKind kind;
  guint32 limit_pkts;           /* waiting packets, not counting the one
                                 * on the wire; 0: unlimited */
  guint64 limit_bytes;          /* waiting bytes; 0: unlimited */
  QueueRedParams red;
  QueueCodelParams codel;
} QueueConfig;

/* What a discipline sees of an offered packet. */
typedef struct {
  SimTime now_ns;
  SimTime start_ns;             /* when its transmission would start: the
                                 * instant it would leave the queue */
  SimTime tx_time_ns;           /* its serialization time */
  SimTime last_start_ns;        /* when the previous packet started; -1:
                                 * none yet */
  guint32 size_bytes;
  guint32 waiting_pkts;         /* ahead of it, not on the wire */
  guint64 waiting_bytes;
  guint64 rate_bps;             /* of the link now; 0: unlimited */
} QueueOffer;

typedef struct {
  SimTime start_ns;
  SimTime end_ns;
  guint32 size_bytes;
} QueueSlot;

typedef struct {
  double avg_pkts;
  gint64 count;                 /* packets since the last drop; -1 */
} QueueRedState;

typedef struct {
  SimTime first_above_time_ns;  /* 0: not above target */
  SimTime drop_next_ns;
  guint32 count;
  guint32 lastcount;
  gboolean dropping;
  gboolean advance_pending;     /* a drop in the dropping state: the next
                                 * packet schedules the one after */
  gboolean pass_next;           /* the packet after the first drop leaves
                                 * whatever its sojourn */
} QueueCodelState;

typedef struct Queue Queue;

typedef struct {
  const char *name;
  /* Clears the discipline's state; called when it is selected. */
  void (*reset) (Queue *q);
  /* Returns: (nullable): NULL when @offer may enter, else the reason of
   * its drop ("queue", "red", "codel"). */
  const char *(*enqueue) (Queue *q, const QueueOffer *offer);
  /* Waiting packets and bytes at the last update, not counting the one
   * on the wire. */
  guint32 (*len_pkts) (const Queue *q);
  guint64 (*len_bytes) (const Queue *q);
} QueueOps;

extern const QueueOps queue_droptail_ops;
extern const QueueOps queue_red_ops;
extern const QueueOps queue_codel_ops;

/* Embedded in its link direction; the fields are private to queue*.c. */
struct Queue {
  const QueueOps *ops;
  QueueConfig config;
  SimRng *rng;                  /* RED's draws */
  QueueSlot *slots;             /* ring, oldest first */
  guint head;
  guint len;
  guint cap;                    /* a power of two */
  guint64 bytes;                /* of every slot in the ring */
  SimTime last_start_ns;        /* -1 before the first packet */
  SimTime busy_until_ns;
  union {
    QueueRedState red;
    QueueCodelState codel;
  } state;
};

/* @rng: (transfer none): the stream of the discipline's random draws. */
void queue_init (Queue *q, const QueueConfig *config, SimRng *rng);
void queue_clear (Queue *q);
/* Changes the configuration; the discipline's state is kept when the kind
 * stays the same, and reset otherwise.  Packets already queued keep their
 * transmission times. */
void queue_configure (Queue *q, const QueueConfig *config);

/* What became of an accepted packet. */
typedef struct {
  SimTime start_ns;             /* its transmission starts */
  SimTime end_ns;               /* and ends */
  guint32 waiting_pkts;         /* the queue after it entered */
  guint64 waiting_bytes;
} QueueResult;

/* Offers a packet of @size_bytes at @now_ns to a transmitter of @rate_bps.
 * Returns: (nullable): NULL when it entered, with @result filled; else the
 * reason of its drop. */
const char *queue_offer (Queue *q, SimTime now_ns, guint32 size_bytes,
                         guint64 rate_bps, QueueResult *result);
/* Removes the packets whose transmission has finished by @now_ns. */
void queue_expire (Queue *q, SimTime now_ns);
/* Forgets every packet (the link went down at @now_ns): the transmitter
 * is free from @now_ns on. */
void queue_flush (Queue *q, SimTime now_ns);

/* Occupancy after queue_expire (q, @now_ns). */
guint32 queue_len_pkts (Queue *q, SimTime now_ns);
guint64 queue_len_bytes (Queue *q, SimTime now_ns);
/* Packets that entered and have not finished, the one on the wire
 * included. */
guint32 queue_in_system_pkts (Queue *q, SimTime now_ns);
SimTime queue_busy_until (const Queue *q);

/* Serialization time, rounded up so that a link never beats its rate;
 * exact below 2^31 bytes.  0 when @rate_bps is 0 (unlimited). */
SimTime queue_tx_time_ns (guint64 size_bytes, guint64 rate_bps);

/* For the disciplines: TRUE when @offer would exceed the hard limits.  A
 * packet that finds the transmitter free goes straight to the wire and
 * never waits, whatever the limits. */
static inline gboolean
queue__over_limit (const Queue *q, const QueueOffer *offer)
{
  if (offer->start_ns <= offer->now_ns)
    return FALSE;
  if (q->config.limit_pkts > 0
      && offer->waiting_pkts >= q->config.limit_pkts)
    return TRUE;
  return q->config.limit_bytes > 0
         && offer->waiting_bytes + offer->size_bytes > q->config.limit_bytes;
}

/* The waiting occupancy for the disciplines' len_pkts/len_bytes. */
guint32 queue__waiting_pkts (const Queue *q);
guint64 queue__waiting_bytes (const Queue *q);

G_END_DECLS
