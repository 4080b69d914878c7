/* test_scn_timeline.c: what `at` and `when` do in a running world, what
 * the new statements build, and the comparison grid's API.
 *
 * Each test loads a small scenario from memory, runs it recorded off the
 * trace bus (scn_recorder.c), and checks the effect of one action at the
 * time it was asked for: a link down, a parameter change, a close, an
 * abort, a pause, an injected segment, a rule from a time on, an app the
 * timeline starts, and triggers on hosts and on app sides.  Then: routes
 * through routers, the topology shorthands, per-side TCP parameters,
 * determinism (with triggers, a run is the same with or without another
 * subscriber), and scn_grid_*().  Paths: /scenario/timeline/...
 */
#include <string.h>

#include "models/apps/apps.h"
#include "models/node.h"
#include "tests/scenario/scn_recorder.h"

#define PAIR "host a addr=10.0.0.1\nhost b addr=10.0.0.2\n" \
             "link l a <-> b rate=10Mbps delay=5ms\n"

static const ScnRecSeg *
seg (const ScnRecorder *r, guint i)
{
  return &g_array_index (r->segs, ScnRecSeg, i);
}

/* The first segment at or after @t_ns on @dir with exactly @flags;
 * NULL when none. */
static const ScnRecSeg *
first_seg (const ScnRecorder *r, SimTime t_ns, const char *dir,
           guint8 flags)
{
  for (guint i = 0; i < r->segs->len; i++)
    {
      const ScnRecSeg *s = seg (r, i);

      if (s->at_ns >= t_ns && strcmp (s->dir, dir) == 0 && s->flags == flags)
        return s;
    }
  return NULL;
}

static guint
count_data (const ScnRecorder *r, const char *dir, SimTime from_ns,
            SimTime until_ns)
{
  guint n = 0;

  for (guint i = 0; i < r->segs->len; i++)
    {
      const ScnRecSeg *s = seg (r, i);

      n += strcmp (s->dir, dir) == 0 && s->len_bytes > 0
           && s->at_ns >= from_ns && s->at_ns < until_ns;
    }
  return n;
}

static const ScnRecAppEvent *
app_event (const ScnRecorder *r, const char *app, const char *what)
{
  for (guint i = 0; i < r->app_events->len; i++)
    {
      const ScnRecAppEvent *e = &g_array_index (r->app_events,
                                                ScnRecAppEvent, i);

      if (strcmp (e->app, app) == 0 && strcmp (e->what, what) == 0)
        return e;
    }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* at                                                                  */

static void
test_link_down_up (void)
{
  ScnRecorder *r = scn_recorder_run_text ("t.scn", PAIR
    "app x bulk from=a to=b:80 bytes=unlimited\n"
    "at 1s link l down\n"
    "at 1500ms link l up\n"
    "run until=3s\n", NULL);
  guint lost_down = 0;

  for (guint i = 0; i < r->segs->len; i++)
    {
      const ScnRecSeg *s = seg (r, i);

      if (s->lost != NULL && strcmp (s->lost, "link-down") == 0)
        {
          /* Queued or in flight when the link went down, or sent while it
           * was down. */
          g_assert_cmpint (s->at_ns, >=, SIM_S (1) - SIM_MS (200));
          g_assert_cmpint (s->at_ns, <, SIM_MS (1500));
          lost_down++;
        }
    }
  g_assert_cmpuint (lost_down, >, 0);
  /* Data flows again after the link is up (after the RTO fires). */
  g_assert_cmpuint (count_data (r, "a>b", SIM_S (2), SIM_S (3)), >, 100);
  scn_recorder_free (r);
}

static void
test_link_change (void)
{
  ScnRecorder *r = scn_recorder_run_text ("t.scn", PAIR
    "app x bulk from=a to=b:80 bytes=unlimited\n"
    "at 1s link l a>b.delay=50ms loss=2%\n"
    "run until=2s\n", NULL);
  Link *l = network_find_link (r->net, "l");
  const LinkDirParams *ab = link_params (l, LINK_DIR_AB);
  const LinkDirParams *ba = link_params (l, LINK_DIR_BA);
  double two_percent = 0.02;

  g_assert_cmpint (ab->delay_ns, ==, SIM_MS (50));
  g_assert_cmpint (ba->delay_ns, ==, SIM_MS (5));
  g_assert_true (memcmp (&ab->loss_prob, &two_percent, sizeof (double)) == 0);
  g_assert_true (memcmp (&ba->loss_prob, &two_percent, sizeof (double)) == 0);
  /* The other fields keep the file's values. */
  g_assert_cmpuint (ab->rate_bps, ==, 10000000);
  g_assert_cmpuint (ab->queue_limit_pkts, ==, 100);
  scn_recorder_free (r);
}

static void
test_close_and_abort (void)
{
  ScnRecorder *r = scn_recorder_run_text ("t.scn", PAIR
    "app x reqresp client=a server=b:80 request=1B response=1B "
    "close_delay=1h peer_close_delay=1h\n"
    "app y reqresp client=a server=b:81 request=1B response=1B "
    "close_delay=1h\n"
    "at 1s close x.server\n"
    "at 2s abort y.client\n"
    "run until=3s\n", NULL);
  const ScnRecSeg *fin = first_seg (r, SIM_S (1), "b>a", TCP_FIN | TCP_ACK);
  const ScnRecSeg *rst = first_seg (r, SIM_S (2), "a>b", TCP_RST);

  g_assert_nonnull (fin);
  g_assert_cmpint (fin->at_ns, ==, SIM_S (1));
  g_assert_nonnull (rst);
  g_assert_cmpint (rst->at_ns, ==, SIM_S (2));
  scn_recorder_free (r);
}

static void
test_pause_and_resume (void)
{
  ScnRecorder *r = scn_recorder_run_text ("t.scn", PAIR
    "app tx onoff from=a to=b:80 rate=1Mbps chunk=1000B\n"
    "app rx sink listen=b:80 listen.tcp.rcvbuf=8KB\n"
    "at 1s stop tx\n"
    "at 2s start tx\n"
    "at 3s stop rx\n"
    "at 5s start rx\n"
    "run until=6s\n", NULL);
  guint zero_windows = 0;

  /* 1 Mbit/s in 1000-byte writes: a segment every 8 ms. */
  g_assert_cmpuint (count_data (r, "a>b", SIM_MS (100), SIM_S (1)), >, 50);
  /* What was written before the stop may still leave (a Nagle-held
   * remainder waits for the delayed ACK); nothing new after that. */
  g_assert_cmpuint (count_data (r, "a>b", SIM_MS (1300), SIM_S (2)), ==, 0);
  g_assert_cmpuint (count_data (r, "a>b", SIM_MS (2100), SIM_S (3)), >, 50);
  /* The reader stops: its 8 KB window closes. */
  for (guint i = 0; i < r->segs->len; i++)
    zero_windows += strcmp (seg (r, i)->dir, "b>a") == 0
                    && seg (r, i)->win == 0 && seg (r, i)->at_ns > SIM_S (3)
                    && seg (r, i)->at_ns < SIM_S (5);
  g_assert_cmpuint (zero_windows, >, 0);
  g_assert_cmpuint (count_data (r, "a>b", SIM_MS (5100), SIM_S (6)), >, 50);
  scn_recorder_free (r);
}

static void
test_inject (void)
{
  ScnRecorder *r = scn_recorder_run_text ("t.scn", PAIR
    "at 1s inject a>b:80 sport=1234 flags=SA seq=777 ack=42 win=1000 "
    "len=10B\n"
    "run until=2s\n", NULL);
  const ScnRecSeg *s;
  const ScnRecSeg *rst;

  g_assert_cmpuint (r->segs->len, >=, 1);
  s = seg (r, 0);
  g_assert_cmpint (s->at_ns, ==, SIM_S (1));
  g_assert_cmpstr (s->dir, ==, "a>b");
  g_assert_cmpuint (s->flags, ==, TCP_SYN | TCP_ACK);
  g_assert_cmpuint (s->abs_seq, ==, 777);
  g_assert_cmpuint (s->abs_ack, ==, 42);
  g_assert_cmpuint (s->len_bytes, ==, 10);
  g_assert_cmpuint (s->win, ==, 1000);
  /* Nothing listens on b:80: RFC 9293 3.10.7.1, a reset. */
  rst = first_seg (r, 0, "b>a", TCP_RST);
  g_assert_nonnull (rst);
  g_assert_cmpuint (rst->abs_seq, ==, 42);
  scn_recorder_free (r);
}

static void
test_rule_from_a_time (void)
{
  ScnRecorder *r = scn_recorder_run_text ("t.scn", PAIR
    "app x reqresp client=a server=b:80 request=1B response=1B count=3 "
    "interval=1s\n"
    "at 1500ms drop l a>b match flags=S\n"
    "at 2500ms hold l b>a for=100ms by=50ms\n"
    "run until=5s\n", NULL);
  guint syns = 0;
  guint lost = 0;

  for (guint i = 0; i < r->segs->len; i++)
    {
      const ScnRecSeg *s = seg (r, i);

      if (strcmp (s->dir, "a>b") != 0 || s->flags != TCP_SYN)
        continue;
      syns++;
      lost += s->lost != NULL;
      /* Only the SYN after 1.5 s is lost: the first is not. */
      if (s->at_ns < SIM_MS (1500))
        g_assert_null (s->lost);
    }
  g_assert_cmpuint (syns, ==, 4);
  g_assert_cmpuint (lost, ==, 1);
  scn_recorder_free (r);
}

static void
test_timeline_starts (void)
{
  ScnRecorder *r = scn_recorder_run_text ("t.scn", PAIR
    "app late bulk from=a to=b:80 bytes=10KB\n"
    "app tx onoff from=a to=b:81 bytes=10KB\n"
    "app rx sink listen=b:81\n"
    "at 2s start late\n"
    "at 3s start rx\n"
    "at 3s start tx\n"
    "run until=5s\n", NULL);
  const ScnRecAppEvent *e = app_event (r, "late", "connect");

  g_assert_nonnull (e);
  g_assert_cmpint (e->at_ns, ==, SIM_S (2));
  e = app_event (r, "rx", "listen");
  g_assert_nonnull (e);
  g_assert_cmpint (e->at_ns, ==, SIM_S (3));
  e = app_event (r, "tx", "connect");
  g_assert_nonnull (e);
  g_assert_cmpint (e->at_ns, ==, SIM_S (3));
  e = app_event (r, "rx", "done");
  g_assert_nonnull (e);
  g_assert_cmpuint (e->bytes, ==, 10000);
  scn_recorder_free (r);
}

/* ------------------------------------------------------------------ */
/* when                                                                */

static void
test_trigger_close (void)
{
  ScnRecorder *r = scn_recorder_run_text ("t.scn",
    "tcp isn=0\n" PAIR
    "app x reqresp client=a server=b:80 request=1B response=1B "
    "peer_close_delay=1h\n"
    "when b enters CLOSE_WAIT wait 2s then close\n"
    "run until=5s\n", NULL);
  const ScnRecSeg *client_fin = first_seg (r, 0, "a>b", TCP_FIN | TCP_ACK);
  const ScnRecSeg *server_fin = first_seg (r, 0, "b>a", TCP_FIN | TCP_ACK);

  g_assert_nonnull (client_fin);
  g_assert_nonnull (server_fin);
  /* CLOSE_WAIT when the client's FIN arrives, 5 ms after it left. */
  g_assert_cmpint (server_fin->at_ns - client_fin->at_ns, >=,
                   SIM_S (2) + SIM_MS (5));
  g_assert_cmpint (server_fin->at_ns - client_fin->at_ns, <,
                   SIM_S (2) + SIM_MS (6));
  scn_recorder_free (r);
}

static void
test_trigger_on_app_side (void)
{
  ScnRecorder *r = scn_recorder_run_text ("t.scn", PAIR
    "app x reqresp client=a server=b:80 request=1B response=1B count=2 "
    "interval=1s\n"
    "app ping echo client=b server=a:7 message=10B\n"
    "when x.client enters ESTABLISHED then start ping\n"
    "when x.server enters SYN_RECEIVED then abort\n"
    "run until=3s\n", NULL);
  guint aborts = 0;
  const ScnRecAppEvent *e;

  /* Each of x's connections is aborted by its server in SYN_RECEIVED,
   * just after the SYN-ACK left: the client sees ESTABLISHED, then a
   * reset. */
  for (guint i = 0; i < r->app_events->len; i++)
    {
      const ScnRecAppEvent *a = &g_array_index (r->app_events,
                                                ScnRecAppEvent, i);

      aborts += strcmp (a->app, "x") == 0 && strcmp (a->what, "reset") == 0;
    }
  g_assert_cmpuint (aborts, ==, 2);
  /* ping waits for x's client, and its own server side is a's, which no
   * trigger watches: it runs its exchange to the end, once. */
  e = app_event (r, "ping", "connect");
  g_assert_nonnull (e);
  g_assert_cmpint (e->at_ns, ==, SIM_MS (10) + 70400);
  e = app_event (r, "ping", "close");
  g_assert_nonnull (e);
  g_assert_cmpuint (e->bytes, ==, 10);
  scn_recorder_free (r);
}

static void
test_trigger_starts_echo (void)
{
  ScnRecorder *r = scn_recorder_run_text ("t.scn", PAIR
    "app x reqresp client=a server=b:80 request=1B response=1B start=1s\n"
    "app ping echo client=b server=a:7 message=10B count=3\n"
    "when x.server enters ESTABLISHED wait 100ms then start ping\n"
    "run until=3s\n", NULL);
  const ScnRecAppEvent *e = app_event (r, "ping", "connect");

  g_assert_nonnull (e);
  /* x's server is ESTABLISHED at 1 s plus a round trip and a half. */
  g_assert_cmpint (e->at_ns, >, SIM_MS (1110));
  g_assert_cmpint (e->at_ns, <, SIM_MS (1120));
  e = app_event (r, "ping", "close");
  g_assert_nonnull (e);
  g_assert_cmpuint (e->bytes, ==, 30);
  scn_recorder_free (r);
}

/* ------------------------------------------------------------------ */
/* Topology, routes, per-side parameters                               */

static void
test_routers (void)
{
  ScnRecorder *r = scn_recorder_run_text ("t.scn",
    "routing metric=delay\n"
    "host a addr=10.0.1.1\nhost b addr=10.0.4.1\n"
    "router r1 addr=10.0.1.254\nrouter r2 addr=10.0.2.254\n"
    "router r3 addr=10.0.3.254\n"
    "link l1 a <-> r1 rate=100Mbps delay=1ms\n"
    "link fast r1 <-> r2 rate=10Mbps delay=5ms\n"
    "link slow r1 <-> r3 rate=10Mbps delay=50ms\n"
    "link l2 r2 <-> b rate=100Mbps delay=1ms\n"
    "link l3 r3 <-> b rate=100Mbps delay=1ms\n"
    "app x reqresp client=a server=b:80 request=1KB response=1KB\n"
    "run until=2s\n", NULL);
  guint fast = 0;
  guint slow = 0;

  for (guint i = 0; i < r->segs->len; i++)
    {
      fast += strcmp (seg (r, i)->link, "fast") == 0;
      slow += strcmp (seg (r, i)->link, "slow") == 0;
    }
  g_assert_cmpuint (fast, >, 0);
  g_assert_cmpuint (slow, ==, 0);
  g_assert_cmpuint (scn_recorder_conn (r, "a")->bytes_received, ==, 1000);
  scn_recorder_free (r);

  /* A static route overrides the shortest path. */
  {
    const char *const sets[] = { NULL };
    ScnRecorder *r2 = scn_recorder_run_text ("t.scn",
      "host a addr=10.0.1.1\nhost b addr=10.0.4.1\n"
      "router r1 addr=10.0.1.254\nrouter r2 addr=10.0.2.254\n"
      "router r3 addr=10.0.3.254\n"
      "link l1 a <-> r1 rate=100Mbps delay=1ms\n"
      "link fast r1 <-> r2 rate=10Mbps delay=5ms\n"
      "link slow r1 <-> r3 rate=10Mbps delay=50ms\n"
      "link l2 r2 <-> b rate=100Mbps delay=1ms\n"
      "link l3 r3 <-> b rate=100Mbps delay=1ms\n"
      "route r1 to=b via=slow\n"
      "app x reqresp client=a server=b:80 request=1KB response=1KB\n"
      "run until=2s\n", sets);

    slow = 0;
    for (guint i = 0; i < r2->segs->len; i++)
      slow += strcmp (seg (r2, i)->link, "slow") == 0
              && strcmp (seg (r2, i)->dir, "r1>r3") == 0;
    g_assert_cmpuint (slow, >, 0);
    scn_recorder_free (r2);
  }
}

static void
test_dumbbell_and_sides (void)
{
  const char *const sets[] = { "link.left-right.rate=5Mbps", NULL };
  ScnRecorder *r = scn_recorder_run_text ("t.scn",
    "dumbbell pairs=2 edge.rate=1Gbps edge.delay=1ms core.rate=20Mbps "
    "core.delay=10ms\n"
    "app f bulk from=snd1 to=rcv1:80 bytes=100KB to.tcp.rcvbuf=5840B\n"
    "run until=5s\n", sets);
  Link *core = network_find_link (r->net, "left-right");
  guint max_win = 0;

  g_assert_nonnull (core);
  g_assert_cmpuint (link_params (core, LINK_DIR_AB)->rate_bps, ==, 5000000);
  g_assert_nonnull (network_find_node (r->net, "snd0"));
  g_assert_nonnull (network_find_node (r->net, "rcv1"));
  /* The receiving side's own buffer is its window. */
  for (guint i = 0; i < r->segs->len; i++)
    if (strcmp (seg (r, i)->dir, "right>rcv1") != 0
        && strcmp (seg (r, i)->link, "right-rcv1") == 0)
      max_win = MAX (max_win, seg (r, i)->win);
  g_assert_cmpuint (max_win, ==, 5840);
  g_assert_cmpuint (scn_recorder_conn (r, "rcv1")->bytes_received, ==,
                    100000);
  scn_recorder_free (r);
}

/* ------------------------------------------------------------------ */
/* Determinism                                                         */

static void
count_records (const SimTraceRecord *rec, void *data)
{
  (*(guint64 *) data)++;
}

/* With triggers the runtime subscribes to the bus; a run is the same
 * with or without another subscriber, and the same twice. */
static void
test_tracer_independent (void)
{
  static const char text[] = PAIR
    "app x reqresp client=a server=b:80 request=10KB response=10KB count=5 "
    "interval=300ms peer_close_delay=1h\n"
    "link l2 a <-> b rate=1Mbps delay=1ms\n"
    "when b enters CLOSE_WAIT wait 50ms then close\n"
    "when a enters TIME_WAIT then link l loss=1%\n"
    "run until=5s\n";
  ScnRecorder *r1 = scn_recorder_run_text ("t.scn", text, NULL);
  g_autofree char *d1 = scn_recorder_describe (r1);
  g_autoptr (GError) err = NULL;
  ScnRun run = { 0 };
  g_autoptr (SimWorld) bare = scn_load_text ("t.scn", text, -1, NULL, &run,
                                             &err);
  guint64 n_records = 0;
  guint64 n_events;

  g_assert_no_error (err);
  n_events = sim_world_run (bare, run.end_ns);
  g_assert_cmpuint (n_events, ==, r1->n_events);
  scn_recorder_free (r1);
  {
    ScnRecorder *r2 = scn_recorder_run_text ("t.scn", text, NULL);
    g_autofree char *d2 = scn_recorder_describe (r2);

    sim_trace_subscribe (sim_world_trace (r2->world), count_records,
                         &n_records);
    g_assert_cmpstr (d1, ==, d2);
    scn_recorder_free (r2);
  }
}

/* ------------------------------------------------------------------ */
/* The grid                                                            */

static void
test_grid (void)
{
  g_autoptr (GError) err = NULL;
  g_autoptr (ScnGrid) grid = scn_load_grid_text ("t.scn", PAIR
    "app x bulk from=a to=b:80 bytes=1MB\n"
    "compare tcp.rcvbuf=16KB,64KB link.l.a>b.loss=0%,1%,2%\n"
    "compare app.x.bytes=100KB,1MB\n", -1, &err);
  g_auto (GStrv) first = NULL;
  g_auto (GStrv) last = NULL;
  g_auto (GStrv) seventh = NULL;
  const ScnGridAxis *axis;

  g_assert_no_error (err);
  g_assert_cmpuint (grid->axes->len, ==, 3);
  axis = g_ptr_array_index (grid->axes, 1);
  g_assert_cmpstr (axis->key, ==, "link.l.a>b.loss");
  g_assert_cmpstr (axis->values[2], ==, "2%");
  g_assert_cmpstr (axis->where, ==, "t.scn:5:30");
  g_assert_cmpuint (scn_grid_n_variants (grid), ==, 12);
  first = scn_grid_variant_sets (grid, 0);
  g_assert_cmpstr (first[0], ==, "tcp.rcvbuf=16KB");
  g_assert_cmpstr (first[1], ==, "link.l.a>b.loss=0%");
  g_assert_cmpstr (first[2], ==, "app.x.bytes=100KB");
  g_assert_null (first[3]);
  /* The last axis varies fastest. */
  seventh = scn_grid_variant_sets (grid, 7);
  g_assert_cmpstr (seventh[0], ==, "tcp.rcvbuf=64KB");
  g_assert_cmpstr (seventh[1], ==, "link.l.a>b.loss=0%");
  g_assert_cmpstr (seventh[2], ==, "app.x.bytes=1MB");
  last = scn_grid_variant_sets (grid, 11);
  g_assert_cmpstr (last[0], ==, "tcp.rcvbuf=64KB");
  g_assert_cmpstr (last[1], ==, "link.l.a>b.loss=2%");
  g_assert_cmpstr (last[2], ==, "app.x.bytes=1MB");
  /* Every variant loads. */
  for (guint64 v = 0; v < scn_grid_n_variants (grid); v++)
    {
      g_auto (GStrv) sets = scn_grid_variant_sets (grid, v);
      ScnOverrides o = { FALSE, 0, (const char *const *) sets };
      g_autoptr (SimWorld) w = scn_load_text ("t.scn", PAIR
        "app x bulk from=a to=b:80 bytes=1MB\n", -1, &o, NULL, &err);

      g_assert_no_error (err);
      g_assert_nonnull (w);
    }
}

static void
test_grid_empty_and_errors (void)
{
  g_autoptr (GError) err = NULL;
  g_autoptr (ScnGrid) grid = scn_load_grid_text ("t.scn", PAIR, -1, &err);
  g_auto (GStrv) sets = NULL;
  ScnGrid *bad;

  g_assert_no_error (err);
  g_assert_cmpuint (grid->axes->len, ==, 0);
  g_assert_cmpuint (scn_grid_n_variants (grid), ==, 1);
  sets = scn_grid_variant_sets (grid, 0);
  g_assert_null (sets[0]);
  /* A file with errors gives no grid, and its errors. */
  bad = scn_load_grid_text ("t.scn", PAIR "compare tcp.rcvbuf=1KB,2GiB\n",
                            -1, &err);
  g_assert_null (bad);
  g_assert_error (err, SCN_ERROR, SCN_ERROR_VALUE);
  g_assert_cmpstr (err->message, ==, "t.scn:4:24: compare tcp.rcvbuf=2GiB: "
                   "must be at most 1GiB, got 2GiB");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scenario/timeline/at/link-down-up", test_link_down_up);
  g_test_add_func ("/scenario/timeline/at/link-change", test_link_change);
  g_test_add_func ("/scenario/timeline/at/close-abort", test_close_and_abort);
  g_test_add_func ("/scenario/timeline/at/pause-resume",
                   test_pause_and_resume);
  g_test_add_func ("/scenario/timeline/at/inject", test_inject);
  g_test_add_func ("/scenario/timeline/at/rule-from-a-time",
                   test_rule_from_a_time);
  g_test_add_func ("/scenario/timeline/at/starts", test_timeline_starts);
  g_test_add_func ("/scenario/timeline/when/close", test_trigger_close);
  g_test_add_func ("/scenario/timeline/when/app-side",
                   test_trigger_on_app_side);
  g_test_add_func ("/scenario/timeline/when/start-echo",
                   test_trigger_starts_echo);
  g_test_add_func ("/scenario/timeline/topology/routers", test_routers);
  g_test_add_func ("/scenario/timeline/topology/dumbbell-sides",
                   test_dumbbell_and_sides);
  g_test_add_func ("/scenario/timeline/determinism", test_tracer_independent);
  g_test_add_func ("/scenario/timeline/grid/axes", test_grid);
  g_test_add_func ("/scenario/timeline/grid/empty-errors",
                   test_grid_empty_and_errors);
  return g_test_run ();
}
