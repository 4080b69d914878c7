/* test_scn_gallery.c: every lesson of the gallery runs and shows what it
 * says it shows.
 *
 * Each scenarios/NAME.scn file is loaded, run to its end and recorded off
 * the trace bus (scn_recorder.c); its check then asserts the outcome its
 * comments teach: the exact segments (flags, relative or absolute
 * sequence and acknowledgement numbers, lengths, what was lost) where
 * the lesson is an exchange, the states reached, the bytes delivered and
 * the counters (retransmissions, timeouts) where it is a transfer.  A
 * file in scenarios/ without a check fails /scenario/gallery/complete,
 * so no lesson goes untested.  Paths: /scenario/gallery/run/<name>.
 */
#include <string.h>

#include "scenarios/scn_units.h"
#include "tests/scenario/scn_recorder.h"

#define A TCP_ACK
#define S TCP_SYN
#define F TCP_FIN
#define P TCP_PSH
#define R TCP_RST

typedef struct {
  guint index;                  /* 1-based, as the lessons number them */
  const char *dir;
  guint8 flags;
  guint32 seq;
  guint32 ack;
  guint32 len_bytes;
  gboolean lost;
} Want;

static char *
gallery_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".scn", NULL);

  return g_test_build_filename (G_TEST_DIST, "..", "..", "scenarios", file,
                                NULL);
}

static ScnRecorder *
run_sets (const char *name, const char *const *sets)
{
  g_autofree char *path = gallery_path (name);

  return scn_recorder_run (path, sets);
}

static ScnRecorder *
run (const char *name)
{
  return run_sets (name, NULL);
}

static const ScnRecSeg *
seg (const ScnRecorder *r, guint index)
{
  g_assert_cmpuint (index, >=, 1);
  g_assert_cmpuint (index, <=, r->segs->len);
  return &g_array_index (r->segs, ScnRecSeg, index - 1);
}

/* Checks the listed segments; @absolute: seq and ack as on the wire. */
static void
expect_segs (const ScnRecorder *r, const Want *want, guint n,
             gboolean absolute)
{
  for (guint i = 0; i < n; i++)
    {
      const Want *w = &want[i];
      const ScnRecSeg *s;

      if (w->index > r->segs->len)
        {
          g_autofree char *got = scn_recorder_describe (r);

          g_error ("segment %u missing; got:\n%s", w->index, got);
        }
      s = seg (r, w->index);
      if (strcmp (s->dir, w->dir) != 0 || s->flags != w->flags
          || (absolute ? s->abs_seq : s->seq) != w->seq
          || ((w->flags & A) && (absolute ? s->abs_ack : s->ack) != w->ack)
          || s->len_bytes != w->len_bytes || (s->lost != NULL) != w->lost)
        {
          g_autofree char *got = scn_recorder_describe (r);

          g_error ("segment %u is not %s flags=0x%02x seq=%u ack=%u len=%u%s;"
                   " got:\n%s", w->index, w->dir, w->flags, w->seq, w->ack,
                   w->len_bytes, w->lost ? " LOST" : "", got);
        }
    }
}

static void
expect_n_segs (const ScnRecorder *r, guint n)
{
  if (r->segs->len != n)
    {
      g_autofree char *got = scn_recorder_describe (r);

      g_error ("expected %u segments, got %u:\n%s", n, r->segs->len, got);
    }
}

static void
expect_path (const ScnRecorder *r, const char *host, const char *path)
{
  g_autofree char *got = scn_recorder_state_path (r, host);

  g_assert_cmpstr (got, ==, path);
}

static SimTime
seg_time (const ScnRecorder *r, guint index)
{
  return seg (r, index)->at_ns;
}

/* Counters summed over the connections of @host. */
typedef struct {
  guint64 bytes_received;
  guint64 bytes_sent;
  guint64 retransmits;
  guint64 timeouts;
  guint64 fast_retransmits;
} Totals;

static Totals
totals (const ScnRecorder *r, const char *host)
{
  Totals t = { 0 };

  for (guint i = 0; i < r->conns->len; i++)
    {
      const TcpConnStats *s = &g_array_index (r->conns, TcpConnStats, i);

      if (s->host == NULL || strcmp (s->host, host) != 0
          || strchr (s->name, '>') == NULL)
        continue;
      t.bytes_received += s->bytes_received;
      t.bytes_sent += s->bytes_sent;
      t.retransmits += s->retransmits;
      t.timeouts += s->timeouts;
      t.fast_retransmits += s->fast_retransmits;
    }
  return t;
}

/* ------------------------------------------------------------------ */
/* The lessons                                                         */

static void
check_seed_exchange (void)
{
  static const Want want[] = {
    { 1, "client>server", S, 0, 0, 0, FALSE },
    { 2, "server>client", S | A, 0, 1, 0, FALSE },
    { 3, "client>server", A, 1, 1, 0, FALSE },
    { 4, "client>server", P | A, 1, 1, 159, FALSE },
    { 5, "server>client", P | A, 1, 160, 111, FALSE },
    { 6, "client>server", A, 160, 112, 0, FALSE },
    { 7, "client>server", F | A, 160, 112, 0, FALSE },
    { 8, "server>client", A, 112, 161, 0, FALSE },
    { 9, "server>client", F | A, 112, 161, 0, FALSE },
    { 10, "client>server", A, 161, 113, 0, FALSE },
  };
  ScnRecorder *r = run ("seed-exchange");

  expect_n_segs (r, 10);
  /* isn=0: relative and absolute numbers are the same. */
  expect_segs (r, want, G_N_ELEMENTS (want), FALSE);
  expect_segs (r, want, G_N_ELEMENTS (want), TRUE);
  expect_path (r, "client", "SYN_SENT,ESTABLISHED,FIN_WAIT_1,FIN_WAIT_2,"
               "TIME_WAIT,CLOSED");
  expect_path (r, "server", "LISTEN,SYN_RECEIVED,ESTABLISHED,CLOSE_WAIT,"
               "LAST_ACK,CLOSED");
  scn_recorder_free (r);
}

static void
check_why_three_way (void)
{
  /* RFC 9293 figure 8, in absolute numbers. */
  static const Want want[] = {
    { 1, "client>server", S, 100, 0, 0, FALSE },
    { 2, "client>server", S, 90, 0, 0, FALSE },
    { 3, "server>client", S | A, 300, 91, 0, FALSE },
    { 4, "client>server", R, 91, 0, 0, FALSE },
    { 5, "server>client", S | A, 300, 101, 0, FALSE },
    { 6, "client>server", A, 101, 301, 0, FALSE },
    { 7, "client>server", P | A, 101, 301, 159, FALSE },
  };
  ScnRecorder *r = run ("why-three-way");

  expect_segs (r, want, G_N_ELEMENTS (want), TRUE);
  /* The SYN the client really sent was held back 30 ms. */
  g_assert_cmpint (seg_time (r, 1), ==, SIM_MS (1));
  g_assert_cmpint (seg_time (r, 2), ==, SIM_MS (2));
  g_assert_cmpint (seg_time (r, 5), >, SIM_MS (31));
  /* The server believed the old SYN, then dropped the half-open
   * connection on the reset; the client never left SYN_SENT for it. */
  expect_path (r, "server", "LISTEN,SYN_RECEIVED,CLOSED,SYN_RECEIVED,"
               "ESTABLISHED,CLOSE_WAIT,LAST_ACK,CLOSED");
  expect_path (r, "client", "SYN_SENT,ESTABLISHED,FIN_WAIT_1,FIN_WAIT_2,"
               "TIME_WAIT");
  g_assert_cmpuint (totals (r, "client").bytes_received, ==, 111);
  scn_recorder_free (r);
}

static void
check_why_four_way (void)
{
  static const Want want[] = {
    { 4, "client>server", P | A, 1, 1, 159, FALSE },
    { 5, "client>server", F | A, 160, 1, 0, FALSE },
    { 6, "server>client", A, 1, 160, 1460, FALSE },
    { 9, "server>client", A, 4381, 161, 0, FALSE },
    { 24, "server>client", F | P | A, 18981, 161, 1020, FALSE },
    { 27, "client>server", A, 161, 20002, 0, FALSE },
  };
  ScnRecorder *r = run ("why-four-way");
  guint data_after_fin_ack = 0;

  expect_n_segs (r, 27);
  expect_segs (r, want, G_N_ELEMENTS (want), FALSE);
  /* Between the ACK of the client's FIN and the server's FIN, the server
   * keeps sending, and the client keeps acknowledging. */
  for (guint i = 10; i < 24; i++)
    data_after_fin_ack += seg (r, i)->len_bytes > 0;
  g_assert_cmpuint (data_after_fin_ack, >=, 10);
  g_assert_cmpint (seg_time (r, 24) - seg_time (r, 9), >, SIM_MS (100));
  expect_path (r, "client", "SYN_SENT,ESTABLISHED,FIN_WAIT_1,FIN_WAIT_2,"
               "TIME_WAIT,CLOSED");
  g_assert_cmpuint (totals (r, "client").bytes_received, ==, 20000);
  scn_recorder_free (r);
}

static void
check_why_time_wait (void)
{
  static const Want want[] = {
    { 8, "server>client", F | A, 112, 161, 0, FALSE },
    { 9, "client>server", A, 161, 113, 0, TRUE },
    { 10, "server>client", F | A, 112, 161, 0, FALSE },
    { 11, "client>server", A, 161, 113, 0, FALSE },
  };
  ScnRecorder *r = run ("why-time-wait");
  const ScnRecState *last;

  expect_n_segs (r, 11);
  expect_segs (r, want, G_N_ELEMENTS (want), FALSE);
  /* The server retransmits after its 1 s RTO. */
  g_assert_cmpint (seg_time (r, 10) - seg_time (r, 8), ==, SIM_S (1));
  g_assert_cmpuint (totals (r, "server").timeouts, ==, 1);
  /* The client answers from TIME_WAIT, and waits 2 MSL again from there. */
  expect_path (r, "client", "SYN_SENT,ESTABLISHED,FIN_WAIT_1,FIN_WAIT_2,"
               "TIME_WAIT,CLOSED");
  last = &g_array_index (r->states, ScnRecState, r->states->len - 1);
  g_assert_cmpstr (last->host, ==, "client");
  g_assert_cmpint (last->at_ns, ==, seg_time (r, 11) + SIM_S (240));
  scn_recorder_free (r);
}

static void
check_why_time_wait_short (void)
{
  static const Want want[] = {
    { 9, "client>server", A, 161, 113, 0, TRUE },
    { 10, "server>client", F | A, 112, 161, 0, FALSE },
    { 11, "client>server", R, 161, 0, 0, FALSE },
  };
  ScnRecorder *r = run ("why-time-wait-short");
  const TcpConnStats *server;

  expect_n_segs (r, 11);
  expect_segs (r, want, G_N_ELEMENTS (want), FALSE);
  server = scn_recorder_conn (r, "server");
  g_assert_nonnull (server);
  g_assert_cmpint (server->close_reason, ==, TCP_CLOSE_RESET);
  scn_recorder_free (r);
}

static void
check_three_or_four (void)
{
  static const Want three[] = {
    { 6, "client>server", F | A, 101, 101, 0, FALSE },
    { 7, "server>client", F | A, 101, 102, 0, FALSE },
    { 8, "client>server", A, 102, 102, 0, FALSE },
  };
  static const Want four[] = {
    { 14, "client>server", F | A, 101, 101, 0, FALSE },
    { 15, "server>client", A, 101, 102, 0, FALSE },
    { 16, "server>client", F | A, 101, 102, 0, FALSE },
    { 17, "client>server", A, 102, 102, 0, FALSE },
  };
  ScnRecorder *r = run ("three-or-four");
  guint pure_fin_acks = 0;

  expect_segs (r, three, G_N_ELEMENTS (three), FALSE);
  expect_segs (r, four, G_N_ELEMENTS (four), FALSE);
  /* The delayed ACK fires after 200 ms; the trigger closes at 2 s. */
  g_assert_cmpint (seg_time (r, 15) - seg_time (r, 14), >, SIM_MS (200));
  g_assert_cmpint (seg_time (r, 16) - seg_time (r, 14), >, SIM_S (2));
  /* With data pending, the FIN's ACK rides on data: no pure ACK of it,
   * and the server's FIN is on its last data segment. */
  for (guint i = 18; i <= r->segs->len; i++)
    {
      const ScnRecSeg *s = seg (r, i);

      pure_fin_acks += strcmp (s->dir, "server>client") == 0
                       && s->flags == A && s->len_bytes == 0;
    }
  g_assert_cmpuint (pure_fin_acks, ==, 0);
  g_assert_cmpuint (scn_recorder_count (r, "server>client", F | P | A), ==, 1);
  g_assert_cmpuint (totals (r, "client").bytes_received, ==, 20200);
  scn_recorder_free (r);
}

static void
check_lost_syn (void)
{
  static const Want want[] = {
    { 1, "client>server", S, 0, 0, 0, TRUE },
    { 2, "client>server", S, 0, 0, 0, TRUE },
    { 3, "client>server", S, 0, 0, 0, FALSE },
    { 4, "server>client", S | A, 0, 1, 0, FALSE },
    { 5, "client>server", A, 1, 1, 0, FALSE },
  };
  ScnRecorder *r = run ("lost-syn");

  expect_segs (r, want, G_N_ELEMENTS (want), FALSE);
  /* RFC 6298: 1 s, then twice that. */
  g_assert_cmpint (seg_time (r, 2), ==, SIM_S (1));
  g_assert_cmpint (seg_time (r, 3), ==, SIM_S (3));
  g_assert_cmpuint (totals (r, "client").timeouts, ==, 2);
  g_assert_cmpuint (totals (r, "client").bytes_received, ==, 111);
  scn_recorder_free (r);
}

static void
check_lost_data_rto (void)
{
  static const Want want[] = {
    { 5, "server>client", P | A, 1, 160, 111, TRUE },
    { 6, "client>server", P | A, 1, 1, 159, FALSE },
    { 7, "server>client", A, 112, 160, 0, FALSE },
    { 8, "server>client", P | A, 1, 160, 111, FALSE },
    { 9, "client>server", A, 160, 112, 0, FALSE },
  };
  ScnRecorder *r = run ("lost-data-rto");

  expect_segs (r, want, G_N_ELEMENTS (want), FALSE);
  g_assert_cmpint (seg_time (r, 8) - seg_time (r, 5), ==, SIM_S (1));
  g_assert_cmpuint (totals (r, "server").timeouts, ==, 1);
  g_assert_cmpuint (totals (r, "client").timeouts, ==, 1);
  g_assert_cmpuint (totals (r, "client").bytes_received, ==, 111);
  scn_recorder_free (r);
}

static void
check_fast_retransmit (void)
{
  static const Want want[] = {
    { 17, "sender>receiver", A, 14601, 1, 1460, TRUE },
    { 36, "sender>receiver", A, 14601, 1, 1460, FALSE },
    { 40, "receiver>sender", A, 1, 29201, 0, FALSE },
  };
  ScnRecorder *r = run ("fast-retransmit");
  guint dups = 0;

  expect_segs (r, want, G_N_ELEMENTS (want), FALSE);
  for (guint i = 18; i < 36; i++)
    {
      const ScnRecSeg *s = seg (r, i);

      dups += strcmp (s->dir, "receiver>sender") == 0 && s->ack == 14601;
    }
  g_assert_cmpuint (dups, >=, 3);
  g_assert_cmpuint (totals (r, "sender").fast_retransmits, ==, 1);
  g_assert_cmpuint (totals (r, "sender").timeouts, ==, 0);
  g_assert_cmpuint (totals (r, "sender").retransmits, ==, 1);
  g_assert_cmpuint (totals (r, "receiver").bytes_received, ==, 100000);
  scn_recorder_free (r);
}

static void
check_zero_window (void)
{
  ScnRecorder *r = run ("zero-window");
  guint zero_windows = 0;
  guint probes = 0;
  const ScnRecSeg *update = seg (r, 14);

  for (guint i = 1; i <= r->segs->len; i++)
    {
      const ScnRecSeg *s = seg (r, i);

      if (strcmp (s->dir, "receiver>sender") == 0 && s->win == 0)
        zero_windows++;
      if (strcmp (s->dir, "sender>receiver") == 0 && s->len_bytes == 1)
        probes++;
    }
  g_assert_cmpuint (seg (r, 9)->win, ==, 0);
  g_assert_cmpuint (seg (r, 9)->ack, ==, 5841);
  g_assert_cmpuint (zero_windows, ==, 3);
  g_assert_cmpuint (probes, ==, 2);
  /* The probes back off: 1 s after the window closed, then 2 s more. */
  g_assert_cmpint (seg_time (r, 12) - seg_time (r, 10), ==, SIM_S (2));
  /* The window opens when the application reads again, at 4 s. */
  g_assert_cmpint (update->at_ns, ==, SIM_S (4));
  g_assert_cmpstr (update->dir, ==, "receiver>sender");
  g_assert_cmpuint (update->win, ==, 5840);
  g_assert_cmpuint (totals (r, "receiver").bytes_received, ==, 20000);
  scn_recorder_free (r);
}

/* Data segments sent in each round trip (100 ms buckets), from 0.1 s. */
static void
check_slow_start (void)
{
  static const guint flights[] = { 3, 6, 12, 24, 48, 96 };
  ScnRecorder *r = run ("slow-start");
  guint per_rtt[8] = { 0 };

  for (guint i = 1; i <= r->segs->len; i++)
    {
      const ScnRecSeg *s = seg (r, i);
      guint bucket = (guint) (s->at_ns / SIM_MS (100));

      if (strcmp (s->dir, "sender>receiver") == 0 && s->len_bytes > 0
          && bucket >= 1 && bucket <= G_N_ELEMENTS (flights))
        per_rtt[bucket - 1]++;
    }
  for (guint k = 0; k < G_N_ELEMENTS (flights); k++)
    g_assert_cmpuint (per_rtt[k], ==, flights[k]);
  g_assert_cmpuint (totals (r, "sender").retransmits, ==, 0);
  g_assert_cmpuint (totals (r, "receiver").bytes_received, ==, 300000);
  scn_recorder_free (r);
}

/* The table of window-sizes.scn: each ACK offers rcvbuf - 1000 B (one
 * segment received and not yet read); the round trip is 104.32 ms; the
 * 2 Mbit/s link carries 1000 bytes of payload in every 1040. */
static void
check_window_sizes (void)
{
  g_autofree char *path = gallery_path ("window-sizes");
  g_autoptr (GError) err = NULL;
  g_autoptr (ScnGrid) grid = scn_load_grid (path, &err);
  const ScnGridAxis *axis;
  const double rtt_s = 0.10432;
  const double link_goodput_bps = 2e6 * 1000.0 / 1040.0;

  g_assert_no_error (err);
  g_assert_cmpuint (grid->axes->len, ==, 1);
  axis = g_ptr_array_index (grid->axes, 0);
  g_assert_cmpstr (axis->key, ==, "tcp.rcvbuf");
  g_assert_cmpuint (scn_grid_n_variants (grid), ==,
                    g_strv_length (axis->values));
  g_assert_cmpuint (scn_grid_n_variants (grid), >=, 3);
  for (guint64 v = 0; v < scn_grid_n_variants (grid); v++)
    {
      g_auto (GStrv) sets = scn_grid_variant_sets (grid, v);
      ScnRecorder *r = run_sets ("window-sizes", (const char *const *) sets);
      const TcpConnStats *rx = scn_recorder_conn (r, "receiver");
      guint64 rcvbuf_bytes = 0;
      double goodput_bps;
      double expected_bps;

      g_assert_true (scn_parse_size (axis->values[v], &rcvbuf_bytes, NULL));
      g_assert_nonnull (rx);
      g_assert_cmpuint (rx->bytes_received, ==, 4000000);
      /* From the SYN's arrival to the last byte, as the file says. */
      goodput_bps = (double) rx->bytes_received * 8.0
                    / ((double) (rx->last_delivery_ns - rx->open_ns) / 1e9);
      expected_bps = MIN ((double) (rcvbuf_bytes - 1000) * 8.0 / rtt_s,
                          link_goodput_bps);
      g_test_message ("%s: %.3f Mbit/s, expected %.3f", sets[0],
                      goodput_bps / 1e6, expected_bps / 1e6);
      /* min (window / RTT, bottleneck rate), within 5 %. */
      g_assert_cmpfloat (goodput_bps, >, expected_bps * 0.95);
      g_assert_cmpfloat (goodput_bps, <, expected_bps * 1.05);
      g_assert_cmpuint (totals (r, "sender").retransmits, ==, 0);
      scn_recorder_free (r);
    }
}

static void
check_newreno_vs_cubic (void)
{
  ScnRecorder *r = run ("newreno-vs-cubic");
  Totals reno = totals (r, "rcv0");
  Totals cubic = totals (r, "rcv1");
  double reno_bps = (double) reno.bytes_received * 8 / 60;
  double cubic_bps = (double) cubic.bytes_received * 8 / 60;

  g_test_message ("NewReno %.2f Mbit/s, CUBIC %.2f Mbit/s", reno_bps / 1e6,
                  cubic_bps / 1e6);
  /* Both flows lost packets at the bottleneck and recovered. */
  g_assert_cmpuint (totals (r, "snd0").fast_retransmits, >, 0);
  g_assert_cmpuint (totals (r, "snd1").fast_retransmits, >, 0);
  /* Together they fill the 20 Mbit/s link (less headers)... */
  g_assert_cmpfloat (reno_bps + cubic_bps, >, 18.5e6);
  g_assert_cmpfloat (reno_bps + cubic_bps, <, 20e6);
  /* ... and CUBIC takes the larger share. */
  g_assert_cmpfloat (cubic_bps, >, reno_bps * 1.2);
  g_assert_cmpfloat (reno_bps, >, 5e6);
  scn_recorder_free (r);
}

/* The median (or, with @max, the longest) time from an echo message to
 * its echo. */
static SimTime
echo_rtt_ns (const ScnRecorder *r, gboolean max)
{
  g_autoptr (GArray) rtts = g_array_new (FALSE, FALSE, sizeof (SimTime));
  SimTime sent = -1;

  for (guint i = 0; i < r->app_events->len; i++)
    {
      const ScnRecAppEvent *e = &g_array_index (r->app_events,
                                                ScnRecAppEvent, i);

      if (strcmp (e->app, "ping") != 0 || strcmp (e->side, "client") != 0)
        continue;
      if (strcmp (e->what, "message") == 0)
        sent = e->at_ns;
      else if (strcmp (e->what, "echo-received") == 0 && sent >= 0)
        {
          SimTime rtt = e->at_ns - sent;

          g_array_append_val (rtts, rtt);
        }
    }
  g_assert_cmpuint (rtts->len, >, 2);
  for (guint i = 1; i < rtts->len; i++)
    for (guint j = i; j > 0 && g_array_index (rtts, SimTime, j - 1)
                               > g_array_index (rtts, SimTime, j); j--)
      {
        SimTime t = g_array_index (rtts, SimTime, j);

        g_array_index (rtts, SimTime, j) = g_array_index (rtts, SimTime,
                                                          j - 1);
        g_array_index (rtts, SimTime, j - 1) = t;
      }
  return g_array_index (rtts, SimTime, max ? rtts->len - 1 : rtts->len / 2);
}

static void
check_bufferbloat (void)
{
  const char *const shallow_sets[] = { "link.wan.queue=20", NULL };
  ScnRecorder *deep = run ("bufferbloat");
  ScnRecorder *shallow = run_sets ("bufferbloat", shallow_sets);
  SimTime deep_rtt = echo_rtt_ns (deep, FALSE);
  SimTime shallow_rtt = echo_rtt_ns (shallow, FALSE);

  g_test_message ("echo round trip (median): %" G_GINT64_FORMAT " ms with "
                  "1000 packets of queue, %" G_GINT64_FORMAT " ms with 20",
                  deep_rtt / SIM_MS (1), shallow_rtt / SIM_MS (1));
  /* The path's own round trip is 22 ms. */
  g_assert_cmpint (deep->max_queue_pkts, ==, 1000);
  g_assert_cmpint (deep_rtt, >, 10 * shallow_rtt);
  g_assert_cmpint (echo_rtt_ns (deep, TRUE), >, SIM_S (1));
  g_assert_cmpint (shallow_rtt, <, SIM_MS (60));
  /* And the deep queue bought no throughput. */
  g_assert_cmpuint (totals (shallow, "server").bytes_received, >,
                    totals (deep, "server").bytes_received);
  scn_recorder_free (deep);
  scn_recorder_free (shallow);
}

static void
check_bursty_loss (void)
{
  ScnRecorder *r = run ("bursty-loss");
  guint lost = 0;
  guint lost_after_lost = 0;
  gboolean prev_lost = FALSE;

  for (guint i = 1; i <= r->segs->len; i++)
    {
      const ScnRecSeg *s = seg (r, i);

      if (strcmp (s->dir, "sender>receiver") != 0)
        continue;
      lost += s->lost != NULL;
      lost_after_lost += s->lost != NULL && prev_lost;
      prev_lost = s->lost != NULL;
    }
  /* About 3 % of the segments, and most of them in bursts: independent
   * losses at 3 % would follow another loss 3 % of the time. */
  g_assert_cmpuint (lost, >, 20);
  g_assert_cmpuint (lost_after_lost * 2, >, lost);
  g_assert_cmpuint (totals (r, "receiver").bytes_received, ==, 2000000);
  g_assert_cmpuint (totals (r, "sender").retransmits, >=, lost);
  scn_recorder_free (r);
}

/* ------------------------------------------------------------------ */

static const struct {
  const char *name;
  GTestFunc check;
} lessons[] = {
  { "seed-exchange", check_seed_exchange },
  { "why-three-way", check_why_three_way },
  { "why-four-way", check_why_four_way },
  { "why-time-wait", check_why_time_wait },
  { "why-time-wait-short", check_why_time_wait_short },
  { "three-or-four", check_three_or_four },
  { "lost-syn", check_lost_syn },
  { "lost-data-rto", check_lost_data_rto },
  { "fast-retransmit", check_fast_retransmit },
  { "zero-window", check_zero_window },
  { "slow-start", check_slow_start },
  { "window-sizes", check_window_sizes },
  { "newreno-vs-cubic", check_newreno_vs_cubic },
  { "bufferbloat", check_bufferbloat },
  { "bursty-loss", check_bursty_loss },
};

/* Every file of the gallery has its check. */
static void
test_complete (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "..", "..",
                                                     "scenarios", NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *stem = NULL;
      gboolean found = FALSE;

      if (!g_str_has_suffix (name, ".scn"))
        continue;
      stem = g_strndup (name, strlen (name) - strlen (".scn"));
      for (gsize i = 0; i < G_N_ELEMENTS (lessons) && !found; i++)
        found = strcmp (lessons[i].name, stem) == 0;
      if (!found)
        {
          g_test_message ("scenarios/%s has no check in "
                          "test_scn_gallery.c", name);
          g_test_fail ();
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scenario/gallery/complete", test_complete);
  for (gsize i = 0; i < G_N_ELEMENTS (lessons); i++)
    {
      g_autofree char *path = g_strdup_printf ("/scenario/gallery/run/%s",
                                               lessons[i].name);

      g_test_add_func (path, lessons[i].check);
    }
  return g_test_run ();
}
