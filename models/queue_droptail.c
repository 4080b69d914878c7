/* queue_droptail.c: the drop-tail discipline.
 *
 * A packet enters unless the buffer is full, in packets or in bytes,
 * counting the packets waiting and not the one on the wire.  This is the
 * queue of most routers' defaults and of ns-3's DropTailQueue.
 */
#include "models/queue.h"

static void
droptail_reset (Queue *q)
{
  (void) q;
}

static const char *
droptail_enqueue (Queue *q, const QueueOffer *offer)
{
  return queue__over_limit (q, offer) ? "queue" : NULL;
}

const QueueOps queue_droptail_ops = {
  "droptail",
  droptail_reset,
  droptail_enqueue,
  queue__waiting_pkts,
  queue__waiting_bytes,
};
