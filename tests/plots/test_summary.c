/* test_summary.c: the per-connection summary: units of goodput and
 * durations, the terminal table (golden), row limits, summary.json, and
 * the records it is built from. */
#include <glib/gstdio.h>
#include <string.h>

#include "models/link.h"
#include "plots/summary.h"
#include "plots_test.h"

typedef struct {
  double bps;
  const char *text;
} RateCase;

static const RateCase rate_cases[] = {
  { 0.0, "0 bit/s" },
  { 0.4, "0 bit/s" },
  { 7.0, "7 bit/s" },
  { 950.0, "950 bit/s" },
  { 999.4, "999 bit/s" },
  { 999.6, "1.00 kbit/s" },
  { 1000.0, "1.00 kbit/s" },
  { 22080.77, "22.1 kbit/s" },
  { 63198.0, "63.2 kbit/s" },
  { 99960.0, "100 kbit/s" },
  { 512000.0, "512 kbit/s" },
  { 1.5e6, "1.50 Mbit/s" },
  { 9.994e6, "9.99 Mbit/s" },
  { 9.996e6, "10.0 Mbit/s" },
  { 94.87e6, "94.9 Mbit/s" },
  { 1e9, "1.00 Gbit/s" },
  { 2.5e15, "2500 Tbit/s" },
  { -1.0, "-" },
};

static void
test_rate (gconstpointer data)
{
  const RateCase *c = data;
  char buf[SUMMARY_STR_BYTES];

  summary_format_rate (c->bps, buf);
  g_assert_cmpstr (buf, ==, c->text);
}

static void
test_duration (void)
{
  static const struct {
    SimTime ns;
    const char *text;
  } cases[] = {
    { 0, "0 ns" },
    { 250, "250 ns" },
    { 1500, "1.500 us" },
    { SIM_MS (60) + 50100, "60.050 ms" },
    { SIM_S (1), "1.000 s" },
    { SIM_S (60) + SIM_MS (60) + 280000, "60.060 s" },
    { -1, "-" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char buf[SUMMARY_STR_BYTES];

      summary_format_duration (cases[i].ns, buf);
      g_assert_cmpstr (buf, ==, cases[i].text);
    }
}

/* The two ends of the tutorial's exchange (see plots_test.c), and a
 * connection that never got through. */
static void
seed_stats (TcpConnStats *client, TcpConnStats *server,
            TcpConnStats *failed)
{
  memset (client, 0, sizeof *client);
  g_strlcpy (client->name, "172.16.17.94:49152>172.16.17.95:8080",
             sizeof client->name);
  client->host = "client";
  client->active_open = TRUE;
  client->open_ns = 0;
  client->established_ns = SIM_MS (20);
  client->closed_ns = SIM_S (60) + SIM_MS (60) + 280000;
  client->last_delivery_ns = SIM_MS (40) + 216000;
  client->bytes_sent = 159;
  client->bytes_acked = 159;
  client->bytes_received = 111;
  client->segs_sent = 6;
  client->segs_received = 4;
  client->data_segs_sent = 1;
  client->final_state = TCP_STATE_CLOSED;
  client->close_reason = TCP_CLOSE_NORMAL;
  client->closed = TRUE;

  memset (server, 0, sizeof *server);
  g_strlcpy (server->name, "172.16.17.95:8080>172.16.17.94:49152",
             sizeof server->name);
  server->host = "server";
  server->open_ns = SIM_MS (10);
  server->established_ns = SIM_MS (30);
  server->closed_ns = SIM_MS (70) + 280000;
  server->last_delivery_ns = SIM_MS (30) + 127200;
  server->bytes_sent = 111;
  server->bytes_acked = 111;
  server->bytes_received = 159;
  server->segs_sent = 4;
  server->segs_received = 6;
  server->data_segs_sent = 1;
  server->final_state = TCP_STATE_CLOSED;
  server->close_reason = TCP_CLOSE_NORMAL;
  server->closed = TRUE;

  memset (failed, 0, sizeof *failed);
  g_strlcpy (failed->name, "10.0.0.1:49153>10.0.0.9:80",
             sizeof failed->name);
  failed->host = "client";
  failed->active_open = TRUE;
  failed->open_ns = SIM_S (1);
  failed->established_ns = -1;
  failed->closed_ns = SIM_S (64);
  failed->last_delivery_ns = -1;
  failed->segs_sent = 7;
  failed->retransmits = 6;
  failed->timeouts = 6;
  failed->final_state = TCP_STATE_CLOSED;
  failed->close_reason = TCP_CLOSE_TIMEOUT;
  failed->closed = TRUE;
}

static Summary *
seed_summary (void)
{
  static const AppTraceEvent app_events[] = {
    { "web", "client", "start", NULL, 0 },
    { "web", "client", "request-sent", "172.16.17.94:49152>172.16.17.95:8080",
      159 },
    { "web", "server", "response-sent",
      "172.16.17.95:8080>172.16.17.94:49152", 111 },
    { "web", "client", "done", "172.16.17.94:49152>172.16.17.95:8080", 111 },
  };
  static const SimTime app_times[] = {
    0, SIM_MS (20), SIM_MS (30) + 127200, SIM_MS (40) + 216000,
  };
  Summary *s = summary_new ();
  TcpConnStats client;
  TcpConnStats server;
  TcpConnStats failed;

  seed_stats (&client, &server, &failed);
  for (guint i = 0; i < G_N_ELEMENTS (app_events); i++)
    summary_add_app_event (s, app_times[i], &app_events[i]);
  summary_add_conn (s, &client);
  summary_add_conn (s, &server);
  summary_add_conn (s, &failed);
  return s;
}

static void
test_goodput (void)
{
  TcpConnStats client;
  TcpConnStats server;
  TcpConnStats failed;

  seed_stats (&client, &server, &failed);
  /* 111 bytes from t = 0 to the last delivery at 40.216 ms. */
  g_assert_cmpfloat_with_epsilon (summary_goodput_bps (&client),
                                  111 * 8 / 0.040216, 1e-6);
  /* 159 bytes from the SYN's arrival at 10 ms to 30.1272 ms. */
  g_assert_cmpfloat_with_epsilon (summary_goodput_bps (&server),
                                  159 * 8 / 0.0201272, 1e-6);
  g_assert_cmpfloat (summary_goodput_bps (&failed), <, 0.0);
}

static void
test_table (void)
{
  g_autoptr (Summary) s = seed_summary ();
  g_autofree char *table = summary_format_table (s, SIM_S (64), 20);

  test_assert_golden ("summary-table.txt", table);
  g_assert_nonnull (strstr (table, "22.1 kbit/s"));
  g_assert_nonnull (strstr (table, "63.2 kbit/s"));
  g_assert_nonnull (strstr (table, "CLOSED (timeout)"));
  g_assert_nonnull (strstr (table, "total, 3 endpoints"));
}

static void
test_table_single (void)
{
  g_autoptr (Summary) s = summary_new ();
  TcpConnStats client;
  TcpConnStats server;
  TcpConnStats failed;
  g_autofree char *table = NULL;

  seed_stats (&client, &server, &failed);
  client.closed = FALSE;
  client.closed_ns = -1;
  client.final_state = TCP_STATE_TIME_WAIT;
  summary_add_conn (s, &client);
  table = summary_format_table (s, SIM_MS (70) + 280000, 20);
  /* An open connection lasts until the end of the run; one endpoint needs
   * no total. */
  g_assert_nonnull (strstr (table, "70.280 ms"));
  g_assert_nonnull (strstr (table, "TIME_WAIT"));
  g_assert_null (strstr (table, "total"));
}

static void
test_table_empty (void)
{
  g_autoptr (Summary) s = summary_new ();
  g_autofree char *table = summary_format_table (s, 0, 20);

  g_assert_cmpstr (table, ==, "");
}

static void
test_max_rows (void)
{
  g_autoptr (Summary) s = summary_new ();
  g_autofree char *table = NULL;
  g_autofree char *all = NULL;
  TcpConnStats client;
  TcpConnStats server;
  TcpConnStats failed;

  seed_stats (&client, &server, &failed);
  for (guint i = 0; i < 30; i++)
    {
      g_snprintf (client.name, sizeof client.name,
                  "10.0.0.1:%u>10.0.0.2:80", 1000 + i);
      summary_add_conn (s, &client);
    }
  table = summary_format_table (s, SIM_S (100), 20);
  all = summary_format_table (s, SIM_S (100), 0);
  g_assert_nonnull (strstr (table, "10.0.0.1:1019>"));
  g_assert_null (strstr (table, "10.0.0.1:1020>"));
  g_assert_nonnull (strstr (table, "\xe2\x80\xa6 10 more endpoints in "
                            "summary.json\n"));
  /* The total counts every endpoint, shown or not. */
  g_assert_nonnull (strstr (table, "total, 30 endpoints"));
  g_assert_nonnull (strstr (table, "  4770  "));
  g_assert_nonnull (strstr (all, "10.0.0.1:1029>"));
  g_assert_null (strstr (all, "more endpoints"));
}

static JsonObject *
array_object (JsonObject *obj, const char *member, guint index)
{
  JsonArray *array = json_object_get_array_member (obj, member);

  g_assert_nonnull (array);
  g_assert_cmpuint (index, <, json_array_get_length (array));
  return json_array_get_object_element (array, index);
}

static void
test_json (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (Summary) s = seed_summary ();
  g_autofree char *dir = g_dir_make_tmp ("tcpsim-summary-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonObject *c;
  JsonObject *ev;

  g_assert_no_error (error);
  path = g_build_filename (dir, "summary.json", NULL);
  g_assert_true (summary_write_json (s, SIM_S (64), path, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (text, "}\n"));
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpint (json_object_get_int_member (root, "end_ns"), ==,
                   SIM_S (64));
  c = array_object (root, "connections", 0);
  g_assert_cmpstr (json_object_get_string_member (c, "conn"), ==,
                   "172.16.17.94:49152>172.16.17.95:8080");
  g_assert_cmpstr (json_object_get_string_member (c, "host"), ==, "client");
  g_assert_cmpstr (json_object_get_string_member (c, "app"), ==, "web");
  g_assert_true (json_object_get_boolean_member (c, "active_open"));
  g_assert_cmpint (json_object_get_int_member (c, "bytes_sent"), ==, 159);
  g_assert_cmpint (json_object_get_int_member (c, "bytes_received"), ==,
                   111);
  g_assert_cmpint (json_object_get_int_member (c, "goodput_bps"), ==, 22080);
  g_assert_cmpint (json_object_get_int_member (c, "duration_ns"), ==,
                   SIM_S (60) + SIM_MS (60) + 280000);
  g_assert_cmpint (json_object_get_int_member (c, "segs_sent"), ==, 6);
  g_assert_cmpstr (json_object_get_string_member (c, "final_state"), ==,
                   "CLOSED");
  g_assert_cmpstr (json_object_get_string_member (c, "close_reason"), ==,
                   "normal");

  c = array_object (root, "connections", 1);
  g_assert_cmpstr (json_object_get_string_member (c, "app"), ==, "web");
  g_assert_false (json_object_get_boolean_member (c, "active_open"));
  g_assert_cmpint (json_object_get_int_member (c, "goodput_bps"), ==, 63198);

  c = array_object (root, "connections", 2);
  g_assert_true (json_object_get_null_member (c, "app"));
  g_assert_true (json_object_get_null_member (c, "established_ns"));
  g_assert_true (json_object_get_null_member (c, "last_delivery_ns"));
  g_assert_true (json_object_get_null_member (c, "goodput_bps"));
  g_assert_cmpint (json_object_get_int_member (c, "timeouts"), ==, 6);
  g_assert_cmpstr (json_object_get_string_member (c, "close_reason"), ==,
                   "timeout");

  c = json_object_get_object_member (root, "totals");
  g_assert_cmpint (json_object_get_int_member (c, "endpoints"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (c, "bytes_sent"), ==, 270);
  g_assert_cmpint (json_object_get_int_member (c, "retransmits"), ==, 6);

  c = array_object (root, "apps", 0);
  g_assert_cmpstr (json_object_get_string_member (c, "app"), ==, "web");
  ev = json_array_get_object_element (json_object_get_array_member (c,
                                                                    "events"),
                                      1);
  g_assert_cmpstr (json_object_get_string_member (ev, "side"), ==, "client");
  g_assert_cmpstr (json_object_get_string_member (ev, "what"), ==,
                   "request-sent");
  g_assert_cmpint (json_object_get_int_member (ev, "count"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (ev, "bytes"), ==, 159);
  g_assert_cmpint (json_object_get_int_member (ev, "first_ns"), ==,
                   SIM_MS (20));

  g_remove (path);
  g_rmdir (dir);
}

/* The summary reads tcp.conn and app.event from the bus, copies what it
 * needs (bodies live only during delivery), and ignores the rest. */
static void
test_record (void)
{
  g_autoptr (Summary) s = summary_new ();
  TcpConnStats client;
  TcpConnStats server;
  TcpConnStats failed;
  char host[] = "client";
  AppTraceEvent app = { "web", "client", "start", NULL, 0 };
  SimTraceRecord rec;
  g_autofree char *table = NULL;

  seed_stats (&client, &server, &failed);
  client.host = host;
  rec = (SimTraceRecord) { 5, &tcp_trace_conn, &client };
  summary_record (&rec, s);
  rec = (SimTraceRecord) { 1, &app_trace_event, &app };
  summary_record (&rec, s);
  rec = (SimTraceRecord) { 1, &link_trace_tx, NULL };
  summary_record (&rec, s);
  memset (&client, 0, sizeof client);
  host[0] = 'X';
  g_assert_cmpuint (summary_n_conns (s), ==, 1);
  table = summary_format_table (s, SIM_S (61), 0);
  g_assert_nonnull (strstr (table, "172.16.17.94:49152>172.16.17.95:8080  "
                            "client"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rate_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/plots/summary/rate/%u", i);

      g_test_add_data_func (path, &rate_cases[i], test_rate);
    }
  g_test_add_func ("/plots/summary/duration", test_duration);
  g_test_add_func ("/plots/summary/goodput", test_goodput);
  g_test_add_func ("/plots/summary/table", test_table);
  g_test_add_func ("/plots/summary/table-single", test_table_single);
  g_test_add_func ("/plots/summary/table-empty", test_table_empty);
  g_test_add_func ("/plots/summary/max-rows", test_max_rows);
  g_test_add_func ("/plots/summary/json", test_json);
  g_test_add_func ("/plots/summary/record", test_record);
  return g_test_run ();
}
