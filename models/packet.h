/* packet.h: a packet is a buffer of real wire bytes (IPv4 header, TCP
 * header, payload) with headroom in front, taken from and returned to a
 * per-network pool.
 *
 * A Packet has exactly one owner at a time: whoever holds the pointer
 * (a link, a queue, a host) either passes it on or frees it.
 */
#pragma once

#include <glib.h>

#include "sim/clock.h"

G_BEGIN_DECLS

typedef struct Packet Packet;
typedef struct PacketPool PacketPool;

/* Largest packet the pool serves without a separate allocation: an
 * Ethernet MTU plus room for headers pushed in front. */
#define PACKET_POOL_CAP_BYTES 1600u
#define PACKET_HEADROOM_BYTES 64u

struct Packet {
  Packet *next;                 /* linkage for whichever queue owns it */
  SimTime arrive_at_ns;         /* set by a link: when it reaches the far end */
  guint64 uid;                  /* unique within a pool, for tracing */
  guint32 head_bytes;           /* offset of the first valid byte */
  guint32 len_bytes;            /* valid bytes from head */
  guint32 cap_bytes;            /* size of data[] */
  guint32 mark;                 /* scratch bits for the current owner */
  /* TRUE only while the TCP checksum is known to verify: set by the TCP
   * that computed it, cleared by anything that changes the bytes (a
   * link's corruption).  A receiver may then skip summing the segment
   * again; a packet built any other way is always verified. */
  gboolean tcp_csum_good;
  guint8 data[];
};

/* Returns: (transfer full): an empty pool. */
PacketPool *packet_pool_new (void);
/* Frees the pool and its free list; every packet must have been returned. */
void packet_pool_free (PacketPool *pool);
/* Packets handed out and not yet returned. */
guint64 packet_pool_outstanding (const PacketPool *pool);

/* Returns: (transfer full): a packet with @len_bytes of uninitialised data
 * after PACKET_HEADROOM_BYTES of headroom. */
Packet *packet_new (PacketPool *pool, gsize len_bytes);
/* Returns: (transfer full): a byte-for-byte copy of @pkt with a new uid. */
Packet *packet_copy (PacketPool *pool, const Packet *pkt);
void packet_free (PacketPool *pool, Packet *pkt);

static inline guint8 *
packet_bytes (Packet *pkt)
{
  return pkt->data + pkt->head_bytes;
}

static inline const guint8 *
packet_cbytes (const Packet *pkt)
{
  return pkt->data + pkt->head_bytes;
}

/* Prepends @n bytes of headroom to the valid area; returns its start. */
guint8 *packet_push (Packet *pkt, gsize n);
/* Drops @n bytes from the front of the valid area. */
void packet_pull (Packet *pkt, gsize n);

G_END_DECLS
