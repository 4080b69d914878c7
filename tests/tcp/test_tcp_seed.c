/* test_tcp_seed.c: the tutorial's worked exchange (the table in the seed
 * README), segment by segment, state by state; the same exchange with the
 * request lost once; and determinism. */
#include "tests/tcp/net_harness.h"

#include <string.h>

typedef struct {
  LinkDir dir;
  guint8 flags;
  guint32 seq;
  guint32 ack;
  guint32 len;
} ExpectSeg;

#define C LINK_DIR_AB
#define S LINK_DIR_BA

/* The seed README's table, rows 1 to 10. */
static const ExpectSeg seed_table[] = {
  { C, TCP_SYN, 0, 0, 0 },
  { S, TCP_SYN | TCP_ACK, 0, 1, 0 },
  { C, TCP_ACK, 1, 1, 0 },
  { C, TCP_PSH | TCP_ACK, 1, 1, 159 },
  { S, TCP_PSH | TCP_ACK, 1, 160, 111 },
  { C, TCP_ACK, 160, 112, 0 },
  { C, TCP_FIN | TCP_ACK, 160, 112, 0 },
  { S, TCP_ACK, 112, 161, 0 },
  { S, TCP_FIN | TCP_ACK, 112, 161, 0 },
  { C, TCP_ACK, 161, 113, 0 },
};

static const LinkDirParams seed_link = {
  .rate_bps = 10000000, .delay_ns = SIM_MS (5), .queue_limit_pkts = 100,
  .loss_prob = 0,
};

static NetHarness *
seed_world (guint64 seed)
{
  TcpParams p;
  AppReqRespConfig rr = { 0 };
  NetHarness *h;
  g_autoptr (GError) error = NULL;

  net_harness_teaching_params (&p);
  h = net_harness_new (&seed_link, &p, seed);
  rr.client = h->client;
  rr.server = h->server;
  rr.port = 8080;
  rr.request_bytes = 159;
  rr.response_bytes = 111;
  rr.closer = APP_CLOSER_CLIENT;
  rr.close_delay_ns = SIM_S (1);
  rr.count = 1;
  g_assert_nonnull (app_reqresp_new (h->net, "rr", &rr, &error));
  g_assert_no_error (error);
  return h;
}

static void
assert_segments (NetHarness *h, const ExpectSeg *want, guint n)
{
  g_autofree char *got = net_harness_describe (h);

  if (h->segs->len != n)
    g_error ("expected %u segments, got %u:\n%s", n, h->segs->len, got);
  for (guint i = 0; i < n; i++)
    {
      const HarnessSeg *s = &g_array_index (h->segs, HarnessSeg, i);

      if (s->dir != want[i].dir || s->flags != want[i].flags
          || s->rel_seq != want[i].seq || s->rel_ack != want[i].ack
          || s->len_bytes != want[i].len)
        g_error ("segment %u differs from the seed table:\n%s", i + 1, got);
    }
}

static void
test_seed_exchange (void)
{
  NetHarness *h = seed_world (1);
  g_autofree char *client_path = NULL;
  g_autofree char *server_path = NULL;

  net_harness_run (h, SIM_TIME_NEVER);
  assert_segments (h, seed_table, G_N_ELEMENTS (seed_table));
  client_path = net_harness_state_path (h, "client");
  server_path = net_harness_state_path (h, "server");
  g_assert_cmpstr (client_path, ==,
                   "SYN_SENT,ESTABLISHED,FIN_WAIT_1,FIN_WAIT_2,TIME_WAIT,"
                   "CLOSED");
  /* The listener's LISTEN, then the connection's own path. */
  g_assert_cmpstr (server_path, ==,
                   "LISTEN,SYN_RECEIVED,ESTABLISHED,CLOSE_WAIT,LAST_ACK,"
                   "CLOSED");
  net_harness_free (h);
}

/* Each state change happens exactly where the seed table says: on the
 * sending or the arrival of the segment of that row. */
static void
test_seed_state_timing (void)
{
  NetHarness *h = seed_world (1);
  const HarnessSeg *segs;
  SimTime one_way_ns;
  SimTime time_wait_ns = 0;
  SimTime closed_ns = 0;

  net_harness_run (h, SIM_TIME_NEVER);
  segs = (const HarnessSeg *) h->segs->data;
  g_assert_cmpuint (h->segs->len, ==, 10);
  one_way_ns = SIM_MS (5);
  for (guint i = 0; i < h->states->len; i++)
    {
      const HarnessState *s = &g_array_index (h->states, HarnessState, i);

      if (strcmp (s->host, "client") == 0 && s->to == TCP_STATE_TIME_WAIT)
        time_wait_ns = s->at_ns;
      if (strcmp (s->host, "client") == 0 && s->to == TCP_STATE_CLOSED)
        closed_ns = s->at_ns;
      if (strcmp (s->host, "client") == 0 && s->to == TCP_STATE_FIN_WAIT_1)
        g_assert_cmpint (s->at_ns, ==, segs[6].at_ns);
      if (strcmp (s->host, "server") == 0 && s->to == TCP_STATE_LAST_ACK)
        g_assert_cmpint (s->at_ns, ==, segs[8].at_ns);
    }
  /* TIME_WAIT on arrival of row 9, CLOSED 2 MSL (4 minutes) later. */
  g_assert_cmpint (time_wait_ns, ==, segs[9].at_ns);
  g_assert_cmpint (closed_ns - time_wait_ns, ==, SIM_S (240));
  /* The SYN-ACK leaves the moment the SYN arrives: a 44-byte packet
   * (20 IPv4 + 20 TCP + 4 MSS option) serialized at 10 Mbit/s takes
   * 35.2 us, then 5 ms of propagation. */
  g_assert_cmpint (segs[1].at_ns - segs[0].at_ns, ==,
                   one_way_ns + SIM_NS (35200));
  net_harness_free (h);
}

/* The 159-byte request is lost once: it is sent again when the RTO
 * expires, and the exchange then completes with the same bytes. */
static void
test_seed_request_lost (void)
{
  NetHarness *h = seed_world (1);
  LinkDropRule rule = { 0 };
  const HarnessSeg *segs;
  TcpConnStats *client_stats = NULL;
  static const ExpectSeg want[] = {
    { C, TCP_SYN, 0, 0, 0 },
    { S, TCP_SYN | TCP_ACK, 0, 1, 0 },
    { C, TCP_ACK, 1, 1, 0 },
    { C, TCP_PSH | TCP_ACK, 1, 1, 159 },        /* lost */
    { C, TCP_PSH | TCP_ACK, 1, 1, 159 },        /* after the RTO */
    { S, TCP_PSH | TCP_ACK, 1, 160, 111 },
    { C, TCP_ACK, 160, 112, 0 },
    { C, TCP_FIN | TCP_ACK, 160, 112, 0 },
    { S, TCP_ACK, 112, 161, 0 },
    { S, TCP_FIN | TCP_ACK, 112, 161, 0 },
    { C, TCP_ACK, 161, 113, 0 },
  };

  rule.kind = LINK_DROP_MATCH;
  rule.flags_mask = 0xff;
  rule.flags_value = TCP_PSH | TCP_ACK;
  rule.match_len = TRUE;
  rule.len_bytes = 159;
  rule.count = 1;
  link_add_drop_rule (h->link, LINK_DIR_AB, &rule);
  net_harness_run (h, SIM_TIME_NEVER);
  assert_segments (h, want, G_N_ELEMENTS (want));
  segs = (const HarnessSeg *) h->segs->data;
  g_assert_true (segs[3].dropped);
  g_assert_false (segs[4].dropped);
  /* RFC 6298: one RTT sample from the handshake (about 10 ms) gives
   * RTO = max (1 s, SRTT + 4 RTTVAR) = 1 s (the rfc minimum). */
  g_assert_cmpint (segs[4].at_ns - segs[3].at_ns, ==, SIM_S (1));
  for (guint i = 0; i < h->conn_stats->len; i++)
    {
      TcpConnStats *s = g_ptr_array_index (h->conn_stats, i);

      if (s->active_open)
        client_stats = s;
    }
  g_assert_nonnull (client_stats);
  g_assert_cmpuint (client_stats->timeouts, ==, 1);
  g_assert_cmpuint (client_stats->retransmits, ==, 1);
  g_assert_cmpuint (client_stats->bytes_sent, ==, 159);
  g_assert_cmpuint (client_stats->bytes_received, ==, 111);
  g_assert_cmpint (client_stats->final_state, ==, TCP_STATE_CLOSED);
  net_harness_free (h);
}

static void
test_seed_deterministic (void)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  NetHarness *h1 = seed_world (7);
  NetHarness *h2 = seed_world (7);

  net_harness_run (h1, SIM_TIME_NEVER);
  net_harness_run (h2, SIM_TIME_NEVER);
  a = sim_fingerprint_hex (h1->fingerprint);
  b = sim_fingerprint_hex (h2->fingerprint);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpuint (sim_fingerprint_count (h1->fingerprint), >, 20);
  net_harness_free (h1);
  net_harness_free (h2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tcp/seed/exchange", test_seed_exchange);
  g_test_add_func ("/tcp/seed/state-timing", test_seed_state_timing);
  g_test_add_func ("/tcp/seed/request-lost", test_seed_request_lost);
  g_test_add_func ("/tcp/seed/deterministic", test_seed_deterministic);
  return g_test_run ();
}
