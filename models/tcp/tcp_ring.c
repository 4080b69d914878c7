/* tcp_ring.c: the byte rings behind the send and receive buffers.
 *
 * Storage starts empty and doubles (from 2 KiB) up to the ring's capacity
 * when a write needs it; growing re-linearizes the bytes at index 0.
 * Hand-written rather than GByteArray because the receive side writes
 * out-of-order bytes at an offset beyond the current length.
 */
#include "models/tcp/tcp_private.h"

#include "models/checksum.h"

#include <string.h>

#define RING_MIN_BYTES 2048u

void
tcp__ring_init (TcpRing *ring, gsize cap)
{
  ring->bytes = NULL;
  ring->size_bytes = 0;
  ring->cap = cap;
  ring->head = 0;
  ring->len = 0;
}

void
tcp__ring_clear (TcpRing *ring)
{
  g_clear_pointer (&ring->bytes, g_free);
  ring->size_bytes = 0;
  ring->cap = ring->head = ring->len = 0;
}

void
tcp__ring_release (TcpRing *ring)
{
  g_clear_pointer (&ring->bytes, g_free);
  ring->size_bytes = 0;
  ring->head = ring->len = 0;
}

static void
ring_reserve (TcpRing *ring, gsize need_bytes)
{
  gsize size = ring->size_bytes ? ring->size_bytes : RING_MIN_BYTES;
  guint8 *grown;

  g_assert (need_bytes <= ring->cap);
  if (need_bytes <= ring->size_bytes)
    return;
  while (size < need_bytes)
    size *= 2;
  size = MIN (size, ring->cap);
  grown = g_malloc (size);
  if (ring->len > 0)
    {
      gsize first = MIN (ring->len, ring->size_bytes - ring->head);

      memcpy (grown, ring->bytes + ring->head, first);
      memcpy (grown + first, ring->bytes, ring->len - first);
    }
  g_free (ring->bytes);
  ring->bytes = grown;
  ring->size_bytes = size;
  ring->head = 0;
}

void
tcp__ring_slices (const TcpRing *ring, gsize len, const guint8 **first,
                  gsize *first_len, const guint8 **second, gsize *second_len)
{
  g_assert (len <= ring->len);
  if (len == 0)
    {
      *first = *second = NULL;
      *first_len = *second_len = 0;
      return;
    }
  *first = ring->bytes + ring->head;
  *first_len = MIN (len, ring->size_bytes - ring->head);
  *second = ring->bytes;
  *second_len = len - *first_len;
}

void
tcp__ring_peek (const TcpRing *ring, gsize off, guint8 *dst, gsize len)
{
  gsize start;
  gsize first;

  g_assert (off + len <= ring->len);
  if (len == 0)
    return;
  start = (ring->head + off) % ring->size_bytes;
  first = MIN (len, ring->size_bytes - start);
  memcpy (dst, ring->bytes + start, first);
  if (len > first)
    memcpy (dst + first, ring->bytes, len - first);
}

guint64
tcp__ring_copy_sum (const TcpRing *ring, gsize off, guint8 *dst, gsize len)
{
  gsize start;
  gsize first;
  guint64 sum;

  g_assert (off + len <= ring->len);
  if (len == 0)
    return 0;
  start = (ring->head + off) % ring->size_bytes;
  first = MIN (len, ring->size_bytes - start);
  sum = inet_csum_copy (0, dst, ring->bytes + start, first);
  if (len > first)
    {
      guint64 rest = inet_csum_copy (0, dst + first, ring->bytes,
                                     len - first);

      /* The second piece starts at an odd offset when the first is odd. */
      sum += (first & 1) ? inet_csum_shift_odd (rest) : rest;
    }
  return sum;
}

void
tcp__ring_write_at (TcpRing *ring, gsize off, const guint8 *src, gsize len)
{
  gsize start;
  gsize first;

  if (len == 0)
    return;
  ring_reserve (ring, off + len);
  start = (ring->head + off) % ring->size_bytes;
  first = MIN (len, ring->size_bytes - start);
  memcpy (ring->bytes + start, src, first);
  if (len > first)
    memcpy (ring->bytes, src + first, len - first);
  if (off + len > ring->len)
    ring->len = off + len;
}

void
tcp__ring_consume (TcpRing *ring, gsize len)
{
  g_assert (len <= ring->len);
  ring->len -= len;
  ring->head = ring->size_bytes ? (ring->head + len) % ring->size_bytes : 0;
  if (ring->len == 0)
    ring->head = 0;
}
