/* bench_dumbbell.c: the S3 dumbbell benchmark of DESIGN.md, timed.
 *
 *   bench-dumbbell [--pairs N] [--bytes N] [--seed N]
 *
 * N senders and N receivers (100 each); access links 1 Gbit/s, 1 ms,
 * queue 100; bottleneck 1 Gbit/s, 10 ms, queue 1000; each sender sends
 * 10 MB, sender i starting at i ms; TCP as S1 (NewReno, window scaling,
 * 128 KiB buffers, IW 10, delayed ACK, minimum RTO 1 s, MSS 1460).  The
 * run ends when every transfer has finished.  Prints wall time, events,
 * events/s and peak RSS.
 */
#include "bench/bench_common.h"
#include "models/apps/apps.h"
#include "models/host.h"
#include "models/link.h"
#include "models/routing.h"
#include "models/topology.h"

#include <stdio.h>

static gint64 opt_pairs = 100;
static gint64 opt_bytes = 10000000;
static gint64 opt_seed = 1;

static GOptionEntry entries[] = {
  { "pairs", 'n', 0, G_OPTION_ARG_INT64, &opt_pairs,
    "Sender/receiver pairs", "N" },
  { "bytes", 'b', 0, G_OPTION_ARG_INT64, &opt_bytes,
    "Bytes per sender", "N" },
  { "seed", 's', 0, G_OPTION_ARG_INT64, &opt_seed, "Run seed", "N" },
  G_OPTION_ENTRY_NULL
};

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- S3 dumbbell");
  g_autoptr (GError) error = NULL;
  g_autoptr (Topology) topo = NULL;
  g_autoptr (GPtrArray) apps = g_ptr_array_new ();
  SimWorld *world;
  Network *net;
  TcpParams p;
  TopologyConfig tc = { 0 };
  gint64 t0;
  gint64 t1;
  guint64 events;
  guint64 delivered = 0;
  guint64 corrupt = 0;
  SimTime last_done_ns = 0;
  double wall_s;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-dumbbell: %s\n", error->message);
      return 2;
    }
  bench_s1_tcp_params (&p);
  tc.tcp = &p;
  tc.edge.rate_bps = 1000000000;
  tc.edge.delay_ns = SIM_MS (1);
  tc.edge.queue_limit_pkts = 100;
  tc.core.rate_bps = 1000000000;
  tc.core.delay_ns = SIM_MS (10);
  tc.core.queue_limit_pkts = 1000;

  world = sim_world_new ((guint64) opt_seed);
  net = network_new (world);
  topo = topology_dumbbell (net, &tc, (guint) opt_pairs, &error);
  if (topo == NULL || !routing_install (net, ROUTING_METRIC_HOPS, &error))
    {
      fprintf (stderr, "bench-dumbbell: %s\n", error->message);
      sim_world_free (world);
      return 1;
    }
  for (gint64 i = 0; i < opt_pairs; i++)
    {
      AppBulkConfig cfg = { 0 };
      g_autofree char *name = g_strdup_printf ("bulk%" G_GINT64_FORMAT, i);
      App *app;

      cfg.sender = topology_dumbbell_sender (topo, (guint) i);
      cfg.receiver = topology_dumbbell_receiver (topo, (guint) i);
      cfg.port = 5001;
      cfg.bytes = (guint64) opt_bytes;
      cfg.start_ns = SIM_MS (i);
      app = app_bulk_new (net, name, &cfg, &error);
      g_assert_no_error (error);
      g_ptr_array_add (apps, app);
    }

  t0 = g_get_monotonic_time ();
  events = sim_world_run (world, SIM_S (3600));
  t1 = g_get_monotonic_time ();
  wall_s = (double) (t1 - t0) / 1e6;
  for (guint i = 0; i < apps->len; i++)
    {
      const AppStats *st = app_stats (g_ptr_array_index (apps, i));

      delivered += st->bytes_received;
      corrupt += st->bytes_corrupt;
      last_done_ns = MAX (last_done_ns, st->last_done_ns);
    }
  printf ("bench-dumbbell: %" G_GINT64_FORMAT " pairs x %" G_GINT64_FORMAT
          " bytes, seed %" G_GINT64_FORMAT "\n", opt_pairs, opt_bytes,
          opt_seed);
  printf ("  delivered       %" G_GUINT64_FORMAT " bytes (corrupt %"
          G_GUINT64_FORMAT ")\n", delivered, corrupt);
  printf ("  last delivery   %.6f s simulated\n",
          (double) last_done_ns / 1e9);
  printf ("  wall time       %.3f s\n", wall_s);
  printf ("  events          %" G_GUINT64_FORMAT "\n", events);
  printf ("  events/s        %.0f\n", (double) events / wall_s);
  printf ("  peak RSS        %.1f MiB\n", bench_peak_rss_mib ());
  sim_world_free (world);
  return 0;
}
