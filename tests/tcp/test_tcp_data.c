/* test_tcp_data.c: data transfer on one endpoint against a scripted peer
 * (harness.h): what the receiver delivers and acknowledges (RFC 9293
 * 3.10.7.4, RFC 1122 4.2.3.2, RFC 5681 4.2), what the sender sends and
 * when (RFC 1122 4.2.3.4 Nagle, RFC 6298 RTO, RFC 5681 and RFC 6582 fast
 * retransmit and recovery), sequence-number wrap-around, and checksums.
 *
 * The peer's bytes follow tcp_harness_pattern() with seed PEER_SEED and
 * ours with LOCAL_SEED, so every delivered or sent byte is checked against
 * its stream offset.
 */
#include "tests/tcp/harness.h"

#include <string.h>

#define MSS 1460u
#define PEER_SEED 1u
#define LOCAL_SEED 77u

/* ---- helpers ---- */

static TcpHarness *
established (const TcpParams *params)
{
  TcpHarness *h = tcp_harness_new (params);

  tcp_harness_build (h, TCP_STATE_ESTABLISHED, TCP_HARNESS_ACTIVE);
  return h;
}

/* Injects @len_bytes of the peer's stream from offset @off at @at_ns,
 * acknowledging everything we sent. */
static void
inject_data_full (TcpHarness *h, SimTime at_ns, guint32 off, guint32 len,
                  TcpHarnessInjectFlags flags)
{
  g_autofree guint8 *bytes = g_malloc (len);

  tcp_harness_pattern (bytes, len, off, PEER_SEED);
  tcp_harness_inject_full (h, at_ns, &(TcpSeg) {
    .seq = h->irs + 1 + off, .ack = tcp_harness_ep (h)->snd_nxt,
    .flags = TCP_ACK, .payload = bytes, .len_bytes = len }, flags);
}

static void
inject_data (TcpHarness *h, SimTime at_ns, guint32 off, guint32 len)
{
  inject_data_full (h, at_ns, off, len, 0);
}

/* Injects a pure ACK from the peer. */
static void
inject_ack (TcpHarness *h, SimTime at_ns, guint32 ack)
{
  tcp_harness_inject (h, at_ns, &(TcpSeg) {
    .seq = h->irs + 1, .ack = ack, .flags = TCP_ACK });
}

/* Expects our pure ACK of the peer's stream up to offset @upto. */
#define expect_ack(h, upto) \
  tcp_harness_expect ((h), &(TcpSeg) { .seq = (h)->iss + 1, \
                      .ack = (h)->irs + 1 + (upto), .flags = TCP_ACK })

/* Expects our data segment [off, off + len) of the stream, its bytes
 * included. */
static void
expect_data_at (TcpHarness *h, guint32 off, guint32 len, guint8 flags,
                const char *file, int line)
{
  g_autofree guint8 *bytes = g_malloc (len);

  tcp_harness_pattern (bytes, len, off, LOCAL_SEED);
  tcp_harness_expect_full_at (h, &(TcpSeg) {
    .seq = h->iss + 1 + off, .ack = h->irs + 1, .flags = flags,
    .payload = bytes, .len_bytes = len }, TCP_HARNESS_CHECK_PAYLOAD, file,
    line, G_STRFUNC);
}

#define expect_data(h, off, len, flags) \
  expect_data_at ((h), (off), (len), (flags), __FILE__, __LINE__)

/* The application writes our stream [off, off + len); all of it fits. */
static void
write_stream (TcpHarness *h, guint32 off, guint32 len)
{
  g_autofree guint8 *bytes = g_malloc (len);
  gsize n;

  tcp_harness_pattern (bytes, len, off, LOCAL_SEED);
  n = tcp_harness_write (h, bytes, len);
  g_assert_cmpuint (n, ==, len);
}

/* The application reads whatever is readable: exactly @len bytes. */
static void
read_expect (TcpHarness *h, gsize len)
{
  gsize n = tcp_harness_read (h, G_MAXSIZE);

  g_assert_cmpuint (n, ==, len);
}

/* The application read exactly the peer's stream [0, @len). */
static void
assert_delivered (TcpHarness *h, guint32 len)
{
  g_autofree guint8 *want = g_malloc (len);

  tcp_harness_pattern (want, len, 0, PEER_SEED);
  g_assert_cmpmem (h->app_rx->data, h->app_rx->len, want, len);
}

/* ---- receiving ---- */

/* RFC 1122 4.2.3.2: "in a stream of full-sized segments there SHOULD be an
 * ACK for at least every second segment."  RFC 5681 4.2: "an ACK SHOULD be
 * generated for at least every second full-sized segment".  The
 * application here does not read, so no window update is due. */
static void
test_recv_delack_second_segment (void)
{
  g_autoptr (TcpHarness) h = established (NULL);
  SimTime t0 = tcp_harness_now (h);

  tcp_harness_set_auto_read (h, FALSE);
  inject_data (h, t0 + SIM_MS (1), 0, MSS);
  tcp_harness_expect_nothing (h);
  inject_data (h, t0 + SIM_MS (2), MSS, MSS);
  expect_ack (h, 2 * MSS);
  g_assert_cmpint (tcp_harness_last_time (h), ==, t0 + SIM_MS (2));
  tcp_harness_expect_nothing (h);
  read_expect (h, 2 * MSS);
  assert_delivered (h, 2 * MSS);
}

/* RFC 1122 4.2.3.2: "an ACK should not be excessively delayed; in
 * particular, the delay MUST be less than 0.5 seconds"; the model's timer
 * is delack_ns (200 ms). */
static void
test_recv_delack_timer (void)
{
  g_autoptr (TcpHarness) h = established (NULL);
  SimTime t1 = tcp_harness_now (h) + SIM_MS (1);

  tcp_harness_set_auto_read (h, FALSE);
  inject_data (h, t1, 0, MSS);
  tcp_harness_advance (h, t1 + SIM_MS (200) - 1);
  tcp_harness_expect_nothing (h);
  tcp_harness_advance (h, t1 + SIM_MS (200));
  expect_ack (h, MSS);
  g_assert_cmpint (tcp_harness_last_time (h), ==, t1 + SIM_MS (200));
  tcp_harness_expect_nothing (h);
}

/* The same stream, with an application that reads every byte as soon as it
 * is readable.  RFC 1122 4.2.3.3: the receiver's SWS avoidance decides when
 * the window may be advanced, and "This algorithm combines with the delayed
 * ACK algorithm (see Section 4.2.3.2) to determine when an ACK segment
 * containing the current window will really be sent": reading one segment
 * out of a 64 KiB buffer must not force an ACK per segment. */
static void
test_recv_delack_reading_app (void)
{
  g_autoptr (TcpHarness) h = established (NULL);
  SimTime t0 = tcp_harness_now (h);
  SimTime t3 = t0 + SIM_MS (3);

  inject_data (h, t0 + SIM_MS (1), 0, MSS);
  tcp_harness_expect_nothing (h);
  inject_data (h, t0 + SIM_MS (2), MSS, MSS);
  expect_ack (h, 2 * MSS);
  tcp_harness_expect_nothing (h);
  inject_data (h, t3, 2 * MSS, MSS);
  tcp_harness_advance (h, t3 + SIM_MS (200));
  expect_ack (h, 3 * MSS);
  g_assert_cmpint (tcp_harness_last_time (h), ==, t3 + SIM_MS (200));
  assert_delivered (h, 3 * MSS);
  g_assert_cmpuint (tcp_harness_app_count (h, TCP_HARNESS_APP_READABLE), ==,
                    3);
}

/* With the delayed ACK switched off every segment is acknowledged at
 * once. */
static void
test_recv_no_delack (void)
{
  TcpParams p;
  g_autoptr (TcpHarness) h = NULL;
  SimTime t0;

  tcp_params_init (&p);
  p.delack_ns = 0;
  h = established (&p);
  t0 = tcp_harness_now (h);
  for (guint i = 0; i < 4; i++)
    {
      inject_data (h, t0 + SIM_MS (1 + i), i * MSS, MSS);
      expect_ack (h, (i + 1) * MSS);
      g_assert_cmpint (tcp_harness_last_time (h), ==, t0 + SIM_MS (1 + i));
      tcp_harness_expect_nothing (h);
    }
  assert_delivered (h, 4 * MSS);
  g_assert_cmpuint (tcp_harness_ep (h)->rcv_nxt, ==, REMOTE_ISS + 1 + 4 * MSS);
}

/* RFC 5681 4.2: "A TCP receiver SHOULD send an immediate duplicate ACK when
 * an out-of-order segment arrives ... A TCP receiver SHOULD send an
 * immediate ACK when the incoming segment fills in all or part of a gap in
 * the sequence space."  RFC 9293 3.10.7.4: segments beyond RCV.NXT
 * "SHOULD be held for later processing". */
static void
test_recv_out_of_order (void)
{
  g_autoptr (TcpHarness) h = established (NULL);
  SimTime t0 = tcp_harness_now (h);

  inject_data (h, t0 + SIM_MS (1), MSS, MSS);
  expect_ack (h, 0);
  tcp_harness_expect_nothing (h);
  g_assert_cmpuint (h->app_rx->len, ==, 0);
  g_assert_cmpuint (tcp_harness_app_count (h, TCP_HARNESS_APP_READABLE), ==,
                    0);

  inject_data (h, t0 + SIM_MS (2), 0, MSS);
  expect_ack (h, 2 * MSS);
  g_assert_cmpint (tcp_harness_last_time (h), ==, t0 + SIM_MS (2));
  tcp_harness_expect_nothing (h);
  assert_delivered (h, 2 * MSS);
  g_assert_cmpuint (tcp_harness_ep (h)->rcv_nxt, ==, REMOTE_ISS + 1 + 2 * MSS);
}

/* Two holes, filled in reverse order: each arrival is acknowledged at once
 * and the cumulative ACK moves only when the first hole is filled. */
static void
test_recv_two_holes (void)
{
  g_autoptr (TcpHarness) h = established (NULL);
  SimTime t = tcp_harness_now (h);

  inject_data (h, t + SIM_MS (1), 3 * MSS, MSS);
  expect_ack (h, 0);
  inject_data (h, t + SIM_MS (2), MSS, MSS);
  expect_ack (h, 0);
  inject_data (h, t + SIM_MS (3), 2 * MSS, MSS);
  expect_ack (h, 0);
  inject_data (h, t + SIM_MS (4), 0, MSS);
  expect_ack (h, 4 * MSS);
  tcp_harness_expect_nothing (h);
  assert_delivered (h, 4 * MSS);
}

/* A FIN beyond a hole waits for the hole (RFC 9293 3.10.7.4, eighth
 * check: the FIN implies "PUSH for any segment text not yet delivered to
 * the user" and is processed only once the segment is at RCV.NXT); the
 * application sees every byte before the end of stream. */
static void
test_recv_fin_out_of_order (void)
{
  g_autoptr (TcpHarness) h = established (NULL);
  SimTime t = tcp_harness_now (h);
  g_autofree guint8 *bytes = g_malloc (MSS);

  tcp_harness_pattern (bytes, MSS, MSS, PEER_SEED);
  tcp_harness_inject (h, t + SIM_MS (1), &(TcpSeg) {
    .seq = REMOTE_ISS + 1 + MSS, .ack = LOCAL_ISS + 1,
    .flags = TCP_FIN | TCP_ACK, .payload = bytes, .len_bytes = MSS });
  expect_ack (h, 0);
  tcp_harness_expect_nothing (h);
  g_assert_cmpint (tcp_harness_state (h), ==, TCP_STATE_ESTABLISHED);
  g_assert_cmpuint (tcp_harness_app_count (h, TCP_HARNESS_APP_PEER_CLOSED),
                    ==, 0);

  inject_data (h, t + SIM_MS (2), 0, MSS);
  expect_ack (h, 2 * MSS + 1);
  tcp_harness_expect_nothing (h);
  g_assert_cmpint (tcp_harness_state (h), ==, TCP_STATE_CLOSE_WAIT);
  assert_delivered (h, 2 * MSS);
  {
    g_autofree char *app = tcp_harness_app_events (h);

    g_assert_cmpstr (app, ==, "readable,peer_closed");
  }
}

/* RFC 9293 3.10.7.4: "If a segment's contents straddle the boundary
 * between old and new, only the new parts are processed."  The old part
 * here carries different bytes: they must not replace the ones already
 * received. */
static void
test_recv_overlap_trimmed (void)
{
  TcpParams p;
  g_autoptr (TcpHarness) h = NULL;
  guint8 bytes[1000];
  SimTime t0;

  tcp_params_init (&p);
  p.delack_ns = 0;
  h = established (&p);
  tcp_harness_set_auto_read (h, FALSE);
  t0 = tcp_harness_now (h);
  inject_data (h, t0 + SIM_MS (1), 0, 1000);
  expect_ack (h, 1000);

  /* [500, 1500): the first 500 bytes are garbage, the rest the stream. */
  memset (bytes, 0xee, 500);
  tcp_harness_pattern (bytes + 500, 500, 1000, PEER_SEED);
  tcp_harness_inject (h, t0 + SIM_MS (2), &(TcpSeg) {
    .seq = REMOTE_ISS + 1 + 500, .ack = LOCAL_ISS + 1, .flags = TCP_ACK,
    .payload = bytes, .len_bytes = sizeof bytes });
  expect_ack (h, 1500);
  tcp_harness_expect_nothing (h);
  read_expect (h, 1500);
  assert_delivered (h, 1500);

  /* A segment wholly old is acknowledged and dropped (RFC 9293: "an
   * acknowledgment should be sent in reply"). */
  inject_data (h, t0 + SIM_MS (3), 200, 300);
  expect_ack (h, 1500);
  tcp_harness_expect_nothing (h);
  read_expect (h, 0);
}

/* RFC 9293 3.10.7.4: "In the following it is assumed that the segment is
 * the idealized segment that begins at RCV.NXT and does not exceed the
 * window.  One could tailor actual segments to fit this assumption by
 * trimming off any portions that lie outside the window (including SYN and
 * FIN) and only processing further if the segment then begins at RCV.NXT."
 * With a zero window: "If the RCV.WND is zero, no segments will be
 * acceptable, but special allowance should be made to accept valid ACKs,
 * URGs, and RSTs."  The application does not read, so the 4000-byte buffer
 * fills. */
static void
test_recv_beyond_window (void)
{
  TcpParams p;
  g_autoptr (TcpHarness) h = NULL;
  SimTime t0;

  tcp_params_init (&p);
  p.delack_ns = 0;
  p.rcv_buf_bytes = 4000;
  h = established (&p);
  tcp_harness_set_auto_read (h, FALSE);
  t0 = tcp_harness_now (h);

  inject_data (h, t0 + SIM_MS (1), 0, MSS);
  tcp_harness_expect_full (h, &(TcpSeg) {
    .seq = LOCAL_ISS + 1, .ack = REMOTE_ISS + 1 + MSS, .flags = TCP_ACK,
    .win = 4000 - MSS }, TCP_HARNESS_CHECK_WIN);
  inject_data (h, t0 + SIM_MS (2), MSS, MSS);
  tcp_harness_expect_full (h, &(TcpSeg) {
    .seq = LOCAL_ISS + 1, .ack = REMOTE_ISS + 1 + 2 * MSS, .flags = TCP_ACK,
    .win = 4000 - 2 * MSS }, TCP_HARNESS_CHECK_WIN);

  /* 1460 bytes offered, 1080 fit: the rest is trimmed. */
  inject_data (h, t0 + SIM_MS (3), 2 * MSS, MSS);
  tcp_harness_expect_full (h, &(TcpSeg) {
    .seq = LOCAL_ISS + 1, .ack = REMOTE_ISS + 1 + 4000, .flags = TCP_ACK,
    .win = 0 }, TCP_HARNESS_CHECK_WIN);
  tcp_harness_expect_nothing (h);
  g_assert_cmpuint (tcp_harness_ep (h)->rcv_nxt, ==, REMOTE_ISS + 1 + 4000);

  /* Wholly beyond a zero window: not acceptable, ACK and drop. */
  inject_data (h, t0 + SIM_MS (4), 4000, 100);
  tcp_harness_expect_full (h, &(TcpSeg) {
    .seq = LOCAL_ISS + 1, .ack = REMOTE_ISS + 1 + 4000, .flags = TCP_ACK,
    .win = 0 }, TCP_HARNESS_CHECK_WIN);
  tcp_harness_expect_nothing (h);
  g_assert_cmpuint (tcp_harness_ep (h)->rcv_nxt, ==, REMOTE_ISS + 1 + 4000);

  read_expect (h, 4000);
  assert_delivered (h, 4000);
}

/* ---- sending ---- */

/* RFC 5681 3.1: with 1095 < SMSS =< 2190, "IW = 3 * SMSS bytes and MUST
 * NOT be more than 3 segments"; the peer offers 65535 bytes.  PSH is set on
 * the segment that empties the send buffer (RFC 9293 3.9.1.2: the PSH
 * flag is set "on the last segment" of a SEND with PUSH). */
static void
test_send_three_mss (void)
{
  g_autoptr (TcpHarness) h = established (NULL);
  SimTime t0 = tcp_harness_now (h);

  g_assert_cmpuint (tcp_harness_ep (h)->cc.cwnd_bytes, ==, 3 * MSS);
  write_stream (h, 0, 3 * MSS);
  expect_data (h, 0, MSS, TCP_ACK);
  expect_data (h, MSS, MSS, TCP_ACK);
  expect_data (h, 2 * MSS, MSS, TCP_PSH | TCP_ACK);
  g_assert_cmpint (tcp_harness_last_time (h), ==, t0);
  tcp_harness_expect_nothing (h);

  inject_ack (h, t0 + SIM_MS (10), LOCAL_ISS + 1 + 3 * MSS);
  tcp_harness_expect_nothing (h);
  g_assert_cmpuint (tcp_harness_ep (h)->snd_una, ==, LOCAL_ISS + 1 + 3 * MSS);
  g_assert_false (tcp__timer_armed (tcp_harness_ep (h), TCP_TIMER_REXMT));
}

/* The fourth segment waits for the window: cwnd allows three; the ACK of
 * the first grows cwnd by one SMSS (slow start, RFC 5681 equation 2) and
 * frees room for the last one. */
static void
test_send_cwnd_limit (void)
{
  g_autoptr (TcpHarness) h = established (NULL);
  SimTime t0 = tcp_harness_now (h);

  write_stream (h, 0, 4 * MSS);
  expect_data (h, 0, MSS, TCP_ACK);
  expect_data (h, MSS, MSS, TCP_ACK);
  expect_data (h, 2 * MSS, MSS, TCP_ACK);
  tcp_harness_expect_nothing (h);
  inject_ack (h, t0 + SIM_MS (10), LOCAL_ISS + 1 + MSS);
  expect_data (h, 3 * MSS, MSS, TCP_PSH | TCP_ACK);
  tcp_harness_expect_nothing (h);
  g_assert_cmpuint (tcp_harness_ep (h)->cc.cwnd_bytes, ==, 4 * MSS);
}

/* The peer's window limits the same way: RFC 9293 3.8.6.2.1, the usable
 * window is SND.UNA + SND.WND - SND.NXT. */
static void
test_send_rwnd_limit (void)
{
  g_autoptr (TcpHarness) h = tcp_harness_new (NULL);
  SimTime t0;

  tcp_harness_set_remote_window (h, 2000);
  tcp_harness_build (h, TCP_STATE_ESTABLISHED, TCP_HARNESS_ACTIVE);
  t0 = tcp_harness_now (h);
  g_assert_cmpuint (tcp_harness_ep (h)->snd_wnd, ==, 2000);
  write_stream (h, 0, 3000);
  /* 1460 goes; 540 fit but Nagle and sender SWS avoidance hold them. */
  expect_data (h, 0, MSS, TCP_ACK);
  tcp_harness_expect_nothing (h);
  inject_ack (h, t0 + SIM_MS (10), LOCAL_ISS + 1 + MSS);
  expect_data (h, MSS, MSS, TCP_ACK);
  tcp_harness_expect_nothing (h);
  inject_ack (h, t0 + SIM_MS (20), LOCAL_ISS + 1 + 2 * MSS);
  expect_data (h, 2 * MSS, 3000 - 2 * MSS, TCP_PSH | TCP_ACK);
  tcp_harness_expect_nothing (h);
}

/* RFC 1122 4.2.3.4 (Nagle): "If there is unacknowledged data (i.e.,
 * SND.NXT > SND.UNA), then the sending TCP buffers all user data
 * (regardless of the PSH bit) until the outstanding data has been
 * acknowledged or until the TCP can send a full-sized segment". */
static void
test_send_nagle (void)
{
  g_autoptr (TcpHarness) h = established (NULL);
  SimTime t0 = tcp_harness_now (h);

  write_stream (h, 0, 100);
  expect_data (h, 0, 100, TCP_PSH | TCP_ACK);
  write_stream (h, 100, 50);
  tcp_harness_expect_nothing (h);
  tcp_harness_advance (h, t0 + SIM_MS (5));
  tcp_harness_expect_nothing (h);

  inject_ack (h, t0 + SIM_MS (10), LOCAL_ISS + 1 + 100);
  expect_data (h, 100, 50, TCP_PSH | TCP_ACK);
  g_assert_cmpint (tcp_harness_last_time (h), ==, t0 + SIM_MS (10));
  tcp_harness_expect_nothing (h);
}

/* RFC 1122 4.2.3.4: "A TCP SHOULD implement the Nagle Algorithm ...
 * However, there MUST be a way for an application to disable the Nagle
 * algorithm on an individual connection." */
static void
test_send_nagle_off (void)
{
  TcpParams p;
  g_autoptr (TcpHarness) h = NULL;

  tcp_params_init (&p);
  p.nagle = FALSE;
  h = established (&p);
  write_stream (h, 0, 100);
  expect_data (h, 0, 100, TCP_PSH | TCP_ACK);
  write_stream (h, 100, 50);
  expect_data (h, 100, 50, TCP_PSH | TCP_ACK);
  tcp_harness_expect_nothing (h);
}

/* RFC 6298 (5.4) "Retransmit the earliest segment that has not been
 * acknowledged", (5.5) "The host MUST set RTO <- RTO * 2 ("back off the
 * timer")", (5.6) "Start the retransmission timer, such that it expires
 * after RTO seconds".  RTO is 1 s: the handshake's 10 ms sample gives
 * 30 ms, and (2.4) "if it is less than 1 second, then the RTO SHOULD be
 * rounded up to 1 second".  RFC 5681 3.1: on a timeout "cwnd MUST be set
 * to no more than the loss window, LW, which equals 1 full-sized segment"
 * and ssthresh to max (FlightSize / 2, 2*SMSS). */
static void
test_send_rto_backoff (void)
{
  g_autoptr (TcpHarness) h = established (NULL);
  SimTime t0 = tcp_harness_now (h);
  static const SimTime at_s[] = { 1, 3, 7, 15, 31 };
  TcpEndpoint *ep;

  write_stream (h, 0, 100);
  expect_data (h, 0, 100, TCP_PSH | TCP_ACK);
  for (gsize i = 0; i < G_N_ELEMENTS (at_s); i++)
    {
      tcp_harness_advance (h, t0 + SIM_S (at_s[i]) - 1);
      tcp_harness_expect_nothing (h);
      tcp_harness_advance (h, t0 + SIM_S (at_s[i]));
      expect_data (h, 0, 100, TCP_PSH | TCP_ACK);
      g_assert_cmpint (tcp_harness_last_time (h), ==, t0 + SIM_S (at_s[i]));
    }
  ep = tcp_harness_ep (h);
  g_assert_cmpuint (ep->stats->timeouts, ==, G_N_ELEMENTS (at_s));
  g_assert_cmpuint (ep->stats->retransmits, ==, G_N_ELEMENTS (at_s));
  g_assert_cmpuint (ep->cc.cwnd_bytes, ==, MSS);
  g_assert_cmpuint (ep->cc.ssthresh_bytes, ==, 2 * MSS);
  /* The ACK ends it: nothing more is sent. */
  inject_ack (h, t0 + SIM_S (31) + SIM_MS (10), LOCAL_ISS + 1 + 100);
  tcp_harness_advance (h, t0 + SIM_S (200));
  tcp_harness_expect_nothing (h);
}

/* RFC 6298 section 3: "RTT samples MUST NOT be made using segments that
 * were retransmitted (and thus for which it is ambiguous whether the reply
 * was for the first instance of the packet or a later instance)."  And
 * section 5: once a new RTT measurement is obtained ("which can only
 * happen when new data has been sent and acknowledged") the RTO may
 * collapse back; until then the backed-off RTO stays. */
static void
test_send_karn (void)
{
  g_autoptr (TcpHarness) h = established (NULL);
  SimTime t0 = tcp_harness_now (h);
  TcpEndpoint *ep = tcp_harness_ep (h);
  SimTime srtt_ns = ep->srtt_ns;
  SimTime rttvar_ns = ep->rttvar_ns;
  SimTime t2;

  g_assert_cmpint (srtt_ns, ==, TCP_HARNESS_STEP_NS);
  write_stream (h, 0, 100);
  expect_data (h, 0, 100, TCP_PSH | TCP_ACK);
  tcp_harness_advance (h, t0 + SIM_S (1));
  expect_data (h, 0, 100, TCP_PSH | TCP_ACK);
  /* The ACK could answer either copy: no sample. */
  inject_ack (h, t0 + SIM_S (1) + SIM_MS (30), LOCAL_ISS + 1 + 100);
  g_assert_cmpint (ep->srtt_ns, ==, srtt_ns);
  g_assert_cmpint (ep->rttvar_ns, ==, rttvar_ns);

  /* New data: the timer runs with the backed-off RTO, 2 s. */
  t2 = tcp_harness_now (h);
  write_stream (h, 100, 100);
  expect_data (h, 100, 100, TCP_PSH | TCP_ACK);
  g_assert_cmpint (sim_timer_deadline (&ep->timers[TCP_TIMER_REXMT]), ==,
                   t2 + SIM_S (2));
  /* Its clean sample of 30 ms: RTTVAR = 3/4 * 5 + 1/4 * |10 - 30| =
   * 8.75 ms, SRTT = 7/8 * 10 + 1/8 * 30 = 12.5 ms, RTO back to 1 s. */
  inject_ack (h, t2 + SIM_MS (30), LOCAL_ISS + 1 + 200);
  g_assert_cmpint (ep->rttvar_ns, ==, 8750000);
  g_assert_cmpint (ep->srtt_ns, ==, 12500000);
  g_assert_cmpint (ep->rto_ns, ==, SIM_S (1));
  write_stream (h, 200, 100);
  expect_data (h, 200, 100, TCP_PSH | TCP_ACK);
  g_assert_cmpint (sim_timer_deadline (&ep->timers[TCP_TIMER_REXMT]), ==,
                   tcp_harness_now (h) + SIM_S (1));
}

typedef struct {
  SimTime rtt_ns;               /* the sample */
  SimTime srtt_ns;              /* after it, by hand */
  SimTime rttvar_ns;
  SimTime rto_ns;
} RttStep;

/* RFC 6298 (2.2): "When the first RTT measurement R is made, the host MUST
 * set SRTT <- R, RTTVAR <- R/2, RTO <- SRTT + max (G, K*RTTVAR) where
 * K = 4."  (2.3): "RTTVAR <- (1 - beta) * RTTVAR + beta * |SRTT - R'|,
 * SRTT <- (1 - alpha) * SRTT + alpha * R' ... using alpha=1/8 and
 * beta=1/4", RTTVAR first.  The minimum RTO is lowered to 1 ms so the
 * arithmetic shows.  Each sample is shorter than the RTO running at the
 * time (or the timer would fire first and Karn's rule void the sample),
 * and chosen so every value is a whole number of nanoseconds. */
static const RttStep rtt_steps[] = {
  /* The handshake: R = 10 ms; RTO = 10 + 4 * 5 = 30 ms. */
  { 10000000, 10000000, 5000000, 30000000 },
  /* |10 - 20| = 10: RTTVAR = 3.75 + 2.5 = 6.25; SRTT = 8.75 + 2.5 =
   * 11.25; RTO = 11.25 + 25 = 36.25 ms. */
  { 20000000, 11250000, 6250000, 36250000 },
  /* |11.25 - 5| = 6.25: RTTVAR = 4.6875 + 1.5625 = 6.25; SRTT = 9.84375 +
   * 0.625 = 10.46875; RTO = 10.46875 + 25 = 35.46875 ms. */
  { 5000000, 10468750, 6250000, 35468750 },
  /* |10.46875 - 34.71875| = 24.25: RTTVAR = 4.6875 + 6.0625 = 10.75;
   * SRTT = 9.16015625 + 4.33984375 = 13.5; RTO = 13.5 + 43 = 56.5 ms. */
  { 34718750, 13500000, 10750000, 56500000 },
};

static void
test_send_rtt_arithmetic (void)
{
  TcpParams p;
  g_autoptr (TcpHarness) h = NULL;
  TcpEndpoint *ep;
  guint32 off = 0;
  SimTime t;

  tcp_params_init (&p);
  p.rto_min_ns = SIM_MS (1);
  h = established (&p);
  ep = tcp_harness_ep (h);
  g_assert_cmpint (ep->srtt_ns, ==, rtt_steps[0].srtt_ns);
  g_assert_cmpint (ep->rttvar_ns, ==, rtt_steps[0].rttvar_ns);
  g_assert_cmpint (ep->rto_ns, ==, rtt_steps[0].rto_ns);
  for (gsize i = 1; i < G_N_ELEMENTS (rtt_steps); i++)
    {
      t = tcp_harness_now (h);
      write_stream (h, off, 100);
      expect_data (h, off, 100, TCP_PSH | TCP_ACK);
      /* (5.1): the timer runs for the RTO of the previous step. */
      g_assert_cmpint (sim_timer_deadline (&ep->timers[TCP_TIMER_REXMT]), ==,
                       t + rtt_steps[i - 1].rto_ns);
      off += 100;
      inject_ack (h, t + rtt_steps[i].rtt_ns, LOCAL_ISS + 1 + off);
      g_assert_cmpint (ep->srtt_ns, ==, rtt_steps[i].srtt_ns);
      g_assert_cmpint (ep->rttvar_ns, ==, rtt_steps[i].rttvar_ns);
      g_assert_cmpint (ep->rto_ns, ==, rtt_steps[i].rto_ns);
    }
  /* The last RTO, to the nanosecond, on the wire. */
  t = tcp_harness_now (h);
  write_stream (h, off, 100);
  expect_data (h, off, 100, TCP_PSH | TCP_ACK);
  tcp_harness_advance (h, t + 56500000 - 1);
  tcp_harness_expect_nothing (h);
  tcp_harness_advance (h, t + 56500000);
  expect_data (h, off, 100, TCP_PSH | TCP_ACK);
}

/* RFC 5681 3.2: "2. When the third duplicate ACK is received, a TCP MUST
 * set ssthresh to no more than the value given in equation (4)" (ssthresh
 * = max (FlightSize / 2, 2*SMSS)); "3. The lost segment starting at
 * SND.UNA MUST be retransmitted and cwnd set to ssthresh plus 3*SMSS";
 * "4. For each additional duplicate ACK received (after the third), cwnd
 * MUST be incremented by SMSS."  RFC 6582 3.2 step 5, a partial ACK:
 * "retransmit the first unacknowledged segment.  Deflate the congestion
 * window by the amount of new data acknowledged by the Cumulative
 * Acknowledgment field.  If the partial ACK acknowledges at least one SMSS
 * of new data, then add back SMSS bytes to the congestion window."
 * Segments 0 and 3 of six are lost. */
static void
test_send_fast_retransmit (void)
{
  TcpParams p;
  g_autoptr (TcpHarness) h = NULL;
  TcpEndpoint *ep;
  SimTime t;
  guint64 ssthresh;

  tcp_params_init (&p);
  p.iw_segs = 10;
  h = established (&p);
  ep = tcp_harness_ep (h);
  t = tcp_harness_now (h);
  write_stream (h, 0, 6 * MSS);
  for (guint i = 0; i < 6; i++)
    expect_data (h, i * MSS, MSS, i == 5 ? TCP_PSH | TCP_ACK : TCP_ACK);
  tcp_harness_expect_nothing (h);

  /* Segments 1 and 2 arrive: two duplicates, nothing to send. */
  inject_ack (h, t + SIM_MS (10), LOCAL_ISS + 1);
  inject_ack (h, t + SIM_MS (11), LOCAL_ISS + 1);
  tcp_harness_expect_nothing (h);
  g_assert_false (ep->in_recovery);
  /* Segment 4: the third duplicate. */
  inject_ack (h, t + SIM_MS (12), LOCAL_ISS + 1);
  expect_data (h, 0, MSS, TCP_ACK);
  g_assert_cmpint (tcp_harness_last_time (h), ==, t + SIM_MS (12));
  tcp_harness_expect_nothing (h);
  ssthresh = MAX (6 * MSS / 2, 2 * MSS);
  g_assert_cmpuint (ep->cc.ssthresh_bytes, ==, ssthresh);
  g_assert_cmpuint (ep->cc.cwnd_bytes, ==, ssthresh + 3 * MSS);
  g_assert_true (ep->in_recovery);
  g_assert_cmpuint (ep->stats->fast_retransmits, ==, 1);
  /* Segment 5: the fourth duplicate inflates cwnd. */
  inject_ack (h, t + SIM_MS (13), LOCAL_ISS + 1);
  tcp_harness_expect_nothing (h);
  g_assert_cmpuint (ep->cc.cwnd_bytes, ==, ssthresh + 4 * MSS);

  /* The retransmitted segment 0 fills the first hole: a partial ACK up to
   * segment 3, which is retransmitted at once. */
  inject_ack (h, t + SIM_MS (22), LOCAL_ISS + 1 + 3 * MSS);
  expect_data (h, 3 * MSS, MSS, TCP_ACK);
  g_assert_cmpint (tcp_harness_last_time (h), ==, t + SIM_MS (22));
  tcp_harness_expect_nothing (h);
  g_assert_true (ep->in_recovery);
  g_assert_cmpuint (ep->cc.cwnd_bytes, ==,
                    ssthresh + 4 * MSS - 3 * MSS + MSS);

  /* The full ACK ends recovery (RFC 6582 3.2 step 4): cwnd becomes
   * min (ssthresh, max (FlightSize, SMSS) + SMSS) or ssthresh. */
  inject_ack (h, t + SIM_MS (32), LOCAL_ISS + 1 + 6 * MSS);
  tcp_harness_expect_nothing (h);
  g_assert_false (ep->in_recovery);
  g_assert_cmpuint (ep->cc.cwnd_bytes, <=, ssthresh);
  g_assert_cmpuint (ep->cc.cwnd_bytes, >=, 2 * MSS);
  g_assert_cmpuint (ep->stats->fast_retransmits, ==, 1);
  g_assert_cmpuint (ep->stats->timeouts, ==, 0);
}

/* RFC 6582 3.2 step 5, on a partial ACK: "For the first partial ACK that
 * arrives during fast recovery, also reset the retransmit timer."  (RFC
 * 6298 (5.3) likewise restarts the timer on any ACK of new data.)  The
 * same losses as above: the partial ACK at t + 22 ms must push the timer
 * to t + 22 ms + RTO. */
static void
test_send_partial_ack_timer (void)
{
  TcpParams p;
  g_autoptr (TcpHarness) h = NULL;
  TcpEndpoint *ep;
  SimTime t;
  SimTime deadline_ns;

  tcp_params_init (&p);
  p.iw_segs = 10;
  h = established (&p);
  ep = tcp_harness_ep (h);
  t = tcp_harness_now (h);
  write_stream (h, 0, 6 * MSS);
  for (guint i = 0; i < 6; i++)
    expect_data (h, i * MSS, MSS, i == 5 ? TCP_PSH | TCP_ACK : TCP_ACK);
  for (guint i = 0; i < 3; i++)
    inject_ack (h, t + SIM_MS (10 + i), LOCAL_ISS + 1);
  expect_data (h, 0, MSS, TCP_ACK);
  g_assert_true (ep->in_recovery);
  inject_ack (h, t + SIM_MS (22), LOCAL_ISS + 1 + 3 * MSS);
  expect_data (h, 3 * MSS, MSS, TCP_ACK);
  tcp_harness_expect_nothing (h);
  g_assert_cmpint (ep->rto_ns, ==, SIM_S (1));
  deadline_ns = sim_timer_deadline (&ep->timers[TCP_TIMER_REXMT]);
  g_assert_cmpint (deadline_ns, ==, t + SIM_MS (22) + SIM_S (1));
  /* So no timeout cuts the recovery short at t + 1 s. */
  inject_ack (h, t + SIM_MS (32), LOCAL_ISS + 1 + 6 * MSS);
  tcp_harness_expect_nothing (h);
  g_assert_cmpuint (ep->stats->timeouts, ==, 0);
}

/* ---- wrap-around, RFC 9293 3.4: "all arithmetic dealing with sequence
 * numbers must be performed modulo 2**32" ---- */

static void
test_wrap_send (void)
{
  TcpParams p;
  g_autoptr (TcpHarness) h = NULL;
  SimTime t;

  tcp_params_init (&p);
  p.isn_mode = TCP_ISN_FIXED;
  p.isn = 0xFFFFFF00u;
  h = established (&p);
  g_assert_cmpuint (h->iss, ==, 0xFFFFFF00u);
  t = tcp_harness_now (h);
  write_stream (h, 0, 3 * MSS);
  expect_data (h, 0, MSS, TCP_ACK);
  expect_data (h, MSS, MSS, TCP_ACK);
  expect_data (h, 2 * MSS, MSS, TCP_PSH | TCP_ACK);
  /* The second segment starts past 2^32. */
  g_assert_cmpuint ((guint32) (h->iss + 1 + MSS), ==, 1205);
  inject_ack (h, t + SIM_MS (10), h->iss + 1 + MSS);
  inject_ack (h, t + SIM_MS (11), h->iss + 1 + 3 * MSS);
  g_assert_cmpuint (tcp_harness_ep (h)->snd_una, ==,
                    (guint32) (h->iss + 1 + 3 * MSS));
  g_assert_false (tcp__timer_armed (tcp_harness_ep (h), TCP_TIMER_REXMT));
  g_assert_cmpuint (tcp_harness_ep (h)->stats->bytes_acked, ==, 3 * MSS);
  tcp_harness_advance (h, t + SIM_S (10));
  tcp_harness_expect_nothing (h);
}

static void
test_wrap_receive (void)
{
  TcpParams p;
  g_autoptr (TcpHarness) h = NULL;
  SimTime t;

  tcp_params_init (&p);
  p.delack_ns = 0;
  h = tcp_harness_new (&p);
  tcp_harness_set_remote_iss (h, 0xFFFFFA00u);
  tcp_harness_build (h, TCP_STATE_ESTABLISHED, TCP_HARNESS_ACTIVE);
  t = tcp_harness_now (h);
  /* [1460, 2920) lies past 2^32 and arrives first. */
  g_assert_cmpuint ((guint32) (h->irs + 1 + 2 * MSS), ==, 1385);
  inject_data (h, t + SIM_MS (1), MSS, MSS);
  expect_ack (h, 0);
  inject_data (h, t + SIM_MS (2), 0, MSS);
  expect_ack (h, 2 * MSS);
  inject_data (h, t + SIM_MS (3), 2 * MSS, MSS);
  expect_ack (h, 3 * MSS);
  tcp_harness_expect_nothing (h);
  g_assert_cmpuint (tcp_harness_ep (h)->rcv_nxt, ==,
                    (guint32) (h->irs + 1 + 3 * MSS));
  assert_delivered (h, 3 * MSS);
}

/* ---- checksums ---- */

/* RFC 9293 3.1, Checksum: "The sender MUST generate it and the receiver
 * MUST check it" (MUST-2, MUST-3); a damaged segment is discarded, so it
 * is neither delivered nor acknowledged. */
static void
test_bad_checksum (void)
{
  g_autoptr (TcpHarness) h = established (NULL);
  SimTime t = tcp_harness_now (h);
  TcpEndpoint *ep = tcp_harness_ep (h);

  inject_data_full (h, t + SIM_MS (1), 0, 100, TCP_HARNESS_INJECT_CORRUPT);
  tcp_harness_advance (h, t + SIM_S (1));
  tcp_harness_expect_nothing (h);
  g_assert_cmpuint (ep->stats->drops_checksum, ==, 1);
  g_assert_cmpuint (ep->rcv_nxt, ==, REMOTE_ISS + 1);
  g_assert_cmpuint (h->app_rx->len, ==, 0);
  g_assert_cmpuint (tcp_harness_app_count (h, TCP_HARNESS_APP_READABLE), ==,
                    0);

  /* The intact copy is taken (and ACKed when the delayed ACK is due). */
  inject_data (h, t + SIM_S (2), 0, 100);
  tcp_harness_advance (h, t + SIM_S (2) + SIM_MS (200));
  expect_ack (h, 100);
  assert_delivered (h, 100);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tcp/data/recv/delack/second-segment",
                   test_recv_delack_second_segment);
  g_test_add_func ("/tcp/data/recv/delack/timer", test_recv_delack_timer);
  g_test_add_func ("/tcp/data/recv/delack/reading-app",
                   test_recv_delack_reading_app);
  g_test_add_func ("/tcp/data/recv/no-delack", test_recv_no_delack);
  g_test_add_func ("/tcp/data/recv/out-of-order", test_recv_out_of_order);
  g_test_add_func ("/tcp/data/recv/two-holes", test_recv_two_holes);
  g_test_add_func ("/tcp/data/recv/fin-out-of-order",
                   test_recv_fin_out_of_order);
  g_test_add_func ("/tcp/data/recv/overlap", test_recv_overlap_trimmed);
  g_test_add_func ("/tcp/data/recv/beyond-window", test_recv_beyond_window);

  g_test_add_func ("/tcp/data/send/three-mss", test_send_three_mss);
  g_test_add_func ("/tcp/data/send/cwnd-limit", test_send_cwnd_limit);
  g_test_add_func ("/tcp/data/send/rwnd-limit", test_send_rwnd_limit);
  g_test_add_func ("/tcp/data/send/nagle", test_send_nagle);
  g_test_add_func ("/tcp/data/send/nagle-off", test_send_nagle_off);
  g_test_add_func ("/tcp/data/send/rto-backoff", test_send_rto_backoff);
  g_test_add_func ("/tcp/data/send/karn", test_send_karn);
  g_test_add_func ("/tcp/data/send/rtt-arithmetic",
                   test_send_rtt_arithmetic);
  g_test_add_func ("/tcp/data/send/fast-retransmit",
                   test_send_fast_retransmit);
  g_test_add_func ("/tcp/data/send/partial-ack-timer",
                   test_send_partial_ack_timer);

  g_test_add_func ("/tcp/data/wrap/send", test_wrap_send);
  g_test_add_func ("/tcp/data/wrap/receive", test_wrap_receive);
  g_test_add_func ("/tcp/data/bad-checksum", test_bad_checksum);

  return g_test_run ();
}
