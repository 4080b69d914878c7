/* test_tracers.c: the live views fed through a real trace bus.
 *
 * A network of two nodes and one link is built but never run: the test
 * emits by hand the records the models would emit for the tutorial's
 * exchange (link.tx / link.rx / link.drop with real packet bytes,
 * tcp.state, tcp.conn, app.event), in causal order.  The diagram built
 * live must then be byte for byte the one drawn from the hand-built
 * model (the same golden files), and every file of OUTDIR must read
 * back.
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <pcap/pcap.h>
#include <string.h>

#include "models/apps/apps.h"
#include "models/link.h"
#include "models/node.h"
#include "models/tcp/tcp.h"
#include "plots/pcap_writer.h"
#include "plots/seqdiag_collect.h"
#include "plots/seqdiag_text.h"
#include "plots/tracers.h"
#include "plots_test.h"

/* Far from zero, and the server's close to wrapping, so that relative
 * numbers are really computed. */
#define CLIENT_ISN 1000000u
#define SERVER_ISN 0xfffffff0u

typedef enum {
  REC_ARRIVE,                   /* link.rx or a drop on the wire */
  REC_SEND,                     /* link.tx, or a drop-tail overflow */
  REC_STATE,
} RecType;

typedef struct {
  SimTime at_ns;
  guint rank;                   /* at equal times: arrivals first */
  guint index;
  RecType type;
  const TestEvent *ev;
  guint seg_no;
} Rec;

typedef struct {
  SimWorld *world;
  Network *net;
  Node *nodes[SEQDIAG_N_SIDES];
  Link *link;
  PacketPool *pool;
  GPtrArray *packets;           /* one per segment, in event order */
  char *dir;
  gboolean no_listener;         /* emit no listener record */
  Tracers *tracers;             /* freed after the world, as documented */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  LinkDirParams params = { .delay_ns = SIM_MS (10) };
  g_autoptr (GError) error = NULL;
  Ipv4Addr client;
  Ipv4Addr server;

  g_assert_true (ipv4_addr_parse (TEST_CLIENT_ADDR, &client));
  g_assert_true (ipv4_addr_parse (TEST_SERVER_ADDR, &server));
  f->world = sim_world_new (1);
  f->net = network_new (f->world);
  f->nodes[SEQDIAG_CLIENT] = node_new (f->net, TEST_CLIENT_HOST,
                                       NODE_KIND_HOST, client);
  f->nodes[SEQDIAG_SERVER] = node_new (f->net, TEST_SERVER_HOST,
                                       NODE_KIND_HOST, server);
  f->link = link_new (f->net, "l1", f->nodes[SEQDIAG_CLIENT],
                      f->nodes[SEQDIAG_SERVER], &params, &params);
  f->pool = packet_pool_new ();
  f->packets = g_ptr_array_new ();
  f->dir = g_dir_make_tmp ("tcpsim-tracers-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_remove (path);
    }
  g_rmdir (dir);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < f->packets->len; i++)
    packet_free (f->pool, f->packets->pdata[i]);
  g_ptr_array_unref (f->packets);
  packet_pool_free (f->pool);
  sim_world_free (f->world);
  tracers_free (f->tracers);
  remove_tree (f->dir);
  g_free (f->dir);
}

static int
rec_compare (gconstpointer a, gconstpointer b)
{
  const Rec *x = a;
  const Rec *y = b;

  if (x->at_ns != y->at_ns)
    return x->at_ns < y->at_ns ? -1 : 1;
  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* The records of @events in the order a run emits them. */
static GArray *
plan_records (const TestEvent *events, guint n_events)
{
  GArray *recs = g_array_new (FALSE, TRUE, sizeof (Rec));
  guint seg_no = 0;

  for (guint i = 0; i < n_events; i++)
    {
      const TestEvent *ev = &events[i];
      Rec r = { ev->at_ns, 1, i, REC_STATE, ev, 0 };

      if (ev->is_state)
        {
          g_array_append_val (recs, r);
          continue;
        }
      r.seg_no = seg_no++;
      r.type = REC_SEND;
      g_array_append_val (recs, r);
      if (g_strcmp0 (ev->drop_reason, "queue") == 0)
        continue;
      r.type = REC_ARRIVE;
      r.rank = 0;
      r.at_ns = ev->arrive_ns >= 0 ? ev->arrive_ns : ev->drop_ns;
      g_array_append_val (recs, r);
    }
  g_array_sort (recs, rec_compare);
  return recs;
}

static Packet *
segment_packet (Fixture *f, const TestEvent *ev)
{
  gboolean from_client = ev->side == SEQDIAG_CLIENT;
  guint32 isn = from_client ? CLIENT_ISN : SERVER_ISN;
  guint32 peer_isn = from_client ? SERVER_ISN : CLIENT_ISN;
  TestSeg seg = {
    from_client ? TEST_CLIENT_ADDR : TEST_SERVER_ADDR,
    from_client ? TEST_CLIENT_PORT : TEST_SERVER_PORT,
    from_client ? TEST_SERVER_ADDR : TEST_CLIENT_ADDR,
    from_client ? TEST_SERVER_PORT : TEST_CLIENT_PORT,
    isn + ev->rel_seq,
    (ev->flags & TCP_ACK) ? peer_isn + ev->rel_ack : 0,
    ev->flags, TEST_WIN, ev->len_bytes, ev->mss_bytes,
  };

  return test_packet_new (f->pool, &seg);
}

static void
emit_state (Fixture *f, SimTime at_ns, SeqDiagSide side, const char *from,
            const char *to, const char *conn)
{
  TcpTraceState body = { 0 };
  const char *host = side == SEQDIAG_CLIENT ? TEST_CLIENT_HOST
                                            : TEST_SERVER_HOST;

  g_assert_true (tcp_state_from_name (from, &body.from));
  g_assert_true (tcp_state_from_name (to, &body.to));
  body.conn = conn;
  body.host = host;
  sim_trace_emit (network_trace (f->net), at_ns, &tcp_trace_state, &body);
}

/* Emits what the models would for @events, then the end-of-run
 * records. */
static void
emit_exchange (Fixture *f, const TestEvent *events, guint n_events)
{
  g_autoptr (GArray) recs = plan_records (events, n_events);
  g_autofree char *client_conn = g_strdup_printf (
    "%s:%u>%s:%u", TEST_CLIENT_ADDR, TEST_CLIENT_PORT, TEST_SERVER_ADDR,
    TEST_SERVER_PORT);
  g_autofree char *server_conn = g_strdup_printf (
    "%s:%u>%s:%u", TEST_SERVER_ADDR, TEST_SERVER_PORT, TEST_CLIENT_ADDR,
    TEST_CLIENT_PORT);
  g_autofree char *listener = g_strdup_printf ("%s:%u", TEST_SERVER_ADDR,
                                               TEST_SERVER_PORT);
  SimTraceBus *bus = network_trace (f->net);
  guint first_packet = f->packets->len;
  TcpConnStats stats = { 0 };
  AppTraceEvent app = { "web", "client", "start", client_conn, 0 };

  /* Before anything else, the server listens: an endpoint that is not
   * the connection's, recognised by host and port. */
  if (!f->no_listener)
    emit_state (f, 0, SEQDIAG_SERVER, "CLOSED", "LISTEN", listener);
  sim_trace_emit (bus, 0, &app_trace_event, &app);

  for (guint i = 0; i < recs->len; i++)
    {
      const Rec *r = &g_array_index (recs, Rec, i);
      const TestEvent *ev = r->ev;
      LinkTraceEvent body = { 0 };
      Packet *pkt;

      if (r->type == REC_STATE)
        {
          emit_state (f, r->at_ns, ev->side, ev->from, ev->to,
                      ev->side == SEQDIAG_CLIENT ? client_conn
                                                 : server_conn);
          continue;
        }
      if (r->type == REC_SEND)
        {
          pkt = segment_packet (f, ev);
          g_ptr_array_add (f->packets, pkt);
          network_flow_learn (f->net, pkt);
        }
      pkt = f->packets->pdata[first_packet + r->seg_no];
      body.link = f->link;
      body.dir = ev->side == SEQDIAG_CLIENT ? LINK_DIR_AB : LINK_DIR_BA;
      body.pkt = pkt;
      body.arrive_at_ns = ev->arrive_ns;
      if (r->type == REC_SEND && g_strcmp0 (ev->drop_reason, "queue") != 0)
        {
          sim_trace_emit (bus, r->at_ns, &link_trace_tx, &body);
        }
      else if (r->type == REC_ARRIVE && ev->arrive_ns >= 0)
        {
          sim_trace_emit (bus, r->at_ns, &link_trace_rx, &body);
        }
      else
        {
          /* Lost on the wire, or a drop-tail overflow (no link.tx). */
          body.reason = ev->drop_reason;
          sim_trace_emit (bus, r->at_ns, &link_trace_drop, &body);
        }
    }

  g_strlcpy (stats.name, client_conn, sizeof stats.name);
  stats.host = TEST_CLIENT_HOST;
  stats.active_open = TRUE;
  stats.established_ns = SIM_MS (20);
  stats.closed_ns = -1;
  stats.last_delivery_ns = SIM_MS (40) + 216000;
  stats.bytes_sent = 159;
  stats.bytes_received = 111;
  stats.segs_sent = 6;
  stats.segs_received = 4;
  stats.final_state = TCP_STATE_TIME_WAIT;
  sim_trace_emit (bus, SIM_MS (80), &tcp_trace_conn, &stats);
}

static const SeqDiag *
collect (Fixture *f, SeqDiagCollector *c, const TestEvent *events,
         guint n_events)
{
  sim_trace_subscribe (network_trace (f->net), seqdiag_collector_record, c);
  emit_exchange (f, events, n_events);
  return seqdiag_collector_model (c);
}

static void
test_collect_seed (Fixture *f, gconstpointer data)
{
  g_autoptr (SeqDiagCollector) c = seqdiag_collector_new (f->net);
  const SeqDiag *diag = collect (f, c, test_seed_events,
                                 test_seed_n_events);
  SeqDiagTextOptions options = { FALSE, 40 };
  SeqDiagTextOptions ascii = { TRUE, 40 };
  g_autofree char *text = seqdiag_text_render (diag, &options);
  g_autofree char *ascii_text = seqdiag_text_render (diag, &ascii);

  g_assert_cmpuint (seqdiag_n_segments (diag), ==, 10);
  g_assert_cmpstr (seqdiag_end (diag, SEQDIAG_SERVER)->initial_state, ==,
                   "LISTEN");
  test_assert_golden ("seed-diagram.txt", text);
  test_assert_golden ("seed-diagram.ascii.txt", ascii_text);
}

/* The server end starts as LISTEN when its listener was seen, whatever
 * state its new connection is said to come from. */
static void
test_collect_listener (Fixture *f, gconstpointer data)
{
  g_autofree TestEvent *events = g_memdup2 (test_seed_events,
                                            test_seed_n_events
                                            * sizeof (TestEvent));
  g_autoptr (SeqDiagCollector) c = seqdiag_collector_new (f->net);
  g_autoptr (SeqDiagCollector) c2 = NULL;
  const SeqDiag *diag;

  g_assert_cmpstr (events[2].from, ==, "LISTEN");
  events[2].from = "CLOSED";
  diag = collect (f, c, events, test_seed_n_events);
  g_assert_cmpstr (seqdiag_end (diag, SEQDIAG_SERVER)->initial_state, ==,
                   "LISTEN");
  g_assert_cmpstr (seqdiag_end (diag, SEQDIAG_CLIENT)->initial_state, ==,
                   "CLOSED");

  f->no_listener = TRUE;
  c2 = seqdiag_collector_new (f->net);
  diag = collect (f, c2, events, test_seed_n_events);
  g_assert_cmpstr (seqdiag_end (diag, SEQDIAG_SERVER)->initial_state, ==,
                   "CLOSED");
}

static void
test_collect_drop (Fixture *f, gconstpointer data)
{
  g_autoptr (SeqDiagCollector) c = seqdiag_collector_new (f->net);
  const SeqDiag *diag = collect (f, c, test_drop_events,
                                 test_drop_n_events);
  SeqDiagTextOptions options = { FALSE, 40 };
  g_autofree char *text = seqdiag_text_render (diag, &options);

  test_assert_golden ("drop-diagram.txt", text);
}

/* Once both ends are CLOSED, the same ports belong to a new connection,
 * which the diagram leaves out. */
static void
test_collect_reuse (Fixture *f, gconstpointer data)
{
  g_autoptr (SeqDiagCollector) c = seqdiag_collector_new (f->net);
  const SeqDiag *diag = collect (f, c, test_seed_events,
                                 test_seed_n_events);

  emit_exchange (f, test_seed_events, test_seed_n_events);
  g_assert_cmpuint (seqdiag_n_segments (diag), ==, 10);
}

static char *
read_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
test_tracers_outdir (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *outdir = g_build_filename (f->dir, "out", "run1", NULL);
  g_autofree char *out_path = g_build_filename (f->dir, "terminal.txt",
                                                NULL);
  g_autofree char *pcap_path = NULL;
  g_autofree char *terminal = NULL;
  g_autofree char *sequence = NULL;
  g_autofree char *jsonl = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *golden = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_auto (GStrv) lines = NULL;
  TracersConfig config;
  FILE *out = g_fopen (out_path, "w");
  char errbuf[PCAP_ERRBUF_SIZE];
  pcap_t *pcap;
  struct pcap_pkthdr *hdr;
  const u_char *bytes;
  guint n_packets = 0;
  guint n_tx = 0;

  g_assert_nonnull (out);
  tracers_config_init (&config);
  g_assert_true (config.jsonl && config.pcap && config.diagram
                 && config.summary && !config.ascii);
  config.outdir = outdir;
  config.out = out;
  f->tracers = tracers_open (f->net, &config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->tracers);
  emit_exchange (f, test_seed_events, test_seed_n_events);
  g_assert_true (tracers_close (f->tracers, &error));
  g_assert_no_error (error);
  /* A second close changes nothing, and records after the close (as the
   * models emit while the world is freed) reach no file. */
  g_assert_true (tracers_close (f->tracers, &error));
  emit_exchange (f, test_seed_events, test_seed_n_events);
  fclose (out);

  /* The terminal shows the diagram, a blank line, then the summary. */
  terminal = read_file (f->dir, "terminal.txt");
  sequence = read_file (outdir, "sequence.txt");
  golden = read_file (g_test_get_dir (G_TEST_DIST), "golden/seed-diagram.txt");
  g_assert_cmpstr (sequence, ==, golden);
  g_assert_true (g_str_has_prefix (terminal, golden));
  g_assert_true (g_str_has_prefix (terminal + strlen (golden),
                                   "\nconnection "));
  g_assert_nonnull (strstr (terminal, "TIME_WAIT"));

  jsonl = read_file (outdir, "trace.jsonl");
  lines = g_strsplit (jsonl, "\n", -1);
  /* listener + app + 11 states + 10 tx + 10 rx + tcp.conn, and the
   * final newline. */
  g_assert_cmpuint (g_strv_length (lines), ==, 2 + 11 + 20 + 1 + 1);
  for (guint i = 0; lines[i][0] != '\0'; i++)
    {
      JsonObject *obj;

      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      obj = json_node_get_object (json_parser_get_root (parser));
      g_assert_true (json_object_has_member (obj, "t_ns"));
      if (g_strcmp0 (json_object_get_string_member (obj, "ev"),
                     link_trace_tx.name) == 0)
        {
          n_tx++;
          /* Once the models format their records, the documented fields
           * are there. */
          if (link_trace_tx.to_json != NULL)
            {
              g_assert_cmpstr (json_object_get_string_member (obj, "link"),
                               ==, "l1");
              g_assert_true (json_object_has_member (obj, "rel_seq"));
            }
        }
    }
  g_assert_cmpuint (n_tx, ==, 10);

  summary = read_file (outdir, "summary.json");
  json_parser_load_from_data (parser, summary, -1, &error);
  g_assert_no_error (error);

  pcap_path = g_build_filename (outdir, "l1.pcap", NULL);
  pcap = pcap_open_offline_with_tstamp_precision (pcap_path,
                                                  PCAP_TSTAMP_PRECISION_NANO,
                                                  errbuf);
  g_assert_nonnull (pcap);
  while (pcap_next_ex (pcap, &hdr, &bytes) == 1)
    {
      if (n_packets == 3)
        {
          /* The request: 20 ms, 199 bytes, from the client. */
          g_assert_cmpint (hdr->ts.tv_sec, ==, 0);
          g_assert_cmpint (hdr->ts.tv_usec, ==, SIM_MS (20));
          g_assert_cmpuint (hdr->len, ==, 20 + 20 + 159);
        }
      n_packets++;
    }
  pcap_close (pcap);
  g_assert_cmpuint (n_packets, ==, 10);
}

static void
test_tracers_no_outdir (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out_path = g_build_filename (f->dir, "terminal.txt",
                                                NULL);
  g_autofree char *terminal = NULL;
  TracersConfig config;
  FILE *out = g_fopen (out_path, "w");

  tracers_config_init (&config);
  config.ascii = TRUE;
  config.diagram_max_segments = 4;
  config.summary = FALSE;
  config.out = out;
  f->tracers = tracers_open (f->net, &config, &error);
  g_assert_no_error (error);
  emit_exchange (f, test_seed_events, test_seed_n_events);
  g_assert_true (tracers_close (f->tracers, &error));
  fclose (out);
  terminal = read_file (f->dir, "terminal.txt");
  g_assert_nonnull (strstr (terminal, "... 6 segments ..."));
  g_assert_null (strstr (terminal, "connection"));
}

static void
test_tracers_open_error (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *file = g_build_filename (f->dir, "a-file", NULL);
  g_autofree char *outdir = g_build_filename (file, "out", NULL);
  TracersConfig config;
  Tracers *tracers;

  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  tracers_config_init (&config);
  config.outdir = outdir;
  tracers = tracers_open (f->net, &config, &error);
  g_assert_null (tracers);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR);
  /* Nothing was left subscribed. */
  g_assert_false (sim_trace_on (network_trace (f->net)));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/plots/collect/seed", test_collect_seed);
  ADD ("/plots/collect/listener", test_collect_listener);
  ADD ("/plots/collect/drop", test_collect_drop);
  ADD ("/plots/collect/reuse", test_collect_reuse);
  ADD ("/plots/tracers/outdir", test_tracers_outdir);
  ADD ("/plots/tracers/no-outdir", test_tracers_no_outdir);
  ADD ("/plots/tracers/open-error", test_tracers_open_error);
#undef ADD
  return g_test_run ();
}
