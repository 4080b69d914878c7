/* segment.c: IPv4 + TCP header decoding for the views.
 *
 * plots_segment_decode() -> ipv4_header_parse() -> TCP fixed header ->
 * options (RFC 9293 3.1, RFC 7323, RFC 2018).
 */
#include "plots/segment.h"

#include <string.h>

#include "models/tcp/tcp.h"
#include "models/wire.h"

#define TCP_HEADER_BYTES 20u

enum {
  TCP_OPT_END = 0,
  TCP_OPT_NOP = 1,
  TCP_OPT_MSS = 2,
  TCP_OPT_WSCALE = 3,
  TCP_OPT_SACK_PERM = 4,
  TCP_OPT_TIMESTAMPS = 8,
};

/* RFC 7323 2.3: a shift above 14 is used as 14. */
#define TCP_WSCALE_MAX 14

static void
segment_parse_options (const guint8 *p, gsize len_bytes, PlotsSegment *seg)
{
  gsize i = 0;

  while (i < len_bytes)
    {
      guint8 kind = p[i];
      guint8 opt_bytes;

      if (kind == TCP_OPT_END)
        return;
      if (kind == TCP_OPT_NOP)
        {
          i++;
          continue;
        }
      /* A malformed length ends the walk: what was read so far stands. */
      if (i + 1 >= len_bytes)
        return;
      opt_bytes = p[i + 1];
      if (opt_bytes < 2 || i + opt_bytes > len_bytes)
        return;
      switch (kind)
        {
        case TCP_OPT_MSS:
          if (opt_bytes == 4)
            seg->mss_bytes = wire_get16 (p + i + 2);
          break;
        case TCP_OPT_WSCALE:
          if (opt_bytes == 3)
            seg->wscale = (gint8) MIN (p[i + 2], TCP_WSCALE_MAX);
          break;
        case TCP_OPT_SACK_PERM:
          seg->sack_perm = opt_bytes == 2;
          break;
        case TCP_OPT_TIMESTAMPS:
          seg->timestamps = opt_bytes == 10;
          break;
        default:
          break;
        }
      i += opt_bytes;
    }
}

gboolean
plots_segment_decode (const guint8 *bytes, gsize len_bytes,
                      PlotsSegment *seg)
{
  Ipv4Header ip;
  guint ip_hdr_bytes = 0;
  const guint8 *tcp;
  gsize tcp_bytes;
  guint tcp_hdr_bytes;

  g_return_val_if_fail (bytes != NULL || len_bytes == 0, FALSE);
  g_return_val_if_fail (seg != NULL, FALSE);

  if (ipv4_header_parse (bytes, len_bytes, &ip, &ip_hdr_bytes)
      != IPV4_PARSE_OK)
    return FALSE;
  if (ip.proto != IPV4_PROTO_TCP)
    return FALSE;
  tcp = bytes + ip_hdr_bytes;
  tcp_bytes = ip.total_len_bytes - ip_hdr_bytes;
  if (tcp_bytes < TCP_HEADER_BYTES)
    return FALSE;
  tcp_hdr_bytes = (guint) (tcp[12] >> 4) * 4;
  if (tcp_hdr_bytes < TCP_HEADER_BYTES || tcp_hdr_bytes > tcp_bytes)
    return FALSE;

  memset (seg, 0, sizeof *seg);
  seg->src = ip.src;
  seg->dst = ip.dst;
  seg->ip_bytes = ip.total_len_bytes;
  seg->sport = wire_get16 (tcp);
  seg->dport = wire_get16 (tcp + 2);
  seg->seq = wire_get32 (tcp + 4);
  seg->ack = wire_get32 (tcp + 8);
  seg->flags = tcp[13];
  seg->win = wire_get16 (tcp + 14);
  seg->payload_bytes = (guint32) (tcp_bytes - tcp_hdr_bytes);
  seg->wscale = -1;
  segment_parse_options (tcp + TCP_HEADER_BYTES,
                         tcp_hdr_bytes - TCP_HEADER_BYTES, seg);
  return TRUE;
}

void
plots_flags_format (guint8 flags, char buf[PLOTS_FLAGS_STR_BYTES])
{
  /* Wireshark's order: lowest bit first, so SYN+ACK reads "SYN,ACK". */
  static const char *const names[8] = {
    "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR",
  };
  gsize at = 0;

  buf[0] = '\0';
  for (guint bit = 0; bit < 8; bit++)
    {
      if ((flags & (1u << bit)) == 0)
        continue;
      if (at > 0)
        buf[at++] = ',';
      memcpy (buf + at, names[bit], 3);
      at += 3;
      buf[at] = '\0';
    }
  if (at == 0)
    g_strlcpy (buf, "<none>", PLOTS_FLAGS_STR_BYTES);
}
