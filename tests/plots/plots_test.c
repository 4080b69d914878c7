/* plots_test.c: packet builder, seed exchange and golden files for the
 * plots tests. */
#include "plots_test.h"

#include <glib/gstdio.h>
#include <string.h>

#include "models/checksum.h"
#include "models/ipv4.h"
#include "models/tcp/tcp.h"
#include "models/wire.h"

gsize
test_build_packet (const TestSeg *seg, guint8 *buf, gsize cap_bytes)
{
  guint tcp_hdr_bytes = seg->mss_bytes > 0 ? 24 : 20;
  gsize total = IPV4_HEADER_BYTES + tcp_hdr_bytes + seg->payload_bytes;
  Ipv4Header ip = { 0 };
  guint8 *tcp = buf + IPV4_HEADER_BYTES;
  guint8 pseudo[12];
  guint64 sum;

  g_assert_cmpuint (total, <=, cap_bytes);
  g_assert_true (ipv4_addr_parse (seg->src, &ip.src));
  g_assert_true (ipv4_addr_parse (seg->dst, &ip.dst));
  ip.proto = IPV4_PROTO_TCP;
  ip.ttl = IPV4_DEFAULT_TTL;
  ip.total_len_bytes = (guint16) total;
  ip.dont_fragment = TRUE;
  ipv4_header_write (buf, &ip);

  memset (tcp, 0, tcp_hdr_bytes);
  wire_put16 (tcp, seg->sport);
  wire_put16 (tcp + 2, seg->dport);
  wire_put32 (tcp + 4, seg->seq);
  wire_put32 (tcp + 8, seg->ack);
  tcp[12] = (guint8) ((tcp_hdr_bytes / 4) << 4);
  tcp[13] = seg->flags;
  wire_put16 (tcp + 14, seg->win);
  if (seg->mss_bytes > 0)
    {
      tcp[20] = 2;
      tcp[21] = 4;
      wire_put16 (tcp + 22, seg->mss_bytes);
    }
  for (guint32 i = 0; i < seg->payload_bytes; i++)
    tcp[tcp_hdr_bytes + i] = (guint8) ('a' + i % 26);

  /* RFC 9293 3.1: the checksum covers a pseudo header, the TCP header
   * and the payload. */
  wire_put32 (pseudo, ip.src);
  wire_put32 (pseudo + 4, ip.dst);
  pseudo[8] = 0;
  pseudo[9] = IPV4_PROTO_TCP;
  wire_put16 (pseudo + 10, (guint16) (tcp_hdr_bytes + seg->payload_bytes));
  sum = inet_csum_add (0, pseudo, sizeof pseudo);
  sum = inet_csum_add (sum, tcp, tcp_hdr_bytes + seg->payload_bytes);
  wire_put16 (tcp + 16, inet_csum_fold (sum));
  return total;
}

Packet *
test_packet_new (PacketPool *pool, const TestSeg *seg)
{
  guint8 buf[PACKET_POOL_CAP_BYTES];
  gsize len = test_build_packet (seg, buf, sizeof buf);
  Packet *pkt = packet_new (pool, len);

  memcpy (packet_bytes (pkt), buf, len);
  return pkt;
}

#define MS(x) SIM_MS (x)
#define SEG(t, side, fl, seq, ack, len, mss, arr) \
  { (t), FALSE, (side), NULL, NULL, (fl), (seq), (ack), (len), (mss), \
    (arr), -1, NULL }
#define STATE(t, side, f, to) \
  { (t), TRUE, (side), (f), (to), 0, 0, 0, 0, 0, -1, -1, NULL }

const TestEvent test_seed_events[] = {
  STATE (0, SEQDIAG_CLIENT, "CLOSED", "SYN_SENT"),
  SEG (0, SEQDIAG_CLIENT, TCP_SYN, 0, 0, 0, 1460, MS (10)),
  STATE (MS (10), SEQDIAG_SERVER, "LISTEN", "SYN_RECEIVED"),
  SEG (MS (10), SEQDIAG_SERVER, TCP_SYN | TCP_ACK, 0, 1, 0, 1460, MS (20)),
  STATE (MS (20), SEQDIAG_CLIENT, "SYN_SENT", "ESTABLISHED"),
  SEG (MS (20), SEQDIAG_CLIENT, TCP_ACK, 1, 1, 0, 0, MS (30)),
  SEG (MS (20), SEQDIAG_CLIENT, TCP_PSH | TCP_ACK, 1, 1, 159, 0,
       MS (30) + 127200),
  STATE (MS (30), SEQDIAG_SERVER, "SYN_RECEIVED", "ESTABLISHED"),
  SEG (MS (30) + 127200, SEQDIAG_SERVER, TCP_PSH | TCP_ACK, 1, 160, 111, 0,
       MS (40) + 216000),
  SEG (MS (40) + 216000, SEQDIAG_CLIENT, TCP_ACK, 160, 112, 0, 0,
       MS (50) + 216000),
  STATE (MS (40) + 216000, SEQDIAG_CLIENT, "ESTABLISHED", "FIN_WAIT_1"),
  SEG (MS (40) + 216000, SEQDIAG_CLIENT, TCP_FIN | TCP_ACK, 160, 112, 0, 0,
       MS (50) + 248000),
  STATE (MS (50) + 248000, SEQDIAG_SERVER, "ESTABLISHED", "CLOSE_WAIT"),
  SEG (MS (50) + 248000, SEQDIAG_SERVER, TCP_ACK, 112, 161, 0, 0,
       MS (60) + 248000),
  STATE (MS (50) + 248000, SEQDIAG_SERVER, "CLOSE_WAIT", "LAST_ACK"),
  SEG (MS (50) + 248000, SEQDIAG_SERVER, TCP_FIN | TCP_ACK, 112, 161, 0, 0,
       MS (60) + 280000),
  STATE (MS (60) + 248000, SEQDIAG_CLIENT, "FIN_WAIT_1", "FIN_WAIT_2"),
  STATE (MS (60) + 280000, SEQDIAG_CLIENT, "FIN_WAIT_2", "TIME_WAIT"),
  SEG (MS (60) + 280000, SEQDIAG_CLIENT, TCP_ACK, 161, 113, 0, 0,
       MS (70) + 280000),
  STATE (MS (70) + 280000, SEQDIAG_SERVER, "LAST_ACK", "CLOSED"),
  STATE (SIM_S (60) + MS (60) + 280000, SEQDIAG_CLIENT, "TIME_WAIT",
         "CLOSED"),
};
const guint test_seed_n_events = G_N_ELEMENTS (test_seed_events);

#define LOST(t, side, fl, seq, ack, len, drop, why) \
  { (t), FALSE, (side), NULL, NULL, (fl), (seq), (ack), (len), 0, -1, \
    (drop), (why) }

/* The request is lost on the wire and resent after a 1 s RTO; the
 * response overflows a queue and is resent in turn. */
const TestEvent test_drop_events[] = {
  STATE (0, SEQDIAG_CLIENT, "CLOSED", "SYN_SENT"),
  SEG (0, SEQDIAG_CLIENT, TCP_SYN, 0, 0, 0, 0, MS (10)),
  STATE (MS (10), SEQDIAG_SERVER, "LISTEN", "SYN_RECEIVED"),
  SEG (MS (10), SEQDIAG_SERVER, TCP_SYN | TCP_ACK, 0, 1, 0, 0, MS (20)),
  STATE (MS (20), SEQDIAG_CLIENT, "SYN_SENT", "ESTABLISHED"),
  LOST (MS (20), SEQDIAG_CLIENT, TCP_PSH | TCP_ACK, 1, 1, 159, MS (25),
        "loss"),
  STATE (MS (30), SEQDIAG_SERVER, "SYN_RECEIVED", "ESTABLISHED"),
  SEG (MS (1020), SEQDIAG_CLIENT, TCP_PSH | TCP_ACK, 1, 1, 159, 0,
       MS (1030)),
  LOST (MS (1030), SEQDIAG_SERVER, TCP_PSH | TCP_ACK, 1, 160, 111,
        MS (1030), "queue"),
  SEG (MS (2030), SEQDIAG_SERVER, TCP_PSH | TCP_ACK, 1, 160, 111, 0,
       MS (2040)),
  SEG (MS (2040), SEQDIAG_CLIENT, TCP_ACK, 160, 112, 0, 0, MS (2050)),
};
const guint test_drop_n_events = G_N_ELEMENTS (test_drop_events);

SeqDiag *
test_seqdiag_build (const TestEvent *events, guint n_events)
{
  SeqDiag *diag = seqdiag_new ();
  Ipv4Addr client;
  Ipv4Addr server;
  guint64 uid = 1;

  g_assert_true (ipv4_addr_parse (TEST_CLIENT_ADDR, &client));
  g_assert_true (ipv4_addr_parse (TEST_SERVER_ADDR, &server));
  seqdiag_set_end (diag, SEQDIAG_CLIENT, TEST_CLIENT_HOST, client,
                   TEST_CLIENT_PORT);
  seqdiag_set_end (diag, SEQDIAG_SERVER, TEST_SERVER_HOST, server,
                   TEST_SERVER_PORT);

  /* Fates are recorded when their time comes, as a live run would: here
   * every fate is simply applied once all events are in, which gives the
   * same model since the renderer reads fates, not their order. */
  for (guint i = 0; i < n_events; i++)
    {
      const TestEvent *ev = &events[i];
      SeqDiagSegment s = { 0 };

      if (ev->is_state)
        {
          seqdiag_add_state (diag, ev->at_ns, ev->side, ev->from, ev->to);
          continue;
        }
      s.from = ev->side;
      s.uid = uid++;
      s.flags = ev->flags;
      s.rel_seq = ev->rel_seq;
      s.rel_ack = ev->rel_ack;
      s.len_bytes = ev->len_bytes;
      s.win = TEST_WIN;
      s.mss_bytes = ev->mss_bytes;
      s.wscale = -1;
      seqdiag_add_segment (diag, ev->at_ns, &s);
    }
  uid = 1;
  for (guint i = 0; i < n_events; i++)
    {
      const TestEvent *ev = &events[i];

      if (ev->is_state)
        continue;
      if (ev->arrive_ns >= 0)
        g_assert_true (seqdiag_segment_arrived (diag, uid, ev->arrive_ns));
      else if (ev->drop_ns >= 0)
        g_assert_true (seqdiag_segment_dropped (diag, uid, ev->drop_ns,
                                                ev->drop_reason));
      uid++;
    }
  return diag;
}

void
test_assert_golden (const char *name, const char *actual)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "golden", name,
                                                 NULL);
  g_autofree char *actual_path = g_strconcat (path, ".actual", NULL);
  g_autofree char *expected = NULL;
  g_autoptr (GError) error = NULL;

  if (g_strcmp0 (g_getenv ("UPDATE_GOLDEN"), "1") == 0)
    {
      g_file_set_contents (path, actual, -1, &error);
      g_assert_no_error (error);
      g_test_message ("updated %s", path);
      return;
    }
  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);
  if (strcmp (expected, actual) != 0)
    {
      g_file_set_contents (actual_path, actual, -1, NULL);
      g_test_message ("%s differs; see %s", path, actual_path);
    }
  else
    {
      g_remove (actual_path);
    }
  g_assert_cmpstr (actual, ==, expected);
}
