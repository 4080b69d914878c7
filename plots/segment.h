/* segment.h: decodes a traced packet's IPv4 and TCP headers into the
 * fields the views show.
 *
 * The views read the bytes that went on the wire, as a capture tool
 * would, rather than a model's internal structs: what a diagram shows is
 * then exactly what tshark shows for the same packet.
 */
#pragma once

#include <glib.h>

#include "models/ipv4.h"

G_BEGIN_DECLS

/* Large enough for every flag name joined with commas, plus NUL. */
#define PLOTS_FLAGS_STR_BYTES 40

typedef struct {
  Ipv4Addr src;
  Ipv4Addr dst;
  guint16 sport;
  guint16 dport;
  guint32 seq;
  guint32 ack;
  guint8 flags;                 /* TCP_FIN ... TCP_CWR */
  guint16 win;                  /* the window field, unscaled */
  guint32 ip_bytes;             /* IPv4 total length */
  guint32 payload_bytes;        /* TCP payload */
  guint16 mss_bytes;            /* MSS option; 0: absent */
  gint8 wscale;                 /* window-scale shift; -1: absent */
  gboolean sack_perm;           /* SACK-permitted option present */
  gboolean timestamps;          /* timestamps option present */
} PlotsSegment;

/* Decodes the IPv4 header (verifying its checksum) and the TCP header of
 * the @len_bytes at @bytes.  Returns FALSE when the packet is not a
 * well-formed IPv4 TCP segment; @seg is then unspecified. */
gboolean plots_segment_decode (const guint8 *bytes, gsize len_bytes,
                               PlotsSegment *seg);

/* Writes the set control bits as Wireshark names them, low bit first,
 * joined by commas ("SYN,ACK", "FIN,PSH,ACK"); "<none>" when none is set. */
void plots_flags_format (guint8 flags, char buf[PLOTS_FLAGS_STR_BYTES]);

G_END_DECLS
