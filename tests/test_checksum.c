/* test_checksum.c: the Internet checksum.
 *
 * inet_csum_add() sums 32 bits at a time for speed, so it is compared
 * with the plain 16-bit loop of RFC 1071 section 4.1, written out below,
 * over random lengths and alignments.  The RFC 1624 incremental update is
 * compared with a full recompute after every change.
 */
#include "models/checksum.h"
#include "sim/rng.h"

#include <string.h>

/* RFC 1071 section 4.1, as directly as C allows; the accumulator is
 * 64 bits wide (the RFC's is 32) so that a megabyte cannot overflow it. */
static guint16
reference_csum (const guint8 *p, gsize len_bytes)
{
  guint64 sum = 0;

  while (len_bytes > 1)
    {
      sum += (guint64) ((p[0] << 8) | p[1]);
      p += 2;
      len_bytes -= 2;
    }
  if (len_bytes > 0)
    sum += (guint64) p[0] << 8;
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) ~sum;
}

/* RFC 1071 section 3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2. */
static void
test_rfc1071_example (void)
{
  static const guint8 bytes[] = { 0x00, 0x01, 0xf2, 0x03,
                                  0xf4, 0xf5, 0xf6, 0xf7 };
  guint64 sum = inet_csum_add (0, bytes, sizeof bytes);

  g_assert_cmphex ((guint16) ~inet_csum_fold (sum), ==, 0xddf2);
  g_assert_cmphex (inet_csum_fold (sum), ==, 0x220d);
  g_assert_cmphex (inet_csum (bytes, sizeof bytes), ==, 0x220d);
  g_assert_cmphex (reference_csum (bytes, sizeof bytes), ==, 0x220d);
}

/* The IPv4 header used as the worked example in many texts: its checksum
 * field holds b861, and the header as a whole sums to zero. */
static void
test_ipv4_header_example (void)
{
  guint8 hdr[] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00,
                   0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01,
                   0xc0, 0xa8, 0x00, 0xc7 };

  g_assert_cmphex (inet_csum (hdr, sizeof hdr), ==, 0);
  hdr[10] = 0;
  hdr[11] = 0;
  g_assert_cmphex (inet_csum (hdr, sizeof hdr), ==, 0xb861);
}

static void
test_small_cases (void)
{
  static const guint8 odd[] = { 0x01, 0x02, 0x03 };
  static const guint8 zeros[64] = { 0 };
  guint8 ones[64];

  /* 0102 + 0300 (the odd byte is the high half of a padded word). */
  g_assert_cmphex (inet_csum (odd, 3), ==, (guint16) ~0x0402);
  g_assert_cmphex (inet_csum (odd, 1), ==, (guint16) ~0x0100);
  g_assert_cmphex (inet_csum (odd, 0), ==, 0xffff);
  g_assert_cmphex (inet_csum (zeros, sizeof zeros), ==, 0xffff);
  /* All ones is negative zero in one's complement: checksum 0. */
  memset (ones, 0xff, sizeof ones);
  g_assert_cmphex (inet_csum (ones, sizeof ones), ==, 0);
  g_assert_cmphex (inet_csum (ones, 2), ==, 0);
}

/* Lengths 0..200 at every alignment 0..7, against the 16-bit loop. */
static void
test_against_reference (void)
{
  guint8 buf[256];
  SimRng rng;

  sim_rng_seed (&rng, 1, "test/checksum/reference");
  for (guint round = 0; round < 50; round++)
    {
      for (gsize i = 0; i < sizeof buf; i++)
        buf[i] = (guint8) sim_rng_next_u64 (&rng);
      /* Bias some rounds towards 0xff bytes, where carries pile up. */
      if (round % 5 == 0)
        for (gsize i = 0; i < sizeof buf; i++)
          buf[i] |= 0xf0;
      for (gsize off = 0; off < 8; off++)
        for (gsize len = 0; len <= 200; len++)
          g_assert_cmphex (inet_csum (buf + off, len), ==,
                           reference_csum (buf + off, len));
    }
}

/* A large buffer of 0xff: the 64-bit accumulator must fold correctly. */
static void
test_large_sum (void)
{
  gsize len_bytes = 1 << 20;
  g_autofree guint8 *buf = g_malloc (len_bytes);

  memset (buf, 0xff, len_bytes);
  buf[12345] = 0x12;
  g_assert_cmphex (inet_csum (buf, len_bytes), ==,
                   reference_csum (buf, len_bytes));
}

/* Summing in pieces of even length equals summing at once; a checksum
 * written into the data makes the whole sum to zero. */
static void
test_chained_and_verify (void)
{
  guint8 buf[1500];
  SimRng rng;

  sim_rng_seed (&rng, 2, "test/checksum/chain");
  for (guint round = 0; round < 200; round++)
    {
      gsize len = 2 + 2 * sim_rng_below (&rng, 700);
      gsize cut = 2 * sim_rng_below (&rng, len / 2);
      guint64 sum;
      guint16 csum;

      for (gsize i = 0; i < len; i++)
        buf[i] = (guint8) sim_rng_next_u64 (&rng);
      sum = inet_csum_add (inet_csum_add (0, buf, cut), buf + cut, len - cut);
      g_assert_cmphex (inet_csum_fold (sum), ==, inet_csum (buf, len));

      buf[0] = 0;
      buf[1] = 0;
      csum = inet_csum (buf, len);
      buf[0] = (guint8) (csum >> 8);
      buf[1] = (guint8) csum;
      g_assert_cmphex (inet_csum (buf, len), ==, 0);
    }
}

/* RFC 1624 section 4's example: eqn. 3 gives 0000 where eqn. 2 would give
 * the ffff that section 3 warns about. */
static void
test_rfc1624_example (void)
{
  g_assert_cmphex (inet_csum_update16 (0xdd2f, 0x5555, 0x3285), ==, 0x0000);
  /* Changing a word to itself changes nothing. */
  g_assert_cmphex (inet_csum_update16 (0x1234, 0xabcd, 0xabcd), ==, 0x1234);
}

/* Random 16-bit changes to a header-sized buffer: after each, the updated
 * checksum equals a full recompute. */
static void
test_incremental_random (void)
{
  enum { LEN = 40, CSUM_AT = 10 };
  guint8 buf[LEN];
  SimRng rng;
  guint16 csum;

  sim_rng_seed (&rng, 3, "test/checksum/incremental");
  for (gsize i = 0; i < LEN; i++)
    buf[i] = (guint8) sim_rng_next_u64 (&rng);
  buf[CSUM_AT] = 0;
  buf[CSUM_AT + 1] = 0;
  csum = inet_csum (buf, LEN);

  for (guint round = 0; round < 100000; round++)
    {
      gsize word = sim_rng_below (&rng, LEN / 2);
      guint16 old_word;
      guint16 new_word;

      if (word * 2 == CSUM_AT)
        continue;
      old_word = (guint16) ((buf[word * 2] << 8) | buf[word * 2 + 1]);
      switch (sim_rng_below (&rng, 4))
        {
        case 0:
          new_word = (guint16) (old_word - 1);  /* a TTL decrement */
          break;
        case 1:
          new_word = 0xffff;
          break;
        case 2:
          new_word = 0;
          break;
        default:
          new_word = (guint16) sim_rng_next_u64 (&rng);
          break;
        }
      buf[word * 2] = (guint8) (new_word >> 8);
      buf[word * 2 + 1] = (guint8) new_word;
      csum = inet_csum_update16 (csum, old_word, new_word);
      g_assert_cmphex (csum, ==, inet_csum (buf, LEN));
    }
}

/* Copying while summing gives the same sum and the same bytes, and two
 * pieces joined at any offset, odd ones included, sum like the whole
 * (the odd piece shifted as RFC 1071 2(B) says). */
static void
test_copy_and_split (void)
{
  guint8 src[1501];
  guint8 dst[1501];
  guint64 state = 12345;

  for (gsize i = 0; i < sizeof src; i++)
    {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      src[i] = (guint8) (state >> 56);
    }
  for (gsize len = 0; len <= sizeof src; len += 37)
    {
      guint64 whole = inet_csum_add (7, src, len);

      memset (dst, 0, sizeof dst);
      g_assert_cmpuint (inet_csum_fold (inet_csum_copy (7, dst, src, len)),
                        ==, inet_csum_fold (whole));
      g_assert_cmpmem (dst, len, src, len);
      for (gsize cut = 0; cut <= len; cut += 13)
        {
          guint64 a = inet_csum_add (7, src, cut);
          guint64 b = inet_csum_add (0, src + cut, len - cut);
          guint64 joined = a + ((cut & 1) ? inet_csum_shift_odd (b) : b);

          g_assert_cmpuint (inet_csum_fold (joined), ==,
                            inet_csum_fold (whole));
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/checksum/rfc1071-example", test_rfc1071_example);
  g_test_add_func ("/checksum/ipv4-header-example", test_ipv4_header_example);
  g_test_add_func ("/checksum/small-cases", test_small_cases);
  g_test_add_func ("/checksum/against-reference", test_against_reference);
  g_test_add_func ("/checksum/large-sum", test_large_sum);
  g_test_add_func ("/checksum/chained-and-verify", test_chained_and_verify);
  g_test_add_func ("/checksum/rfc1624-example", test_rfc1624_example);
  g_test_add_func ("/checksum/incremental-random", test_incremental_random);
  g_test_add_func ("/checksum/copy-and-split", test_copy_and_split);
  return g_test_run ();
}
