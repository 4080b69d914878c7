/* queue_codel.c: CoDel, "Controlled Delay Active Queue Management",
 * RFC 8289.
 *
 * CoDel drops at dequeue, from the time the leaving packet spent in the
 * queue.  A link here computes when each packet leaves as it is offered
 * (the start of its transmission), so the dequeue of RFC 8289 section
 * 5.5 runs for each packet at enqueue, at the virtual instant T it will
 * leave, in the order packets leave.  Two approximations follow from
 * deciding early, both documented here rather than hidden:
 * - "queue.bytes() <= MAXPACKET" (5.4) is evaluated on the bytes waiting
 *   ahead of the packet when it arrives, since the bytes behind it at T
 *   have not arrived yet; in a standing queue the two are alike.
 * - A dropped packet is traced when it is offered, not at T.
 *
 * Call order: codel_enqueue() -> should_drop() (5.4, dodequeue's
 * sojourn test) -> the dropping-state machine of 5.5 -> the hard limit.
 */
#include "models/queue.h"

#include <math.h>

#define CODEL_DEFAULT_TARGET_NS SIM_MS (5)
#define CODEL_DEFAULT_INTERVAL_NS SIM_MS (100)
#define CODEL_DEFAULT_MTU_BYTES 1500u

static void
codel_reset (Queue *q)
{
  q->state.codel = (QueueCodelState) { 0 };
}

static SimTime
target_ns (const QueueCodelParams *p)
{
  return p->target_ns > 0 ? p->target_ns : CODEL_DEFAULT_TARGET_NS;
}

static SimTime
interval_ns (const QueueCodelParams *p)
{
  return p->interval_ns > 0 ? p->interval_ns : CODEL_DEFAULT_INTERVAL_NS;
}

/* RFC 8289 5.5: "t + interval / sqrt(count)".  sqrt() is correctly
 * rounded by IEEE 754, so this is the same on every machine. */
static SimTime
control_law (const QueueCodelParams *p, SimTime t_ns, guint32 count)
{
  return t_ns + (SimTime) ((double) interval_ns (p) / sqrt ((double) count));
}

/* RFC 8289 5.4 (dodequeue): TRUE once the sojourn time has stayed at or
 * above target for a whole interval. */
static gboolean
should_drop (QueueCodelState *s, const QueueCodelParams *p, SimTime t_ns,
             SimTime sojourn_ns, guint64 backlog_bytes)
{
  guint32 mtu_bytes = p->mtu_bytes ? p->mtu_bytes : CODEL_DEFAULT_MTU_BYTES;

  /* "If the queue has dropped below target or below one MTU, leave the
   * above-target state." */
  if (sojourn_ns < target_ns (p) || backlog_bytes <= mtu_bytes)
    {
      s->first_above_time_ns = 0;
      return FALSE;
    }
  if (s->first_above_time_ns == 0)
    {
      s->first_above_time_ns = t_ns + interval_ns (p);
      return FALSE;
    }
  return t_ns >= s->first_above_time_ns;
}

static const char *
codel_enqueue (Queue *q, const QueueOffer *offer)
{
  const QueueCodelParams *p = &q->config.codel;
  QueueCodelState *s = &q->state.codel;
  SimTime t_ns = offer->start_ns;
  gboolean ok_to_drop;

  if (queue__over_limit (q, offer))
    return "queue";
  ok_to_drop = should_drop (s, p, t_ns, offer->start_ns - offer->now_ns,
                            offer->waiting_bytes);
  if (s->pass_next)
    {
      /* 5.5: after the drop that enters the dropping state, the next
       * packet is dequeued and returned whatever its sojourn. */
      s->pass_next = FALSE;
      return NULL;
    }
  if (s->dropping)
    {
      if (!ok_to_drop)
        {
          /* "sojourn time below target - leave dropping state" */
          s->dropping = FALSE;
          s->advance_pending = FALSE;
          return NULL;
        }
      if (s->advance_pending)
        {
          /* "schedule the next drop": done in 5.5 once the packet after
           * a drop is known to be above target, as here. */
          s->drop_next_ns = control_law (p, s->drop_next_ns, s->count);
          s->advance_pending = FALSE;
        }
      if (t_ns >= s->drop_next_ns)
        {
          s->count++;
          s->advance_pending = TRUE;
          return "codel";
        }
      return NULL;
    }
  if (ok_to_drop)
    {
      guint32 delta = s->count - s->lastcount;

      s->dropping = TRUE;
      s->pass_next = TRUE;
      /* "If min went above target close to when it last went below,
       * assume that the drop rate that controlled the queue on the last
       * cycle is a good starting point." */
      s->count = 1;
      if (delta > 1 && t_ns - s->drop_next_ns < 16 * interval_ns (p))
        s->count = delta;
      s->drop_next_ns = control_law (p, t_ns, s->count);
      s->lastcount = s->count;
      return "codel";
    }
  return NULL;
}

const QueueOps queue_codel_ops = {
  "codel",
  codel_reset,
  codel_enqueue,
  queue__waiting_pkts,
  queue__waiting_bytes,
};
