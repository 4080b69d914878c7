/* test_tcp_options.c: zero-window probing with backoff (RFC 9293 3.8.6.1,
 * RFC 1122 4.2.2.17), PAWS discarding an old duplicate (RFC 7323 5.3), and
 * window scaling carrying a 1 MB window (RFC 7323 2). */
#include "tests/tcp/harness.h"
#include "tests/tcp/net_harness.h"

#define MSS 1460u

static void
inject_ack_win (TcpHarness *h, SimTime at_ns, guint32 ack, guint16 win)
{
  tcp_harness_inject_full (h, at_ns, &(TcpSeg) {
    .sport = TCP_HARNESS_REMOTE_PORT, .dport = TCP_HARNESS_LOCAL_PORT,
    .seq = h->irs + 1, .ack = ack, .flags = TCP_ACK, .win = win },
    TCP_HARNESS_INJECT_RAW);
}

/* The peer's window closes for 5 s: the sender probes with one byte after
 * one RTO, then after two (RTO = 1 s, the rfc minimum; the next probe
 * would wait four), and resumes from the probe's byte when the window
 * opens. */
static void
test_zero_window_probes (void)
{
  TcpParams p;
  g_autoptr (TcpHarness) h = NULL;
  guint8 data[4420];
  SimTime t0;
  SimTime probe_times[2];
  const SimTime want_gap_ns[2] = { SIM_S (1), SIM_S (2) };
  guint32 held_at;

  tcp_params_init (&p);
  p.delack_ns = 0;
  h = tcp_harness_new_in_state (TCP_STATE_ESTABLISHED, &p);
  memset (data, 'x', sizeof data);
  g_assert_cmpuint (tcp_harness_write (h, data, 3 * MSS), ==, 3 * MSS);
  for (guint i = 0; i < 3; i++)
    tcp_harness_expect (h, &(TcpSeg) {
      .seq = h->iss + 1 + i * MSS, .ack = h->irs + 1,
      .flags = TCP_ACK | (i == 2 ? TCP_PSH : 0), .len_bytes = MSS });
  held_at = h->iss + 1 + 3 * MSS;
  t0 = tcp_harness_now (h) + SIM_MS (10);
  /* Everything acknowledged, and the window shut. */
  inject_ack_win (h, t0, held_at, 0);
  g_assert_cmpuint (tcp_harness_write (h, data, 1000), ==, 1000);
  tcp_harness_expect_nothing (h);
  g_assert_true (tcp__timer_armed (h->ep, TCP_TIMER_PERSIST));
  g_assert_false (tcp__timer_armed (h->ep, TCP_TIMER_REXMT));

  for (guint i = 0; i < G_N_ELEMENTS (probe_times); i++)
    {
      SimTime prev = i == 0 ? t0 : probe_times[i - 1];

      tcp_harness_advance (h, prev + want_gap_ns[i]);
      tcp_harness_expect (h, &(TcpSeg) {
        .seq = held_at, .ack = h->irs + 1, .flags = TCP_ACK,
        .len_bytes = 1 });
      probe_times[i] = tcp_harness_last_time (h);
      g_assert_cmpint (probe_times[i] - prev, ==, want_gap_ns[i]);
      /* The receiver cannot take the byte: the same ACK, window 0, which
       * must not count as a duplicate ACK. */
      inject_ack_win (h, probe_times[i] + SIM_MS (10), held_at, 0);
      tcp_harness_expect_nothing (h);
    }
  g_assert_cmpuint (h->stats->fast_retransmits, ==, 0);
  g_assert_cmpuint (h->stats->dup_acks_received, ==, 0);

  /* 5 s after the window shut it opens: the held bytes go, starting with
   * the byte the probes carried. */
  inject_ack_win (h, t0 + SIM_S (5), held_at, 65535);
  tcp_harness_expect (h, &(TcpSeg) {
    .seq = held_at, .ack = h->irs + 1, .flags = TCP_ACK | TCP_PSH,
    .len_bytes = 1000 });
  tcp_harness_expect_nothing (h);
  g_assert_false (tcp__timer_armed (h->ep, TCP_TIMER_PERSIST));
  g_assert_true (tcp__timer_armed (h->ep, TCP_TIMER_REXMT));
}

/* RFC 7323 5.3 R1: a segment whose TSval is older than TS.Recent is an
 * old duplicate: it is dropped and answered with an ACK, and its bytes are
 * not delivered even though they are inside the window. */
static void
test_paws_old_duplicate (void)
{
  TcpParams p;
  g_autoptr (TcpHarness) h = NULL;
  guint8 payload[100];
  const TcpSeg *ack;

  tcp_params_init (&p);
  p.timestamps = TRUE;
  p.delack_ns = 0;
  h = tcp_harness_new (&p);
  tcp_harness_build (h, TCP_STATE_SYN_SENT, TCP_HARNESS_ACTIVE);
  tcp_harness_inject (h, tcp_harness_now (h) + SIM_MS (10), &(TcpSeg) {
    .sport = TCP_HARNESS_REMOTE_PORT, .dport = TCP_HARNESS_LOCAL_PORT,
    .seq = h->irs, .ack = h->iss + 1, .flags = TCP_SYN | TCP_ACK,
    .opts = { .has_mss = TRUE, .mss_bytes = 1460, .has_ts = TRUE,
              .ts_val = 1000, .ts_ecr = 0 } });
  ack = tcp_harness_pop (h);
  g_assert_true (ack->opts.has_ts);
  g_assert_cmpuint (ack->opts.ts_ecr, ==, 1000);
  g_assert_true (h->ep->ts_ok);

  memset (payload, 'a', sizeof payload);
  tcp_harness_inject (h, tcp_harness_now (h) + SIM_MS (10), &(TcpSeg) {
    .seq = h->irs + 1, .ack = h->iss + 1, .flags = TCP_ACK | TCP_PSH,
    .payload = payload, .len_bytes = 100,
    .opts = { .has_ts = TRUE, .ts_val = 2000, .ts_ecr = 0 } });
  tcp_harness_expect (h, &(TcpSeg) {
    .seq = h->iss + 1, .ack = h->irs + 101, .flags = TCP_ACK });
  g_assert_cmpuint (h->ep->ts_recent, ==, 2000);

  /* New sequence space, old timestamp: PAWS says old duplicate. */
  memset (payload, 'b', sizeof payload);
  tcp_harness_inject (h, tcp_harness_now (h) + SIM_MS (10), &(TcpSeg) {
    .seq = h->irs + 101, .ack = h->iss + 1, .flags = TCP_ACK | TCP_PSH,
    .payload = payload, .len_bytes = 100,
    .opts = { .has_ts = TRUE, .ts_val = 1500, .ts_ecr = 0 } });
  tcp_harness_expect (h, &(TcpSeg) {
    .seq = h->iss + 1, .ack = h->irs + 101, .flags = TCP_ACK });
  g_assert_cmpuint (h->app_rx->len, ==, 100);
  g_assert_cmpuint (h->stats->drops_out_of_window, ==, 1);
  g_assert_cmpuint (h->ep->ts_recent, ==, 2000);

  /* The same bytes with a current timestamp are accepted. */
  tcp_harness_inject (h, tcp_harness_now (h) + SIM_MS (10), &(TcpSeg) {
    .seq = h->irs + 101, .ack = h->iss + 1, .flags = TCP_ACK | TCP_PSH,
    .payload = payload, .len_bytes = 100,
    .opts = { .has_ts = TRUE, .ts_val = 2100, .ts_ecr = 0 } });
  tcp_harness_expect (h, &(TcpSeg) {
    .seq = h->iss + 1, .ack = h->irs + 201, .flags = TCP_ACK });
  g_assert_cmpuint (h->app_rx->len, ==, 200);
}

/* RFC 7323 2: with 1 MB buffers both ends announce a shift of 5 and the
 * sender keeps far more than 64 KB in flight: a 40 ms round trip at
 * 1 Gbit/s carries close to 1 MB per round trip, 15 times what a 65535-byte
 * window allows. */
static void
test_window_scale_1mb (void)
{
  LinkDirParams lp = { .rate_bps = 1000000000, .delay_ns = SIM_MS (20),
                       .queue_limit_pkts = 10000 };
  TcpParams p;
  NetHarness *h;
  AppBulkConfig cfg = { 0 };
  App *app;
  g_autoptr (GError) error = NULL;
  const HarnessSeg *syn;
  const AppStats *st;
  double seconds;
  double goodput_bps;

  tcp_params_init (&p);
  p.wscale = TRUE;
  p.snd_buf_bytes = 1 << 20;
  p.rcv_buf_bytes = 1 << 20;
  p.iw_segs = 10;
  h = net_harness_new (&lp, &p, 1);
  cfg.sender = h->client;
  cfg.receiver = h->server;
  cfg.port = 5001;
  cfg.bytes = 20 * 1000 * 1000;
  cfg.stop_when_done = TRUE;
  app = app_bulk_new (h->net, "bulk", &cfg, &error);
  g_assert_no_error (error);
  net_harness_run (h, SIM_S (60));
  st = app_stats (app);
  g_assert_cmpuint (st->bytes_received, ==, cfg.bytes);
  g_assert_cmpuint (st->bytes_corrupt, ==, 0);
  syn = &g_array_index (h->segs, HarnessSeg, 0);
  g_assert_cmpint (syn->flags, ==, TCP_SYN);
  /* 1 MiB >> 5 = 32768 fits in 16 bits; a shift of 4 would not. */
  g_assert_cmpuint (syn->win, ==, 65535);
  for (guint i = 2; i < h->segs->len; i++)
    {
      const HarnessSeg *s = &g_array_index (h->segs, HarnessSeg, i);

      if (s->dir == LINK_DIR_BA && s->len_bytes == 0)
        g_assert_cmpuint (s->win, <=, (1u << 20) >> 5);
    }
  seconds = (double) (st->last_done_ns - st->first_start_ns) / 1e9;
  goodput_bps = (double) cfg.bytes * 8 / seconds;
  /* 65535 B per 40 ms would be 13 Mbit/s. */
  g_assert_cmpfloat (goodput_bps, >, 100e6);
  net_harness_free (h);
}

/* A listener holds at most `backlog` half-open connections; a SYN beyond
 * that is dropped (as BSD and Linux do) and the client's retransmission
 * gets in once a place is free. */
static void
test_backlog (void)
{
  TcpParams p;
  g_autoptr (TcpHarness) h = NULL;
  const guint16 port_a = 40001;
  const guint16 port_b = 40002;
  SimTime t;

  tcp_params_init (&p);
  p.backlog = 1;
  h = tcp_harness_new_in_state (TCP_STATE_LISTEN, &p);
  t = tcp_harness_now (h);
  tcp_harness_inject (h, t + SIM_MS (1), &(TcpSeg) {
    .sport = port_a, .dport = TCP_HARNESS_LOCAL_PORT, .seq = 7000,
    .flags = TCP_SYN, .opts = { .has_mss = TRUE, .mss_bytes = 1460 } });
  tcp_harness_expect (h, &(TcpSeg) {
    .sport = TCP_HARNESS_LOCAL_PORT, .dport = port_a, .seq = h->iss,
    .ack = 7001, .flags = TCP_SYN | TCP_ACK });
  /* The second SYN finds the backlog full: no answer. */
  tcp_harness_inject (h, t + SIM_MS (2), &(TcpSeg) {
    .sport = port_b, .dport = TCP_HARNESS_LOCAL_PORT, .seq = 9000,
    .flags = TCP_SYN, .opts = { .has_mss = TRUE, .mss_bytes = 1460 } });
  tcp_harness_expect_nothing (h);
  g_assert_cmpuint (h->listener->half_open, ==, 1);
  /* A completes its handshake and leaves the backlog... */
  tcp_harness_inject (h, t + SIM_MS (3), &(TcpSeg) {
    .sport = port_a, .dport = TCP_HARNESS_LOCAL_PORT, .seq = 7001,
    .ack = h->iss + 1, .flags = TCP_ACK });
  tcp_harness_expect_nothing (h);
  g_assert_cmpuint (h->listener->half_open, ==, 0);
  /* ... and B's retransmitted SYN is answered. */
  tcp_harness_inject (h, t + SIM_S (1), &(TcpSeg) {
    .sport = port_b, .dport = TCP_HARNESS_LOCAL_PORT, .seq = 9000,
    .flags = TCP_SYN, .opts = { .has_mss = TRUE, .mss_bytes = 1460 } });
  tcp_harness_expect (h, &(TcpSeg) {
    .sport = TCP_HARNESS_LOCAL_PORT, .dport = port_b, .seq = h->iss,
    .ack = 9001, .flags = TCP_SYN | TCP_ACK });
}

/* RFC 1122 4.2.3.6: after the idle time a probe <SEQ=SND.UNA-1> is sent,
 * then one every interval; with no answer the connection is reset after
 * the configured number of probes.  An answer restarts the idle clock. */
static void
test_keepalive (void)
{
  TcpParams p;
  g_autoptr (TcpHarness) h = NULL;
  SimTime t0;

  tcp_params_init (&p);
  p.keepalive_idle_ns = SIM_S (60);
  p.keepalive_intvl_ns = SIM_S (10);
  p.keepalive_probes = 3;
  h = tcp_harness_new_in_state (TCP_STATE_ESTABLISHED, &p);
  t0 = tcp_harness_now (h);
  /* The handshake's last segment (the SYN-ACK) set the idle clock. */
  tcp_harness_advance (h, t0 + SIM_S (60));
  tcp_harness_expect (h, &(TcpSeg) {
    .seq = h->iss, .ack = h->irs + 1, .flags = TCP_ACK });
  g_assert_cmpint (tcp_harness_last_time (h), ==, t0 + SIM_S (60));
  /* The peer answers: the idle clock restarts from its answer. */
  tcp_harness_inject (h, t0 + SIM_S (61), &(TcpSeg) {
    .seq = h->irs + 1, .ack = h->iss + 1, .flags = TCP_ACK });
  tcp_harness_advance (h, t0 + SIM_S (120));
  tcp_harness_expect_nothing (h);
  tcp_harness_advance (h, t0 + SIM_S (121));
  tcp_harness_expect (h, &(TcpSeg) {
    .seq = h->iss, .ack = h->irs + 1, .flags = TCP_ACK });
  /* Now silence: two more probes 10 s apart, then a reset. */
  tcp_harness_advance (h, t0 + SIM_S (131));
  tcp_harness_expect (h, &(TcpSeg) {
    .seq = h->iss, .ack = h->irs + 1, .flags = TCP_ACK });
  tcp_harness_advance (h, t0 + SIM_S (141));
  tcp_harness_expect (h, &(TcpSeg) {
    .seq = h->iss, .ack = h->irs + 1, .flags = TCP_ACK });
  tcp_harness_advance (h, t0 + SIM_S (151));
  tcp_harness_expect (h, &(TcpSeg) { .seq = h->iss + 1, .flags = TCP_RST });
  tcp_harness_expect_nothing (h);
  g_assert_cmpint (tcp_harness_state (h), ==, TCP_STATE_CLOSED);
  g_assert_cmpint (h->stats->close_reason, ==, TCP_CLOSE_TIMEOUT);
}

/* RFC 9293 accepts a RST in TIME_WAIT and closes at once; with rfc1337 on
 * (RFC 1337's fix for TIME-WAIT assassination) the RST is ignored and the
 * connection waits out its 2 MSL. */
static void
test_rst_in_time_wait (void)
{
  for (int fix = 0; fix <= 1; fix++)
    {
      TcpParams p;
      g_autoptr (TcpHarness) h = NULL;

      tcp_params_init (&p);
      p.rfc1337 = fix;
      h = tcp_harness_new_in_state (TCP_STATE_TIME_WAIT, &p);
      tcp_harness_inject (h, tcp_harness_now (h) + SIM_MS (1), &(TcpSeg) {
        .seq = h->irs + 2, .flags = TCP_RST });
      tcp_harness_expect_nothing (h);
      g_assert_cmpint (tcp_harness_state (h), ==,
                       fix ? TCP_STATE_TIME_WAIT : TCP_STATE_CLOSED);
    }
}

/* RFC 9293 3.10.7.4, sixth check: URG moves RCV.UP to SEG.SEQ + SEG.UP
 * and the application learns that urgent data is ahead of what it has
 * read; the bytes themselves arrive in line. */
static void
test_urgent (void)
{
  TcpParams p;
  g_autoptr (TcpHarness) h = NULL;
  guint8 payload[10] = "abcdefghij";
  gsize to_end = 0;

  tcp_params_init (&p);
  p.delack_ns = 0;
  h = tcp_harness_new_in_state (TCP_STATE_ESTABLISHED, &p);
  tcp_harness_set_auto_read (h, FALSE);
  g_assert_false (tcp_urgent_pending (h->ep, NULL));
  tcp_harness_inject (h, tcp_harness_now (h) + SIM_MS (1), &(TcpSeg) {
    .seq = h->irs + 1, .ack = h->iss + 1,
    .flags = TCP_ACK | TCP_PSH | TCP_URG, .urp = 4,
    .payload = payload, .len_bytes = 10 });
  tcp_harness_expect (h, &(TcpSeg) {
    .seq = h->iss + 1, .ack = h->irs + 11, .flags = TCP_ACK });
  g_assert_true (tcp_urgent_pending (h->ep, &to_end));
  g_assert_cmpuint (to_end, ==, 4);
  g_assert_cmpuint (tcp_harness_read (h, 4), ==, 4);
  g_assert_false (tcp_urgent_pending (h->ep, NULL));
  g_assert_cmpuint (tcp_harness_read (h, 100), ==, 6);
  g_assert_cmpmem (h->app_rx->data, h->app_rx->len, payload, 10);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tcp/options/zero-window-probes",
                   test_zero_window_probes);
  g_test_add_func ("/tcp/options/paws-old-duplicate",
                   test_paws_old_duplicate);
  g_test_add_func ("/tcp/options/window-scale-1mb", test_window_scale_1mb);
  g_test_add_func ("/tcp/options/backlog", test_backlog);
  g_test_add_func ("/tcp/options/keepalive", test_keepalive);
  g_test_add_func ("/tcp/options/rst-in-time-wait", test_rst_in_time_wait);
  g_test_add_func ("/tcp/options/urgent", test_urgent);
  return g_test_run ();
}
