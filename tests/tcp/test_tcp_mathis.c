/* test_tcp_mathis.c: Reno's throughput under random loss follows Mathis,
 * Semke, Mahdavi and Ott (1997): rate = MSS / RTT * C / sqrt (p), with
 * C = sqrt (3/2) ~ 1.22 for an ACK per segment.
 *
 * The formula models congestion avoidance only (no slow start, no
 * timeouts) with periodic losses, so a simulation with random losses sits
 * in a band around it rather than on it: below at higher p, where
 * timeouts appear, and a little above at lower p, where fast recovery
 * keeps more data in flight than the model's sawtooth.  The band checked
 * here is [0.6, 1.5] times the formula. */
#include "tests/tcp/net_harness.h"

#include <math.h>

#define MSS 1460u
#define RTT_NS SIM_MS (100)

typedef struct {
  double p;
  guint64 bytes;
} MathisCase;

static const MathisCase cases[] = {
  { 0.001, 60 * 1000 * 1000 },
  { 0.003, 30 * 1000 * 1000 },
  { 0.01, 10 * 1000 * 1000 },
  { 0.02, 5 * 1000 * 1000 },
};

static void
test_mathis (gconstpointer data)
{
  const MathisCase *mc = data;
  LinkDirParams data_dir = { .rate_bps = G_GUINT64_CONSTANT (10000000000),
                             .delay_ns = RTT_NS / 2,
                             .queue_limit_pkts = 100000,
                             .loss_prob = mc->p };
  LinkDirParams ack_dir = data_dir;
  TcpParams p;
  NetHarness *h;
  AppBulkConfig cfg = { 0 };
  App *app;
  g_autoptr (GError) error = NULL;
  const AppStats *st;
  double seconds;
  double measured_bps;
  double model_bps;
  double ratio;

  ack_dir.loss_prob = 0;
  tcp_params_init (&p);
  p.cc = 1;                     /* reno */
  p.delack_ns = 0;              /* one ACK per segment: C = sqrt (3/2) */
  p.wscale = TRUE;
  p.snd_buf_bytes = 64u << 20;
  p.rcv_buf_bytes = 64u << 20;
  p.max_retries = 100;
  h = net_harness_new (&data_dir, &p, 1);
  link_set_params (h->link, LINK_DIR_BA, &ack_dir);
  cfg.sender = h->client;
  cfg.receiver = h->server;
  cfg.port = 5001;
  cfg.bytes = mc->bytes;
  cfg.stop_when_done = TRUE;
  app = app_bulk_new (h->net, "bulk", &cfg, &error);
  g_assert_no_error (error);
  net_harness_run (h, SIM_S (3600));
  st = app_stats (app);
  g_assert_cmpuint (st->bytes_received, ==, mc->bytes);
  seconds = (double) (st->last_done_ns - st->first_start_ns) / 1e9;
  measured_bps = (double) mc->bytes * 8 / seconds;
  model_bps = MSS * 8.0 / ((double) RTT_NS / 1e9) * sqrt (1.5)
              / sqrt (mc->p);
  ratio = measured_bps / model_bps;
  g_test_message ("p=%g: measured %.3g bit/s, model %.3g bit/s, ratio %.2f",
                  mc->p, measured_bps, model_bps, ratio);
  g_assert_cmpfloat (ratio, >, 0.6);
  g_assert_cmpfloat (ratio, <, 1.5);
  net_harness_free (h);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/tcp/mathis/reno/p-%g",
                                               cases[i].p);

      g_test_add_data_func (path, &cases[i], test_mathis);
    }
  return g_test_run ();
}
