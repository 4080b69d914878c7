/* pcap_writer.h: packet captures that Wireshark and tshark open as they
 * are: raw IPv4 (LINKTYPE_RAW, no Ethernet header), nanosecond
 * timestamps taken exactly from simulated time.
 *
 * PcapWriter writes one file; PcapLinkTracer keeps one per link,
 * OUTDIR/<link>.pcap, and captures where a packet enters the link, both
 * directions in the same file, as a capture on the wire would.
 */
#pragma once

#include "sim/trace.h"
#include "models/network.h"

G_BEGIN_DECLS

/* Snapshot length: every packet is captured whole. */
#define PCAP_WRITER_SNAPLEN_BYTES 65535u

typedef struct PcapWriter PcapWriter;

/* Returns: (transfer full) (nullable): a writer to @path (created or
 * truncated), or NULL with @error set. */
PcapWriter *pcap_writer_open (const char *path, GError **error);
/* Appends the packet of @len_bytes at @bytes, captured at @at_ns. */
void pcap_writer_write (PcapWriter *writer, SimTime at_ns,
                        const guint8 *bytes, gsize len_bytes);
guint64 pcap_writer_n_packets (const PcapWriter *writer);
/* Flushes and closes the file.  Returns FALSE with @error set when a write
 * failed.  The writer must still be freed. */
gboolean pcap_writer_close (PcapWriter *writer, GError **error);
void pcap_writer_free (PcapWriter *writer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PcapWriter, pcap_writer_free)

typedef struct PcapLinkTracer PcapLinkTracer;

/* Returns: (transfer full) (nullable): a tracer with one open file per
 * link of @net, in @outdir (which must exist), or NULL with @error set.
 * Subscribe pcap_link_tracer_record() with it as data. */
PcapLinkTracer *pcap_link_tracer_new (Network *net, const char *outdir,
                                      GError **error);
/* A SimTraceFn reading link.tx records. */
void pcap_link_tracer_record (const SimTraceRecord *rec, void *data);
/* Closes every file; FALSE with @error set on the first failure. */
gboolean pcap_link_tracer_close (PcapLinkTracer *tracer, GError **error);
void pcap_link_tracer_free (PcapLinkTracer *tracer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PcapLinkTracer, pcap_link_tracer_free)

/* Returns: (transfer full): "<link>.pcap", with every byte of @link_name
 * other than ASCII letters, digits, '-', '_' and '.' replaced by '_' (and
 * a leading '.' too), so that any link name gives a plain file name. */
char *pcap_link_file_name (const char *link_name);

G_END_DECLS
