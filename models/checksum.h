/* checksum.h: the Internet checksum (RFC 1071), with incremental update
 * (RFC 1624) so that a header field can change without re-summing the
 * payload. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Adds @len_bytes at @data to the running one's-complement sum @sum, as
 * big-endian 16-bit words (an odd last byte is padded with zero).  The
 * result is unfolded; pass it to inet_csum_fold(). */
guint64 inet_csum_add (guint64 sum, const void *data, gsize len_bytes);

/* Folds a running sum to 16 bits and complements it: the value that goes
 * into a header, in host byte order. */
static inline guint16
inet_csum_fold (guint64 sum)
{
  sum = (sum & 0xffffffffu) + (sum >> 32);
  sum = (sum & 0xffffffffu) + (sum >> 32);
  sum = (sum & 0xffffu) + (sum >> 16);
  sum = (sum & 0xffffu) + (sum >> 16);
  sum = (sum & 0xffffu) + (sum >> 16);
  return (guint16) ~sum;
}

/* Copies @len_bytes from @src to @dst and adds them to @sum, in one pass;
 * the same result as inet_csum_add (@sum, @src, @len_bytes). */
guint64 inet_csum_copy (guint64 sum, void *dst, const void *src,
                        gsize len_bytes);

/* A partial sum of bytes that start at an odd offset of the data being
 * summed, turned into what it contributes at that offset (RFC 1071
 * section 2(B): swap the bytes of the folded sum). */
guint64 inet_csum_shift_odd (guint64 sum);

/* Returns: the checksum of @len_bytes at @data. */
guint16 inet_csum (const void *data, gsize len_bytes);

/* RFC 1624 eqn. 3: the new checksum after a 16-bit word changed from
 * @old_word to @new_word (all in host byte order). */
guint16 inet_csum_update16 (guint16 csum, guint16 old_word, guint16 new_word);

G_END_DECLS
