/* test_gnuplot.c: the gnuplot views of real runs.
 *
 * Each case runs a scenario in-process with every tracer on (as `tcpsim
 * run` does) into a temporary OUTDIR, reads its trace.jsonl back into
 * PlotData, and checks the points: for the tutorial's seed exchange
 * against counts worked out by hand from its ten segments, for the lossy
 * bulk transfer (tests/plots/plots-loss.scn) against what the trace and
 * the endpoints' own counters say.  Then it writes the .dat and .gp
 * files, checks that each .dat block holds as many lines as its series
 * has points, and renders every script with gnuplot, which must print
 * nothing on stderr (a warning fails the test).
 *
 * Last, the determinism check of the tracers: a run with every tracer on
 * and a run with none (the connections' totals are asked for after the
 * run) end at the same time after the same events, with the same tcp.conn
 * records.
 */
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "models/host.h"
#include "models/node.h"
#include "plots/gnuplot.h"
#include "plots/plot_data.h"
#include "plots/tracers.h"
#include "plots/trace_reader.h"
#include "scenarios/scn_build.h"

typedef struct {
  char *dir;                    /* OUTDIR */
  GString *conns;               /* tcp.conn records, one JSON line each */
  guint64 n_events;
  SimTime end_ns;
} RunResult;

static void
run_result_clear (RunResult *r)
{
  if (r->dir != NULL)
    {
      g_autoptr (GDir) d = g_dir_open (r->dir, 0, NULL);
      const char *name;

      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *path = g_build_filename (r->dir, name, NULL);

          g_remove (path);
        }
      g_rmdir (r->dir);
    }
  g_free (r->dir);
  if (r->conns != NULL)
    g_string_free (r->conns, TRUE);
  memset (r, 0, sizeof *r);
}

static void
capture_conns (const SimTraceRecord *rec, void *data)
{
  GString *out = data;

  if (rec->kind != &tcp_trace_conn)
    return;
  sim_trace_record_to_json (rec, out);
  g_string_append_c (out, '\n');
}

static char *
scenario_path (const char *name)
{
  if (strcmp (name, "seed-exchange.scn") == 0)
    return g_test_build_filename (G_TEST_DIST, "..", "..", "scenarios", name,
                                  NULL);
  return g_test_build_filename (G_TEST_DIST, name, NULL);
}

/* Runs @name with every tracer on into a new temporary directory, or,
 * with @traced FALSE, with no subscriber at all until the run is over;
 * the hosts are then asked for their connections' totals again. */
static void
run_scenario (const char *name, gboolean traced, RunResult *r)
{
  g_autofree char *path = scenario_path (name);
  g_autoptr (GError) error = NULL;
  g_autoptr (SimWorld) world = NULL;
  g_autoptr (Tracers) tracers = NULL;
  ScnRun run = { 0 };
  FILE *null_out = NULL;

  memset (r, 0, sizeof *r);
  r->conns = g_string_new (NULL);
  world = scn_load_file (path, NULL, &run, &error);
  g_assert_no_error (error);
  if (traced)
    {
      TracersConfig config;

      r->dir = g_dir_make_tmp ("tcpsim-gnuplot-XXXXXX", &error);
      g_assert_no_error (error);
      null_out = fopen ("/dev/null", "w");
      g_assert_nonnull (null_out);
      tracers_config_init (&config);
      config.outdir = r->dir;
      config.out = null_out;
      /* The plots are drawn below, from the trace, step by step. */
      config.plots = FALSE;
      tracers = tracers_open (run.network, &config, &error);
      g_assert_no_error (error);
      sim_trace_subscribe (network_trace (run.network), capture_conns,
                           r->conns);
    }
  r->n_events = sim_world_run (world, run.end_ns);
  r->end_ns = sim_world_now (world);
  if (traced)
    {
      tracers_close (tracers, &error);
      g_assert_no_error (error);
    }
  else
    {
      GPtrArray *nodes = network_nodes (run.network);

      sim_trace_subscribe (network_trace (run.network), capture_conns,
                           r->conns);
      for (guint i = 0; i < nodes->len; i++)
        {
          TcpStack *stack = host_tcp (nodes->pdata[i]);

          if (stack != NULL)
            tcp_stack_report (stack);
        }
    }
  sim_trace_bus_clear (sim_world_trace (world));
  g_clear_pointer (&tracers, tracers_free);
  g_clear_pointer (&world, sim_world_free);
  if (null_out != NULL)
    fclose (null_out);
}

static PlotData *
load_plots (const RunResult *r)
{
  g_autofree char *path = g_build_filename (r->dir, "trace.jsonl", NULL);
  g_autoptr (GError) error = NULL;
  PlotData *pd = plot_data_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pd);
  return pd;
}

static guint
n_points (const PlotFlow *flow, PlotSeriesId id)
{
  return plot_flow_series (flow, id)->len;
}

/* Counts the data lines of each block of a .dat file.
 * Returns: (transfer full): block name -> (guint *) count. */
static GHashTable *
count_dat_blocks (const char *path)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal,
                                              g_free, g_free);
  guint *count = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_str_has_prefix (line, "# ["))
        {
          const char *end = strchr (line, ']');

          g_assert_nonnull (end);
          count = g_new0 (guint, 1);
          g_hash_table_insert (counts, g_strndup (line + 3, end - line - 3),
                               count);
        }
      else if (line[0] != '\0' && line[0] != '#')
        {
          g_assert_nonnull (count);
          (*count)++;
        }
    }
  return counts;
}

/* Every block of every per-flow .dat file holds one line per point. */
static void
assert_dat_matches (const char *dir, const GPtrArray *scripts,
                    const PlotData *pd)
{
  for (guint i = 0; i < scripts->len; i++)
    {
      const GnuplotScript *s = scripts->pdata[i];
      const PlotFlow *flow;
      g_autofree char *dat = NULL;
      g_autoptr (GHashTable) counts = NULL;

      if (s->view == GNUPLOT_VIEW_QUEUE || g_str_has_prefix (s->stem,
                                                              "tseq-zoom-"))
        continue;
      flow = plot_data_find_flow (pd, s->subject);
      g_assert_nonnull (flow);
      dat = g_strdup_printf ("%s/%s.dat", dir, s->stem);
      counts = count_dat_blocks (dat);
      for (PlotSeriesId id = 0; id < PLOT_N_SERIES; id++)
        {
          const guint *count = g_hash_table_lookup (counts,
                                                    plot_series_name (id));

          if (count != NULL)
            g_assert_cmpuint (*count, ==, n_points (flow, id));
        }
    }
}

static gboolean
have_gnuplot (void)
{
  g_autofree char *program = gnuplot_find_program ();

  if (program == NULL)
    g_test_skip ("gnuplot is not installed");
  return program != NULL;
}

/* Writes and renders every view; gnuplot must not warn. */
static GPtrArray *
write_and_render (const RunResult *r, const PlotData *pd)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *scripts = gnuplot_write_views (pd, r->dir, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (scripts);
  assert_dat_matches (r->dir, scripts, pd);
  if (!have_gnuplot ())
    return scripts;
  gnuplot_render (r->dir, scripts, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < scripts->len; i++)
    {
      const GnuplotScript *s = scripts->pdata[i];
      static const char *const exts[] = { ".png", ".svg" };

      for (guint e = 0; e < G_N_ELEMENTS (exts); e++)
        {
          g_autofree char *path = g_strdup_printf ("%s/%s%s", r->dir,
                                                   s->stem, exts[e]);
          g_autofree char *bytes = NULL;
          gsize len = 0;

          g_file_get_contents (path, &bytes, &len, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (len, >, 1000);
          if (e == 0)
            g_assert_cmpmem (bytes, 8, "\x89PNG\r\n\x1a\n", 8);
          else
            g_assert_nonnull (strstr (bytes, "<svg"));
        }
    }
  return scripts;
}

static const char *
stem_of (const GPtrArray *scripts, GnuplotView view, const char *prefix)
{
  for (guint i = 0; i < scripts->len; i++)
    {
      const GnuplotScript *s = scripts->pdata[i];

      if (s->view == view && g_str_has_prefix (s->stem, prefix))
        return s->stem;
    }
  return NULL;
}

#define CLIENT "172.16.17.94:49152>172.16.17.95:8080"
#define SERVER "172.16.17.95:8080>172.16.17.94:49152"

/* The seed exchange (scenarios/seed-exchange.scn): 159 bytes one way,
 * 111 the other, then the close.  The counts below follow from its ten
 * segments, as its header lists them. */
static void
test_seed (void)
{
  RunResult r;
  g_autoptr (PlotData) pd = NULL;
  g_autoptr (GPtrArray) scripts = NULL;
  const PlotFlow *c;
  const PlotFlow *s;

  run_scenario ("seed-exchange.scn", TRUE, &r);
  pd = load_plots (&r);
  g_assert_cmpuint (plot_data_n_flows (pd), ==, 2);
  c = plot_data_find_flow (pd, CLIENT);
  s = plot_data_find_flow (pd, SERVER);
  g_assert_nonnull (c);
  g_assert_nonnull (s);
  g_assert_cmpstr (c->src_node, ==, "client");
  g_assert_cmpstr (c->dst_node, ==, "server");
  g_assert_cmpuint (c->data_bytes, ==, 159);
  g_assert_cmpuint (s->data_bytes, ==, 111);

  /* One data segment each way (4 and 5), nothing lost or resent. */
  g_assert_cmpuint (n_points (c, PLOT_SERIES_SEG), ==, 1);
  g_assert_cmpint (g_array_index (plot_flow_series (c, PLOT_SERIES_SEG),
                                  PlotPoint, 0).v[0], ==, 1);
  g_assert_cmpint (g_array_index (plot_flow_series (c, PLOT_SERIES_SEG),
                                  PlotPoint, 0).v[1], ==, 160);
  g_assert_cmpuint (n_points (s, PLOT_SERIES_SEG), ==, 1);
  for (PlotSeriesId id = PLOT_SERIES_REXMIT_RTO; id <= PLOT_SERIES_REXMIT;
       id++)
    g_assert_cmpuint (n_points (c, id) + n_points (s, id), ==, 0);
  g_assert_cmpuint (n_points (c, PLOT_SERIES_DROP), ==, 0);
  g_assert_cmpuint (n_points (c, PLOT_SERIES_SACK), ==, 0);
  g_assert_cmpuint (n_points (c, PLOT_SERIES_DUPACK), ==, 0);

  /* The client's ACK line moves on segments 2 (ack 1), 5 (ack 160) and 8
   * (ack 161); segment 9 (ack 161 again) moves nothing but carries the
   * line to its arrival: four points.  The window edge (ack + 65535)
   * moves at the same three and is carried the same way. */
  g_assert_cmpuint (n_points (c, PLOT_SERIES_ACK), ==, 4);
  g_assert_cmpuint (n_points (c, PLOT_SERIES_WIN), ==, 4);
  g_assert_cmpint (g_array_index (plot_flow_series (c, PLOT_SERIES_WIN),
                                  PlotPoint, 1).v[0], ==, 160 + 65535);
  /* The server's moves on 3 (ack 1), 6 (ack 112) and 10 (ack 113), the
   * last ACK it gets: three points. */
  g_assert_cmpuint (n_points (s, PLOT_SERIES_ACK), ==, 3);
  g_assert_cmpuint (n_points (s, PLOT_SERIES_WIN), ==, 3);

  /* The client measures the RTT on 2, 5 and 8: three samples and three
   * SRTT values; its RTO stays 1 s (RFC 6298 2.4), drawn to its last
   * change of variables.  Its cwnd stays 4380: 159 bytes in flight never
   * filled the window, so no ACK may grow it (RFC 7661); cwnd, rwnd and
   * flight never change (two points: first and carried). */
  g_assert_cmpuint (n_points (c, PLOT_SERIES_RTT_SAMPLE), ==, 3);
  g_assert_cmpuint (n_points (c, PLOT_SERIES_SRTT), ==, 3);
  g_assert_cmpuint (n_points (c, PLOT_SERIES_RTO), ==, 2);
  g_assert_cmpuint (n_points (c, PLOT_SERIES_CWND), ==, 2);
  g_assert_cmpuint (n_points (c, PLOT_SERIES_RWND), ==, 2);
  g_assert_cmpuint (n_points (c, PLOT_SERIES_FLIGHT), ==, 2);
  /* No loss: ssthresh stays "arbitrarily high" and is not drawn. */
  g_assert_cmpuint (n_points (c, PLOT_SERIES_SSTHRESH), ==, 0);

  /* One segment arrives: one goodput bin, holding all 159 bytes. */
  g_assert_cmpuint (n_points (c, PLOT_SERIES_GOODPUT), ==, 1);
  g_assert_cmpuint (n_points (c, PLOT_SERIES_THROUGHPUT), ==, 1);

  scripts = write_and_render (&r, pd);
  /* Per flow: tseq, cwnd, rtt, goodput (no loss: no zoom); one link. */
  g_assert_cmpuint (scripts->len, ==, 9);
  g_assert_nonnull (stem_of (scripts, GNUPLOT_VIEW_TSEQ,
                             "tseq-client.49152-server.8080"));
  g_assert_nonnull (stem_of (scripts, GNUPLOT_VIEW_QUEUE, "queue-cable"));
  run_result_clear (&r);
}

/* Counts from the trace itself and from the endpoints' counters. */
typedef struct {
  guint64 data_sent;            /* sender's data segments (first hop) */
  guint64 data_lost;            /* data segments in link.drop */
  guint64 queue_drops;          /* sender>receiver drop-tail refusals */
  guint64 rtt_samples;
  TcpConnStats sender;
  TcpConnStats receiver;
} TraceCounts;

static void
count_record (const TraceRecord *rec, void *data)
{
  TraceCounts *c = data;
  const TracePacket *p = &rec->packet;

  switch (rec->kind)
    {
    case TRACE_KIND_LINK_TX:
      if (p->seg.len_bytes > 0 && strcmp (p->dir, "sender>receiver") == 0)
        c->data_sent++;
      break;
    case TRACE_KIND_LINK_DROP:
      if (p->seg.len_bytes > 0)
        c->data_lost++;
      if (strcmp (p->reason, "queue") == 0)
        {
          c->queue_drops++;
          /* A refusal has no link.tx: it is a send all the same. */
          if (p->seg.len_bytes > 0)
            c->data_sent++;
        }
      break;
    case TRACE_KIND_TCP_VARS:
      if (strcmp (rec->vars.host, "sender") == 0
          && rec->vars.rtt_sample_ns >= 0)
        c->rtt_samples++;
      break;
    case TRACE_KIND_TCP_CONN:
      if (strcmp (rec->conn.host, "sender") == 0)
        c->sender = rec->conn;
      else
        c->receiver = rec->conn;
      break;
    default:
      break;
    }
}

static void
test_loss (void)
{
  RunResult r;
  g_autoptr (PlotData) pd = NULL;
  g_autoptr (GPtrArray) scripts = NULL;
  g_autoptr (TraceReader) reader = trace_reader_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *trace = NULL;
  TraceCounts counts = { 0 };
  const PlotFlow *f;
  const PlotLinkDir *d;
  const GArray *goodput;
  guint64 delivered_bits = 0;

  run_scenario ("plots-loss.scn", TRUE, &r);
  pd = load_plots (&r);
  trace = g_build_filename (r.dir, "trace.jsonl", NULL);
  trace_reader_add_sink (reader, count_record, &counts);
  trace_reader_read_file (reader, trace, &error);
  g_assert_no_error (error);

  f = plot_data_find_flow (pd, "10.0.0.1:49152>10.0.0.2:5001");
  g_assert_nonnull (f);
  /* Every data segment the sender sent is a bar, and the bars that are
   * retransmissions are the ones its counters call so; the scenario
   * makes at least one of them answer a timeout. */
  g_assert_cmpuint (n_points (f, PLOT_SERIES_SEG)
                    + n_points (f, PLOT_SERIES_REXMIT_RTO)
                    + n_points (f, PLOT_SERIES_REXMIT), ==, counts.data_sent);
  g_assert_cmpuint (n_points (f, PLOT_SERIES_REXMIT_RTO)
                    + n_points (f, PLOT_SERIES_REXMIT), ==,
                    counts.sender.retransmits);
  g_assert_cmpuint (counts.sender.timeouts, >=, 1);
  g_assert_cmpuint (n_points (f, PLOT_SERIES_REXMIT_RTO), >=, 1);
  g_assert_cmpuint (n_points (f, PLOT_SERIES_REXMIT), >=, 1);
  /* Every lost data segment is crossed; the two scripted losses and the
   * queue's at least. */
  g_assert_cmpuint (n_points (f, PLOT_SERIES_DROP), ==, counts.data_lost);
  g_assert_cmpuint (counts.data_lost, >=, 3);
  g_assert_cmpuint (n_points (f, PLOT_SERIES_DUPACK), ==,
                    counts.sender.dup_acks_received);
  g_assert_cmpuint (n_points (f, PLOT_SERIES_SACK), >, 0);
  g_assert_cmpuint (n_points (f, PLOT_SERIES_RTT_SAMPLE), ==,
                    counts.rtt_samples);
  g_assert_cmpuint (n_points (f, PLOT_SERIES_SSTHRESH), >, 0);
  /* The ACK line ends at the last byte and the FIN. */
  g_assert_cmpint (g_array_index (plot_flow_series (f, PLOT_SERIES_ACK),
                                  PlotPoint,
                                  n_points (f, PLOT_SERIES_ACK) - 1).v[0],
                   ==, 400000 + 2);

  /* Goodput adds up to the bytes delivered (each bin rounds down by less
   * than a bit per second, that is less than a byte per bin here). */
  goodput = plot_flow_series (f, PLOT_SERIES_GOODPUT);
  g_assert_cmpuint (goodput->len, >, 10);
  for (guint i = 0; i < goodput->len; i++)
    {
      const PlotPoint *p = &g_array_index (goodput, PlotPoint, i);

      g_assert_cmpint (p->v[0] - p->t_ns, ==, f->bin_ns);
      delivered_bits += (guint64) p->v[1] * (guint64) f->bin_ns / SIM_S (1);
    }
  g_assert_cmpuint (delivered_bits / 8, <=, counts.receiver.bytes_received);
  g_assert_cmpuint (delivered_bits / 8 + goodput->len, >=,
                    counts.receiver.bytes_received);

  /* The queue refused packets, and each refusal is marked. */
  g_assert_cmpuint (plot_data_n_link_dirs (pd), ==, 2);
  d = plot_data_link_dir (pd, 0);
  g_assert_cmpstr (d->dir, ==, "sender>receiver");
  g_assert_cmpuint (d->drops->len, ==, counts.queue_drops);
  g_assert_cmpuint (counts.queue_drops, >, 0);

  scripts = write_and_render (&r, pd);
  /* tseq, its zoom around the first loss, cwnd, rtt, goodput; the
   * receiver sent no data; one link. */
  g_assert_cmpuint (scripts->len, ==, 6);
  g_assert_nonnull (stem_of (scripts, GNUPLOT_VIEW_TSEQ,
                             "tseq-zoom-sender.49152-receiver.5001"));

  /* The dumb terminal draws the same graph in characters. */
  if (have_gnuplot ())
    {
      GnuplotScript tseq = {
        GNUPLOT_VIEW_TSEQ,
        (char *) stem_of (scripts, GNUPLOT_VIEW_TSEQ, "tseq-sender"),
        NULL, NULL,
      };
      g_autofree char *text = gnuplot_render_dumb (r.dir, &tseq, 100, 30,
                                                   &error);

      g_assert_no_error (error);
      g_assert_nonnull (strstr (text, "time-sequence graph"));
      g_assert_nonnull (strstr (text, "time (s)"));
    }
  run_result_clear (&r);
}

/* An overlay of the cwnd of two runs, as tcpsim compare draws one. */
static void
test_overlay (void)
{
  RunResult r;
  g_autoptr (PlotData) pd = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GnuplotScript) script = NULL;
  g_autoptr (GPtrArray) scripts = NULL;
  g_autofree char *dat = NULL;
  const PlotFlow *f;
  const GnuplotOverlayLine lines[] = {
    { "run A", "a.dat", "cwnd", "1:2" },
    { "run B, half", "a.dat", "cwnd", "1:($2/2)" },
  };
  const GnuplotOverlaySpec spec = {
    "cwnd of two runs", "time (s)", "bytes", "steps",
  };

  run_scenario ("plots-loss.scn", TRUE, &r);
  pd = load_plots (&r);
  f = plot_data_flow (pd, 0);
  dat = g_build_filename (r.dir, "a.dat", NULL);
  gnuplot_write_flow_dat (f, GNUPLOT_VIEW_CWND, dat, &error);
  g_assert_no_error (error);
  script = gnuplot_write_overlay (r.dir, "overlay-cwnd", &spec, lines,
                                  G_N_ELEMENTS (lines), &error);
  g_assert_no_error (error);
  g_assert_nonnull (script);
  if (have_gnuplot ())
    {
      scripts = g_ptr_array_new ();
      g_ptr_array_add (scripts, script);
      gnuplot_render (r.dir, scripts, &error);
      g_assert_no_error (error);
    }
  run_result_clear (&r);
}

/* DESIGN.md: "Tracers never change the simulation: a run with every
 * tracer on and a run with none give the same events." */
static void
test_determinism (gconstpointer data)
{
  const char *name = data;
  RunResult traced;
  RunResult bare;

  run_scenario (name, TRUE, &traced);
  run_scenario (name, FALSE, &bare);
  g_assert_cmpuint (traced.n_events, ==, bare.n_events);
  g_assert_cmpint (traced.end_ns, ==, bare.end_ns);
  g_assert_cmpuint (traced.conns->len, >, 0);
  g_assert_cmpstr (traced.conns->str, ==, bare.conns->str);
  run_result_clear (&traced);
  run_result_clear (&bare);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plots/gnuplot/seed-exchange", test_seed);
  g_test_add_func ("/plots/gnuplot/loss", test_loss);
  g_test_add_func ("/plots/gnuplot/overlay", test_overlay);
  g_test_add_data_func ("/plots/determinism/seed-exchange",
                        "seed-exchange.scn", test_determinism);
  g_test_add_data_func ("/plots/determinism/loss", "plots-loss.scn",
                        test_determinism);
  return g_test_run ();
}
