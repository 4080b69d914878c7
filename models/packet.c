/* packet.c: the packet pool.
 *
 * A free list of fixed-size buffers: after warm-up a simulation allocates
 * nothing per packet.  Oversized packets (MTU above the pool's size) fall
 * back to g_malloc and are freed directly.
 */
#include "models/packet.h"

#include <string.h>

struct PacketPool {
  Packet *free_list;
  guint64 next_uid;
  guint64 outstanding;
};

PacketPool *
packet_pool_new (void)
{
  return g_new0 (PacketPool, 1);
}

void
packet_pool_free (PacketPool *pool)
{
  if (pool == NULL)
    return;
  g_warn_if_fail (pool->outstanding == 0);
  while (pool->free_list != NULL)
    {
      Packet *p = pool->free_list;

      pool->free_list = p->next;
      g_free (p);
    }
  g_free (pool);
}

guint64
packet_pool_outstanding (const PacketPool *pool)
{
  return pool->outstanding;
}

Packet *
packet_new (PacketPool *pool, gsize len_bytes)
{
  gsize need = PACKET_HEADROOM_BYTES + len_bytes;
  Packet *pkt;

  if (need <= PACKET_POOL_CAP_BYTES && pool->free_list != NULL)
    {
      pkt = pool->free_list;
      pool->free_list = pkt->next;
    }
  else
    {
      gsize cap = MAX (need, (gsize) PACKET_POOL_CAP_BYTES);

      pkt = g_malloc (sizeof (Packet) + cap);
      pkt->cap_bytes = (guint32) cap;
    }
  pkt->next = NULL;
  pkt->arrive_at_ns = 0;
  pkt->uid = pool->next_uid++;
  pkt->head_bytes = PACKET_HEADROOM_BYTES;
  pkt->len_bytes = (guint32) len_bytes;
  pkt->mark = 0;
  pkt->tcp_csum_good = FALSE;
  pool->outstanding++;
  return pkt;
}

Packet *
packet_copy (PacketPool *pool, const Packet *pkt)
{
  Packet *copy = packet_new (pool, pkt->len_bytes);

  memcpy (packet_bytes (copy), packet_cbytes (pkt), pkt->len_bytes);
  copy->tcp_csum_good = pkt->tcp_csum_good;
  return copy;
}

void
packet_free (PacketPool *pool, Packet *pkt)
{
  if (pkt == NULL)
    return;
  g_assert (pool->outstanding > 0);
  pool->outstanding--;
  if (pkt->cap_bytes != PACKET_POOL_CAP_BYTES)
    {
      g_free (pkt);
      return;
    }
  pkt->next = pool->free_list;
  pool->free_list = pkt;
}

guint8 *
packet_push (Packet *pkt, gsize n)
{
  g_assert (n <= pkt->head_bytes);
  pkt->head_bytes -= (guint32) n;
  pkt->len_bytes += (guint32) n;
  return packet_bytes (pkt);
}

void
packet_pull (Packet *pkt, gsize n)
{
  g_assert (n <= pkt->len_bytes);
  pkt->head_bytes += (guint32) n;
  pkt->len_bytes -= (guint32) n;
}
