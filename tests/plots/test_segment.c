/* test_segment.c: decoding traced packets' IPv4 and TCP headers, and the
 * names of the control bits. */
#include <string.h>

#include "models/tcp/tcp.h"
#include "models/wire.h"
#include "plots/segment.h"
#include "plots_test.h"

static void
test_decode_syn (void)
{
  TestSeg in = {
    "10.0.0.1", 49152, "10.0.0.2", 80, 0xfffffff0u, 0, TCP_SYN, 65535, 0,
    1460,
  };
  guint8 buf[256];
  gsize len = test_build_packet (&in, buf, sizeof buf);
  PlotsSegment seg;
  Ipv4Addr src;
  Ipv4Addr dst;

  g_assert_true (plots_segment_decode (buf, len, &seg));
  g_assert_true (ipv4_addr_parse ("10.0.0.1", &src));
  g_assert_true (ipv4_addr_parse ("10.0.0.2", &dst));
  g_assert_cmpuint (seg.src, ==, src);
  g_assert_cmpuint (seg.dst, ==, dst);
  g_assert_cmpuint (seg.sport, ==, 49152);
  g_assert_cmpuint (seg.dport, ==, 80);
  g_assert_cmpuint (seg.seq, ==, 0xfffffff0u);
  g_assert_cmpuint (seg.flags, ==, TCP_SYN);
  g_assert_cmpuint (seg.win, ==, 65535);
  g_assert_cmpuint (seg.ip_bytes, ==, 44);
  g_assert_cmpuint (seg.payload_bytes, ==, 0);
  g_assert_cmpuint (seg.mss_bytes, ==, 1460);
  g_assert_cmpint (seg.wscale, ==, -1);
  g_assert_false (seg.sack_perm);
  g_assert_false (seg.timestamps);
}

static void
test_decode_data (void)
{
  TestSeg in = {
    "10.0.0.2", 80, "10.0.0.1", 49152, 1001, 2002, TCP_PSH | TCP_ACK, 512,
    111, 0,
  };
  guint8 buf[256];
  gsize len = test_build_packet (&in, buf, sizeof buf);
  PlotsSegment seg;

  g_assert_true (plots_segment_decode (buf, len, &seg));
  g_assert_cmpuint (seg.seq, ==, 1001);
  g_assert_cmpuint (seg.ack, ==, 2002);
  g_assert_cmpuint (seg.flags, ==, TCP_PSH | TCP_ACK);
  g_assert_cmpuint (seg.payload_bytes, ==, 111);
  g_assert_cmpuint (seg.ip_bytes, ==, 151);
  g_assert_cmpuint (seg.mss_bytes, ==, 0);
}

/* A SYN with every option a real stack sends, laid out as Linux does:
 * MSS, SACK-permitted, timestamps, NOP, window scale. */
static void
test_decode_options (void)
{
  static const guint8 options[] = {
    2, 4, 0x05, 0xb4,                   /* MSS 1460 */
    4, 2,                               /* SACK permitted */
    8, 10, 0, 0, 0, 1, 0, 0, 0, 0,      /* timestamps */
    1,                                  /* NOP */
    3, 3, 7,                            /* window scale 7 */
  };
  TestSeg in = {
    "10.0.0.1", 1, "10.0.0.2", 2, 0, 0, TCP_SYN, 64240, 0, 0,
  };
  guint8 buf[256];
  gsize len = test_build_packet (&in, buf, sizeof buf);
  guint8 *tcp = buf + IPV4_HEADER_BYTES;
  PlotsSegment seg;

  /* Grow the header by the options; checksums do not matter to the TCP
   * decoder, but the IPv4 one must stay valid. */
  memcpy (tcp + 20, options, sizeof options);
  tcp[12] = (guint8) (((20 + sizeof options) / 4) << 4);
  wire_put16 (buf + 2, (guint16) (len + sizeof options));
  {
    Ipv4Header ip;

    g_assert_true (ipv4_addr_parse ("10.0.0.1", &ip.src));
    g_assert_true (ipv4_addr_parse ("10.0.0.2", &ip.dst));
    ip.proto = IPV4_PROTO_TCP;
    ip.ttl = 64;
    ip.tos = 0;
    ip.id = 0;
    ip.dont_fragment = TRUE;
    ip.total_len_bytes = (guint16) (len + sizeof options);
    ipv4_header_write (buf, &ip);
  }
  g_assert_true (plots_segment_decode (buf, len + sizeof options, &seg));
  g_assert_cmpuint (seg.mss_bytes, ==, 1460);
  g_assert_cmpint (seg.wscale, ==, 7);
  g_assert_true (seg.sack_perm);
  g_assert_true (seg.timestamps);
  g_assert_cmpuint (seg.payload_bytes, ==, 0);
}

static void
test_decode_rejects (void)
{
  TestSeg in = {
    "10.0.0.1", 1, "10.0.0.2", 2, 0, 0, TCP_ACK, 1000, 10, 0,
  };
  guint8 buf[256];
  gsize len = test_build_packet (&in, buf, sizeof buf);
  guint8 bad[256];
  PlotsSegment seg;

  /* Truncated below the IPv4 total length. */
  g_assert_false (plots_segment_decode (buf, len - 1, &seg));
  g_assert_false (plots_segment_decode (buf, 10, &seg));
  /* A broken IPv4 checksum. */
  memcpy (bad, buf, len);
  bad[10] ^= 0xff;
  g_assert_false (plots_segment_decode (bad, len, &seg));
  /* A TCP data offset below 5 words or past the end. */
  memcpy (bad, buf, len);
  bad[IPV4_HEADER_BYTES + 12] = 4 << 4;
  g_assert_false (plots_segment_decode (bad, len, &seg));
  bad[IPV4_HEADER_BYTES + 12] = 15 << 4;
  g_assert_false (plots_segment_decode (bad, len, &seg));
  /* Not TCP. */
  {
    Ipv4Header ip = { 0 };

    g_assert_true (ipv4_addr_parse ("10.0.0.1", &ip.src));
    g_assert_true (ipv4_addr_parse ("10.0.0.2", &ip.dst));
    ip.proto = 17;
    ip.ttl = 64;
    ip.total_len_bytes = (guint16) len;
    memcpy (bad, buf, len);
    ipv4_header_write (bad, &ip);
    g_assert_false (plots_segment_decode (bad, len, &seg));
  }
  /* The intact packet still decodes. */
  g_assert_true (plots_segment_decode (buf, len, &seg));
}

static void
test_flags_format (void)
{
  static const struct {
    guint8 flags;
    const char *text;
  } cases[] = {
    { 0, "<none>" },
    { TCP_SYN, "SYN" },
    { TCP_SYN | TCP_ACK, "SYN,ACK" },
    { TCP_PSH | TCP_ACK, "PSH,ACK" },
    { TCP_FIN | TCP_ACK, "FIN,ACK" },
    { TCP_RST | TCP_ACK, "RST,ACK" },
    { TCP_FIN | TCP_PSH | TCP_ACK, "FIN,PSH,ACK" },
    { 0xff, "FIN,SYN,RST,PSH,ACK,URG,ECE,CWR" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char buf[PLOTS_FLAGS_STR_BYTES];

      plots_flags_format (cases[i].flags, buf);
      g_assert_cmpstr (buf, ==, cases[i].text);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plots/segment/decode/syn", test_decode_syn);
  g_test_add_func ("/plots/segment/decode/data", test_decode_data);
  g_test_add_func ("/plots/segment/decode/options", test_decode_options);
  g_test_add_func ("/plots/segment/decode/rejects", test_decode_rejects);
  g_test_add_func ("/plots/segment/flags", test_flags_format);
  return g_test_run ();
}
