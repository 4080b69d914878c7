/* pcap_writer.c: libpcap dump files with nanosecond timestamps.
 *
 * pcap_open_dead_with_tstamp_precision() gives a capture handle with no
 * device, only a link type and a precision; pcap_dump_open() writes the
 * file header (magic 0xa1b23c4d: nanoseconds); pcap_dump() appends
 * records.  With PCAP_TSTAMP_PRECISION_NANO the header's tv_usec field
 * carries nanoseconds.
 *
 * The link tracer maps a Link to its writer through a hash table that is
 * only ever looked up, never iterated: files are opened in the network's
 * link creation order, so file names and contents never depend on table
 * order.
 */
#include "plots/pcap_writer.h"

#include <pcap/pcap.h>
#include <string.h>

#include "models/link.h"

struct PcapWriter {
  char *path;
  pcap_t *pcap;
  pcap_dumper_t *dumper;        /* NULL once closed */
  guint64 n_packets;
};

PcapWriter *
pcap_writer_open (const char *path, GError **error)
{
  PcapWriter *w;
  pcap_t *pcap;
  pcap_dumper_t *dumper;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  pcap = pcap_open_dead_with_tstamp_precision (DLT_RAW,
                                               PCAP_WRITER_SNAPLEN_BYTES,
                                               PCAP_TSTAMP_PRECISION_NANO);
  if (pcap == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   "cannot create %s: libpcap has no raw-IP handle", path);
      return NULL;
    }
  dumper = pcap_dump_open (pcap, path);
  if (dumper == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   "cannot create %s: %s", path, pcap_geterr (pcap));
      pcap_close (pcap);
      return NULL;
    }
  w = g_new0 (PcapWriter, 1);
  w->path = g_strdup (path);
  w->pcap = pcap;
  w->dumper = dumper;
  return w;
}

void
pcap_writer_write (PcapWriter *w, SimTime at_ns, const guint8 *bytes,
                   gsize len_bytes)
{
  struct pcap_pkthdr hdr;

  g_return_if_fail (w != NULL);
  g_return_if_fail (bytes != NULL || len_bytes == 0);
  g_return_if_fail (at_ns >= 0);

  if (w->dumper == NULL)
    return;
  memset (&hdr, 0, sizeof hdr);
  hdr.ts.tv_sec = (time_t) (at_ns / G_GINT64_CONSTANT (1000000000));
  hdr.ts.tv_usec = (suseconds_t) (at_ns % G_GINT64_CONSTANT (1000000000));
  hdr.len = (bpf_u_int32) len_bytes;
  hdr.caplen = (bpf_u_int32) MIN (len_bytes, PCAP_WRITER_SNAPLEN_BYTES);
  pcap_dump ((u_char *) w->dumper, &hdr, bytes);
  w->n_packets++;
}

guint64
pcap_writer_n_packets (const PcapWriter *w)
{
  g_return_val_if_fail (w != NULL, 0);
  return w->n_packets;
}

gboolean
pcap_writer_close (PcapWriter *w, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (w != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (w->dumper == NULL)
    return TRUE;
  /* pcap_dump() reports nothing; a failed write shows in the stream's
   * error flag, which the flush also sets. */
  ok = pcap_dump_flush (w->dumper) == 0
       && !ferror (pcap_dump_file (w->dumper));
  pcap_dump_close (w->dumper);
  w->dumper = NULL;
  g_clear_pointer (&w->pcap, pcap_close);
  if (!ok)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO,
                 "cannot write %s", w->path);
  return ok;
}

void
pcap_writer_free (PcapWriter *w)
{
  if (w == NULL)
    return;
  if (w->dumper != NULL)
    pcap_writer_close (w, NULL);
  g_clear_pointer (&w->pcap, pcap_close);
  g_free (w->path);
  g_free (w);
}

char *
pcap_link_file_name (const char *link_name)
{
  GString *name;

  g_return_val_if_fail (link_name != NULL, NULL);

  name = g_string_new (NULL);
  for (const char *p = link_name; *p != '\0'; p++)
    {
      gboolean plain = g_ascii_isalnum (*p) || *p == '-' || *p == '_'
                       || (*p == '.' && p != link_name);

      g_string_append_c (name, plain ? *p : '_');
    }
  if (name->len == 0)
    g_string_append_c (name, '_');
  g_string_append (name, ".pcap");
  return g_string_free (name, FALSE);
}

struct PcapLinkTracer {
  char *outdir;
  GPtrArray *writers;           /* PcapWriter, in opening order */
  GHashTable *by_link;          /* Link * -> PcapWriter * (lookup only) */
  GHashTable *file_names;       /* names taken, so that none repeats */
  GError *error;                /* the first error while recording */
};

/* Opens the file for @link, named after it; a name that two links would
 * share gets a "-2", "-3" ... suffix on the later link. */
static PcapWriter *
tracer_open_link (PcapLinkTracer *t, const Link *link, GError **error)
{
  g_autofree char *stem = pcap_link_file_name (link_name (link));
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  PcapWriter *w;

  stem[strlen (stem) - strlen (".pcap")] = '\0';
  file_name = g_strdup_printf ("%s.pcap", stem);
  for (guint n = 2; g_hash_table_contains (t->file_names, file_name); n++)
    {
      g_free (file_name);
      file_name = g_strdup_printf ("%s-%u.pcap", stem, n);
    }
  path = g_build_filename (t->outdir, file_name, NULL);
  w = pcap_writer_open (path, error);
  if (w == NULL)
    return NULL;
  g_hash_table_add (t->file_names, g_steal_pointer (&file_name));
  g_ptr_array_add (t->writers, w);
  g_hash_table_insert (t->by_link, (gpointer) link, w);
  return w;
}

PcapLinkTracer *
pcap_link_tracer_new (Network *net, const char *outdir, GError **error)
{
  g_autoptr (PcapLinkTracer) t = NULL;
  GPtrArray *links;

  g_return_val_if_fail (net != NULL, NULL);
  g_return_val_if_fail (outdir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  t = g_new0 (PcapLinkTracer, 1);
  t->outdir = g_strdup (outdir);
  t->writers = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                               pcap_writer_free);
  t->by_link = g_hash_table_new (g_direct_hash, g_direct_equal);
  t->file_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         NULL);
  links = network_links (net);
  for (guint i = 0; i < links->len; i++)
    if (tracer_open_link (t, links->pdata[i], error) == NULL)
      return NULL;
  return g_steal_pointer (&t);
}

void
pcap_link_tracer_record (const SimTraceRecord *rec, void *data)
{
  PcapLinkTracer *t = data;
  const LinkTraceEvent *ev;
  PcapWriter *w;

  if (rec->kind != &link_trace_tx)
    return;
  ev = rec->body;
  w = g_hash_table_lookup (t->by_link, ev->link);
  /* A link made after the run started gets its file on first use. */
  if (w == NULL && t->error == NULL)
    w = tracer_open_link (t, ev->link, &t->error);
  if (w == NULL)
    return;
  pcap_writer_write (w, rec->at_ns, packet_cbytes (ev->pkt),
                     ev->pkt->len_bytes);
}

gboolean
pcap_link_tracer_close (PcapLinkTracer *t, GError **error)
{
  GError *first = NULL;

  g_return_val_if_fail (t != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (t->error != NULL)
    first = g_steal_pointer (&t->error);
  for (guint i = 0; i < t->writers->len; i++)
    {
      GError *local = NULL;

      if (!pcap_writer_close (t->writers->pdata[i], &local))
        {
          if (first == NULL)
            first = local;
          else
            g_error_free (local);
        }
    }
  if (first != NULL)
    {
      g_propagate_error (error, first);
      return FALSE;
    }
  return TRUE;
}

void
pcap_link_tracer_free (PcapLinkTracer *t)
{
  if (t == NULL)
    return;
  g_ptr_array_unref (t->writers);
  g_hash_table_unref (t->by_link);
  g_hash_table_unref (t->file_names);
  g_clear_error (&t->error);
  g_free (t->outdir);
  g_free (t);
}
