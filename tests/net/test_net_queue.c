/* test_net_queue.c: the queue disciplines.  RED's average (its EWMA and
 * its decay over idle time) and its drops above max_th, exactly; RED
 * draws one number per offered packet; CoDel's drops under a steady
 * overload at exactly the packets RFC 8289's control law picks; RED and
 * CoDel under a real TCP transfer. */
#include "tests/net/net_test.h"

#include <math.h>

/* 1 Mbit/s, 125-byte packets: 1 ms each; RED's s (500 bytes) is 4 ms. */
#define RATE_BPS 1000000u

static void
red_config (QueueConfig *c, double min_th, double max_th, double max_p,
            double w_q)
{
  *c = (QueueConfig) { 0 };
  c->kind = QUEUE_RED;
  c->limit_pkts = 100;
  c->red.min_th_pkts = min_th;
  c->red.max_th_pkts = max_th;
  c->red.max_p = max_p;
  c->red.w_q = w_q;
}

static const char *
offer (Queue *q, SimTime now_ns)
{
  QueueResult result;

  return queue_offer (q, now_ns, 125, RATE_BPS, &result);
}

/* Floyd and Jacobson, figure 2, with w_q = 1/2 so every value is exact in
 * binary: arrivals finding 0, 0, 1 and 2 packets waiting give averages
 * 0, 0, 1/2 and 5/4.  The last packet starts at 3 ms; at 10 ms the queue
 * has been empty for 7 ms, one whole s of 4 ms: avg 5/8.  At 30 ms, empty
 * since the start at 10 ms, five s: avg 5/8 / 32. */
static void
test_red_average (void)
{
  SimRng rng;
  Queue q;
  QueueConfig c;

  sim_rng_seed (&rng, 1, "red");
  red_config (&c, 100, 200, 0.1, 0.5);
  queue_init (&q, &c, &rng);
  for (guint i = 0; i < 4; i++)
    g_assert_null (offer (&q, 0));
  g_assert_cmpfloat_with_epsilon (q.state.red.avg_pkts, 1.25, 1e-15);
  g_assert_cmpuint (queue_len_pkts (&q, 0), ==, 3);
  g_assert_cmpuint (queue_len_pkts (&q, SIM_MS (2)), ==, 1);
  g_assert_null (offer (&q, SIM_MS (10)));
  g_assert_cmpfloat_with_epsilon (q.state.red.avg_pkts, 0.625, 1e-15);
  g_assert_null (offer (&q, SIM_MS (30)));
  g_assert_cmpfloat_with_epsilon (q.state.red.avg_pkts, 0.625 / 32, 1e-15);
  g_assert_cmpint (q.state.red.count, ==, -1);
  queue_clear (&q);
}

/* With w_q = 1 the average is the queue: below min_th nothing drops; at
 * min_th p_b is 0; from max_th on every packet drops ("red"), and the
 * buffer's hard limit still applies behind RED ("queue"). */
static void
test_red_thresholds (void)
{
  SimRng rng;
  Queue q;
  QueueConfig c;

  sim_rng_seed (&rng, 1, "red");
  red_config (&c, 1, 2, 1, 1);
  queue_init (&q, &c, &rng);
  g_assert_null (offer (&q, 0));        /* on the wire */
  g_assert_null (offer (&q, 0));        /* avg 0 */
  g_assert_null (offer (&q, 0));        /* avg 1 = min_th: p_b = 0 */
  g_assert_cmpstr (offer (&q, 0), ==, "red");   /* avg 2 = max_th */
  g_assert_cmpstr (offer (&q, 0), ==, "red");
  g_assert_cmpint (q.state.red.count, ==, 0);
  queue_clear (&q);

  red_config (&c, 50, 60, 0.1, 0.002);
  c.limit_pkts = 2;
  queue_init (&q, &c, &rng);
  for (guint i = 0; i < 3; i++)
    g_assert_null (offer (&q, 0));
  g_assert_cmpstr (offer (&q, 0), ==, "queue");
  queue_clear (&q);
}

/* One uniform number per offered packet, whatever the branch: the stream
 * ends where a fresh copy drawn as many times ends. */
static void
test_red_draws (void)
{
  SimRng rng;
  SimRng check;
  Queue q;
  QueueConfig c;

  sim_rng_seed (&rng, 7, "red");
  sim_rng_seed (&check, 7, "red");
  red_config (&c, 2, 5, 0.2, 0.2);
  queue_init (&q, &c, &rng);
  for (guint i = 0; i < 1000; i++)
    {
      offer (&q, SIM_US (300) * i);
      sim_rng_uniform (&check);
    }
  g_assert_cmpuint (sim_rng_next_u64 (&rng), ==, sim_rng_next_u64 (&check));
  queue_clear (&q);
}

/* 1500-byte packets at 12 Mbit/s (1 ms each) offered every 0.5 ms into
 * CoDel with the RFC's 5 ms target and 100 ms interval.  Packet i starts
 * at i ms, so it waits i / 2 ms: packet 10 is the first at or above
 * target (at T = 10 ms, with 6000 bytes ahead of it, above one MTU), so
 * first_above_time is 110 ms and packet 110 (T = 110 ms) is the first
 * dropped.  Then drop_next = T + interval / sqrt(count), and after k
 * drops packet j leaves at (j - k) ms:
 *   count 1: 110 + 100        = 210 ms          -> packet 211
 *   count 2: 210 + 70.710678  = 280.710678 ms   -> packet 283
 *   count 3: + 57.735026      = 338.445704 ms   -> packet 342
 *   count 4: + 50             = 388.445704 ms   -> packet 393
 *   count 5: + 44.721359      = 433.167063 ms   -> packet 439 */
static void
test_codel_control_law (void)
{
  NetTest *t = net_test_new (1);
  LinkDirParams p = { .rate_bps = 12000000, .queue_kind = QUEUE_CODEL };
  Link *link = net_test_pair (t, &p, NULL, NULL);
  static const guint want[] = { 110, 211, 283, 342, 393, 439 };
  g_autoptr (GPtrArray) drops = NULL;
  g_autoptr (GPtrArray) tx = NULL;
  guint64 first_uid;

  for (guint i = 0; i < 450; i++)
    net_test_link_send_at (t, SIM_US (500) * i, link, LINK_DIR_AB, 1500);
  net_test_run (t, SIM_S (2));
  drops = net_test_select (t, NET_REC_DROP, link, LINK_DIR_AB);
  tx = net_test_select (t, NET_REC_TX, link, LINK_DIR_AB);
  first_uid = ((NetRec *) tx->pdata[0])->uid;
  g_assert_cmpuint (drops->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < drops->len; i++)
    {
      const NetRec *r = drops->pdata[i];

      g_assert_cmpstr (r->reason, ==, "codel");
      g_assert_cmpuint (r->uid - first_uid, ==, want[i]);
      g_assert_cmpint (r->at_ns, ==, SIM_US (500) * want[i]);
    }
  g_assert_cmpuint (link_stats (link, LINK_DIR_AB)->dropped_aqm_pkts, ==,
                    G_N_ELEMENTS (want));
  net_test_free (t);
}

/* Below the target nothing is dropped, however long it runs. */
static void
test_codel_light_load (void)
{
  NetTest *t = net_test_new (1);
  LinkDirParams p = { .rate_bps = 12000000, .queue_kind = QUEUE_CODEL };
  Link *link = net_test_pair (t, &p, NULL, NULL);

  for (guint i = 0; i < 2000; i++)
    net_test_link_send_at (t, SIM_US (1100) * i, link, LINK_DIR_AB, 1500);
  net_test_run (t, SIM_S (5));
  g_assert_cmpuint (net_test_count (t, NET_REC_DROP, NULL), ==, 0);
  net_test_free (t);
}

typedef struct {
  const char *name;
  QueueKind kind;
  const char *reason;
} AqmCase;

static const AqmCase aqm_cases[] = {
  { "red", QUEUE_RED, "red" },
  { "codel", QUEUE_CODEL, "codel" },
};

/* A bulk transfer through a 10 Mbit/s bottleneck whose buffer (200
 * packets, 240 ms) is far larger than the path's window needs: the
 * discipline, not the buffer, makes the losses that pace TCP, so no packet
 * meets a full buffer, and the queue stays well below it. */
static void
test_aqm_tcp (gconstpointer data)
{
  const AqmCase *ac = data;
  NetTest *t = net_test_new (11);
  LinkDirParams p = { .rate_bps = 10000000, .delay_ns = SIM_MS (10),
                      .queue_limit_pkts = 200, .queue_kind = ac->kind };
  LinkDirParams back = { .rate_bps = 10000000, .delay_ns = SIM_MS (10),
                         .queue_limit_pkts = 200 };
  TcpParams tcp;
  Link *link;
  AppBulkConfig cfg = { 0 };
  App *app;
  g_autoptr (GError) error = NULL;
  const LinkDirStats *ls;

  p.red = (QueueRedParams) { .min_th_pkts = 5, .max_th_pkts = 15,
                             .max_p = 0.1, .w_q = 0.002 };
  g_assert_true (tcp_params_apply_profile (&tcp, "linux", &error));
  tcp.snd_buf_bytes = tcp.rcv_buf_bytes = 4 << 20;
  link = net_test_pair (t, &p, &back, &tcp);
  cfg.sender = link_node (link, LINK_DIR_AB);
  cfg.receiver = link_node (link, LINK_DIR_BA);
  cfg.port = 5001;
  cfg.bytes = 5000000;
  app = app_bulk_new (t->net, "bulk", &cfg, &error);
  g_assert_no_error (error);
  net_test_run (t, SIM_S (120));
  ls = link_stats (link, LINK_DIR_AB);
  g_assert_cmpuint (app_stats (app)->bytes_received, ==, cfg.bytes);
  g_assert_cmpuint (app_stats (app)->bytes_corrupt, ==, 0);
  g_assert_cmpuint (ls->dropped_aqm_pkts, >, 0);
  g_assert_cmpuint (net_test_count (t, NET_REC_DROP, ac->reason), ==,
                    ls->dropped_aqm_pkts);
  g_assert_cmpuint (ls->dropped_queue_pkts, ==, 0);
  g_assert_cmpuint (ls->max_queue_pkts, <, 150);
  net_test_free (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/queue/red/average", test_red_average);
  g_test_add_func ("/net/queue/red/thresholds", test_red_thresholds);
  g_test_add_func ("/net/queue/red/draws", test_red_draws);
  g_test_add_func ("/net/queue/codel/control-law", test_codel_control_law);
  g_test_add_func ("/net/queue/codel/light-load", test_codel_light_load);
  for (guint i = 0; i < G_N_ELEMENTS (aqm_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/net/queue/%s/tcp",
                                               aqm_cases[i].name);

      g_test_add_data_func (path, &aqm_cases[i], test_aqm_tcp);
    }
  return g_test_run ();
}
