/* test_net_link.c: links with exact expectations: serialization and
 * propagation over three hops to the nanosecond, drop-tail overflow in
 * packets and in bytes, the MTU, a link going down and up, timeline
 * changes, jitter with and without reordering, duplication, hold-backs,
 * corruption caught by the IPv4 header checksum, and scripted rules.
 *
 * Raw packets (protocol 253) are used so that no TCP behaviour blurs the
 * arithmetic; each ends as a node.drop "no-protocol" at its destination.
 */
#include "tests/net/net_test.h"

#include <string.h>

#define A2B LINK_DIR_AB

static const NetRec *
rec_at (GPtrArray *recs, guint i)
{
  g_assert_cmpuint (i, <, recs->len);
  return g_ptr_array_index (recs, i);
}

/* h0 -7Mbps,1ms- r0 -1Mbps,5ms- r1 -100Mbps,2ms- h1: a 1500-byte and a
 * 500-byte packet sent together.  Serialization rounds up to the next
 * nanosecond ("a link never beats its rate"): 1500 B at 7 Mbit/s is
 * 12000e9 / 7e6 = 1714285.71 ns, so 1714286.
 *   hop 1: p1 0 -> 1714286, +1ms = 2714286
 *          p2 1714286 + 571429 (4000e9/7e6 rounded up) = 2285715 -> 3285715
 *   hop 2: p1 2714286 + 12000000 = 14714286, +5ms = 19714286
 *          p2 waits for p1: 14714286 + 4000000 = 18714286 -> 23714286
 *   hop 3: p1 19714286 + 120000 = 19834286, +2ms = 21834286
 *          p2 23714286 + 40000 = 23754286 -> 25754286 */
static void
test_chain_timing (void)
{
  NetTest *t = net_test_new (1);
  TopologyConfig cfg = { 0 };
  g_autoptr (Topology) topo = NULL;
  g_autoptr (GError) error = NULL;
  static const SimTime want[3][2] = {
    { 2714286, 3285715 },
    { 19714286, 23714286 },
    { 21834286, 25754286 },
  };
  static const guint64 rates[3] = { 7000000, 1000000, 100000000 };
  static const SimTime delays[3] = { SIM_MS (1), SIM_MS (5), SIM_MS (2) };
  Node *h0;
  Node *h1;

  topo = topology_chain (t->net, &cfg, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (topo->links->len, ==, 3);
  for (guint k = 0; k < 3; k++)
    {
      LinkDirParams p = { 0 };

      p.rate_bps = rates[k];
      p.delay_ns = delays[k];
      link_set_params (topo->links->pdata[k], A2B, &p);
    }
  g_assert_true (routing_install (t->net, ROUTING_METRIC_HOPS, &error));
  h0 = topo->hosts->pdata[0];
  h1 = topo->hosts->pdata[1];
  net_test_send_at (t, 0, h0, node_addr (h1), 1500, 0);
  net_test_send_at (t, 0, h0, node_addr (h1), 500, 0);
  net_test_run (t, SIM_S (1));

  for (guint k = 0; k < 3; k++)
    {
      g_autoptr (GPtrArray) rx = net_test_select (t, NET_REC_RX,
                                                  topo->links->pdata[k], A2B);

      g_assert_cmpuint (rx->len, ==, 2);
      g_assert_cmpint (rec_at (rx, 0)->at_ns, ==, want[k][0]);
      g_assert_cmpint (rec_at (rx, 0)->len_bytes, ==, 1500);
      g_assert_cmpint (rec_at (rx, 1)->at_ns, ==, want[k][1]);
      g_assert_cmpint (rec_at (rx, 1)->len_bytes, ==, 500);
    }
  /* Both reach h1 (and only there, as "no-protocol"). */
  g_assert_cmpuint (net_test_count (t, NET_REC_NODE_DROP, "no-protocol"), ==,
                    2);
  g_assert_cmpuint (node_stats (topo->routers->pdata[0])->forwarded_pkts, ==,
                    2);
  g_assert_cmpuint (node_stats (topo->routers->pdata[1])->forwarded_pkts, ==,
                    2);
  net_test_free (t);
}

/* 1 Mbit/s, 1000-byte packets (8 ms each), 3 packets of queue.  Ten at
 * t = 0: the first goes on the wire, three wait, six are dropped.  At
 * 10 ms the first has left and the second is on the wire, so two wait:
 * of three more, one enters and two are dropped. */
static void
test_droptail_pkts (void)
{
  NetTest *t = net_test_new (1);
  LinkDirParams p = { .rate_bps = 1000000, .delay_ns = SIM_MS (1),
                      .queue_limit_pkts = 3 };
  Link *link = net_test_pair (t, &p, NULL, NULL);
  g_autoptr (GPtrArray) tx = NULL;
  g_autoptr (GPtrArray) drops = NULL;
  g_autoptr (GPtrArray) rx = NULL;
  static const SimTime arrive[5] = {
    SIM_MS (9), SIM_MS (17), SIM_MS (25), SIM_MS (33), SIM_MS (41),
  };

  for (guint i = 0; i < 10; i++)
    net_test_link_send_at (t, 0, link, A2B, 1000);
  for (guint i = 0; i < 3; i++)
    net_test_link_send_at (t, SIM_MS (10), link, A2B, 1000);
  net_test_run (t, SIM_S (1));

  tx = net_test_select (t, NET_REC_TX, link, A2B);
  drops = net_test_select (t, NET_REC_DROP, link, A2B);
  rx = net_test_select (t, NET_REC_RX, link, A2B);
  g_assert_cmpuint (tx->len, ==, 5);
  g_assert_cmpuint (drops->len, ==, 8);
  for (guint i = 0; i < drops->len; i++)
    g_assert_cmpstr (rec_at (drops, i)->reason, ==, "queue");
  /* The dropped ones are exactly packets 5..10 and 12, 13 (0-based uids
   * in sending order). */
  for (guint i = 0; i < 6; i++)
    g_assert_cmpuint (rec_at (drops, i)->uid, ==, rec_at (tx, 0)->uid + 4 + i);
  g_assert_cmpint (rec_at (drops, 6)->at_ns, ==, SIM_MS (10));
  g_assert_cmpuint (rec_at (drops, 6)->uid, ==, rec_at (tx, 4)->uid + 1);
  g_assert_cmpuint (rec_at (drops, 7)->uid, ==, rec_at (tx, 4)->uid + 2);
  /* Queue lengths at entry: 0, 1, 2, 3; then 3 again at 10 ms. */
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (rec_at (tx, i)->queue_pkts, ==, i);
  g_assert_cmpuint (rec_at (tx, 4)->queue_pkts, ==, 3);
  g_assert_cmpuint (rec_at (tx, 4)->queue_bytes, ==, 3000);
  g_assert_cmpuint (rx->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpint (rec_at (rx, i)->at_ns, ==, arrive[i]);
      g_assert_cmpint (rec_at (tx, i)->arrive_ns, ==, arrive[i]);
    }
  g_assert_cmpuint (link_stats (link, A2B)->dropped_queue_pkts, ==, 8);
  g_assert_cmpuint (link_stats (link, A2B)->max_queue_pkts, ==, 3);
  net_test_free (t);
}

/* A queue of 2500 bytes: behind the packet on the wire, 1000 + 1000 + 500
 * fit exactly; 600 and then 400 would not. */
static void
test_droptail_bytes (void)
{
  NetTest *t = net_test_new (1);
  LinkDirParams p = { .rate_bps = 1000000, .queue_limit_bytes = 2500 };
  Link *link = net_test_pair (t, &p, NULL, NULL);
  static const guint32 sizes[] = { 1000, 1000, 1000, 500, 600, 400, 20 };
  g_autoptr (GPtrArray) drops = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    net_test_link_send_at (t, 0, link, A2B, sizes[i]);
  net_test_run (t, SIM_S (1));
  drops = net_test_select (t, NET_REC_DROP, link, A2B);
  g_assert_cmpuint (drops->len, ==, 3);
  g_assert_cmpuint (rec_at (drops, 0)->len_bytes, ==, 600);
  g_assert_cmpuint (rec_at (drops, 1)->len_bytes, ==, 400);
  g_assert_cmpuint (rec_at (drops, 2)->len_bytes, ==, 20);
  g_assert_cmpuint (rec_at (drops, 0)->queue_bytes, ==, 2500);
  g_assert_cmpuint (link_stats (link, A2B)->max_queue_bytes, ==, 2500);
  g_assert_cmpuint (link_stats (link, A2B)->delivered_pkts, ==, 4);
  net_test_free (t);
}

static void
test_mtu (void)
{
  NetTest *t = net_test_new (1);
  LinkDirParams p = { .rate_bps = 1000000, .mtu_bytes = 1000 };
  Link *link = net_test_pair (t, &p, NULL, NULL);

  net_test_link_send_at (t, 0, link, A2B, 1000);
  net_test_link_send_at (t, 0, link, A2B, 1001);
  net_test_run (t, SIM_S (1));
  g_assert_cmpuint (net_test_count (t, NET_REC_DROP, "mtu"), ==, 1);
  g_assert_cmpuint (net_test_count (t, NET_REC_TX, NULL), ==, 1);
  g_assert_cmpuint (link_stats (link, A2B)->dropped_mtu_pkts, ==, 1);
  net_test_free (t);
}

/* 1 Mbit/s, 10 ms, 1000-byte packets.  Five at t = 0; the link goes down
 * at 12 ms: the first (transmitted, propagating until 18 ms), the second
 * (on the wire) and three queued are all lost.  One sent at 13 ms is lost
 * too.  Up at 20 ms, the transmitter is free: a packet at 21 ms arrives
 * at 21 + 8 + 10 = 39 ms. */
static void
test_down_up (void)
{
  NetTest *t = net_test_new (1);
  LinkDirParams p = { .rate_bps = 1000000, .delay_ns = SIM_MS (10) };
  Link *link = net_test_pair (t, &p, NULL, NULL);
  g_autoptr (GPtrArray) drops = NULL;
  g_autoptr (GPtrArray) rx = NULL;

  for (guint i = 0; i < 5; i++)
    net_test_link_send_at (t, 0, link, A2B, 1000);
  net_test_link_send_at (t, SIM_MS (13), link, A2B, 1000);
  net_test_link_send_at (t, SIM_MS (21), link, A2B, 1000);
  link_schedule_up (link, SIM_MS (12), FALSE);
  link_schedule_up (link, SIM_MS (20), TRUE);
  net_test_run (t, SIM_S (1));

  drops = net_test_select (t, NET_REC_DROP, link, A2B);
  rx = net_test_select (t, NET_REC_RX, link, A2B);
  g_assert_cmpuint (drops->len, ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      g_assert_cmpstr (rec_at (drops, i)->reason, ==, "link-down");
      g_assert_cmpint (rec_at (drops, i)->at_ns, ==,
                       i < 5 ? SIM_MS (12) : SIM_MS (13));
      g_assert_cmpuint (rec_at (drops, i)->queue_pkts, ==, 0);
    }
  /* Lost in arrival order: the one propagating first. */
  g_assert_cmpint (rec_at (drops, 0)->arrive_ns, ==, SIM_MS (18));
  g_assert_cmpuint (rx->len, ==, 1);
  g_assert_cmpint (rec_at (rx, 0)->at_ns, ==, SIM_MS (39));
  g_assert_cmpuint (link_stats (link, A2B)->dropped_down_pkts, ==, 6);
  g_assert_cmpuint (net_test_count (t, NET_REC_CHANGE, "down"), ==, 1);
  g_assert_cmpuint (net_test_count (t, NET_REC_CHANGE, "up"), ==, 1);
  g_assert_true (link_is_up (link));
  net_test_free (t);
}

/* At 5 ms the rate goes from 1 to 2 Mbit/s; at 6 ms the delay from 1 to
 * 3 ms, from a values struct that still says 1 Mbit/s, which must not
 * undo the first change.  A packet at 0 keeps its 8 ms; one at 10 ms
 * takes 4 ms and 3 ms: 17 ms. */
static void
test_timeline_change (void)
{
  NetTest *t = net_test_new (1);
  LinkDirParams p = { .rate_bps = 1000000, .delay_ns = SIM_MS (1) };
  Link *link = net_test_pair (t, &p, NULL, NULL);
  LinkDirParams faster = p;
  LinkDirParams longer = p;
  g_autoptr (GPtrArray) rx = NULL;

  faster.rate_bps = 2000000;
  longer.delay_ns = SIM_MS (3);
  link_schedule_change (link, SIM_MS (6), A2B, &longer,
                        link_param_lookup ("delay")->field_bit);
  link_schedule_change (link, SIM_MS (5), A2B, &faster,
                        link_param_lookup ("rate")->field_bit);
  net_test_link_send_at (t, 0, link, A2B, 1000);
  net_test_link_send_at (t, SIM_MS (10), link, A2B, 1000);
  net_test_run (t, SIM_S (1));
  rx = net_test_select (t, NET_REC_RX, link, A2B);
  g_assert_cmpuint (rx->len, ==, 2);
  g_assert_cmpint (rec_at (rx, 0)->at_ns, ==, SIM_MS (9));
  g_assert_cmpint (rec_at (rx, 1)->at_ns, ==, SIM_MS (17));
  g_assert_cmpuint (link_params (link, A2B)->rate_bps, ==, 2000000);
  g_assert_cmpint (link_params (link, A2B)->delay_ns, ==, SIM_MS (3));
  g_assert_cmpuint (net_test_count (t, NET_REC_CHANGE, "params"), ==, 2);
  net_test_free (t);
}

/* The parameter table names every field once, with distinct bits, and
 * its setters check types and ranges. */
static void
test_param_table (void)
{
  guint n;
  const LinkParamInfo *table = link_param_table (&n);
  guint64 seen = 0;
  gsize covered = 0;
  LinkDirParams p = { 0 };
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (seen & table[i].field_bit, ==, 0);
      seen |= table[i].field_bit;
      g_assert_true (link_param_lookup (table[i].name) == &table[i]);
      covered += table[i].size;
    }
  /* Every byte of every field is in the table: the struct's size less
   * its padding, which the table cannot name. */
  g_assert_cmpuint (covered, <=, sizeof (LinkDirParams));
  g_assert_cmpuint (covered + 32, >=, sizeof (LinkDirParams));
  g_assert_true (link_param_set_uint (&p, link_param_lookup ("rate"),
                                      10000000, &error));
  g_assert_cmpuint (p.rate_bps, ==, 10000000);
  g_assert_true (link_param_set_uint (&p, link_param_lookup ("qdisc"),
                                      QUEUE_RED, &error));
  g_assert_cmpint (p.queue_kind, ==, QUEUE_RED);
  g_assert_true (link_param_set_uint (&p, link_param_lookup ("queue"), 7,
                                      &error));
  g_assert_cmpuint (p.queue_limit_pkts, ==, 7);
  g_assert_true (link_param_set_double (&p, link_param_lookup ("ge_r"), 0.25,
                                        &error));
  g_assert_cmpfloat_with_epsilon (p.gilbert.r, 0.25, 1e-12);
  g_assert_false (link_param_set_double (&p, link_param_lookup ("loss"), 1.5,
                                         &error));
  g_assert_error (error, LINK_ERROR, LINK_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (link_param_set_uint (&p, link_param_lookup ("loss"), 1,
                                       &error));
  g_assert_error (error, LINK_ERROR, LINK_ERROR_TYPE);
  g_clear_error (&error);
  g_assert_false (link_param_set_uint (&p, link_param_lookup ("qdisc"), 9,
                                       &error));
  g_assert_error (error, LINK_ERROR, LINK_ERROR_RANGE);
  g_assert_null (link_param_lookup ("rat"));
}

static void
send_spaced (NetTest *t, Link *link, guint n, SimTime gap_ns,
             guint32 len_bytes)
{
  for (guint i = 0; i < n; i++)
    net_test_link_send_at (t, gap_ns * (SimTime) i, link, A2B, len_bytes);
}

/* Jitter up to 5 ms on packets 0.1 ms apart: kept in order, each arrives
 * no earlier than its own delay and no later than a jittered predecessor
 * forces it; with reordering allowed, it arrives exactly when drawn and
 * some packets overtake others. */
static void
test_jitter (gconstpointer data)
{
  gboolean reorder = GPOINTER_TO_INT (data);
  NetTest *t = net_test_new (3);
  LinkDirParams p = { .delay_ns = SIM_MS (10), .jitter_ns = SIM_MS (5),
                      .jitter_reorder = reorder };
  Link *link = net_test_pair (t, &p, NULL, NULL);
  g_autoptr (GPtrArray) tx = NULL;
  g_autoptr (GPtrArray) rx = NULL;
  guint inversions = 0;
  SimTime max_extra = 0;

  send_spaced (t, link, 500, SIM_US (100), 100);
  net_test_run (t, SIM_S (1));
  tx = net_test_select (t, NET_REC_TX, link, A2B);
  rx = net_test_select (t, NET_REC_RX, link, A2B);
  g_assert_cmpuint (rx->len, ==, 500);
  for (guint i = 0; i < rx->len; i++)
    {
      const NetRec *r = rec_at (rx, i);
      const NetRec *s = rec_at (tx, (guint) (r->uid - rec_at (tx, 0)->uid));

      g_assert_cmpuint (s->uid, ==, r->uid);
      g_assert_cmpint (r->at_ns, ==, s->arrive_ns);
      g_assert_cmpint (r->at_ns, >=, s->at_ns + SIM_MS (10));
      if (reorder)
        g_assert_cmpint (r->at_ns, <=, s->at_ns + SIM_MS (15));
      max_extra = MAX (max_extra, r->at_ns - s->at_ns - SIM_MS (10));
      if (i > 0 && r->uid < rec_at (rx, i - 1)->uid)
        inversions++;
    }
  g_assert_cmpint (max_extra, >, SIM_MS (4));
  if (reorder)
    g_assert_cmpuint (inversions, >, 10);
  else
    g_assert_cmpuint (inversions, ==, 0);
  net_test_free (t);
}

/* With duplication certain, every packet arrives twice, the copy (a new
 * uid, traced as link.dup) right after the original. */
static void
test_duplicate (void)
{
  NetTest *t = net_test_new (1);
  LinkDirParams p = { .rate_bps = 1000000, .delay_ns = SIM_MS (1),
                      .dup_prob = 1 };
  Link *link = net_test_pair (t, &p, NULL, NULL);
  g_autoptr (GPtrArray) rx = NULL;
  g_autoptr (GPtrArray) dups = NULL;

  send_spaced (t, link, 10, SIM_MS (1), 100);
  net_test_run (t, SIM_S (1));
  rx = net_test_select (t, NET_REC_RX, link, A2B);
  dups = net_test_select (t, NET_REC_DUP, link, A2B);
  g_assert_cmpuint (rx->len, ==, 20);
  g_assert_cmpuint (dups->len, ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      const NetRec *orig = rec_at (rx, 2 * i);
      const NetRec *copy = rec_at (rx, 2 * i + 1);

      g_assert_cmpuint (rec_at (dups, i)->orig_uid, ==, orig->uid);
      g_assert_cmpuint (rec_at (dups, i)->uid, ==, copy->uid);
      g_assert_cmpint (copy->at_ns, ==, orig->at_ns);
      g_assert_cmpuint (copy->len_bytes, ==, orig->len_bytes);
    }
  g_assert_cmpuint (link_stats (link, A2B)->duplicated_pkts, ==, 10);
  g_assert_cmpuint (link_stats (link, A2B)->delivered_pkts, ==, 20);
  g_assert_cmpuint (link_stats (link, A2B)->sent_pkts, ==, 10);
  net_test_free (t);
}

typedef struct {
  const char *name;
  SimTime hold_ns;
  guint32 hold_pkts;
  guint order[6];               /* 1-based, as sent */
  SimTime held_arrive_ns;
} HoldCase;

/* Packets 1 ms apart, 10 ms of delay; the second is held back.  By 2.5 ms
 * it arrives at 13.5 ms, between the fourth and the fifth; by three
 * packets it follows the fifth at the fifth's instant (ties go to the one
 * that entered the flight first); by three packets but at most 1.5 ms it
 * arrives at 12.5 ms, after the third. */
static const HoldCase hold_cases[] = {
  { "delay", SIM_US (2500), 0, { 1, 3, 4, 2, 5, 6 }, SIM_US (13500) },
  { "gap", 0, 3, { 1, 3, 4, 5, 2, 6 }, SIM_MS (14) },
  { "gap-limited", SIM_US (1500), 3, { 1, 3, 2, 4, 5, 6 }, SIM_US (12500) },
};

static void
test_hold (gconstpointer data)
{
  const HoldCase *hc = data;
  NetTest *t = net_test_new (1);
  LinkDirParams p = { .delay_ns = SIM_MS (10) };
  Link *link = net_test_pair (t, &p, NULL, NULL);
  LinkDropRule rule = { 0 };
  g_autoptr (GPtrArray) tx = NULL;
  g_autoptr (GPtrArray) rx = NULL;

  rule.kind = LINK_DROP_NTH;
  rule.nth = 2;
  rule.action = LINK_RULE_HOLD;
  rule.hold_ns = hc->hold_ns;
  rule.hold_pkts = hc->hold_pkts;
  link_add_drop_rule (link, A2B, &rule);
  send_spaced (t, link, 6, SIM_MS (1), 100);
  net_test_run (t, SIM_S (1));
  tx = net_test_select (t, NET_REC_TX, link, A2B);
  rx = net_test_select (t, NET_REC_RX, link, A2B);
  g_assert_cmpuint (rx->len, ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      const NetRec *r = rec_at (rx, i);

      g_assert_cmpuint (r->uid - rec_at (tx, 0)->uid + 1, ==, hc->order[i]);
      if (hc->order[i] == 2)
        g_assert_cmpint (r->at_ns, ==, hc->held_arrive_ns);
      else
        g_assert_cmpint (r->at_ns, ==, SIM_MS (hc->order[i] - 1 + 10));
    }
  g_assert_cmpuint (link_stats (link, A2B)->reordered_pkts, ==, 1);
  net_test_free (t);
}

/* Header-only packets: every flipped bit lands in the IPv4 header, so
 * every corrupted packet fails its verification at the far node, most as
 * "ip-bad-checksum" (a flip in the version, header length or total length
 * is caught by those checks first).  link.tx shows the packet intact,
 * link.corrupt the flip. */
static void
test_corrupt_ip_header (void)
{
  NetTest *t = net_test_new (5);
  LinkDirParams p = { .rate_bps = 10000000, .corrupt_prob = 1 };
  Link *link = net_test_pair (t, &p, NULL, NULL);
  Node *b = link_node (link, LINK_DIR_BA);
  g_autoptr (GPtrArray) tx = NULL;
  g_autoptr (GPtrArray) bad = NULL;
  guint ip_failures = 0;

  send_spaced (t, link, 200, SIM_MS (1), 100);
  net_test_run (t, SIM_S (1));
  tx = net_test_select (t, NET_REC_TX, link, A2B);
  bad = net_test_select (t, NET_REC_CORRUPT, link, A2B);
  g_assert_cmpuint (bad->len, ==, 200);
  for (guint i = 0; i < 200; i++)
    {
      g_assert_cmpuint (rec_at (bad, i)->n_flips, ==, 1);
      g_assert_cmpuint (rec_at (bad, i)->first_flip / 8, <, 100);
      g_assert_cmpuint (rec_at (tx, i)->len_bytes, ==, 100);
    }
  for (guint i = 0; i < t->recs->len; i++)
    {
      const NetRec *r = &g_array_index (t->recs, NetRec, i);

      if (r->kind == NET_REC_NODE_DROP && g_str_has_prefix (r->reason, "ip-"))
        ip_failures++;
    }
  /* 100-byte packets: a fifth of the flips land in the header. */
  g_assert_cmpuint (ip_failures, ==, node_stats (b)->dropped_bad_header_pkts);
  g_assert_cmpuint (ip_failures, >, 20);
  g_assert_cmpuint (ip_failures, <, 70);
  g_assert_cmpuint (net_test_count (t, NET_REC_NODE_DROP, "ip-bad-checksum"),
                    >, 0);
  g_assert_cmpuint (ip_failures
                    + net_test_count (t, NET_REC_NODE_DROP, "no-protocol"),
                    ==, 200);
  g_assert_cmpuint (link_stats (link, A2B)->corrupted_pkts, ==, 200);
  net_test_free (t);
}

/* With 20-byte packets every flip is in the header: none gets through. */
static void
test_corrupt_header_only (void)
{
  NetTest *t = net_test_new (6);
  LinkDirParams p = { .corrupt_prob = 1, .corrupt_bits = 3 };
  Link *link = net_test_pair (t, &p, NULL, NULL);
  g_autoptr (GPtrArray) bad = NULL;

  send_spaced (t, link, 300, SIM_MS (1), 20);
  net_test_run (t, SIM_S (1));
  bad = net_test_select (t, NET_REC_CORRUPT, link, A2B);
  g_assert_cmpuint (bad->len, ==, 300);
  for (guint i = 0; i < bad->len; i++)
    g_assert_cmpuint (rec_at (bad, i)->n_flips, ==, 3);
  g_assert_cmpuint (node_stats (link_node (link, LINK_DIR_BA))
                      ->dropped_bad_header_pkts, ==, 300);
  g_assert_cmpuint (net_test_count (t, NET_REC_NODE_DROP, "no-protocol"), ==,
                    0);
  net_test_free (t);
}

/* Rules: packets 3 to 5 by index; the first two entering in [10, 20) ms;
 * rules act in order and never twice on one packet. */
static void
test_script_rules (void)
{
  NetTest *t = net_test_new (1);
  LinkDirParams p = { .delay_ns = SIM_MS (1) };
  Link *link = net_test_pair (t, &p, NULL, NULL);
  LinkDropRule range = { 0 };
  LinkDropRule window = { 0 };
  LinkDropRule dup = { 0 };
  g_autoptr (GPtrArray) drops = NULL;
  g_autoptr (GPtrArray) tx = NULL;
  guint64 first;

  range.kind = LINK_DROP_NTH;
  range.nth = 3;
  range.nth_last = 5;
  window.kind = LINK_DROP_TIME;
  window.from_ns = SIM_MS (10);
  window.until_ns = SIM_MS (20);
  window.count = 2;
  dup.kind = LINK_DROP_NTH;
  dup.nth = 4;
  dup.action = LINK_RULE_DUPLICATE;
  link_add_drop_rule (link, A2B, &range);
  link_add_drop_rule (link, A2B, &window);
  link_add_drop_rule (link, A2B, &dup);
  send_spaced (t, link, 30, SIM_MS (1), 100);
  net_test_run (t, SIM_S (1));
  drops = net_test_select (t, NET_REC_DROP, link, A2B);
  tx = net_test_select (t, NET_REC_TX, link, A2B);
  first = rec_at (tx, 0)->uid;
  g_assert_cmpuint (drops->len, ==, 5);
  g_assert_cmpuint (rec_at (drops, 0)->uid - first, ==, 2);
  g_assert_cmpuint (rec_at (drops, 1)->uid - first, ==, 3);
  g_assert_cmpuint (rec_at (drops, 2)->uid - first, ==, 4);
  g_assert_cmpuint (rec_at (drops, 3)->uid - first, ==, 10);
  g_assert_cmpuint (rec_at (drops, 4)->uid - first, ==, 11);
  for (guint i = 0; i < drops->len; i++)
    g_assert_cmpstr (rec_at (drops, i)->reason, ==, "script");
  /* The duplicate rule never saw packet 4, dropped by the first rule. */
  g_assert_cmpuint (net_test_count (t, NET_REC_DUP, NULL), ==, 0);
  g_assert_cmpuint (link_stats (link, A2B)->dropped_script_pkts, ==, 5);
  net_test_free (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/link/chain-timing", test_chain_timing);
  g_test_add_func ("/net/link/droptail-pkts", test_droptail_pkts);
  g_test_add_func ("/net/link/droptail-bytes", test_droptail_bytes);
  g_test_add_func ("/net/link/mtu", test_mtu);
  g_test_add_func ("/net/link/down-up", test_down_up);
  g_test_add_func ("/net/link/timeline-change", test_timeline_change);
  g_test_add_func ("/net/link/param-table", test_param_table);
  g_test_add_data_func ("/net/link/jitter/keep-order", GINT_TO_POINTER (0),
                        test_jitter);
  g_test_add_data_func ("/net/link/jitter/reorder", GINT_TO_POINTER (1),
                        test_jitter);
  g_test_add_func ("/net/link/duplicate", test_duplicate);
  for (guint i = 0; i < G_N_ELEMENTS (hold_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/net/link/hold/%s",
                                               hold_cases[i].name);

      g_test_add_data_func (path, &hold_cases[i], test_hold);
    }
  g_test_add_func ("/net/link/corrupt/ip-header", test_corrupt_ip_header);
  g_test_add_func ("/net/link/corrupt/header-only", test_corrupt_header_only);
  g_test_add_func ("/net/link/script-rules", test_script_rules);
  return g_test_run ();
}
