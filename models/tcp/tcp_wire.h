/* tcp_wire.h: the TCP header in wire format (RFC 9293 section 3.1) and
 * its options (MSS, window scale, SACK-permitted, SACK, timestamps).
 *
 * TcpSeg is a parsed segment: header fields in host order, options, and a
 * pointer to the payload inside the packet it was parsed from.
 */
#pragma once

#include "models/ipv4.h"

G_BEGIN_DECLS

#define TCP_HEADER_BYTES 20u
#define TCP_MAX_OPTIONS_BYTES 40u
#define TCP_MAX_SACK_BLOCKS 4u

#define TCP_OPT_EOL 0u
#define TCP_OPT_NOP 1u
#define TCP_OPT_MSS 2u
#define TCP_OPT_WSCALE 3u
#define TCP_OPT_SACK_OK 4u
#define TCP_OPT_SACK 5u
#define TCP_OPT_TIMESTAMP 8u

typedef struct {
  guint32 start;
  guint32 end;
} TcpSackBlock;

typedef struct {
  gboolean has_mss;
  guint16 mss_bytes;
  gboolean has_wscale;
  guint8 wscale;
  gboolean sack_ok;
  gboolean has_ts;
  guint32 ts_val;
  guint32 ts_ecr;
  guint n_sack;
  TcpSackBlock sack[TCP_MAX_SACK_BLOCKS];
} TcpOptions;

typedef struct {
  guint16 sport;
  guint16 dport;
  guint32 seq;
  guint32 ack;
  guint8 flags;
  guint16 win;                  /* raw field, before scaling */
  guint16 urp;
  guint16 csum;
  guint8 hdr_bytes;             /* header with options */
  TcpOptions opts;
  const guint8 *payload;        /* (nullable) into the parsed packet */
  guint32 len_bytes;            /* payload length */
} TcpSeg;

/* Sequence space a segment occupies: payload plus one each for SYN, FIN. */
static inline guint32
tcp_seg_seq_len (const TcpSeg *seg)
{
  return seg->len_bytes + ((seg->flags & 0x02u) ? 1u : 0u)
         + ((seg->flags & 0x01u) ? 1u : 0u);
}

/* Bytes the options take on the wire, padded to a multiple of four. */
guint tcp_wire_options_bytes (const TcpOptions *opts);

/* Writes the header of @seg (options included; seg->hdr_bytes is ignored
 * and recomputed) at @p, followed by nothing: the payload must already be
 * at p + header bytes.  Computes the checksum over the pseudo-header
 * (@src, @dst), the header and the payload (seg->len_bytes at that
 * place).  Returns the header length in bytes. */
guint tcp_wire_write (guint8 *p, const TcpSeg *seg, Ipv4Addr src,
                      Ipv4Addr dst);

/* As tcp_wire_write(), with the payload's sum already known (an unfolded
 * inet_csum_add() sum of the payload bytes, as when they were summed
 * while being copied into place). */
guint tcp_wire_write_summed (guint8 *p, const TcpSeg *seg, Ipv4Addr src,
                             Ipv4Addr dst, guint64 payload_sum);

typedef enum {
  TCP_WIRE_OK,
  TCP_WIRE_TRUNCATED,           /* shorter than its data offset */
  TCP_WIRE_BAD_OFFSET,          /* data offset below 5 words */
  TCP_WIRE_BAD_OPTION,          /* an option runs past the header */
  TCP_WIRE_BAD_CHECKSUM,
} TcpWireResult;

const char *tcp_wire_result_name (TcpWireResult r);

/* Parses the segment of @len_bytes at @p (TCP header onwards) sent from
 * @src to @dst, verifying the checksum when @verify.  On success @seg
 * points into @p. */
TcpWireResult tcp_wire_parse (const guint8 *p, gsize len_bytes,
                              Ipv4Addr src, Ipv4Addr dst, gboolean verify,
                              TcpSeg *seg);

/* Writes the control bits as tcpdump does ("S", "S.", "P.", "F.", "R."),
 * into @buf of at least 10 bytes. */
void tcp_flags_format_short (guint8 flags, char *buf);
/* Writes them as Wireshark does ("SYN, ACK", "PSH, ACK"), into @buf of at
 * least 40 bytes. */
void tcp_flags_format_long (guint8 flags, char *buf);

G_END_DECLS
