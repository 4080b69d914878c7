/* test_ipv4.c: address text and the 20-byte IPv4 header.
 *
 * Headers are checked against known bytes, then round-tripped through
 * write and parse; corruption of any single bit must be caught, and a TTL
 * decrement must leave exactly the bytes a fresh write would give.
 */
#include "models/checksum.h"
#include "models/ipv4.h"
#include "sim/rng.h"

#include <string.h>

typedef struct {
  const char *text;
  Ipv4Addr addr;
} AddrCase;

static const AddrCase addr_ok[] = {
  { "0.0.0.0", 0 },
  { "255.255.255.255", 0xffffffffu },
  { "10.0.0.1", 0x0a000001u },
  { "192.168.1.254", 0xc0a801feu },
  { "172.16.17.94", 0xac10115eu },
  { "1.2.3.4", 0x01020304u },
  { "127.0.0.1", 0x7f000001u },
};

static const char *const addr_bad[] = {
  "",
  "1",
  "1.2.3",
  "1.2.3.4.5",
  "1.2.3.4.",
  ".1.2.3",
  "1..2.3",
  "256.1.1.1",
  "1.2.3.256",
  "999.1.1.1",
  "1234.1.1.1",
  "1.2.3.0004",
  "a.b.c.d",
  "1.2.3.-4",
  "+1.2.3.4",
  " 1.2.3.4",
  "1.2.3.4 ",
  "1.2.3.4/24",
  "0x1.2.3.4",
  "1,2,3,4",
};

static void
test_addr_parse_ok (gconstpointer data)
{
  const AddrCase *c = data;
  Ipv4Addr addr = 0xdeadbeefu;
  char buf[IPV4_ADDR_STR_BYTES];

  g_assert_true (ipv4_addr_parse (c->text, &addr));
  g_assert_cmphex (addr, ==, c->addr);
  ipv4_addr_format (c->addr, buf);
  g_assert_cmpstr (buf, ==, c->text);
}

static void
test_addr_parse_bad (gconstpointer data)
{
  const char *text = data;
  Ipv4Addr addr = 0xdeadbeefu;

  g_assert_false (ipv4_addr_parse (text, &addr));
  /* A failed parse leaves the output alone. */
  g_assert_cmphex (addr, ==, 0xdeadbeefu);
}

static void
test_addr_round_trip (void)
{
  SimRng rng;

  sim_rng_seed (&rng, 1, "test/ipv4/addr");
  for (guint i = 0; i < 10000; i++)
    {
      Ipv4Addr addr = (Ipv4Addr) sim_rng_next_u64 (&rng);
      Ipv4Addr back = 0;
      char buf[IPV4_ADDR_STR_BYTES];

      ipv4_addr_format (addr, buf);
      g_assert_cmpuint (strlen (buf), <, IPV4_ADDR_STR_BYTES);
      g_assert_true (ipv4_addr_parse (buf, &back));
      g_assert_cmphex (back, ==, addr);
    }
}

/* The worked example header: 192.168.0.1 -> 192.168.0.199, UDP, DF,
 * TTL 64, 115 bytes, checksum b861. */
static void
test_header_known_bytes (void)
{
  static const guint8 expect[IPV4_HEADER_BYTES] = {
    0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
    0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
  };
  const Ipv4Header hdr = {
    .src = 0xc0a80001u, .dst = 0xc0a800c7u, .proto = 17, .ttl = 64,
    .tos = 0, .id = 0, .total_len_bytes = 0x73, .dont_fragment = TRUE,
  };
  guint8 p[0x73];

  memset (p, 0xaa, sizeof p);
  ipv4_header_write (p, &hdr);
  g_assert_cmpmem (p, IPV4_HEADER_BYTES, expect, sizeof expect);
  /* The header writer touches nothing past the header. */
  g_assert_cmphex (p[IPV4_HEADER_BYTES], ==, 0xaa);
}

static void
assert_header_equal (const Ipv4Header *a, const Ipv4Header *b)
{
  g_assert_cmphex (a->src, ==, b->src);
  g_assert_cmphex (a->dst, ==, b->dst);
  g_assert_cmpuint (a->proto, ==, b->proto);
  g_assert_cmpuint (a->ttl, ==, b->ttl);
  g_assert_cmpuint (a->tos, ==, b->tos);
  g_assert_cmpuint (a->id, ==, b->id);
  g_assert_cmpuint (a->total_len_bytes, ==, b->total_len_bytes);
  g_assert_cmpint (!!a->dont_fragment, ==, !!b->dont_fragment);
}

static Ipv4Header
random_header (SimRng *rng, guint16 total_len_bytes)
{
  Ipv4Header hdr = {
    .src = (Ipv4Addr) sim_rng_next_u64 (rng),
    .dst = (Ipv4Addr) sim_rng_next_u64 (rng),
    .proto = (guint8) sim_rng_next_u64 (rng),
    .ttl = (guint8) (1 + sim_rng_below (rng, 255)),
    .tos = (guint8) sim_rng_next_u64 (rng),
    .id = (guint16) sim_rng_next_u64 (rng),
    .total_len_bytes = total_len_bytes,
    .dont_fragment = sim_rng_bernoulli (rng, 0.5),
  };

  return hdr;
}

static void
test_header_round_trip (void)
{
  guint8 p[1500];
  SimRng rng;

  sim_rng_seed (&rng, 2, "test/ipv4/header");
  for (guint i = 0; i < 10000; i++)
    {
      guint16 total =
          (guint16) (IPV4_HEADER_BYTES + sim_rng_below (&rng, 1480));
      Ipv4Header hdr = random_header (&rng, total);
      Ipv4Header back;
      guint hdr_len_bytes = 0;

      ipv4_header_write (p, &hdr);
      g_assert_cmphex (inet_csum (p, IPV4_HEADER_BYTES), ==, 0);
      g_assert_cmpint (ipv4_header_parse (p, total, &back, &hdr_len_bytes),
                       ==, IPV4_PARSE_OK);
      g_assert_cmpuint (hdr_len_bytes, ==, IPV4_HEADER_BYTES);
      assert_header_equal (&back, &hdr);
      /* More bytes available than the datagram holds is fine. */
      g_assert_cmpint (ipv4_header_parse (p, sizeof p, &back, NULL), ==,
                       IPV4_PARSE_OK);
    }
}

static void
test_header_parse_errors (void)
{
  const Ipv4Header hdr = {
    .src = 0x0a000001u, .dst = 0x0a000002u, .proto = IPV4_PROTO_TCP,
    .ttl = IPV4_DEFAULT_TTL, .total_len_bytes = 60,
  };
  guint8 p[60] = { 0 };
  guint8 q[60];
  Ipv4Header back;

  ipv4_header_write (p, &hdr);
  g_assert_cmpint (ipv4_header_parse (p, 60, &back, NULL), ==, IPV4_PARSE_OK);
  g_assert_cmpint (ipv4_header_parse (p, 19, &back, NULL), ==,
                   IPV4_PARSE_TRUNCATED);
  g_assert_cmpint (ipv4_header_parse (p, 0, &back, NULL), ==,
                   IPV4_PARSE_TRUNCATED);
  /* The datagram claims more bytes than arrived. */
  g_assert_cmpint (ipv4_header_parse (p, 59, &back, NULL), ==,
                   IPV4_PARSE_BAD_LENGTH);

  memcpy (q, p, sizeof q);
  q[0] = 0x65;                          /* IPv6's version number */
  g_assert_cmpint (ipv4_header_parse (q, 60, &back, NULL), ==,
                   IPV4_PARSE_BAD_VERSION);

  memcpy (q, p, sizeof q);
  q[0] = 0x44;                          /* IHL 16 bytes: shorter than legal */
  g_assert_cmpint (ipv4_header_parse (q, 60, &back, NULL), ==,
                   IPV4_PARSE_BAD_LENGTH);

  /* Total length shorter than the header. */
  {
    Ipv4Header short_hdr = hdr;

    short_hdr.total_len_bytes = 19;
    ipv4_header_write (q, &short_hdr);
    g_assert_cmpint (ipv4_header_parse (q, 60, &back, NULL), ==,
                     IPV4_PARSE_BAD_LENGTH);
  }

  memcpy (q, p, sizeof q);
  q[15] ^= 0x01;                        /* source address */
  g_assert_cmpint (ipv4_header_parse (q, 60, &back, NULL), ==,
                   IPV4_PARSE_BAD_CHECKSUM);

  g_assert_cmpstr (ipv4_parse_result_name (IPV4_PARSE_OK), ==, "ok");
  g_assert_cmpstr (ipv4_parse_result_name (IPV4_PARSE_TRUNCATED), ==,
                   "ip-truncated");
  g_assert_cmpstr (ipv4_parse_result_name (IPV4_PARSE_BAD_VERSION), ==,
                   "ip-bad-version");
  g_assert_cmpstr (ipv4_parse_result_name (IPV4_PARSE_BAD_LENGTH), ==,
                   "ip-bad-length");
  g_assert_cmpstr (ipv4_parse_result_name (IPV4_PARSE_BAD_CHECKSUM), ==,
                   "ip-bad-checksum");
}

/* Flipping any one bit of the header makes the parse fail: the checksum
 * catches every single-bit error, and the version and length checks catch
 * some of them first. */
static void
test_header_every_bit_flip (void)
{
  guint8 p[40];
  guint8 q[40];
  SimRng rng;

  sim_rng_seed (&rng, 3, "test/ipv4/flip");
  for (guint round = 0; round < 20; round++)
    {
      Ipv4Header hdr = random_header (&rng, sizeof p);
      Ipv4Header back;

      for (gsize i = IPV4_HEADER_BYTES; i < sizeof p; i++)
        p[i] = (guint8) sim_rng_next_u64 (&rng);
      ipv4_header_write (p, &hdr);
      for (guint bit = 0; bit < IPV4_HEADER_BYTES * 8; bit++)
        {
          memcpy (q, p, sizeof q);
          q[bit / 8] ^= (guint8) (0x80 >> (bit % 8));
          g_assert_cmpint (ipv4_header_parse (q, sizeof q, &back, NULL), !=,
                           IPV4_PARSE_OK);
        }
    }
}

/* Each decrement, done incrementally, leaves the very bytes a fresh write
 * with the lower TTL would produce. */
static void
test_ttl_decrement (void)
{
  guint8 p[IPV4_HEADER_BYTES];
  guint8 fresh[IPV4_HEADER_BYTES];
  SimRng rng;

  sim_rng_seed (&rng, 4, "test/ipv4/ttl");
  for (guint round = 0; round < 500; round++)
    {
      Ipv4Header hdr = random_header (&rng, IPV4_HEADER_BYTES);

      ipv4_header_write (p, &hdr);
      while (hdr.ttl > 1)
        {
          Ipv4Header back;

          hdr.ttl--;
          g_assert_cmpuint (ipv4_header_decrement_ttl (p), ==, hdr.ttl);
          ipv4_header_write (fresh, &hdr);
          g_assert_cmpmem (p, sizeof p, fresh, sizeof fresh);
          g_assert_cmpint (ipv4_header_parse (p, sizeof p, &back, NULL), ==,
                           IPV4_PARSE_OK);
          g_assert_cmpuint (back.ttl, ==, hdr.ttl);
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (addr_ok); i++)
    {
      g_autofree char *path =
          g_strdup_printf ("/ipv4/addr/ok/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, &addr_ok[i], test_addr_parse_ok);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (addr_bad); i++)
    {
      g_autofree char *path =
          g_strdup_printf ("/ipv4/addr/bad/%" G_GSIZE_FORMAT, i);

      g_test_add_data_func (path, addr_bad[i], test_addr_parse_bad);
    }
  g_test_add_func ("/ipv4/addr/round-trip", test_addr_round_trip);
  g_test_add_func ("/ipv4/header/known-bytes", test_header_known_bytes);
  g_test_add_func ("/ipv4/header/round-trip", test_header_round_trip);
  g_test_add_func ("/ipv4/header/parse-errors", test_header_parse_errors);
  g_test_add_func ("/ipv4/header/every-bit-flip", test_header_every_bit_flip);
  g_test_add_func ("/ipv4/header/ttl-decrement", test_ttl_decrement);
  return g_test_run ();
}
