/* test_tcp_basic.c: the foundation's TCP behaviours end to end: a reset
 * for a closed port, the close from the server's side, SYN retransmission
 * with backoff, and bulk data delivered byte for byte under random loss. */
#include "tests/tcp/net_harness.h"

#include <string.h>

static const LinkDirParams fast_link = {
  .rate_bps = 10000000, .delay_ns = SIM_MS (5), .queue_limit_pkts = 100,
  .loss_prob = 0,
};

static TcpConnStats *
find_stats (NetHarness *h, gboolean active)
{
  for (guint i = 0; i < h->conn_stats->len; i++)
    {
      TcpConnStats *s = g_ptr_array_index (h->conn_stats, i);

      if (s->active_open == active)
        return s;
    }
  g_assert_not_reached ();
  return NULL;
}

static App *
add_reqresp (NetHarness *h, AppCloser closer, guint16 port)
{
  AppReqRespConfig rr = { 0 };
  g_autoptr (GError) error = NULL;
  App *app;

  rr.client = h->client;
  rr.server = h->server;
  rr.port = port;
  rr.request_bytes = 159;
  rr.response_bytes = 111;
  rr.closer = closer;
  rr.close_delay_ns = SIM_S (1);
  rr.count = 1;
  app = app_reqresp_new (h->net, "rr", &rr, &error);
  g_assert_no_error (error);
  return app;
}

/* RFC 9293 3.10.7.1: a SYN to a port nobody listens on is answered with
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, and the client's connection
 * is refused. */
static void
test_rst_closed_port (void)
{
  TcpParams p;
  NetHarness *h;
  TcpEndpoint *ep;
  g_autoptr (GError) error = NULL;
  const HarnessSeg *segs;
  g_autofree char *path = NULL;

  net_harness_teaching_params (&p);
  h = net_harness_new (&fast_link, &p, 1);
  ep = tcp_connect (host_tcp (h->client), node_addr (h->server), 9, 0, NULL,
                    NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ep);
  net_harness_run (h, SIM_S (10));
  g_assert_cmpuint (h->segs->len, ==, 2);
  segs = (const HarnessSeg *) h->segs->data;
  g_assert_cmpint (segs[0].flags, ==, TCP_SYN);
  g_assert_cmpint (segs[1].dir, ==, LINK_DIR_BA);
  g_assert_cmpint (segs[1].flags, ==, TCP_RST | TCP_ACK);
  g_assert_cmpuint (segs[1].rel_ack, ==, 1);
  path = net_harness_state_path (h, "client");
  g_assert_cmpstr (path, ==, "SYN_SENT,CLOSED");
  g_assert_cmpint (find_stats (h, TRUE)->close_reason, ==, TCP_CLOSE_REFUSED);
  net_harness_free (h);
}

/* The server closes first: it goes through FIN_WAIT_1, FIN_WAIT_2 and
 * TIME_WAIT, the client through CLOSE_WAIT and LAST_ACK. */
static void
test_server_closes_first (void)
{
  TcpParams p;
  NetHarness *h;
  g_autofree char *client_path = NULL;
  g_autofree char *server_path = NULL;
  g_autofree char *desc = NULL;
  const HarnessSeg *segs;
  guint n;

  net_harness_teaching_params (&p);
  h = net_harness_new (&fast_link, &p, 1);
  add_reqresp (h, APP_CLOSER_SERVER, 80);
  net_harness_run (h, SIM_TIME_NEVER);
  client_path = net_harness_state_path (h, "client");
  server_path = net_harness_state_path (h, "server");
  g_assert_cmpstr (client_path, ==,
                   "SYN_SENT,ESTABLISHED,CLOSE_WAIT,LAST_ACK,CLOSED");
  g_assert_cmpstr (server_path, ==,
                   "LISTEN,SYN_RECEIVED,ESTABLISHED,FIN_WAIT_1,FIN_WAIT_2,"
                   "TIME_WAIT,CLOSED");
  desc = net_harness_describe (h);
  segs = (const HarnessSeg *) h->segs->data;
  n = h->segs->len;
  /* The last three: the client's ACK of the FIN, its own FIN, the
   * server's final ACK. */
  g_assert_cmpuint (n, >=, 4);
  g_assert_cmpint (segs[n - 3].flags, ==, TCP_ACK);
  g_assert_cmpint (segs[n - 3].dir, ==, LINK_DIR_AB);
  g_assert_cmpint (segs[n - 2].flags, ==, TCP_FIN | TCP_ACK);
  g_assert_cmpint (segs[n - 2].dir, ==, LINK_DIR_AB);
  g_assert_cmpint (segs[n - 1].flags, ==, TCP_ACK);
  g_assert_cmpint (segs[n - 1].dir, ==, LINK_DIR_BA);
  g_assert_cmpuint (segs[n - 1].rel_ack, ==, 161);
  net_harness_free (h);
}

/* RFC 6298 (2.1) and (5.5): a lost SYN is sent again after 1 s, then
 * after 2 s more; after a retransmitted SYN the RTO is 3 s (5.7). */
static void
test_syn_lost_twice (void)
{
  TcpParams p;
  NetHarness *h;
  LinkDropRule rule = { 0 };
  const HarnessSeg *segs;

  net_harness_teaching_params (&p);
  h = net_harness_new (&fast_link, &p, 1);
  rule.kind = LINK_DROP_MATCH;
  rule.flags_mask = 0xff;
  rule.flags_value = TCP_SYN;
  rule.count = 2;
  link_add_drop_rule (h->link, LINK_DIR_AB, &rule);
  add_reqresp (h, APP_CLOSER_CLIENT, 80);
  net_harness_run (h, SIM_TIME_NEVER);
  segs = (const HarnessSeg *) h->segs->data;
  g_assert_cmpint (segs[0].flags, ==, TCP_SYN);
  g_assert_true (segs[0].dropped);
  g_assert_cmpint (segs[1].flags, ==, TCP_SYN);
  g_assert_true (segs[1].dropped);
  g_assert_cmpint (segs[2].flags, ==, TCP_SYN);
  g_assert_false (segs[2].dropped);
  g_assert_cmpint (segs[1].at_ns, ==, SIM_S (1));
  g_assert_cmpint (segs[2].at_ns, ==, SIM_S (3));
  g_assert_cmpint (segs[3].flags, ==, TCP_SYN | TCP_ACK);
  g_assert_cmpuint (find_stats (h, TRUE)->timeouts, ==, 2);
  g_assert_cmpuint (find_stats (h, TRUE)->bytes_received, ==, 111);
  net_harness_free (h);
}

/* Half-close (RFC 9293 3.6): the client sends its request and closes at
 * once; the server sends 10 KB after the client's FIN, then closes.  The
 * server's ACK of the FIN and its own FIN leave apart, because data sits
 * between them: why the close takes four segments. */
static void
test_half_close (void)
{
  TcpParams p;
  NetHarness *h;
  AppReqRespConfig rr = { 0 };
  g_autoptr (GError) error = NULL;
  App *app;
  g_autofree char *client_path = NULL;
  g_autofree char *server_path = NULL;
  const HarnessSeg *segs;
  guint fin_c = G_MAXUINT;
  guint ack_of_fin = G_MAXUINT;
  guint fin_s = G_MAXUINT;
  guint data_after_fin = 0;

  net_harness_teaching_params (&p);
  h = net_harness_new (&fast_link, &p, 1);
  rr.client = h->client;
  rr.server = h->server;
  rr.port = 80;
  rr.request_bytes = 159;
  rr.response_bytes = 10000;
  rr.closer = APP_CLOSER_CLIENT;
  rr.half_close = TRUE;
  rr.count = 1;
  app = app_reqresp_new (h->net, "rr", &rr, &error);
  g_assert_no_error (error);
  net_harness_run (h, SIM_TIME_NEVER);

  g_assert_cmpuint (app_stats (app)->bytes_received, ==, 159 + 10000);
  g_assert_cmpuint (app_stats (app)->bytes_corrupt, ==, 0);
  client_path = net_harness_state_path (h, "client");
  server_path = net_harness_state_path (h, "server");
  g_assert_cmpstr (client_path, ==,
                   "SYN_SENT,ESTABLISHED,FIN_WAIT_1,FIN_WAIT_2,TIME_WAIT,"
                   "CLOSED");
  g_assert_cmpstr (server_path, ==,
                   "LISTEN,SYN_RECEIVED,ESTABLISHED,CLOSE_WAIT,LAST_ACK,"
                   "CLOSED");
  segs = (const HarnessSeg *) h->segs->data;
  for (guint i = 0; i < h->segs->len; i++)
    {
      if (segs[i].dir == LINK_DIR_AB && (segs[i].flags & TCP_FIN))
        fin_c = i;
      else if (fin_c != G_MAXUINT && segs[i].dir == LINK_DIR_BA)
        {
          if (ack_of_fin == G_MAXUINT && segs[i].rel_ack == 161)
            ack_of_fin = i;
          if (segs[i].len_bytes > 0)
            data_after_fin += segs[i].len_bytes;
          if (segs[i].flags & TCP_FIN)
            fin_s = i;
        }
    }
  g_assert_cmpuint (fin_c, <, h->segs->len);
  g_assert_cmpuint (fin_s, <, h->segs->len);
  /* The FIN is ACKed before, and apart from, the server's own FIN, with
   * response data flowing in between. */
  g_assert_cmpuint (ack_of_fin, <, fin_s);
  g_assert_cmpuint (data_after_fin, >, 0);
  /* The FIN follows the last byte of the response (it may ride on it). */
  g_assert_cmpuint (segs[fin_s].rel_seq + segs[fin_s].len_bytes, ==,
                    1 + 10000);
  net_harness_free (h);
}

typedef struct {
  const char *profile;
  const char *cc;
  double loss;
  guint64 bytes;
  guint64 seed;
} BulkCase;

static const BulkCase bulk_cases[] = {
  { "rfc", "newreno", 0.0, 1000000, 1 },
  { "rfc", "newreno", 0.01, 1000000, 2 },
  { "rfc", "newreno", 0.05, 300000, 3 },
  { "rfc", "newreno", 0.15, 100000, 4 },
  { "rfc", "reno", 0.02, 300000, 5 },
  { "linux", "cubic", 0.0, 1000000, 6 },
  { "linux", "cubic", 0.01, 1000000, 7 },
  { "linux", "cubic", 0.05, 300000, 8 },
  { "linux", "newreno", 0.15, 100000, 9 },
};

/* Every byte arrives, in order and unchanged, whatever is lost; the
 * connection then closes normally on both sides. */
static void
test_bulk_delivery (gconstpointer data)
{
  const BulkCase *bc = data;
  LinkDirParams lp = fast_link;
  TcpParams p;
  NetHarness *h;
  AppBulkConfig cfg = { 0 };
  App *app;
  const AppStats *st;
  g_autoptr (GError) error = NULL;

  lp.loss_prob = bc->loss;
  g_assert_true (tcp_params_apply_profile (&p, bc->profile, NULL));
  for (guint i = 0; tcp_cc_names[i] != NULL; i++)
    if (strcmp (tcp_cc_names[i], bc->cc) == 0)
      p.cc = i;
  h = net_harness_new (&lp, &p, bc->seed);
  cfg.sender = h->client;
  cfg.receiver = h->server;
  cfg.port = 5001;
  cfg.bytes = bc->bytes;
  app = app_bulk_new (h->net, "bulk", &cfg, &error);
  g_assert_no_error (error);
  net_harness_run (h, SIM_S (3600));
  st = app_stats (app);
  g_assert_cmpuint (st->bytes_sent, ==, bc->bytes);
  g_assert_cmpuint (st->bytes_received, ==, bc->bytes);
  g_assert_cmpuint (st->bytes_corrupt, ==, 0);
  g_assert_cmpint (find_stats (h, TRUE)->final_state, ==, TCP_STATE_CLOSED);
  g_assert_cmpint (find_stats (h, FALSE)->final_state, ==, TCP_STATE_CLOSED);
  g_assert_cmpint (find_stats (h, TRUE)->close_reason, ==, TCP_CLOSE_NORMAL);
  if (bc->loss > 0)
    g_assert_cmpuint (find_stats (h, TRUE)->retransmits, >, 0);
  else
    g_assert_cmpuint (find_stats (h, TRUE)->retransmits, ==, 0);
  net_harness_free (h);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tcp/basic/rst-closed-port", test_rst_closed_port);
  g_test_add_func ("/tcp/basic/server-closes-first",
                   test_server_closes_first);
  g_test_add_func ("/tcp/basic/syn-lost-twice", test_syn_lost_twice);
  g_test_add_func ("/tcp/basic/half-close", test_half_close);
  for (gsize i = 0; i < G_N_ELEMENTS (bulk_cases); i++)
    {
      g_autofree char *path =
        g_strdup_printf ("/tcp/basic/bulk/%s-%s-loss-%g-seed-%"
                         G_GUINT64_FORMAT, bulk_cases[i].profile,
                         bulk_cases[i].cc, bulk_cases[i].loss,
                         bulk_cases[i].seed);

      g_test_add_data_func (path, &bulk_cases[i], test_bulk_delivery);
    }
  return g_test_run ();
}
