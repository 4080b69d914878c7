/* test_tshark_lossy.c: the pcap round trip for lossy runs.
 *
 * Each case runs a scenario in-process with trace.jsonl and the pcaps on,
 * then reads a link's capture back with tshark and compares it, packet
 * by packet, with that link's link.tx records: relative seq and ack,
 * flags, payload length, window, and a good checksum.  tshark's own
 * analysis must then agree with what the trace implies: a retransmission
 * wherever a segment starts below what its side had sent, a duplicate ACK
 * wherever a pure ACK repeats its side's previous ack and window, a zero
 * window wherever the window is 0.  Skipped when
 * tshark is not installed.  Paths: /plots/tshark-lossy/...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "models/tcp/tcp.h"
#include "models/tcp/tcp_seq.h"
#include "plots/tracers.h"
#include "plots_test.h"
#include "scenarios/scn_build.h"

typedef struct {
  const char *name;
  const char *const *path;      /* from the source root */
  const char *const *sets;
  guint64 seed;                 /* 0: the file's */
  const char *link;
  guint min_rexmit;             /* at least this many retransmissions */
  guint min_dupack;
} Case;

static const char *const seed_path[] = {
  "scenarios", "seed-exchange.scn", NULL,
};
static const char *const bulk_path[] = {
  "tests", "plots", "data", "lossy-bulk.scn", NULL,
};
static const char *const fast_retransmit_path[] = {
  "scenarios", "fast-retransmit.scn", NULL,
};
static const char *const lost_data_rto_path[] = {
  "scenarios", "lost-data-rto.scn", NULL,
};
static const char *const bursty_loss_path[] = {
  "scenarios", "bursty-loss.scn", NULL,
};
static const char *const seed_loss_sets[] = {
  "link.cable.loss=30%", NULL,
};
static const char *const seed_clean_sets[] = {
  "link.cable.loss=0%", NULL,
};

static const Case cases[] = {
  /* Random loss both ways: handshake, data and close segments lost and
   * resent by the retransmission timer. */
  { "seed-random-loss", seed_path, seed_loss_sets, 1, "cable", 3, 0 },
  /* One data segment lost inside a window: duplicate ACKs, then a fast
   * retransmit. */
  { "bulk-fast-retransmit", bulk_path, NULL, 0, "l", 1, 3 },
  /* The gallery's lossy lessons, as users run them. */
  { "gallery-fast-retransmit", fast_retransmit_path, NULL, 0, "wire", 1, 3 },
  { "gallery-lost-data-rto", lost_data_rto_path, NULL, 0, "cable", 1, 0 },
  { "gallery-bursty-loss", bursty_loss_path, NULL, 0, "wire", 1, 0 },
  /* No loss: tshark must flag nothing. */
  { "seed-clean", seed_path, seed_clean_sets, 0, "cable", 0, 0 },
};

/* One link.tx record of the trace. */
typedef struct {
  guint32 rel_seq;
  guint32 rel_ack;
  guint8 flags;
  guint32 len;
  guint32 win;
  gboolean src_is_first;        /* from the end that sent the first
                                 * packet on the link */
} TxRecord;

static guint8
flags_from_letters (const char *s)
{
  guint8 flags = 0;

  for (; *s != '\0'; s++)
    switch (*s)
      {
      case 'F': flags |= TCP_FIN; break;
      case 'S': flags |= TCP_SYN; break;
      case 'R': flags |= TCP_RST; break;
      case 'P': flags |= TCP_PSH; break;
      case '.': flags |= TCP_ACK; break;
      case 'U': flags |= TCP_URG; break;
      case 'E': flags |= TCP_ECE; break;
      case 'W': flags |= TCP_CWR; break;
      case '-': break;
      default: g_error ("unknown flag letter '%c'", *s);
      }
  return flags;
}

static GArray *
read_trace (const char *path, const char *link)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *first_src = NULL;
  GArray *records = g_array_new (FALSE, TRUE, sizeof (TxRecord));

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr (JsonNode) node = json_from_string (lines[i], &error);
      JsonObject *o;
      TxRecord r = { 0 };

      g_assert_no_error (error);
      o = json_node_get_object (node);
      if (strcmp (json_object_get_string_member (o, "ev"), "link.tx") != 0
          || strcmp (json_object_get_string_member (o, "link"), link) != 0)
        continue;
      if (first_src == NULL)
        first_src = g_strdup (json_object_get_string_member (o, "src"));
      r.rel_seq = (guint32) json_object_get_int_member (o, "rel_seq");
      r.rel_ack = (guint32) json_object_get_int_member (o, "rel_ack");
      r.flags = flags_from_letters (json_object_get_string_member (o,
                                                                   "flags"));
      r.len = (guint32) json_object_get_int_member (o, "len");
      r.win = (guint32) json_object_get_int_member (o, "win");
      r.src_is_first = strcmp (json_object_get_string_member (o, "src"),
                               first_src) == 0;
      g_array_append_val (records, r);
    }
  return records;
}

/* What a capture tool concludes from the trace alone. */
typedef struct {
  gboolean rexmit;
  gboolean dupack;
  gboolean zero_window;
} Analysis;

static Analysis *
analyse (const GArray *records)
{
  Analysis *a = g_new0 (Analysis, records->len);
  gboolean sent_any[2] = { FALSE, FALSE };
  guint32 snd_max[2] = { 0, 0 };
  gboolean have_ack[2] = { FALSE, FALSE };
  guint32 last_ack[2] = { 0, 0 };
  guint32 last_win[2] = { 0, 0 };

  for (guint i = 0; i < records->len; i++)
    {
      const TxRecord *r = &g_array_index (records, TxRecord, i);
      guint d = r->src_is_first ? 0 : 1;
      guint32 space = r->len + ((r->flags & TCP_SYN) ? 1 : 0)
                      + ((r->flags & TCP_FIN) ? 1 : 0);
      gboolean control = (r->flags & (TCP_SYN | TCP_FIN | TCP_RST)) != 0;

      /* Wireshark's rule (packet-tcp.c): no data, no SYN/FIN/RST, a
       * window that is not zero, the same ack and window as this side's
       * previous segment, and the next sequence number expected from this
       * side (no data skipped). */
      if (r->len == 0 && !control && (r->flags & TCP_ACK) && have_ack[d]
          && r->win != 0 && r->rel_ack == last_ack[d]
          && r->win == last_win[d] && sent_any[d]
          && r->rel_seq == snd_max[d])
        a[i].dupack = TRUE;
      if (space > 0 && sent_any[d] && TCP_SEQ_LT (r->rel_seq, snd_max[d]))
        a[i].rexmit = TRUE;
      if (space > 0 && (!sent_any[d]
                        || TCP_SEQ_GT (r->rel_seq + space, snd_max[d])))
        {
          snd_max[d] = r->rel_seq + space;
          sent_any[d] = TRUE;
        }
      if (r->win == 0 && !control)
        a[i].zero_window = TRUE;
      last_win[d] = r->win;
      if (r->flags & TCP_ACK)
        {
          have_ack[d] = TRUE;
          last_ack[d] = r->rel_ack;
        }
    }
  return a;
}

static void
run_scenario (const Case *c, const char *outdir)
{
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SimWorld) world = NULL;
  g_autoptr (Tracers) tracers = NULL;
  g_autoptr (GPtrArray) parts = g_ptr_array_new ();
  ScnOverrides overrides = { 0 };
  ScnRun run = { 0 };
  TracersConfig config;

  g_ptr_array_add (parts, (gpointer) g_test_get_dir (G_TEST_DIST));
  g_ptr_array_add (parts, (gpointer) "..");
  g_ptr_array_add (parts, (gpointer) "..");
  for (guint i = 0; c->path[i] != NULL; i++)
    g_ptr_array_add (parts, (gpointer) c->path[i]);
  g_ptr_array_add (parts, NULL);
  path = g_build_filenamev ((char **) parts->pdata);

  overrides.sets = c->sets;
  overrides.has_seed = c->seed != 0;
  overrides.seed = c->seed;
  world = scn_load_file (path, &overrides, &run, &error);
  g_assert_no_error (error);
  tracers_config_init (&config);
  config.outdir = outdir;
  config.diagram = FALSE;
  config.summary = FALSE;
  config.report = FALSE;
  tracers = tracers_open (run.network, &config, &error);
  g_assert_no_error (error);
  sim_world_run (world, run.end_ns);
  g_assert_true (tracers_close (tracers, &error));
  sim_trace_bus_clear (sim_world_trace (world));
  g_clear_pointer (&tracers, tracers_free);
}

static char *
run_tshark (const char *tshark, const char *pcap)
{
  static const char *const fields[] = {
    "tcp.seq", "tcp.ack", "tcp.flags", "tcp.len", "tcp.window_size_value",
    "tcp.analysis.retransmission", "tcp.analysis.fast_retransmission",
    "tcp.analysis.spurious_retransmission", "tcp.analysis.duplicate_ack",
    "tcp.analysis.zero_window", "tcp.checksum.status",
    "tcp.analysis.out_of_order",
  };
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) tshark);
  g_ptr_array_add (argv, (gpointer) "-n");
  g_ptr_array_add (argv, (gpointer) "-r");
  g_ptr_array_add (argv, (gpointer) pcap);
  g_ptr_array_add (argv, (gpointer) "-o");
  g_ptr_array_add (argv, (gpointer) "tcp.check_checksum:TRUE");
  g_ptr_array_add (argv, (gpointer) "-T");
  g_ptr_array_add (argv, (gpointer) "fields");
  g_ptr_array_add (argv, (gpointer) "-E");
  g_ptr_array_add (argv, (gpointer) "occurrence=f");
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_ptr_array_add (argv, (gpointer) "-e");
      g_ptr_array_add (argv, (gpointer) fields[i]);
    }
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL,
                NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("tshark: %s\n%s", error->message, err);
  return out;
}

static gboolean
flag_set (const char *field)
{
  return field[0] != '\0';
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autofree char *dir = NULL;
  g_autofree char *trace_path = NULL;
  g_autofree char *pcap_name = NULL;
  g_autofree char *pcap_path = NULL;
  g_autofree char *out = NULL;
  g_autofree Analysis *expected = NULL;
  g_autoptr (GArray) records = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  guint n_rexmit = 0;
  guint n_dupack = 0;

  if (tshark == NULL)
    {
      g_test_skip ("tshark is not installed");
      return;
    }
  dir = g_dir_make_tmp ("tcpsim-tshark-XXXXXX", &error);
  g_assert_no_error (error);
  run_scenario (c, dir);

  trace_path = g_build_filename (dir, "trace.jsonl", NULL);
  pcap_name = g_strconcat (c->link, ".pcap", NULL);
  pcap_path = g_build_filename (dir, pcap_name, NULL);
  records = read_trace (trace_path, c->link);
  expected = analyse (records);
  out = run_tshark (tshark, pcap_path);
  lines = g_strsplit (out, "\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, records->len + 1);
  for (guint i = 0; i < records->len; i++)
    {
      const TxRecord *r = &g_array_index (records, TxRecord, i);
      g_auto (GStrv) f = g_strsplit (lines[i], "\t", -1);
      gboolean rexmit;

      g_assert_cmpuint (g_strv_length (f), ==, 12);
      g_test_message ("packet %u: %s", i + 1, lines[i]);
      /* tshark's relative numbers start from each side's SYN, as the
       * trace's do. */
      g_assert_cmpuint (strtoul (f[0], NULL, 10), ==, r->rel_seq);
      if (r->flags & TCP_ACK)
        g_assert_cmpuint (strtoul (f[1], NULL, 10), ==, r->rel_ack);
      g_assert_cmpuint (strtoul (f[2], NULL, 16), ==, r->flags);
      g_assert_cmpuint (strtoul (f[3], NULL, 10), ==, r->len);
      g_assert_cmpuint (strtoul (f[4], NULL, 10), ==, r->win);
      /* Wireshark calls a resent segment "out-of-order" rather than a
       * retransmission when it follows the previous one within its
       * out-of-order threshold (3 ms), as SACK recovery's bursts of
       * repaired holes do. */
      rexmit = flag_set (f[5]) || flag_set (f[6]) || flag_set (f[7])
               || flag_set (f[11]);
      g_assert_cmpint (rexmit, ==, expected[i].rexmit);
      g_assert_cmpint (flag_set (f[8]), ==, expected[i].dupack);
      g_assert_cmpint (flag_set (f[9]), ==, expected[i].zero_window);
      /* 1: "Good" in tshark's checksum status (0 bad, 2 unverified). */
      g_assert_cmpstr (f[10], ==, "1");
      n_rexmit += rexmit ? 1 : 0;
      n_dupack += flag_set (f[8]) ? 1 : 0;
    }
  g_assert_cmpuint (n_rexmit, >=, c->min_rexmit);
  g_assert_cmpuint (n_dupack, >=, c->min_dupack);
  if (c->min_rexmit == 0)
    g_assert_cmpuint (n_rexmit, ==, 0);

  {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);

        g_unlink (p);
      }
    g_rmdir (dir);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/plots/tshark-lossy/%s",
                                               cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  return g_test_run ();
}
