/* test_net_tcp.c: the network's faults seen by real TCP bulk transfers
 * (models/apps app_bulk): reordering gives duplicate ACKs and a fast
 * retransmit; corruption is caught by a checksum, every time, and
 * repaired; a 2 s outage ends in RTO backoff and recovery; a rate change
 * on the timeline shows in the goodput; routes over a chain and a dumbbell
 * deliver every byte; the same seed gives the same run.
 *
 * Each transfer must deliver every byte unchanged: the receiving app
 * checks every byte against the stream's pattern (bytes_corrupt). */
#include "tests/net/net_test.h"

#include <string.h>

static const LinkDirParams ten_mbps = {
  .rate_bps = 10000000, .delay_ns = SIM_MS (10), .queue_limit_pkts = 100,
};

static App *
bulk (NetTest *t, const char *name, Node *from, Node *to, guint16 port,
      guint64 bytes, SimTime start_ns)
{
  AppBulkConfig cfg = { 0 };
  g_autoptr (GError) error = NULL;
  App *app;

  cfg.sender = from;
  cfg.receiver = to;
  cfg.port = port;
  cfg.bytes = bytes;
  cfg.start_ns = start_ns;
  app = app_bulk_new (t->net, name, &cfg, &error);
  g_assert_no_error (error);
  return app;
}

static void
assert_delivered (App *app, guint64 bytes)
{
  g_assert_cmpuint (app_stats (app)->bytes_received, ==, bytes);
  g_assert_cmpuint (app_stats (app)->bytes_corrupt, ==, 0);
}

static void
rfc_params (TcpParams *p)
{
  tcp_params_init (p);
}

/* The 20th data segment (relative sequence 1 + 19 * 1460) is held back
 * until four later packets have entered the link: the receiver sees four
 * segments beyond a hole and answers each with a duplicate ACK, and the
 * third makes the sender retransmit (RFC 5681 3.2) without a timeout. */
static void
test_reorder_fast_retransmit (void)
{
  NetTest *t = net_test_new (1);
  TcpParams p;
  Link *link;
  LinkDropRule hold = { 0 };
  App *app;
  const TcpConnStats *snd;

  rfc_params (&p);
  link = net_test_pair (t, &ten_mbps, NULL, &p);
  hold.kind = LINK_DROP_MATCH;
  hold.match_seq = TRUE;
  hold.rel_seq = 1 + 19 * 1460;
  hold.match_len = TRUE;
  hold.len_bytes = 1460;
  hold.count = 1;
  hold.action = LINK_RULE_HOLD;
  hold.hold_pkts = 4;
  link_add_drop_rule (link, LINK_DIR_AB, &hold);
  app = bulk (t, "bulk", link_node (link, LINK_DIR_AB),
              link_node (link, LINK_DIR_BA), 5001, 200000, 0);
  net_test_run (t, SIM_S (60));
  assert_delivered (app, 200000);
  snd = net_test_conn (t, "a");
  g_assert_cmpuint (link_stats (link, LINK_DIR_AB)->reordered_pkts, ==, 1);
  g_assert_cmpuint (snd->dup_acks_received, >=, 3);
  g_assert_cmpuint (snd->fast_retransmits, ==, 1);
  g_assert_cmpuint (snd->timeouts, ==, 0);
  /* Nothing was lost: NewReno's partial ACKs (RFC 6582 3.2) make the
   * retransmissions after the first spurious too. */
  g_assert_cmpuint (snd->retransmits, >=, 1);
  g_assert_cmpuint (net_test_count (t, NET_REC_DROP, NULL), ==, 0);
  net_test_free (t);
}

/* Random hold-backs of 15 ms (more than three segments' spacing) on 2% of
 * the data: fast retransmits without losses, and every byte. */
static void
test_reorder_random (void)
{
  NetTest *t = net_test_new (2);
  LinkDirParams ab = ten_mbps;
  TcpParams p;
  Link *link;
  App *app;
  const TcpConnStats *snd;

  ab.reorder_prob = 0.02;
  ab.reorder_delay_ns = SIM_MS (15);
  rfc_params (&p);
  link = net_test_pair (t, &ab, &ten_mbps, &p);
  app = bulk (t, "bulk", link_node (link, LINK_DIR_AB),
              link_node (link, LINK_DIR_BA), 5001, 1000000, 0);
  net_test_run (t, SIM_S (120));
  assert_delivered (app, 1000000);
  snd = net_test_conn (t, "a");
  g_assert_cmpuint (link_stats (link, LINK_DIR_AB)->reordered_pkts, >, 5);
  g_assert_cmpuint (snd->fast_retransmits, >, 0);
  g_assert_cmpuint (snd->dup_acks_received, >, 3 * snd->fast_retransmits - 1);
  g_assert_cmpuint (net_test_count (t, NET_REC_DROP, NULL), ==, 0);
  net_test_free (t);
}

static gboolean
is_wire_drop (const char *reason)
{
  return strcmp (reason, "checksum") == 0 || g_str_has_prefix (reason, "tcp-");
}

/* Corruption on both directions, one bit or several: each damaged packet
 * is refused by exactly one check, the IPv4 header's at the node or TCP's
 * at the stack, and TCP repairs the loss. */
static void
test_corrupt (gconstpointer data)
{
  guint bits = GPOINTER_TO_UINT (data);
  NetTest *t = net_test_new (3);
  LinkDirParams ab = ten_mbps;
  LinkDirParams ba = ten_mbps;
  TcpParams p;
  Link *link;
  App *app;
  Node *a;
  Node *b;
  guint64 corrupted;
  guint64 caught = 0;

  ab.corrupt_prob = 0.01;
  ab.corrupt_bits = bits;
  ba.corrupt_prob = 0.05;
  ba.corrupt_bits = bits;
  rfc_params (&p);
  link = net_test_pair (t, &ab, &ba, &p);
  a = link_node (link, LINK_DIR_AB);
  b = link_node (link, LINK_DIR_BA);
  app = bulk (t, "bulk", a, b, 5001, 1000000, 0);
  net_test_run (t, SIM_S (300));
  assert_delivered (app, 1000000);
  corrupted = link_stats (link, LINK_DIR_AB)->corrupted_pkts
              + link_stats (link, LINK_DIR_BA)->corrupted_pkts;
  for (guint i = 0; i < t->recs->len; i++)
    {
      const NetRec *r = &g_array_index (t->recs, NetRec, i);

      if (r->kind == NET_REC_TCP_DROP && is_wire_drop (r->reason))
        caught++;
    }
  caught += node_stats (a)->dropped_bad_header_pkts
            + node_stats (b)->dropped_bad_header_pkts;
  g_assert_cmpuint (link_stats (link, LINK_DIR_AB)->corrupted_pkts, >, 3);
  g_assert_cmpuint (link_stats (link, LINK_DIR_BA)->corrupted_pkts, >, 3);
  g_assert_cmpuint (caught, ==, corrupted);
  g_assert_cmpuint (net_test_conn (t, "b")->drops_checksum, >, 0);
  g_assert_cmpuint (node_stats (a)->dropped_bad_header_pkts, >, 0);
  g_assert_cmpuint (net_test_conn (t, "a")->retransmits, >, 0);
  g_assert_cmpuint (net_test_count (t, NET_REC_CORRUPT, NULL), ==, corrupted);
  net_test_free (t);
}

/* The link is down from 0.5 s to 2.5 s of a 2 MB transfer: the RTO fires,
 * backs off (1 s, then 2 s), and the transfer completes after the link
 * comes back. */
static void
test_outage (void)
{
  NetTest *t = net_test_new (4);
  TcpParams p;
  Link *link;
  App *app;
  const TcpConnStats *snd;
  g_autoptr (GPtrArray) tx = NULL;
  guint after_up = 0;

  rfc_params (&p);
  link = net_test_pair (t, &ten_mbps, NULL, &p);
  link_schedule_up (link, SIM_MS (500), FALSE);
  link_schedule_up (link, SIM_MS (2500), TRUE);
  app = bulk (t, "bulk", link_node (link, LINK_DIR_AB),
              link_node (link, LINK_DIR_BA), 5001, 2000000, 0);
  net_test_run (t, SIM_S (120));
  assert_delivered (app, 2000000);
  snd = net_test_conn (t, "a");
  g_assert_cmpuint (snd->timeouts, >=, 2);
  g_assert_cmpuint (link_stats (link, LINK_DIR_AB)->dropped_down_pkts, >, 0);
  g_assert_cmpuint (net_test_count (t, NET_REC_DROP, "link-down"), ==,
                    link_stats (link, LINK_DIR_AB)->dropped_down_pkts
                    + link_stats (link, LINK_DIR_BA)->dropped_down_pkts);
  /* Nothing crosses while down; the first packet after is a
   * retransmission by timeout, not before 2.5 s. */
  tx = net_test_select (t, NET_REC_RX, link, LINK_DIR_AB);
  for (guint i = 0; i < tx->len; i++)
    {
      const NetRec *r = tx->pdata[i];

      g_assert_false (r->at_ns > SIM_MS (500) && r->at_ns < SIM_MS (2500));
      after_up += r->at_ns >= SIM_MS (2500);
    }
  g_assert_cmpuint (after_up, >, 0);
  g_assert_cmpint (net_test_conn (t, "b")->last_delivery_ns, >, SIM_MS (2500));
  net_test_free (t);
}

/* Highest relative byte delivered by @t_ns on @link's AB direction. */
static guint64
delivered_by (const NetTest *t, const Link *link, SimTime t_ns)
{
  guint64 top = 0;

  for (guint i = 0; i < t->recs->len; i++)
    {
      const NetRec *r = &g_array_index (t->recs, NetRec, i);

      if (r->at_ns >= t_ns)
        break;
      if (r->kind == NET_REC_RX && r->link == link && r->dir == LINK_DIR_AB
          && r->tcp && r->payload_bytes > 0)
        top = MAX (top, (guint64) r->rel_seq + r->payload_bytes);
    }
  return top;
}

/* The most payload a 4 s window can see at @rate_bps: 1460 bytes in each
 * 1500-byte packet, and one packet more at each end of the window. */
static double
ceiling_bps (double rate_bps)
{
  return rate_bps * 1460 / 1500 + 2 * 1460 * 8 / 4.0;
}

/* 10 Mbit/s until 5 s, then 1 Mbit/s, by a timeline change: goodput over
 * [1 s, 5 s) is near 10 Mbit/s and over [6 s, 10 s) near 1. */
static void
test_rate_change (void)
{
  NetTest *t = net_test_new (5);
  TcpParams p;
  Link *link;
  LinkDirParams slow = ten_mbps;
  double before_bps;
  double after_bps;

  rfc_params (&p);
  link = net_test_pair (t, &ten_mbps, NULL, &p);
  slow.rate_bps = 1000000;
  link_schedule_change (link, SIM_S (5), LINK_DIR_AB, &slow,
                        link_param_lookup ("rate")->field_bit);
  bulk (t, "bulk", link_node (link, LINK_DIR_AB), link_node (link, LINK_DIR_BA),
        5001, 0, 0);
  net_test_run (t, SIM_S (10));
  before_bps = (double) (delivered_by (t, link, SIM_S (5))
                         - delivered_by (t, link, SIM_S (1))) * 8 / 4;
  after_bps = (double) (delivered_by (t, link, SIM_S (10))
                        - delivered_by (t, link, SIM_S (6))) * 8 / 4;
  if (before_bps < 9.0e6 || before_bps > ceiling_bps (10000000)
      || after_bps < 0.9e6 || after_bps > ceiling_bps (1000000))
    g_error ("goodput %.0f bit/s before, %.0f after", before_bps, after_bps);
  g_assert_cmpuint (link_params (link, LINK_DIR_AB)->rate_bps, ==, 1000000);
  net_test_free (t);
}

/* h0 - r0 - r1 - h1 with computed routes: every byte, both ways through
 * both routers. */
static void
test_route_chain (void)
{
  NetTest *t = net_test_new (6);
  TopologyConfig cfg = { 0 };
  g_autoptr (Topology) topo = NULL;
  g_autoptr (GError) error = NULL;
  TcpParams p;
  App *app;

  rfc_params (&p);
  cfg.tcp = &p;
  cfg.edge = ten_mbps;
  cfg.core = (LinkDirParams) { .rate_bps = 5000000, .delay_ns = SIM_MS (20),
                               .queue_limit_pkts = 30 };
  topo = topology_chain (t->net, &cfg, 2, &error);
  g_assert_no_error (error);
  g_assert_true (routing_install (t->net, ROUTING_METRIC_HOPS, &error));
  app = bulk (t, "bulk", topo->hosts->pdata[0], topo->hosts->pdata[1], 5001,
              1000000, 0);
  net_test_run (t, SIM_S (120));
  assert_delivered (app, 1000000);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpuint (node_stats (topo->routers->pdata[i])->forwarded_pkts, >,
                      1000000 / 1460);
  g_assert_cmpuint (net_test_count (t, NET_REC_NODE_DROP, NULL), ==, 0);
  net_test_free (t);
}

/* Four pairs through one 10 Mbit/s bottleneck, starting 100 ms apart:
 * every flow delivers every byte. */
static void
test_route_dumbbell (void)
{
  NetTest *t = net_test_new (7);
  TopologyConfig cfg = { 0 };
  g_autoptr (Topology) topo = NULL;
  g_autoptr (GError) error = NULL;
  TcpParams p;
  App *apps[4];

  g_assert_true (tcp_params_apply_profile (&p, "linux", &error));
  cfg.tcp = &p;
  cfg.edge = (LinkDirParams) { .rate_bps = 100000000, .delay_ns = SIM_MS (1),
                               .queue_limit_pkts = 100 };
  cfg.core = ten_mbps;
  topo = topology_dumbbell (t->net, &cfg, 4, &error);
  g_assert_no_error (error);
  g_assert_true (routing_install (t->net, ROUTING_METRIC_HOPS, &error));
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("bulk%u", i);

      apps[i] = bulk (t, name, topology_dumbbell_sender (topo, i),
                      topology_dumbbell_receiver (topo, i), 5001, 500000,
                      SIM_MS (100) * i);
    }
  net_test_run (t, SIM_S (120));
  for (guint i = 0; i < 4; i++)
    assert_delivered (apps[i], 500000);
  g_assert_cmpuint (link_stats (topo->bottleneck, LINK_DIR_AB)->sent_bytes, >,
                    4 * 500000);
  g_assert_cmpuint (net_test_count (t, NET_REC_NODE_DROP, NULL), ==, 0);
  net_test_free (t);
}

typedef struct {
  char *fingerprint;
  guint64 n_records;
  GArray *drops;                /* (element-type guint64) uids */
} RunDigest;

/* Every fault at once on one direction, corruption on the other. */
static RunDigest
faulty_run (guint64 seed)
{
  NetTest *t = net_test_new (seed);
  LinkDirParams ab = ten_mbps;
  LinkDirParams ba = ten_mbps;
  TcpParams p;
  Link *link;
  App *app;
  RunDigest d = { 0 };

  ab.loss_model = LOSS_MODEL_GILBERT;
  ab.gilbert = (LossGilbertParams) { 0.01, 0.3, 0.001, 0.5 };
  ab.jitter_ns = SIM_MS (2);
  ab.jitter_reorder = TRUE;
  ab.dup_prob = 0.01;
  ab.corrupt_prob = 0.01;
  ab.queue_kind = QUEUE_RED;
  ab.red = (QueueRedParams) { .min_th_pkts = 5, .max_th_pkts = 15,
                              .max_p = 0.1 };
  ba.corrupt_prob = 0.01;
  rfc_params (&p);
  link = net_test_pair (t, &ab, &ba, &p);
  app = bulk (t, "bulk", link_node (link, LINK_DIR_AB),
              link_node (link, LINK_DIR_BA), 5001, 300000, 0);
  net_test_run (t, SIM_S (300));
  assert_delivered (app, 300000);
  d.fingerprint = sim_fingerprint_hex (t->fingerprint);
  d.n_records = sim_fingerprint_count (t->fingerprint);
  d.drops = g_array_new (FALSE, FALSE, sizeof (guint64));
  for (guint i = 0; i < t->recs->len; i++)
    {
      const NetRec *r = &g_array_index (t->recs, NetRec, i);

      if (r->kind == NET_REC_DROP)
        g_array_append_val (d.drops, r->uid);
    }
  net_test_free (t);
  return d;
}

static void
digest_clear (RunDigest *d)
{
  g_free (d->fingerprint);
  g_array_unref (d->drops);
}

static void
test_same_seed (void)
{
  RunDigest a = faulty_run (99);
  RunDigest b = faulty_run (99);
  RunDigest c = faulty_run (100);

  g_assert_cmpuint (a.drops->len, >, 0);
  g_assert_cmpstr (a.fingerprint, ==, b.fingerprint);
  g_assert_cmpuint (a.n_records, ==, b.n_records);
  g_assert_cmpuint (a.drops->len, ==, b.drops->len);
  g_assert_cmpmem (a.drops->data, a.drops->len * sizeof (guint64),
                   b.drops->data, b.drops->len * sizeof (guint64));
  g_assert_cmpstr (a.fingerprint, !=, c.fingerprint);
  digest_clear (&a);
  digest_clear (&b);
  digest_clear (&c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/tcp/reorder/fast-retransmit",
                   test_reorder_fast_retransmit);
  g_test_add_func ("/net/tcp/reorder/random", test_reorder_random);
  g_test_add_data_func ("/net/tcp/corrupt/1-bit", GUINT_TO_POINTER (1),
                        test_corrupt);
  g_test_add_data_func ("/net/tcp/corrupt/4-bits", GUINT_TO_POINTER (4),
                        test_corrupt);
  g_test_add_func ("/net/tcp/outage", test_outage);
  g_test_add_func ("/net/tcp/rate-change", test_rate_change);
  g_test_add_func ("/net/tcp/route/chain", test_route_chain);
  g_test_add_func ("/net/tcp/route/dumbbell", test_route_dumbbell);
  g_test_add_func ("/net/tcp/same-seed", test_same_seed);
  return g_test_run ();
}
