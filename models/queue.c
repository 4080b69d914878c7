/* queue.c: the occupancy shared by every queue discipline, and the
 * dispatch to the discipline's ops.
 *
 * Call order: queue_init() -> queue_offer()... (each calls queue_expire()
 * and then ops->enqueue()) -> queue_configure() at a parameter change ->
 * queue_flush() when the link goes down -> queue_clear().
 *
 * The occupancy is a ring of (start, end, size) per packet that entered
 * and has not finished transmission.  It grows by doubling and never
 * shrinks, so a link allocates nothing per packet once its largest
 * backlog has been seen.
 */
#include "models/queue.h"

const char *const queue_kind_names[] = {
  [QUEUE_DROPTAIL] = "droptail",
  [QUEUE_RED] = "red",
  [QUEUE_CODEL] = "codel",
  NULL,
};

static const QueueOps *
ops_of_kind (QueueKind kind)
{
  switch (kind)
    {
    case QUEUE_DROPTAIL:
      return &queue_droptail_ops;
    case QUEUE_RED:
      return &queue_red_ops;
    case QUEUE_CODEL:
      return &queue_codel_ops;
    case QUEUE_N_KINDS:
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

void
queue_init (Queue *q, const QueueConfig *config, SimRng *rng)
{
  q->config = *config;
  q->ops = ops_of_kind (config->kind);
  q->rng = rng;
  q->cap = 16;
  q->slots = g_new (QueueSlot, q->cap);
  q->head = 0;
  q->len = 0;
  q->bytes = 0;
  q->last_start_ns = -1;
  q->busy_until_ns = 0;
  q->ops->reset (q);
}

void
queue_clear (Queue *q)
{
  g_clear_pointer (&q->slots, g_free);
  q->len = 0;
  q->cap = 0;
}

void
queue_configure (Queue *q, const QueueConfig *config)
{
  gboolean same_kind = config->kind == q->config.kind;

  q->config = *config;
  if (!same_kind)
    {
      q->ops = ops_of_kind (config->kind);
      q->ops->reset (q);
    }
}

/* The hot path calls these static versions: the library is built as
 * position-independent code, where an exported function may be
 * interposed and so is never inlined into its own file. */
static inline SimTime
tx_time_ns (guint64 size_bytes, guint64 rate_bps)
{
  if (rate_bps == 0)
    return 0;
  return (SimTime) ((size_bytes * 8 * G_GUINT64_CONSTANT (1000000000)
                     + rate_bps - 1) / rate_bps);
}

static inline void
expire (Queue *q, SimTime now_ns)
{
  while (q->len > 0 && q->slots[q->head].end_ns <= now_ns)
    {
      q->bytes -= q->slots[q->head].size_bytes;
      q->head = (q->head + 1) & (q->cap - 1);
      q->len--;
    }
}

/* The oldest unfinished packet is on the wire: it started no later than
 * now, because the one before it has finished and it had arrived. */
static inline guint32
waiting_pkts (const Queue *q)
{
  return q->len > 0 ? q->len - 1 : 0;
}

static inline guint64
waiting_bytes (const Queue *q)
{
  return q->len > 0 ? q->bytes - q->slots[q->head].size_bytes : 0;
}

SimTime
queue_tx_time_ns (guint64 size_bytes, guint64 rate_bps)
{
  return tx_time_ns (size_bytes, rate_bps);
}

void
queue_expire (Queue *q, SimTime now_ns)
{
  expire (q, now_ns);
}

static void
push (Queue *q, SimTime start_ns, SimTime end_ns, guint32 size_bytes)
{
  if (q->len == q->cap)
    {
      QueueSlot *grown = g_new (QueueSlot, q->cap * 2);

      for (guint i = 0; i < q->len; i++)
        grown[i] = q->slots[(q->head + i) & (q->cap - 1)];
      g_free (q->slots);
      q->slots = grown;
      q->head = 0;
      q->cap *= 2;
    }
  q->slots[(q->head + q->len) & (q->cap - 1)] = (QueueSlot) {
    start_ns, end_ns, size_bytes,
  };
  q->len++;
  q->bytes += size_bytes;
}

guint32
queue__waiting_pkts (const Queue *q)
{
  return waiting_pkts (q);
}

guint64
queue__waiting_bytes (const Queue *q)
{
  return waiting_bytes (q);
}

const char *
queue_offer (Queue *q, SimTime now_ns, guint32 size_bytes, guint64 rate_bps,
             QueueResult *result)
{
  QueueOffer o;
  const char *reason;

  expire (q, now_ns);
  o.now_ns = now_ns;
  o.start_ns = MAX (now_ns, q->busy_until_ns);
  o.tx_time_ns = tx_time_ns (size_bytes, rate_bps);
  o.last_start_ns = q->last_start_ns;
  o.size_bytes = size_bytes;
  o.waiting_pkts = waiting_pkts (q);
  o.waiting_bytes = waiting_bytes (q);
  o.rate_bps = rate_bps;
  reason = q->ops->enqueue (q, &o);
  if (reason != NULL)
    return reason;
  push (q, o.start_ns, o.start_ns + o.tx_time_ns, size_bytes);
  q->busy_until_ns = o.start_ns + o.tx_time_ns;
  q->last_start_ns = o.start_ns;
  result->start_ns = o.start_ns;
  result->end_ns = q->busy_until_ns;
  /* A packet that starts now found the queue empty and waits for
   * nothing; one that starts later waits behind the others. */
  result->waiting_pkts = o.waiting_pkts;
  result->waiting_bytes = o.waiting_bytes;
  if (o.start_ns > now_ns)
    {
      result->waiting_pkts++;
      result->waiting_bytes += size_bytes;
    }
  return NULL;
}

void
queue_flush (Queue *q, SimTime now_ns)
{
  q->head = 0;
  q->len = 0;
  q->bytes = 0;
  q->busy_until_ns = now_ns;
  if (q->last_start_ns > now_ns)
    q->last_start_ns = now_ns;
}

guint32
queue_len_pkts (Queue *q, SimTime now_ns)
{
  expire (q, now_ns);
  return q->ops->len_pkts (q);
}

guint64
queue_len_bytes (Queue *q, SimTime now_ns)
{
  expire (q, now_ns);
  return q->ops->len_bytes (q);
}

guint32
queue_in_system_pkts (Queue *q, SimTime now_ns)
{
  expire (q, now_ns);
  return q->len;
}

SimTime
queue_busy_until (const Queue *q)
{
  return q->busy_until_ns;
}
