/* checksum.c: RFC 1071 summing, 32 bits at a time into a 64-bit
 * accumulator, so carries are folded once at the end.  Hand-written
 * because every packet on the hot path is summed. */
#include "models/checksum.h"

#include <string.h>

guint64
inet_csum_add (guint64 sum, const void *data, gsize len_bytes)
{
  const guint8 *p = data;

  while (len_bytes >= 4)
    {
      guint32 w;

      memcpy (&w, p, 4);
      sum += GUINT32_FROM_BE (w);
      p += 4;
      len_bytes -= 4;
    }
  if (len_bytes >= 2)
    {
      sum += ((guint32) p[0] << 8) | p[1];
      p += 2;
      len_bytes -= 2;
    }
  if (len_bytes == 1)
    sum += (guint32) p[0] << 8;
  return sum;
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
