/* test_tcp_property.c: whatever the network does, every connection either
 * delivers exactly the bytes sent, in order, and closes, or ends in a
 * reported abort; never a crash, a hang or corrupted data.
 *
 * Each seed draws a network (loss 0-30% in each direction, reordering up
 * to 10%, duplication and corruption up to 5%, a delay, a rate), a profile
 * and a congestion control from its own stream, then runs a bulk transfer
 * to the end of its events (bounded in simulated time).
 * The number of seeds is TCPSIM_PROPERTY_SEEDS (default 1000). */
#include "tests/tcp/net_harness.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  double loss_ab;
  double loss_ba;
  double reorder_prob;
  SimTime reorder_delay_ns;
  double dup_prob;
  double corrupt_prob;
  SimTime delay_ns;
  guint64 rate_bps;
  const char *profile;
  guint64 cc;
  guint64 bytes;
} Draw;

static void
draw_case (guint64 seed, Draw *d)
{
  SimRng rng;

  sim_rng_seed (&rng, seed, "test/property");
  d->loss_ab = sim_rng_uniform (&rng) * 0.30;
  d->loss_ba = sim_rng_uniform (&rng) * 0.30;
  d->delay_ns = SIM_US (100 + sim_rng_below (&rng, 50000));
  d->rate_bps = 1000000 * (1 + sim_rng_below (&rng, 100));
  d->profile = sim_rng_below (&rng, 2) ? "linux" : "rfc";
  d->cc = sim_rng_below (&rng, 3);
  d->bytes = 1 + sim_rng_below (&rng, 60000);
  d->reorder_prob = sim_rng_uniform (&rng) * 0.10;
  d->reorder_delay_ns = SIM_US (sim_rng_below (&rng, 20000));
  d->dup_prob = sim_rng_uniform (&rng) * 0.05;
  /* One bit per corruption: a single flipped bit always fails the
   * Internet checksum, so nothing corrupt can be delivered. */
  d->corrupt_prob = sim_rng_uniform (&rng) * 0.05;
}

static void
run_one (guint64 seed, guint *n_complete, guint *n_aborted)
{
  Draw d;
  LinkDirParams ab = { 0 };
  LinkDirParams ba = { 0 };
  TcpParams p;
  NetHarness *h;
  AppBulkConfig cfg = { 0 };
  App *app;
  g_autoptr (GError) error = NULL;
  const AppStats *st;
  TcpConnStats *sender = NULL;
  TcpConnStats *receiver = NULL;

  draw_case (seed, &d);
  ab.rate_bps = ba.rate_bps = d.rate_bps;
  ab.delay_ns = ba.delay_ns = d.delay_ns;
  ab.queue_limit_pkts = ba.queue_limit_pkts = 50;
  ab.loss_prob = d.loss_ab;
  ba.loss_prob = d.loss_ba;
  ab.reorder_prob = ba.reorder_prob = d.reorder_prob;
  ab.reorder_delay_ns = ba.reorder_delay_ns = d.reorder_delay_ns;
  ab.dup_prob = ba.dup_prob = d.dup_prob;
  ab.corrupt_prob = ba.corrupt_prob = d.corrupt_prob;
  ab.corrupt_bits = ba.corrupt_bits = 1;
  g_assert_true (tcp_params_apply_profile (&p, d.profile, NULL));
  p.cc = d.cc;
  h = net_harness_new (&ab, &p, seed);
  link_set_params (h->link, LINK_DIR_BA, &ba);
  cfg.sender = h->client;
  cfg.receiver = h->server;
  cfg.port = 5001;
  cfg.bytes = d.bytes;
  app = app_bulk_new (h->net, "bulk", &cfg, &error);
  g_assert_no_error (error);
  /* Every timer is bounded (retries, 2 MSL), so the run ends by itself;
   * the limit only guards against a hang. */
  net_harness_run (h, SIM_S (24 * 3600));
  g_assert_cmpint (sim_world_now (h->world), <, SIM_S (24 * 3600));

  st = app_stats (app);
  for (guint i = 0; i < h->conn_stats->len; i++)
    {
      TcpConnStats *s = g_ptr_array_index (h->conn_stats, i);

      if (s->active_open)
        sender = s;
      else
        receiver = s;
    }
  /* Never a wrong byte, never more than was sent. */
  g_assert_cmpuint (st->bytes_corrupt, ==, 0);
  g_assert_cmpuint (st->bytes_received, <=, d.bytes);
  g_assert_nonnull (sender);
  g_assert_true (sender->closed);
  if (sender->bytes_acked == d.bytes)
    {
      /* Everything was acknowledged, so the peer had every byte.  The
       * connection then closed normally, or its TIME_WAIT was cut short
       * by a RST answering a duplicated final ACK (RFC 9293 accepts it;
       * RFC 1337 would not). */
      g_assert_cmpuint (st->bytes_received, ==, d.bytes);
      g_assert_nonnull (receiver);
      g_assert_true (sender->close_reason == TCP_CLOSE_NORMAL
                     || sender->close_reason == TCP_CLOSE_RESET);
      (*n_complete)++;
    }
  else
    {
      g_assert_cmpint (sender->close_reason, ==, TCP_CLOSE_TIMEOUT);
      (*n_aborted)++;
    }
  if (receiver != NULL && receiver->closed
      && receiver->close_reason == TCP_CLOSE_NORMAL)
    g_assert_cmpuint (st->bytes_received, ==, d.bytes);
  net_harness_free (h);
}

static void
test_property (void)
{
  const char *env = g_getenv ("TCPSIM_PROPERTY_SEEDS");
  guint64 n_seeds = env ? g_ascii_strtoull (env, NULL, 10) : 1000;
  guint n_complete = 0;
  guint n_aborted = 0;

  for (guint64 seed = 1; seed <= n_seeds; seed++)
    run_one (seed, &n_complete, &n_aborted);
  g_test_message ("%u complete, %u aborted", n_complete, n_aborted);
  g_assert_cmpuint (n_complete + n_aborted, ==, n_seeds);
  /* With at most 30% loss most transfers finish. */
  g_assert_cmpuint (n_complete, >, n_seeds / 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tcp/property/lossy-network", test_property);
  return g_test_run ();
}
