/* queue_red.c: Random Early Detection, as in Floyd and Jacobson, "Random
 * Early Detection Gateways for Congestion Avoidance", IEEE/ACM ToN 1(4),
 * 1993, figure 2, in packet mode and without ECN (a marked packet is
 * dropped).
 *
 * Call order, per offered packet: red_enqueue() -> update the average
 * (an EWMA of the waiting packets, or its decay over an idle period) ->
 * the drop decision -> the buffer's hard limit.
 *
 * One uniform number is drawn from the discipline's stream for every
 * offered packet, needed or not, so that the packets a run drops depend
 * only on their order and the seed, not on which branch ran before.
 */
#include "models/queue.h"

#define RED_DEFAULT_W_Q 0.002
#define RED_DEFAULT_MEAN_PKT_BYTES 500u

static void
red_reset (Queue *q)
{
  q->state.red.avg_pkts = 0;
  q->state.red.count = -1;
}

/* (1 - w)^m by squaring: the same sequence of IEEE multiplications on
 * every machine, where pow() may differ in the last bit between libms. */
static double
power (double base, guint64 m)
{
  double result = 1;

  while (m > 0)
    {
      if (m & 1)
        result *= base;
      base *= base;
      m >>= 1;
    }
  return result;
}

static const char *
red_enqueue (Queue *q, const QueueOffer *offer)
{
  const QueueRedParams *p = &q->config.red;
  QueueRedState *s = &q->state.red;
  double w_q = p->w_q > 0 ? p->w_q : RED_DEFAULT_W_Q;
  double u = sim_rng_uniform (q->rng);

  if (offer->waiting_pkts > 0)
    s->avg_pkts = (1 - w_q) * s->avg_pkts + w_q * offer->waiting_pkts;
  else if (offer->last_start_ns >= 0)
    {
      /* "m <- f(time - q_time); avg <- (1 - w_q)^m avg": the queue has
       * been empty since the last packet left it for the wire, and f
       * counts the small packets the link could have sent meanwhile. */
      guint32 mean_bytes = p->mean_pkt_bytes ? p->mean_pkt_bytes
                                             : RED_DEFAULT_MEAN_PKT_BYTES;
      SimTime s_ns = queue_tx_time_ns (mean_bytes, offer->rate_bps);
      SimTime idle_ns = offer->now_ns - offer->last_start_ns;

      if (s_ns == 0)
        s->avg_pkts = 0;
      else
        s->avg_pkts *= power (1 - w_q, (guint64) (idle_ns / s_ns));
    }

  if (s->avg_pkts >= p->min_th_pkts && s->avg_pkts < p->max_th_pkts)
    {
      double p_b;
      double p_a;

      s->count++;
      p_b = p->max_p * (s->avg_pkts - p->min_th_pkts)
            / (p->max_th_pkts - p->min_th_pkts);
      /* "p_a <- p_b / (1 - count * p_b)": drops spaced more evenly than
       * a geometric law would space them; past 1 the drop is certain. */
      p_a = s->count * p_b >= 1 ? 1 : p_b / (1 - s->count * p_b);
      if (u < p_a)
        {
          s->count = 0;
          return "red";
        }
    }
  else if (s->avg_pkts >= p->max_th_pkts)
    {
      s->count = 0;
      return "red";
    }
  else
    s->count = -1;

  if (queue__over_limit (q, offer))
    {
      /* A forced drop restarts the count, as ns-2's RED does. */
      s->count = 0;
      return "queue";
    }
  return NULL;
}

const QueueOps queue_red_ops = {
  "red",
  red_reset,
  red_enqueue,
  queue__waiting_pkts,
  queue__waiting_bytes,
};
