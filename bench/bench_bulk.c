/* bench_bulk.c: the S1/S2 bulk transfers of DESIGN.md, timed.
 *
 *   bench-bulk [--bytes N] [--loss P] [--seed N] [--cc NAME] [--sack]
 *              [--timestamps]
 *
 * Two hosts on 100 Mbit/s, 10 ms one way, drop-tail 100 packets; NewReno,
 * window scaling, 128 KiB buffers, IW 10, delayed ACK every 2 segments or
 * 200 ms, minimum RTO 1 s, MSS 1460; loss on the data direction only;
 * stops when the last byte is delivered.  Prints wall time, events,
 * events/s, simulated segments/s and peak RSS.
 */
#include "bench/bench_common.h"
#include "models/apps/apps.h"
#include "models/host.h"
#include "models/link.h"

#include <stdio.h>
#include <stdlib.h>

static guint64 opt_bytes = 100000000;
static double opt_loss = 0.01;
static guint64 opt_seed = 1;
static char *opt_cc = NULL;
static gboolean opt_sack = FALSE;
static gboolean opt_timestamps = FALSE;

static GOptionEntry entries[] = {
  { "cc", 0, 0, G_OPTION_ARG_STRING, &opt_cc,
    "Congestion control: newreno (default), reno, cubic", "NAME" },
  { "sack", 0, 0, G_OPTION_ARG_NONE, &opt_sack, "Negotiate SACK", NULL },
  { "timestamps", 0, 0, G_OPTION_ARG_NONE, &opt_timestamps,
    "Negotiate timestamps", NULL },
  { "bytes", 'b', 0, G_OPTION_ARG_INT64, &opt_bytes, "Bytes to send", "N" },
  { "loss", 'l', 0, G_OPTION_ARG_DOUBLE, &opt_loss,
    "Loss probability on the data direction", "P" },
  { "seed", 's', 0, G_OPTION_ARG_INT64, &opt_seed, "Run seed", "N" },
  G_OPTION_ENTRY_NULL
};

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- S1/S2 bulk bench");
  g_autoptr (GError) error = NULL;
  SimWorld *world;
  Network *net;
  Node *a;
  Node *b;
  Link *link;
  TcpParams p;
  LinkDirParams data_dir = { .rate_bps = 100000000,
                             .delay_ns = SIM_MS (10),
                             .queue_limit_pkts = 100 };
  LinkDirParams ack_dir = data_dir;
  AppBulkConfig cfg = { 0 };
  App *app;
  gint64 t0;
  gint64 t1;
  guint64 events;
  const LinkDirStats *ls;
  double wall_s;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-bulk: %s\n", error->message);
      return 2;
    }
  data_dir.loss_prob = opt_loss;
  bench_s1_tcp_params (&p);
  p.sack = opt_sack;
  p.timestamps = opt_timestamps;
  if (opt_cc != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; tcp_cc_names[i] != NULL; i++)
        if (g_strcmp0 (tcp_cc_names[i], opt_cc) == 0)
          {
            p.cc = i;
            found = TRUE;
          }
      if (!found)
        {
          fprintf (stderr, "bench-bulk: unknown congestion control '%s'\n",
                   opt_cc);
          return 2;
        }
    }

  world = sim_world_new (opt_seed);
  net = network_new (world);
  a = host_new (net, "a", 0x0a000001, &p);
  b = host_new (net, "b", 0x0a000002, &p);
  link = link_new (net, "ab", a, b, &data_dir, &ack_dir);
  cfg.sender = a;
  cfg.receiver = b;
  cfg.port = 5001;
  cfg.bytes = opt_bytes;
  cfg.stop_when_done = TRUE;
  app = app_bulk_new (net, "bulk", &cfg, &error);
  g_assert_no_error (error);

  t0 = g_get_monotonic_time ();
  events = sim_world_run (world, SIM_TIME_NEVER);
  t1 = g_get_monotonic_time ();
  wall_s = (double) (t1 - t0) / 1e6;
  ls = link_stats (link, LINK_DIR_AB);
  printf ("bench-bulk: %" G_GUINT64_FORMAT " bytes, loss %g, seed %"
          G_GUINT64_FORMAT ", %s%s%s\n", opt_bytes, opt_loss, opt_seed,
          tcp_cc_names[p.cc], opt_sack ? ", sack" : "",
          opt_timestamps ? ", timestamps" : "");
  printf ("  delivered       %" G_GUINT64_FORMAT " bytes (corrupt %"
          G_GUINT64_FORMAT ")\n", app_stats (app)->bytes_received,
          app_stats (app)->bytes_corrupt);
  printf ("  simulated time  %.6f s\n",
          (double) sim_world_now (world) / 1e9);
  printf ("  wall time       %.3f s\n", wall_s);
  printf ("  events          %" G_GUINT64_FORMAT "\n", events);
  printf ("  events/s        %.0f\n", (double) events / wall_s);
  printf ("  data segments   %" G_GUINT64_FORMAT " (%.0f/s), dropped %"
          G_GUINT64_FORMAT "\n", ls->sent_pkts,
          (double) ls->sent_pkts / wall_s,
          ls->dropped_loss_pkts + ls->dropped_queue_pkts);
  printf ("  peak RSS        %.1f MiB\n", bench_peak_rss_mib ());
  sim_world_free (world);
  g_free (opt_cc);
  return 0;
}
