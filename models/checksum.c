/* checksum.c: RFC 1071 summing.
 *
 * The one's-complement sum does not depend on byte order (RFC 1071 section
 * 2(B)), so the data is summed in the machine's own order, 64 bits per
 * load split into two 32-bit halves added into a 64-bit accumulator (no
 * carry can be lost below 2^32 loads), folded to 16 bits and swapped to
 * network order once at the end.  Hand-written because every byte of
 * every packet goes through here twice (sent and verified), and this runs
 * several times faster than summing 16-bit big-endian words.
 */
#include "models/checksum.h"

#include <string.h>

static inline guint16
fold16 (guint64 sum)
{
  sum = (sum & 0xffffffffu) + (sum >> 32);
  sum = (sum & 0xffffffffu) + (sum >> 32);
  sum = (sum & 0xffffu) + (sum >> 16);
  sum = (sum & 0xffffu) + (sum >> 16);
  sum = (sum & 0xffffu) + (sum >> 16);
  return (guint16) sum;
}

guint64
inet_csum_add (guint64 sum, const void *data, gsize len_bytes)
{
  const guint8 *p = data;
  guint64 acc = 0;
  guint16 native;

  /* Four independent accumulators keep the adds from waiting on each
   * other. */
  {
    guint64 a0 = 0;
    guint64 a1 = 0;
    guint64 a2 = 0;
    guint64 a3 = 0;

    while (len_bytes >= 32)
      {
        guint64 w[4];

        memcpy (w, p, sizeof w);
        a0 += (w[0] & 0xffffffffu) + (w[0] >> 32);
        a1 += (w[1] & 0xffffffffu) + (w[1] >> 32);
        a2 += (w[2] & 0xffffffffu) + (w[2] >> 32);
        a3 += (w[3] & 0xffffffffu) + (w[3] >> 32);
        p += 32;
        len_bytes -= 32;
      }
    acc = a0 + a1 + a2 + a3;
  }
  while (len_bytes >= 8)
    {
      guint64 w;

      memcpy (&w, p, 8);
      acc += (w & 0xffffffffu) + (w >> 32);
      p += 8;
      len_bytes -= 8;
    }
  while (len_bytes >= 2)
    {
      guint16 h;

      memcpy (&h, p, 2);
      acc += h;
      p += 2;
      len_bytes -= 2;
    }
  if (len_bytes == 1)
    {
      /* The odd byte is the high half of a zero-padded big-endian word:
       * where it lands in a native word depends on the byte order. */
      guint8 pad[2] = { p[0], 0 };
      guint16 h;

      memcpy (&h, pad, 2);
      acc += h;
    }
  native = fold16 (acc);
  return sum + GUINT16_FROM_BE (native);
}

guint64
inet_csum_copy (guint64 sum, void *dst, const void *src, gsize len_bytes)
{
  const guint8 *s = src;
  guint8 *d = dst;
  guint64 acc = 0;
  guint16 native;

  /* One pass that copies and sums, as Linux's csum_partial_copy(): the
   * bytes are in registers once instead of being read twice. */
  while (len_bytes >= 8)
    {
      guint64 w;

      memcpy (&w, s, 8);
      memcpy (d, &w, 8);
      acc += (w & 0xffffffffu) + (w >> 32);
      s += 8;
      d += 8;
      len_bytes -= 8;
    }
  while (len_bytes >= 2)
    {
      guint16 h;

      memcpy (&h, s, 2);
      memcpy (d, &h, 2);
      acc += h;
      s += 2;
      d += 2;
      len_bytes -= 2;
    }
  if (len_bytes == 1)
    {
      guint8 pad[2] = { s[0], 0 };
      guint16 h;

      d[0] = s[0];
      memcpy (&h, pad, 2);
      acc += h;
    }
  native = fold16 (acc);
  return sum + GUINT16_FROM_BE (native);
}

guint64
inet_csum_shift_odd (guint64 sum)
{
  guint16 folded = (guint16) ~inet_csum_fold (sum);

  return GUINT16_SWAP_LE_BE (folded);
}

guint16
inet_csum (const void *data, gsize len_bytes)
{
  return inet_csum_fold (inet_csum_add (0, data, len_bytes));
}

guint16
inet_csum_update16 (guint16 csum, guint16 old_word, guint16 new_word)
{
  /* HC' = ~(~HC + ~m + m') */
  guint32 sum = (guint16) ~csum;

  sum += (guint16) ~old_word;
  sum += new_word;
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) ~sum;
}
