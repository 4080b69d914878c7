/* test_trace_reader.c: trace.jsonl lines back into records.
 *
 * Table-driven: lines of every kind the views use decode into the
 * documented fields (docs/trace-format.md), unknown kinds and fields pass
 * through, and bad lines fail with the file's line number.  The live
 * path (trace_reader_record()) must give the records the file gives.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "plots/seqdiag_replay.h"
#include "plots/trace_reader.h"

typedef struct {
  TraceRecord rec;              /* the last record; its strings live in */
  JsonObject *hold;             /* this reference to its object */
  guint n;                      /* records seen */
} Last;

static void
keep_last (const TraceRecord *rec, void *data)
{
  Last *last = data;

  g_clear_pointer (&last->hold, json_object_unref);
  last->rec = *rec;
  last->hold = json_object_ref (rec->object);
  last->n++;
}

static void
last_clear (Last *last)
{
  g_clear_pointer (&last->hold, json_object_unref);
  memset (last, 0, sizeof *last);
}

static void
feed (const char *line, Last *last)
{
  g_autoptr (TraceReader) reader = trace_reader_new ();
  g_autoptr (GError) error = NULL;

  last_clear (last);
  trace_reader_add_sink (reader, keep_last, last);
  g_assert_true (trace_reader_feed_line (reader, line, -1, &error));
  g_assert_no_error (error);
}

static void
test_flags (void)
{
  static const struct {
    const char *text;
    guint8 flags;
  } cases[] = {
    { "S", TCP_SYN },
    { "S.", TCP_SYN | TCP_ACK },
    { "FP.", TCP_FIN | TCP_PSH | TCP_ACK },
    { "R", TCP_RST },
    { ".UEW", TCP_ACK | TCP_URG | TCP_ECE | TCP_CWR },
    { "-", 0 },
  };
  guint8 flags;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_true (trace_flags_parse (cases[i].text, &flags));
      g_assert_cmpuint (flags, ==, cases[i].flags);
    }
  g_assert_false (trace_flags_parse ("SX", &flags));
}

static void
test_addr (void)
{
  Ipv4Addr addr;
  guint16 port;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  g_assert_true (trace_addr_port_parse ("172.16.17.94:49152", &addr, &port));
  g_assert_cmphex (addr, ==, 0xac10115e);
  g_assert_cmpuint (port, ==, 49152);
  g_assert_false (trace_addr_port_parse ("172.16.17.94", &addr, &port));
  g_assert_false (trace_addr_port_parse ("172.16.17.94:70000", &addr,
                                         &port));
  g_assert_false (trace_addr_port_parse ("host:80", &addr, &port));
  g_assert_true (trace_dir_split ("client>server", &from, &to));
  g_assert_cmpstr (from, ==, "client");
  g_assert_cmpstr (to, ==, "server");
  g_assert_false (trace_dir_split ("client", NULL, NULL));
}

static void
test_link (void)
{
  Last last = { 0 };
  const TracePacket *p = &last.rec.packet;

  feed ("{\"t_ns\":81379200,\"ev\":\"link.drop\",\"link\":\"wire\","
        "\"dir\":\"sender>receiver\",\"uid\":23,\"src\":\"10.0.0.1:49152\","
        "\"dst\":\"10.0.0.2:5001\",\"flags\":\"P.\",\"seq\":906961562,"
        "\"ack\":2490015882,\"rel_seq\":14481,\"rel_ack\":1,\"len\":1448,"
        "\"win\":32768,\"hlen\":32,\"bytes\":1500,\"tsval\":3117189243,"
        "\"tsecr\":507370849,\"sack\":[[1,2],[3,4]],\"reason\":\"script\","
        "\"arrive_ns\":102579200,\"queue_pkts\":0,\"new_field\":[1]}",
        &last);
  g_assert_cmpuint (last.n, ==, 1);
  g_assert_cmpint (last.rec.kind, ==, TRACE_KIND_LINK_DROP);
  g_assert_cmpint (last.rec.t_ns, ==, 81379200);
  g_assert_cmpstr (p->link, ==, "wire");
  g_assert_cmpstr (p->dir, ==, "sender>receiver");
  g_assert_cmpstr (p->reason, ==, "script");
  g_assert_cmpint (p->arrive_ns, ==, 102579200);
  g_assert_cmpint (p->queue_pkts, ==, 0);
  g_assert_true (p->seg.tcp);
  g_assert_cmpuint (p->seg.uid, ==, 23);
  g_assert_cmpuint (p->seg.sport, ==, 49152);
  g_assert_cmpuint (p->seg.flags, ==, TCP_PSH | TCP_ACK);
  g_assert_cmpuint (p->seg.seq, ==, 906961562u);
  g_assert_cmpuint (p->seg.ack, ==, 2490015882u);
  g_assert_cmpuint (p->seg.rel_seq, ==, 14481);
  g_assert_cmpuint (p->seg.len_bytes, ==, 1448);
  g_assert_cmpuint (p->seg.win, ==, 32768);
  g_assert_cmpuint (p->seg.ip_bytes, ==, 1500);
  g_assert_true (p->seg.timestamps);
  g_assert_cmpuint (p->seg.tsecr, ==, 507370849u);
  g_assert_cmpint (p->seg.wscale, ==, -1);
  g_assert_cmpuint (p->seg.mss_bytes, ==, 0);
  g_assert_cmpuint (p->seg.n_sack, ==, 2);
  g_assert_cmpuint (p->seg.sack[1][0], ==, 3);
  g_assert_cmpuint (p->seg.sack[1][1], ==, 4);

  /* A packet that is not TCP has only uid and bytes. */
  feed ("{\"t_ns\":5,\"ev\":\"link.rx\",\"link\":\"l\",\"dir\":\"a>b\","
        "\"uid\":7,\"bytes\":60,\"queue_pkts\":2}", &last);
  g_assert_false (p->seg.tcp);
  g_assert_cmpuint (p->seg.uid, ==, 7);
  g_assert_cmpint (p->arrive_ns, ==, -1);
  g_assert_null (p->reason);
  last_clear (&last);
}

static void
test_tcp (void)
{
  Last last = { 0 };

  feed ("{\"t_ns\":10070400,\"ev\":\"tcp.vars\",\"host\":\"client\","
        "\"conn\":\"1.2.3.4:1>5.6.7.8:2\",\"cwnd_bytes\":4380,"
        "\"ssthresh_bytes\":4294967295,\"rwnd_bytes\":65535,"
        "\"flight_bytes\":0,\"srtt_ns\":10070400,\"rttvar_ns\":5035200,"
        "\"rto_ns\":1000000000,\"rtt_sample_ns\":10070400}", &last);
  g_assert_cmpint (last.rec.kind, ==, TRACE_KIND_TCP_VARS);
  g_assert_cmpuint (last.rec.vars.ssthresh_bytes, ==, 4294967295u);
  g_assert_cmpint (last.rec.vars.rtt_sample_ns, ==, 10070400);
  g_assert_cmpstr (last.rec.vars.conn, ==, "1.2.3.4:1>5.6.7.8:2");

  feed ("{\"t_ns\":1,\"ev\":\"tcp.event\",\"host\":\"h\",\"conn\":null,"
        "\"what\":\"drop\",\"reason\":null,\"rel_seq\":5,\"len\":0}", &last);
  g_assert_cmpint (last.rec.kind, ==, TRACE_KIND_TCP_EVENT);
  g_assert_null (last.rec.event.conn);
  g_assert_null (last.rec.event.reason);
  g_assert_cmpuint (last.rec.event.rel_seq, ==, 5);

  feed ("{\"t_ns\":9,\"ev\":\"tcp.conn\",\"host\":\"server\","
        "\"conn\":\"1.2.3.4:1>5.6.7.8:2\",\"active_open\":false,"
        "\"open_ns\":5,\"established_ns\":-1,\"closed_ns\":-1,"
        "\"last_delivery_ns\":0,\"bytes_sent\":111,\"bytes_acked\":111,"
        "\"bytes_received\":159,\"segs_sent\":4,\"segs_received\":6,"
        "\"data_segs_sent\":1,\"retransmits\":0,\"retransmit_bytes\":0,"
        "\"timeouts\":0,\"fast_retransmits\":0,\"dup_acks_received\":0,"
        "\"drops_checksum\":0,\"drops_out_of_window\":0,"
        "\"final_state\":\"SYN_RECEIVED\",\"closed\":false,"
        "\"close_reason\":null}", &last);
  g_assert_cmpint (last.rec.kind, ==, TRACE_KIND_TCP_CONN);
  g_assert_cmpstr (last.rec.conn.name, ==, "1.2.3.4:1>5.6.7.8:2");
  g_assert_cmpint (last.rec.conn.final_state, ==, TCP_STATE_SYN_RECEIVED);
  g_assert_cmpint (last.rec.conn.established_ns, ==, -1);
  g_assert_false (last.rec.conn.closed);
  g_assert_cmpuint (last.rec.conn.bytes_received, ==, 159);

  feed ("{\"t_ns\":3,\"ev\":\"app.event\",\"app\":\"x\",\"side\":\"client\","
        "\"what\":\"connect\",\"bytes\":0}", &last);
  g_assert_cmpint (last.rec.kind, ==, TRACE_KIND_APP_EVENT);
  g_assert_null (last.rec.app.conn);

  /* Kinds the views do not know pass through with their object. */
  feed ("{\"t_ns\":4,\"ev\":\"link.corrupt\",\"uid\":9}", &last);
  g_assert_cmpint (last.rec.kind, ==, TRACE_KIND_OTHER);
  g_assert_cmpstr (last.rec.ev, ==, "link.corrupt");
  g_assert_true (json_object_has_member (last.rec.object, "uid"));
  last_clear (&last);
}

static const struct {
  const char *name;
  const char *text;
  const char *error;            /* a part of the message */
} bad_files[] = {
  { "not-json", "{\"t_ns\":1,\"ev\":\"x\"}\n{oops\n", ":2: " },
  { "not-object", "[1,2]\n", ":1: not a JSON object" },
  { "no-time", "{\"ev\":\"x\"}\n", ":1: field 't_ns'" },
  { "bad-flags",
    "\n{\"t_ns\":1,\"ev\":\"link.tx\",\"link\":\"l\",\"dir\":\"a>b\","
    "\"uid\":1,\"bytes\":40,\"src\":\"1.2.3.4:1\",\"dst\":\"1.2.3.5:2\","
    "\"flags\":\"Z\"}\n", ":2: field 'flags'" },
  { "no-vars",
    "{\"t_ns\":1,\"ev\":\"tcp.vars\",\"host\":\"h\",\"conn\":\"c\"}\n",
    ":1: field 'cwnd_bytes'" },
  { "negative-time", "{\"t_ns\":-1,\"ev\":\"x\"}", ":1: field 't_ns'" },
};

static void
test_bad_file (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autoptr (TraceReader) reader = trace_reader_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tcpsim-reader-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "trace.jsonl", NULL);

  g_assert_true (g_file_set_contents (path, bad_files[i].text, -1, NULL));
  g_assert_false (trace_reader_read_file (reader, path, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, path));
  if (strstr (error->message, bad_files[i].error) == NULL)
    g_error ("'%s' does not contain '%s'", error->message,
             bad_files[i].error);
  g_remove (path);
  g_rmdir (dir);
}

static void
count_records (const TraceRecord *rec, void *data)
{
  (void) rec;
  (*(guint *) data)++;
}

/* A last line without its newline, and lines longer than the reader's
 * block, are read all the same. */
static void
test_long_lines (void)
{
  g_autoptr (TraceReader) reader = trace_reader_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *dir = g_dir_make_tmp ("tcpsim-reader-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "trace.jsonl", NULL);
  guint n = 0;

  for (guint i = 0; i < 3; i++)
    {
      g_string_append_printf (text, "{\"t_ns\":%u,\"ev\":\"pad\",\"x\":\"",
                              i);
      for (guint k = 0; k < 300000; k++)
        g_string_append_c (text, 'a' + (char) (k % 26));
      g_string_append (text, i < 2 ? "\"}\n" : "\"}");
    }
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
  trace_reader_add_sink (reader, count_records, &n);
  g_assert_true (trace_reader_read_file (reader, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (trace_reader_n_records (reader), ==, 3);
  g_assert_cmpint (trace_reader_end_ns (reader), ==, 2);
  g_remove (path);
  g_rmdir (dir);
}

/* The live path formats a record as trace.jsonl does, so it decodes to
 * the same fields. */
static void
vars_json (const void *body, GString *out)
{
  (void) body;
  sim_json_append_string (out, "host", "h");
  sim_json_append_string (out, "conn", "1.2.3.4:1>5.6.7.8:2");
  sim_json_append_uint (out, "cwnd_bytes", 2920);
  sim_json_append_uint (out, "ssthresh_bytes", 1000);
  sim_json_append_uint (out, "rwnd_bytes", 65535);
  sim_json_append_uint (out, "flight_bytes", 0);
  sim_json_append_int (out, "srtt_ns", 7);
  sim_json_append_int (out, "rttvar_ns", 3);
  sim_json_append_int (out, "rto_ns", 1000);
}

static void
test_live (void)
{
  static const SimTraceKind kind = { "tcp.vars", vars_json };
  SimTraceRecord rec = { 42, &kind, NULL };
  g_autoptr (TraceReader) reader = trace_reader_new ();
  Last last = { 0 };

  trace_reader_add_sink (reader, keep_last, &last);
  trace_reader_record (&rec, reader);
  g_assert_null (trace_reader_take_error (reader));
  g_assert_cmpuint (last.n, ==, 1);
  g_assert_cmpint (last.rec.t_ns, ==, 42);
  g_assert_cmpuint (last.rec.vars.cwnd_bytes, ==, 2920);
  g_assert_cmpint (last.rec.vars.rtt_sample_ns, ==, -1);
  last_clear (&last);
}

/* The replay names the ends as the live collector does, from what the
 * trace says: the client's node from its link direction, the server's
 * from its listener's record. */
static void
test_replay_ends (void)
{
  static const char *const lines[] = {
    "{\"t_ns\":0,\"ev\":\"tcp.state\",\"host\":\"srv\","
    "\"conn\":\"10.0.0.2:80\",\"from\":\"CLOSED\",\"to\":\"LISTEN\"}",
    "{\"t_ns\":0,\"ev\":\"link.tx\",\"link\":\"l\",\"dir\":\"cli>srv\","
    "\"uid\":0,\"src\":\"10.0.0.1:1000\",\"dst\":\"10.0.0.2:80\","
    "\"flags\":\"S\",\"seq\":5,\"ack\":0,\"rel_seq\":0,\"rel_ack\":0,"
    "\"len\":0,\"win\":100,\"hlen\":24,\"bytes\":44,\"mss\":1460,"
    "\"arrive_ns\":10,\"queue_pkts\":0}",
    "{\"t_ns\":10,\"ev\":\"link.rx\",\"link\":\"l\",\"dir\":\"cli>srv\","
    "\"uid\":0,\"src\":\"10.0.0.1:1000\",\"dst\":\"10.0.0.2:80\","
    "\"flags\":\"S\",\"seq\":5,\"ack\":0,\"rel_seq\":0,\"rel_ack\":0,"
    "\"len\":0,\"win\":100,\"hlen\":24,\"bytes\":44,\"mss\":1460,"
    "\"queue_pkts\":0}",
  };
  g_autoptr (TraceReader) reader = trace_reader_new ();
  g_autoptr (SeqDiagReplay) replay = seqdiag_replay_new ();
  g_autoptr (GError) error = NULL;
  const SeqDiag *diag;
  const SeqDiagEvent *ev;

  trace_reader_add_sink (reader, seqdiag_replay_record, replay);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_assert_true (trace_reader_feed_line (reader, lines[i], -1, &error));
      g_assert_no_error (error);
    }
  diag = seqdiag_replay_finish (replay);
  g_assert_cmpstr (seqdiag_end (diag, SEQDIAG_CLIENT)->host, ==, "cli");
  g_assert_cmpstr (seqdiag_end (diag, SEQDIAG_SERVER)->host, ==, "srv");
  g_assert_cmpstr (seqdiag_end (diag, SEQDIAG_SERVER)->initial_state, ==,
                   "LISTEN");
  g_assert_cmpuint (seqdiag_n_segments (diag), ==, 1);
  ev = seqdiag_event (diag, 0);
  g_assert_cmpint (ev->seg.fate, ==, SEQDIAG_FATE_ARRIVED);
  g_assert_cmpint (ev->seg.end_ns, ==, 10);
  g_assert_cmpuint (ev->seg.mss_bytes, ==, 1460);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plots/trace-reader/flags", test_flags);
  g_test_add_func ("/plots/trace-reader/addr", test_addr);
  g_test_add_func ("/plots/trace-reader/link", test_link);
  g_test_add_func ("/plots/trace-reader/tcp", test_tcp);
  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *path = g_strdup_printf ("/plots/trace-reader/bad/%s",
                                               bad_files[i].name);

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_bad_file);
    }
  g_test_add_func ("/plots/trace-reader/long-lines", test_long_lines);
  g_test_add_func ("/plots/trace-reader/live", test_live);
  g_test_add_func ("/plots/trace-reader/replay-ends", test_replay_ends);
  return g_test_run ();
}
