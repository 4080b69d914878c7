/* test_pcap_writer.c: pcap files written from hand-made packets and read
 * back with libpcap (nanosecond timestamps, raw IPv4 bytes) and, when it
 * is installed, with tshark (fields and checksums). */
#include <glib/gstdio.h>
#include <pcap/pcap.h>
#include <string.h>

#include "models/tcp/tcp.h"
#include "plots/pcap_writer.h"
#include "plots_test.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("tcpsim-pcap-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "l1.pcap", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_remove (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* A handshake with ISNs 1000 and 5000 and 10 bytes of data; the last
 * timestamp lies past 2^32 ns, so that nothing truncates to 32 bits. */
static const struct {
  SimTime at_ns;
  TestSeg seg;
} capture[] = {
  { 0, { "10.0.0.1", 49152, "10.0.0.2", 80, 1000, 0, TCP_SYN, 65535, 0,
         1460 } },
  { SIM_S (1) + 1, { "10.0.0.2", 80, "10.0.0.1", 49152, 5000, 1001,
                     TCP_SYN | TCP_ACK, 65535, 0, 1460 } },
  { G_GINT64_CONSTANT (4294967296) + 123,
    { "10.0.0.1", 49152, "10.0.0.2", 80, 1001, 5001, TCP_PSH | TCP_ACK,
      65535, 10, 0 } },
};

static void
write_capture (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PcapWriter) w = pcap_writer_open (path, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (capture); i++)
    {
      guint8 buf[256];
      gsize len = test_build_packet (&capture[i].seg, buf, sizeof buf);

      pcap_writer_write (w, capture[i].at_ns, buf, len);
    }
  g_assert_cmpuint (pcap_writer_n_packets (w), ==, G_N_ELEMENTS (capture));
  g_assert_true (pcap_writer_close (w, &error));
  g_assert_no_error (error);
}

static void
test_roundtrip (Fixture *f, gconstpointer data)
{
  char errbuf[PCAP_ERRBUF_SIZE];
  pcap_t *pcap;
  struct pcap_pkthdr *hdr;
  const u_char *bytes;
  guint n = 0;

  write_capture (f->path);
  pcap = pcap_open_offline_with_tstamp_precision (f->path,
                                                  PCAP_TSTAMP_PRECISION_NANO,
                                                  errbuf);
  g_assert_nonnull (pcap);
  g_assert_cmpint (pcap_datalink (pcap), ==, DLT_RAW);
  g_assert_cmpint (pcap_get_tstamp_precision (pcap), ==,
                   PCAP_TSTAMP_PRECISION_NANO);
  g_assert_cmpint (pcap_snapshot (pcap), ==, PCAP_WRITER_SNAPLEN_BYTES);
  while (pcap_next_ex (pcap, &hdr, &bytes) == 1)
    {
      guint8 expected[256];
      gsize len;

      g_assert_cmpuint (n, <, G_N_ELEMENTS (capture));
      len = test_build_packet (&capture[n].seg, expected, sizeof expected);
      g_assert_cmpint ((gint64) hdr->ts.tv_sec * 1000000000
                       + hdr->ts.tv_usec, ==, capture[n].at_ns);
      g_assert_cmpuint (hdr->caplen, ==, len);
      g_assert_cmpuint (hdr->len, ==, len);
      g_assert_cmpmem (bytes, hdr->caplen, expected, len);
      n++;
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (capture));
  pcap_close (pcap);
}

/* The file header itself: the nanosecond magic and LINKTYPE_RAW (101),
 * whatever number this platform gives DLT_RAW. */
static void
test_file_header (Fixture *f, gconstpointer data)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  guint32 magic;
  guint32 linktype;

  write_capture (f->path);
  g_file_get_contents (f->path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >=, 24);
  memcpy (&magic, contents, 4);
  memcpy (&linktype, contents + 20, 4);
  g_assert_cmphex (magic, ==, 0xa1b23c4du);
  g_assert_cmpuint (linktype, ==, 101);
}

static char *
run_tshark (const char *tshark, const char *path, const char *const *fields)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) tshark);
  g_ptr_array_add (argv, (char *) "-n");
  g_ptr_array_add (argv, (char *) "-r");
  g_ptr_array_add (argv, (char *) path);
  g_ptr_array_add (argv, (char *) "-o");
  g_ptr_array_add (argv, (char *) "ip.check_checksum:TRUE");
  g_ptr_array_add (argv, (char *) "-o");
  g_ptr_array_add (argv, (char *) "tcp.check_checksum:TRUE");
  g_ptr_array_add (argv, (char *) "-T");
  g_ptr_array_add (argv, (char *) "fields");
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (char *) "-e");
      g_ptr_array_add (argv, (char *) fields[i]);
    }
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL,
                NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_test_message ("tshark: %s", err);
  g_assert_no_error (error);
  return out;
}

static void
test_tshark (Fixture *f, gconstpointer data)
{
  static const char *const fields[] = {
    "tcp.seq", "tcp.ack", "tcp.flags", "tcp.len", "ip.checksum.status",
    "tcp.checksum.status", NULL,
  };
  static const char *const time_fields[] = { "frame.time_epoch", NULL };
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autofree char *out = NULL;
  g_autofree char *times = NULL;

  if (tshark == NULL)
    {
      g_test_skip ("tshark is not installed");
      return;
    }
  write_capture (f->path);
  out = run_tshark (tshark, f->path, fields);
  /* Relative sequence numbers, as tshark shows them by default; the
   * checksum status 1 is "Good". */
  g_assert_cmpstr (out, ==,
                   "0\t0\t0x0002\t0\t1\t1\n"
                   "0\t1\t0x0012\t0\t1\t1\n"
                   "1\t1\t0x0018\t10\t1\t1\n");
  times = run_tshark (tshark, f->path, time_fields);
  g_assert_cmpstr (times, ==,
                   "0.000000000\n"
                   "1.000000001\n"
                   "4.294967419\n");
}

static void
test_open_error (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "missing", "x.pcap",
                                            NULL);
  PcapWriter *w = pcap_writer_open (path, &error);

  g_assert_null (w);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_file_name (void)
{
  static const struct {
    const char *link;
    const char *file;
  } cases[] = {
    { "l1", "l1.pcap" },
    { "access-0.a_b", "access-0.a_b.pcap" },
    { "a/b", "a_b.pcap" },
    { "..", "_..pcap" },
    { ".hidden", "_hidden.pcap" },
    { "", "_.pcap" },
    { "caf\xc3\xa9 bar", "caf___bar.pcap" },   /* per byte */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *file = pcap_link_file_name (cases[i].link);

      g_assert_cmpstr (file, ==, cases[i].file);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/plots/pcap/roundtrip", Fixture, NULL, fixture_set_up,
              test_roundtrip, fixture_tear_down);
  g_test_add ("/plots/pcap/file-header", Fixture, NULL, fixture_set_up,
              test_file_header, fixture_tear_down);
  g_test_add ("/plots/pcap/tshark", Fixture, NULL, fixture_set_up,
              test_tshark, fixture_tear_down);
  g_test_add ("/plots/pcap/open-error", Fixture, NULL, fixture_set_up,
              test_open_error, fixture_tear_down);
  g_test_add_func ("/plots/pcap/file-name", test_file_name);
  return g_test_run ();
}
