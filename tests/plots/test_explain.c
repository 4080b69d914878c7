/* test_explain.c: --explain N, the textbook decoding of one segment.
 *
 * The seed scenario is loaded and run in-process with an ExplainCollector
 * on its trace bus; segment 1 (the SYN, with its MSS option) and segment
 * 4 (the 159-byte request) must match their golden files.  Hand-made
 * packets cover what the seed lacks: options of every kind, window
 * scaling, a bad checksum, a packet that is not TCP.
 * Paths: /plots/explain/...
 */
#include <string.h>

#include "models/checksum.h"
#include "models/tcp/tcp.h"
#include "models/wire.h"
#include "plots/explain.h"
#include "plots_test.h"
#include "scenarios/scn_build.h"

/* Runs the seed exchange and returns the explanation of segment @n, or
 * NULL with @error set. */
static char *
explain_seed (guint64 n, gboolean ascii, const char *const *sets,
              guint64 *n_seen, GError **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..",
                                                 "scenarios",
                                                 "seed-exchange.scn", NULL);
  ScnOverrides overrides = { 0 };
  ScnRun run = { 0 };
  g_autoptr (SimWorld) world = NULL;
  g_autoptr (ExplainCollector) c = NULL;
  g_autoptr (GError) load_error = NULL;
  char *text;

  overrides.sets = sets;
  world = scn_load_file (path, &overrides, &run, &load_error);
  g_assert_no_error (load_error);
  c = explain_collector_new (run.network, n);
  sim_trace_subscribe (network_trace (run.network), explain_collector_record,
                       c);
  sim_world_run (world, run.end_ns);
  /* Nobody listens while the world is freed. */
  sim_trace_bus_clear (sim_world_trace (world));
  text = explain_collector_render (c, ascii, error);
  if (n_seen != NULL)
    *n_seen = explain_collector_n_seen (c);
  g_clear_pointer (&world, sim_world_free);
  return text;
}

static void
test_seed_golden (gconstpointer data)
{
  guint n = GPOINTER_TO_UINT (data);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = explain_seed (n, FALSE, NULL, NULL, &error);
  g_autofree char *name = g_strdup_printf ("explain-seed-%u.txt", n);

  g_assert_no_error (error);
  test_assert_golden (name, text);
}

/* What a textbook reader must find in segment 4, whatever the layout. */
static void
test_seed_request (void)
{
  static const char *const needles[] = {
    "Segment 4: the 4th packet to enter a link",
    "on link cable, client>server",
    "172.16.17.94:49152 > 172.16.17.95:8080  PSH,ACK seq=1 ack=1 len=159 "
      "win=65535",
    "5 application  159 bytes the application wrote, sequence numbers 1 "
      "to 159",
    "TCP adds a 20-byte header (ports 49152 > 8080): a 179-byte",
    "IPv4 adds a 20-byte header",
    "a 199-byte datagram",
    "1592 bits at 10.0 Mbit/s",
    "LINKTYPE_RAW",
    "|          Source Port          |       Destination Port        |",
    "|             49152             |             8080              |",
    "5 words of 4 bytes = 20 bytes of header: no options",
    "next sequence number = 1 + 159 = 160",
    "ACK 1  the acknowledgment number is significant",
    "PSH 1  push",
    "SYN 0  not synchronizing",
    "65535 bytes the sender can receive (not scaled",
    ", verifies: the ones' complement sum",
    "TCP length 179",
    "0 (ignored: URG is not set)",
    "Options                 none",
    "Data                    159 bytes, sequence numbers 1 to 159;",
  };
  g_autoptr (GError) error = NULL;
  g_autofree char *text = explain_seed (4, FALSE, NULL, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (needles); i++)
    if (strstr (text, needles[i]) == NULL)
      g_error ("no '%s' in:\n%s", needles[i], text);
  /* The flags row of the figure, CWR first: 0 0 0 1 1 0 0 0. */
  g_assert_nonnull (strstr (text, "|   5   |   0   |0|0|0|1|1|0|0|0|"));
}

/* Random ISNs: absolute and relative numbers now differ, and the
 * relative ones are those of the diagram. */
static void
test_seed_random_isn (void)
{
  static const char *const sets[] = { "tcp.isn=random", NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *text = explain_seed (2, FALSE, sets, NULL, &error);
  g_autoptr (GRegex) re = g_regex_new ("Sequence Number +([0-9]+) \\(relative "
                                       "0\\): the initial sequence number",
                                       G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT,
                                       NULL);

  g_assert_no_error (error);
  g_assert_true (g_regex_match (re, text, G_REGEX_MATCH_DEFAULT, NULL));
  g_assert_nonnull (strstr (text, "SYN,ACK seq=0 ack=1 len=0"));
  g_assert_nonnull (strstr (text, "never scaled in a"));
}

static void
test_not_found (void)
{
  g_autoptr (GError) error = NULL;
  guint64 n_seen = 0;
  g_autofree char *text = explain_seed (11, FALSE, NULL, &n_seen, &error);

  g_assert_null (text);
  g_assert_error (error, EXPLAIN_ERROR, EXPLAIN_ERROR_NOT_FOUND);
  g_assert_cmpuint (n_seen, ==, 10);
  g_assert_nonnull (strstr (error->message, "only 10 packets"));
}

/* A SYN-less data segment with every option kind the simulator knows,
 * laid out as Linux does, and a corrupted checksum. */
static gsize
build_options_packet (guint8 *buf, gboolean bad_checksum)
{
  /* Laid out so that fields straddle word boundaries, as a figure must
   * be able to draw. */
  static const guint8 options[] = {
    1, 2, 4, 0x05, 0xb4, 1, 1, 1,                 /* NOP MSS NOP NOP NOP */
    8, 10, 0, 0, 0, 7, 0, 0, 0, 9,                /* TS */
    1, 1, 5, 10, 0, 0, 0x03, 0xe9, 0, 0, 0x07, 0xd1,  /* NOP NOP SACK */
    3, 3, 7, 4, 2, 0,                             /* WS SACK-P EOL */
  };
  TestSeg seg = { "10.0.0.1", 1234, "10.0.0.2", 80, 1001, 2001,
                  TCP_ACK | TCP_URG, 0, 3, 0 };
  gsize len = test_build_packet (&seg, buf, 256);
  guint8 *tcp = buf + IPV4_HEADER_BYTES;
  guint tcp_hdr = 20 + sizeof options;
  guint8 pseudo[12];
  guint64 sum;

  /* Rebuild the TCP part with the options in front of the payload. */
  memmove (tcp + tcp_hdr, tcp + 20, 3);
  memcpy (tcp + 20, options, sizeof options);
  tcp[12] = (guint8) ((tcp_hdr / 4) << 4);
  wire_put16 (tcp + 18, 2);
  len += sizeof options;
  wire_put16 (buf + 2, (guint16) len);
  wire_put16 (buf + 10, 0);
  wire_put16 (buf + 10, inet_csum (buf, IPV4_HEADER_BYTES));
  wire_put16 (tcp + 16, 0);
  wire_put32 (pseudo, 0x0a000001);
  wire_put32 (pseudo + 4, 0x0a000002);
  pseudo[8] = 0;
  pseudo[9] = IPV4_PROTO_TCP;
  wire_put16 (pseudo + 10, (guint16) (tcp_hdr + 3));
  sum = inet_csum_add (0, pseudo, sizeof pseudo);
  sum = inet_csum_add (sum, tcp, tcp_hdr + 3);
  wire_put16 (tcp + 16, (guint16) (inet_csum_fold (sum)
                                   ^ (bad_checksum ? 0x0100 : 0)));
  return len;
}

static void
test_options (void)
{
  guint8 buf[256];
  ExplainPacket pkt = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  static const char *const needles[] = {
    "14 words of 4 bytes = 56 bytes of header: 20 fixed,",
    "Timestamps (kind 8, RFC 7323 3): TSval 7",
    "TSecr 9",
    "SACK block (kind 5, RFC 2018): received 1000 to 1999",
    "(relative; raw 1001 to 2000)",
    "Maximum Segment Size (kind 2, RFC 9293 3.7.1)",
    "at most 1460 bytes",
    "Window Scale (kind 3, RFC 7323 2): shift 7",
    "SACK Permitted (kind 4, RFC 2018)",
    "End of Option List (kind 0)",
    "No-Operation (kind 1)",
    "0 << 3 = 0 bytes the sender can receive (scaled",
    "a zero window",
    "does NOT verify (expected",
    "2: urgent data ends 2 bytes after",
    /* Fields that straddle two words go on in the next, in brackets. */
    "|      NOP      |    Length     |      MSS      | Max Seg Size  |",
    "|(Max Seg Size) |      NOP      |      NOP      |      NOP      |",
    "|    Length     |      TS       |             TSval             |",
    "|            (TSval)            |             TSecr             |",
    "|     Shift     |    Length     |   SACK-Perm   |      EOL      |",
    "   :                         Data: 3 bytes                         :",
    "61 62 63\n                          |abc|\n",
    "URG 1  the urgent pointer is significant",
  };

  pkt.number = 7;
  pkt.at_ns = SIM_MS (3);
  pkt.link = "l1";
  pkt.dir = "a>b";
  pkt.rate_bps = 0;
  pkt.delay_ns = SIM_MS (1);
  pkt.bytes = buf;
  pkt.len_bytes = build_options_packet (buf, TRUE);
  pkt.isn_seq = 1000;
  pkt.isn_ack = 1;
  pkt.scale = EXPLAIN_SCALE_SHIFTED;
  pkt.wscale_shift = 3;
  text = explain_render (&pkt, TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (needles); i++)
    if (strstr (text, needles[i]) == NULL)
      g_error ("no '%s' in:\n%s", needles[i], text);
  g_assert_nonnull (strstr (text, "Segment 7: the 7th packet"));
  g_assert_nonnull (strstr (text, "without a rate limit"));
  /* ASCII boxes only. */
  for (const char *p = text; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);
}

static void
test_not_tcp (void)
{
  guint8 buf[64] = { 0x45, 0 };
  ExplainPacket pkt = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  wire_put16 (buf + 2, 40);
  buf[9] = 17;                  /* UDP */
  pkt.number = 3;
  pkt.link = "l1";
  pkt.dir = "a>b";
  pkt.bytes = buf;
  pkt.len_bytes = 40;
  text = explain_render (&pkt, FALSE, &error);
  g_assert_null (text);
  g_assert_error (error, EXPLAIN_ERROR, EXPLAIN_ERROR_NOT_TCP);
}

static void
test_ordinals (void)
{
  static const struct {
    guint64 n;
    const char *text;
  } cases[] = {
    { 1, "the 1st packet" }, { 2, "the 2nd packet" }, { 3, "the 3rd packet" },
    { 11, "the 11th packet" }, { 12, "the 12th packet" },
    { 13, "the 13th packet" }, { 21, "the 21st packet" },
    { 112, "the 112th packet" },
  };
  guint8 buf[256];

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ExplainPacket pkt = { 0 };
      g_autofree char *text = NULL;

      pkt.number = cases[i].n;
      pkt.link = "l1";
      pkt.dir = "a>b";
      pkt.bytes = buf;
      pkt.len_bytes = build_options_packet (buf, FALSE);
      text = explain_render (&pkt, FALSE, NULL);
      g_assert_nonnull (strstr (text, cases[i].text));
      g_assert_nonnull (strstr (text, ", verifies"));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/plots/explain/seed-1", GUINT_TO_POINTER (1),
                        test_seed_golden);
  g_test_add_data_func ("/plots/explain/seed-4", GUINT_TO_POINTER (4),
                        test_seed_golden);
  g_test_add_func ("/plots/explain/seed-request", test_seed_request);
  g_test_add_func ("/plots/explain/random-isn", test_seed_random_isn);
  g_test_add_func ("/plots/explain/not-found", test_not_found);
  g_test_add_func ("/plots/explain/options", test_options);
  g_test_add_func ("/plots/explain/not-tcp", test_not_tcp);
  g_test_add_func ("/plots/explain/ordinals", test_ordinals);
  return g_test_run ();
}
