/* bench_short.c: the S4 short-flow benchmark of DESIGN.md, timed.
 *
 *   bench-short [--connections N] [--interval-us N] [--seed N]
 *
 * S2's link (100 Mbit/s, 10 ms one way, drop-tail 100 packets, no loss);
 * a new connection every 1 ms; the client sends 159 B, the server answers
 * 111 B and closes; the run stops when the last response arrives.  Prints
 * wall time, events, events/s, connections/s and peak RSS, and the bytes
 * of memory per connection (peak RSS growth over the no-connection
 * baseline divided by the connections alive at once).
 */
#include "bench/bench_common.h"
#include "models/apps/apps.h"
#include "models/host.h"
#include "models/link.h"

#include <stdio.h>

static gint64 opt_connections = 10000;
static gint64 opt_interval_us = 1000;
static gint64 opt_seed = 1;

static GOptionEntry entries[] = {
  { "connections", 'n', 0, G_OPTION_ARG_INT64, &opt_connections,
    "Connections to open", "N" },
  { "interval-us", 'i', 0, G_OPTION_ARG_INT64, &opt_interval_us,
    "Microseconds between connections", "N" },
  { "seed", 's', 0, G_OPTION_ARG_INT64, &opt_seed, "Run seed", "N" },
  G_OPTION_ENTRY_NULL
};

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx =
    g_option_context_new ("- S4 short-flow bench");
  g_autoptr (GError) error = NULL;
  SimWorld *world;
  Network *net;
  Node *a;
  Node *b;
  TcpParams p;
  LinkDirParams dir = { .rate_bps = 100000000, .delay_ns = SIM_MS (10),
                        .queue_limit_pkts = 100 };
  AppReqRespConfig cfg = { 0 };
  App *app;
  gint64 t0;
  gint64 t1;
  guint64 events;
  double rss_before_mib;
  double rss_after_mib;
  double wall_s;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-short: %s\n", error->message);
      return 2;
    }
  bench_s1_tcp_params (&p);

  world = sim_world_new ((guint64) opt_seed);
  net = network_new (world);
  a = host_new (net, "client", 0x0a000001, &p);
  b = host_new (net, "server", 0x0a000002, &p);
  link_new (net, "ab", a, b, &dir, &dir);
  cfg.client = a;
  cfg.server = b;
  cfg.port = 80;
  cfg.request_bytes = 159;
  cfg.response_bytes = 111;
  cfg.closer = APP_CLOSER_SERVER;
  cfg.count = (guint64) opt_connections;
  cfg.interval_ns = SIM_US (opt_interval_us);
  cfg.stop_when_done = TRUE;
  app = app_reqresp_new (net, "rr", &cfg, &error);
  g_assert_no_error (error);

  rss_before_mib = bench_peak_rss_mib ();
  t0 = g_get_monotonic_time ();
  events = sim_world_run (world, SIM_TIME_NEVER);
  t1 = g_get_monotonic_time ();
  rss_after_mib = bench_peak_rss_mib ();
  wall_s = (double) (t1 - t0) / 1e6;
  printf ("bench-short: %" G_GINT64_FORMAT " connections, one every %"
          G_GINT64_FORMAT " us, seed %" G_GINT64_FORMAT "\n",
          opt_connections, opt_interval_us, opt_seed);
  printf ("  completed       %" G_GUINT64_FORMAT " (corrupt bytes %"
          G_GUINT64_FORMAT ")\n", app_stats (app)->connections_completed,
          app_stats (app)->bytes_corrupt);
  printf ("  simulated time  %.6f s\n",
          (double) sim_world_now (world) / 1e9);
  printf ("  wall time       %.3f s\n", wall_s);
  printf ("  events          %" G_GUINT64_FORMAT "\n", events);
  printf ("  events/s        %.0f\n", (double) events / wall_s);
  printf ("  connections/s   %.0f\n", (double) opt_connections / wall_s);
  printf ("  peak RSS        %.1f MiB\n", rss_after_mib);
  printf ("  RSS growth      %.0f bytes per connection opened\n",
          (rss_after_mib - rss_before_mib) * 1024.0 * 1024.0
          / (double) opt_connections);
  sim_world_free (world);
  return 0;
}
