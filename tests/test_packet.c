/* test_packet.c: the packet pool, headroom and copies.
 *
 * The pool's free list is last-in first-out, so "free then new returns
 * the same buffer" is observable through pointers; oversized packets must
 * bypass the free list in both directions.
 */
#include "models/packet.h"

#include <string.h>

/* The largest payload the pool's fixed-size buffers hold. */
#define POOL_FIT_BYTES (PACKET_POOL_CAP_BYTES - PACKET_HEADROOM_BYTES)

static void
fill (Packet *pkt, guint8 seed)
{
  for (guint32 i = 0; i < pkt->len_bytes; i++)
    packet_bytes (pkt)[i] = (guint8) (seed + i * 31);
}

static void
assert_filled (const Packet *pkt, guint8 seed)
{
  for (guint32 i = 0; i < pkt->len_bytes; i++)
    g_assert_cmpuint (packet_cbytes (pkt)[i], ==, (guint8) (seed + i * 31));
}

static void
test_new_fields (void)
{
  PacketPool *pool = packet_pool_new ();
  Packet *a = packet_new (pool, 100);
  Packet *b = packet_new (pool, 0);

  g_assert_cmpuint (packet_pool_outstanding (pool), ==, 2);
  g_assert_cmpuint (a->head_bytes, ==, PACKET_HEADROOM_BYTES);
  g_assert_cmpuint (a->len_bytes, ==, 100);
  g_assert_cmpuint (a->cap_bytes, ==, PACKET_POOL_CAP_BYTES);
  g_assert_null (a->next);
  g_assert_cmpint (a->arrive_at_ns, ==, 0);
  g_assert_cmpuint (a->mark, ==, 0);
  g_assert_true (packet_bytes (a) == a->data + PACKET_HEADROOM_BYTES);
  g_assert_cmpuint (b->len_bytes, ==, 0);
  g_assert_cmpuint (b->uid, ==, a->uid + 1);
  fill (a, 1);
  assert_filled (a, 1);

  packet_free (pool, a);
  g_assert_cmpuint (packet_pool_outstanding (pool), ==, 1);
  packet_free (pool, b);
  g_assert_cmpuint (packet_pool_outstanding (pool), ==, 0);
  packet_free (pool, NULL);             /* harmless */
  g_assert_cmpuint (packet_pool_outstanding (pool), ==, 0);
  packet_pool_free (pool);
}

static void
test_pool_reuse (void)
{
  PacketPool *pool = packet_pool_new ();
  Packet *pkts[16];
  Packet *p;
  Packet *q;
  guint64 uid;

  p = packet_new (pool, 1000);
  p->next = p;
  p->arrive_at_ns = 12345;
  p->mark = 7;
  packet_push (p, 20);
  uid = p->uid;
  packet_free (pool, p);

  /* The freed buffer comes back, fully reset, with a fresh uid. */
  q = packet_new (pool, 40);
  g_assert_true (q == p);
  g_assert_cmpuint (q->uid, ==, uid + 1);
  g_assert_null (q->next);
  g_assert_cmpint (q->arrive_at_ns, ==, 0);
  g_assert_cmpuint (q->mark, ==, 0);
  g_assert_cmpuint (q->head_bytes, ==, PACKET_HEADROOM_BYTES);
  g_assert_cmpuint (q->len_bytes, ==, 40);
  g_assert_cmpuint (packet_pool_outstanding (pool), ==, 1);
  packet_free (pool, q);

  /* A batch freed and reallocated reuses exactly the same buffers, most
   * recently freed first. */
  for (guint i = 0; i < G_N_ELEMENTS (pkts); i++)
    pkts[i] = packet_new (pool, 64 * i);
  g_assert_cmpuint (packet_pool_outstanding (pool), ==, G_N_ELEMENTS (pkts));
  for (guint i = 0; i < G_N_ELEMENTS (pkts); i++)
    packet_free (pool, pkts[i]);
  g_assert_cmpuint (packet_pool_outstanding (pool), ==, 0);
  for (guint i = G_N_ELEMENTS (pkts); i > 0; i--)
    {
      Packet *again = packet_new (pool, POOL_FIT_BYTES);

      g_assert_true (again == pkts[i - 1]);
      fill (again, (guint8) i);          /* the whole area is writable */
    }
  for (guint i = 0; i < G_N_ELEMENTS (pkts); i++)
    packet_free (pool, pkts[i]);
  packet_pool_free (pool);
}

static void
test_push_pull (void)
{
  PacketPool *pool = packet_pool_new ();
  Packet *pkt = packet_new (pool, 100);
  guint8 *payload = packet_bytes (pkt);
  guint8 *hdr;

  fill (pkt, 9);
  hdr = packet_push (pkt, 20);
  g_assert_true (hdr == payload - 20);
  g_assert_true (packet_bytes (pkt) == hdr);
  g_assert_cmpuint (pkt->len_bytes, ==, 120);
  g_assert_cmpuint (pkt->head_bytes, ==, PACKET_HEADROOM_BYTES - 20);
  memset (hdr, 0x45, 20);

  /* Use up the rest of the headroom exactly. */
  hdr = packet_push (pkt, PACKET_HEADROOM_BYTES - 20);
  g_assert_true (hdr == pkt->data);
  g_assert_cmpuint (pkt->head_bytes, ==, 0);
  g_assert_cmpuint (pkt->len_bytes, ==, 100 + PACKET_HEADROOM_BYTES);

  packet_pull (pkt, PACKET_HEADROOM_BYTES - 20);
  g_assert_cmpuint (packet_bytes (pkt)[0], ==, 0x45);
  packet_pull (pkt, 20);
  g_assert_true (packet_bytes (pkt) == payload);
  g_assert_cmpuint (pkt->len_bytes, ==, 100);
  assert_filled (pkt, 9);

  /* Pulling everything leaves an empty packet. */
  packet_pull (pkt, 100);
  g_assert_cmpuint (pkt->len_bytes, ==, 0);
  g_assert_cmpuint (pkt->head_bytes, ==, PACKET_HEADROOM_BYTES + 100);
  packet_free (pool, pkt);
  packet_pool_free (pool);
}

static void
test_copy (void)
{
  PacketPool *pool = packet_pool_new ();
  Packet *pkt = packet_new (pool, 300);
  Packet *copy;

  fill (pkt, 3);
  packet_push (pkt, 40);
  memset (packet_bytes (pkt), 0x11, 40);
  pkt->mark = 5;

  copy = packet_copy (pool, pkt);
  g_assert_true (copy != pkt);
  g_assert_cmpuint (copy->uid, !=, pkt->uid);
  g_assert_cmpuint (packet_pool_outstanding (pool), ==, 2);
  g_assert_cmpuint (copy->len_bytes, ==, 340);
  /* The copy has its own full headroom, whatever the original used. */
  g_assert_cmpuint (copy->head_bytes, ==, PACKET_HEADROOM_BYTES);
  g_assert_cmpmem (packet_bytes (copy), copy->len_bytes, packet_bytes (pkt),
                   pkt->len_bytes);

  /* Independent bytes: writing one leaves the other alone. */
  packet_bytes (copy)[0] = 0x99;
  g_assert_cmpuint (packet_bytes (pkt)[0], ==, 0x11);

  packet_free (pool, pkt);
  packet_free (pool, copy);
  g_assert_cmpuint (packet_pool_outstanding (pool), ==, 0);
  packet_pool_free (pool);
}

static void
test_oversized (void)
{
  PacketPool *pool = packet_pool_new ();
  Packet *small = packet_new (pool, 100);
  Packet *exact;
  Packet *big;
  Packet *again;
  Packet *copy;

  /* Put one pool buffer on the free list. */
  packet_free (pool, small);

  /* The largest payload that fits comes from the free list. */
  exact = packet_new (pool, POOL_FIT_BYTES);
  g_assert_true (exact == small);
  g_assert_cmpuint (exact->cap_bytes, ==, PACKET_POOL_CAP_BYTES);
  packet_free (pool, exact);

  /* One byte more is allocated apart, with room for all of it, and does
   * not take the free-list buffer. */
  big = packet_new (pool, POOL_FIT_BYTES + 1);
  g_assert_true (big != small);
  g_assert_cmpuint (big->cap_bytes, ==, PACKET_POOL_CAP_BYTES + 1);
  g_assert_cmpuint (big->len_bytes, ==, POOL_FIT_BYTES + 1);
  fill (big, 4);
  copy = packet_copy (pool, big);
  g_assert_cmpuint (copy->cap_bytes, >=,
                    PACKET_HEADROOM_BYTES + big->len_bytes);
  assert_filled (copy, 4);
  g_assert_cmpuint (packet_pool_outstanding (pool), ==, 2);

  /* Freed, an oversized packet is released, not pooled: the next small
   * packet still gets the pool's buffer. */
  packet_free (pool, big);
  packet_free (pool, copy);
  g_assert_cmpuint (packet_pool_outstanding (pool), ==, 0);
  again = packet_new (pool, 10);
  g_assert_true (again == small);
  packet_free (pool, again);

  /* A jumbo frame works end to end. */
  big = packet_new (pool, 9000);
  g_assert_cmpuint (big->cap_bytes, ==, PACKET_HEADROOM_BYTES + 9000);
  fill (big, 8);
  packet_push (big, 20);
  packet_pull (big, 20);
  assert_filled (big, 8);
  packet_free (pool, big);
  packet_pool_free (pool);
}

/* Many packets in flight at once, freed in a scrambled order: the pool
 * never hands out a buffer that is still outstanding. */
static void
test_many_outstanding (void)
{
  enum { N = 4096 };
  PacketPool *pool = packet_pool_new ();
  g_autofree Packet **pkts = g_new0 (Packet *, N);
  g_autoptr (GHashTable) live = g_hash_table_new (NULL, NULL);

  for (guint round = 0; round < 3; round++)
    {
      for (guint i = 0; i < N; i++)
        {
          pkts[i] = packet_new (pool, (i * 7) % 1500);
          g_assert_true (g_hash_table_add (live, pkts[i]));
        }
      g_assert_cmpuint (packet_pool_outstanding (pool), ==, N);
      for (guint i = 0; i < N; i++)
        {
          guint k = (i * 2654435761u) % N;     /* a permutation of 0..N-1 */

          g_assert_true (g_hash_table_remove (live, pkts[k]));
          packet_free (pool, pkts[k]);
        }
      g_assert_cmpuint (packet_pool_outstanding (pool), ==, 0);
    }
  packet_pool_free (pool);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/packet/new-fields", test_new_fields);
  g_test_add_func ("/packet/pool-reuse", test_pool_reuse);
  g_test_add_func ("/packet/push-pull", test_push_pull);
  g_test_add_func ("/packet/copy", test_copy);
  g_test_add_func ("/packet/oversized", test_oversized);
  g_test_add_func ("/packet/many-outstanding", test_many_outstanding);
  return g_test_run ();
}
