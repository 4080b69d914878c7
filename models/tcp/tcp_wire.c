/* tcp_wire.c: TCP header encode, decode and checksum.
 *
 * Options are written in the order Linux uses for a SYN (MSS, SACK-OK,
 * timestamps, window scale), padded with NOPs, so captures look familiar.
 */
#include "models/tcp/tcp_wire.h"

#include "models/checksum.h"
#include "models/tcp/tcp.h"
#include "models/wire.h"

#include <string.h>

guint
tcp_wire_options_bytes (const TcpOptions *opts)
{
  guint n = 0;

  if (opts->has_mss)
    n += 4;
  if (opts->sack_ok && !opts->has_ts)
    n += 4;                             /* NOP NOP SACK-OK */
  if (opts->has_ts)
    n += 12;                            /* SACK-OK or NOP NOP, then TS */
  if (opts->has_wscale)
    n += 4;                             /* NOP WSCALE */
  if (opts->n_sack > 0)
    n += 4 + 8 * opts->n_sack;          /* NOP NOP SACK */
  return n;
}

static guint
write_options (guint8 *p, const TcpOptions *opts)
{
  guint8 *q = p;

  if (opts->has_mss)
    {
      *q++ = TCP_OPT_MSS;
      *q++ = 4;
      wire_put16 (q, opts->mss_bytes);
      q += 2;
    }
  if (opts->has_ts)
    {
      if (opts->sack_ok)
        {
          *q++ = TCP_OPT_SACK_OK;
          *q++ = 2;
        }
      else
        {
          *q++ = TCP_OPT_NOP;
          *q++ = TCP_OPT_NOP;
        }
      *q++ = TCP_OPT_TIMESTAMP;
      *q++ = 10;
      wire_put32 (q, opts->ts_val);
      wire_put32 (q + 4, opts->ts_ecr);
      q += 8;
    }
  else if (opts->sack_ok)
    {
      *q++ = TCP_OPT_NOP;
      *q++ = TCP_OPT_NOP;
      *q++ = TCP_OPT_SACK_OK;
      *q++ = 2;
    }
  if (opts->has_wscale)
    {
      *q++ = TCP_OPT_NOP;
      *q++ = TCP_OPT_WSCALE;
      *q++ = 3;
      *q++ = opts->wscale;
    }
  if (opts->n_sack > 0)
    {
      *q++ = TCP_OPT_NOP;
      *q++ = TCP_OPT_NOP;
      *q++ = TCP_OPT_SACK;
      *q++ = (guint8) (2 + 8 * opts->n_sack);
      for (guint i = 0; i < opts->n_sack; i++)
        {
          wire_put32 (q, opts->sack[i].start);
          wire_put32 (q + 4, opts->sack[i].end);
          q += 8;
        }
    }
  return (guint) (q - p);
}

static guint64
pseudo_header_sum (Ipv4Addr src, Ipv4Addr dst, guint tcp_len_bytes)
{
  return (guint64) (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff)
         + IPV4_PROTO_TCP + tcp_len_bytes;
}

static guint
write_header (guint8 *p, const TcpSeg *seg)
{
  guint opt_bytes = tcp_wire_options_bytes (&seg->opts);
  guint hdr_bytes = TCP_HEADER_BYTES + opt_bytes;
  guint written;

  g_assert (opt_bytes <= TCP_MAX_OPTIONS_BYTES);
  wire_put16 (p, seg->sport);
  wire_put16 (p + 2, seg->dport);
  wire_put32 (p + 4, seg->seq);
  wire_put32 (p + 8, seg->ack);
  p[12] = (guint8) ((hdr_bytes / 4) << 4);
  p[13] = seg->flags;
  wire_put16 (p + 14, seg->win);
  wire_put16 (p + 16, 0);
  wire_put16 (p + 18, seg->urp);
  written = write_options (p + TCP_HEADER_BYTES, &seg->opts);
  g_assert (written == opt_bytes);
  return hdr_bytes;
}

guint
tcp_wire_write (guint8 *p, const TcpSeg *seg, Ipv4Addr src, Ipv4Addr dst)
{
  guint hdr_bytes = write_header (p, seg);
  guint64 sum;

  sum = pseudo_header_sum (src, dst, hdr_bytes + seg->len_bytes);
  sum = inet_csum_add (sum, p, hdr_bytes + seg->len_bytes);
  wire_put16 (p + 16, inet_csum_fold (sum));
  return hdr_bytes;
}

guint
tcp_wire_write_summed (guint8 *p, const TcpSeg *seg, Ipv4Addr src,
                       Ipv4Addr dst, guint64 payload_sum)
{
  guint hdr_bytes = write_header (p, seg);
  guint64 sum;

  /* The header is a multiple of four bytes long, so the payload starts
   * at an even offset and its sum adds as it is. */
  sum = pseudo_header_sum (src, dst, hdr_bytes + seg->len_bytes);
  sum = inet_csum_add (sum, p, hdr_bytes) + payload_sum;
  wire_put16 (p + 16, inet_csum_fold (sum));
  return hdr_bytes;
}

static TcpWireResult
parse_options (const guint8 *p, guint len, TcpOptions *opts)
{
  guint i = 0;

  memset (opts, 0, sizeof *opts);
  while (i < len)
    {
      guint8 kind = p[i];
      guint8 olen;

      if (kind == TCP_OPT_EOL)
        break;
      if (kind == TCP_OPT_NOP)
        {
          i++;
          continue;
        }
      if (i + 1 >= len)
        return TCP_WIRE_BAD_OPTION;
      olen = p[i + 1];
      if (olen < 2 || i + olen > len)
        return TCP_WIRE_BAD_OPTION;
      switch (kind)
        {
        case TCP_OPT_MSS:
          if (olen == 4)
            {
              opts->has_mss = TRUE;
              opts->mss_bytes = wire_get16 (p + i + 2);
            }
          break;
        case TCP_OPT_WSCALE:
          if (olen == 3)
            {
              opts->has_wscale = TRUE;
              opts->wscale = p[i + 2];
            }
          break;
        case TCP_OPT_SACK_OK:
          if (olen == 2)
            opts->sack_ok = TRUE;
          break;
        case TCP_OPT_TIMESTAMP:
          if (olen == 10)
            {
              opts->has_ts = TRUE;
              opts->ts_val = wire_get32 (p + i + 2);
              opts->ts_ecr = wire_get32 (p + i + 6);
            }
          break;
        case TCP_OPT_SACK:
          for (guint b = 0; b + 8 <= (guint) olen - 2
               && opts->n_sack < TCP_MAX_SACK_BLOCKS; b += 8)
            {
              opts->sack[opts->n_sack].start = wire_get32 (p + i + 2 + b);
              opts->sack[opts->n_sack].end = wire_get32 (p + i + 6 + b);
              opts->n_sack++;
            }
          break;
        default:
          /* RFC 9293 3.1: unknown options are skipped by their length. */
          break;
        }
      i += olen;
    }
  return TCP_WIRE_OK;
}

TcpWireResult
tcp_wire_parse (const guint8 *p, gsize len_bytes, Ipv4Addr src, Ipv4Addr dst,
                gboolean verify, TcpSeg *seg)
{
  guint hdr_bytes;
  TcpWireResult r;

  if (len_bytes < TCP_HEADER_BYTES)
    return TCP_WIRE_TRUNCATED;
  hdr_bytes = (guint) (p[12] >> 4) * 4;
  if (hdr_bytes < TCP_HEADER_BYTES)
    return TCP_WIRE_BAD_OFFSET;
  if (hdr_bytes > len_bytes)
    return TCP_WIRE_TRUNCATED;
  if (verify)
    {
      guint64 sum = pseudo_header_sum (src, dst, (guint) len_bytes);

      sum = inet_csum_add (sum, p, len_bytes);
      if (inet_csum_fold (sum) != 0)
        return TCP_WIRE_BAD_CHECKSUM;
    }
  seg->sport = wire_get16 (p);
  seg->dport = wire_get16 (p + 2);
  seg->seq = wire_get32 (p + 4);
  seg->ack = wire_get32 (p + 8);
  seg->flags = p[13];
  seg->win = wire_get16 (p + 14);
  seg->csum = wire_get16 (p + 16);
  seg->urp = wire_get16 (p + 18);
  seg->hdr_bytes = (guint8) hdr_bytes;
  r = parse_options (p + TCP_HEADER_BYTES, hdr_bytes - TCP_HEADER_BYTES,
                     &seg->opts);
  if (r != TCP_WIRE_OK)
    return r;
  seg->len_bytes = (guint32) (len_bytes - hdr_bytes);
  seg->payload = seg->len_bytes ? p + hdr_bytes : NULL;
  return TCP_WIRE_OK;
}

const char *
tcp_wire_result_name (TcpWireResult r)
{
  static const char *const names[] = {
    [TCP_WIRE_OK] = "ok",
    [TCP_WIRE_TRUNCATED] = "tcp-truncated",
    [TCP_WIRE_BAD_OFFSET] = "tcp-bad-offset",
    [TCP_WIRE_BAD_OPTION] = "tcp-bad-option",
    [TCP_WIRE_BAD_CHECKSUM] = "checksum",
  };

  g_return_val_if_fail ((guint) r < G_N_ELEMENTS (names), "?");
  return names[r];
}

void
tcp_flags_format_short (guint8 flags, char *buf)
{
  /* tcpdump's order and letters: F S R P . U E W. */
  static const struct { guint8 bit; char letter; } order[] = {
    { TCP_FIN, 'F' }, { TCP_SYN, 'S' }, { TCP_RST, 'R' }, { TCP_PSH, 'P' },
    { TCP_ACK, '.' }, { TCP_URG, 'U' }, { TCP_ECE, 'E' }, { TCP_CWR, 'W' },
  };
  char *q = buf;

  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    if (flags & order[i].bit)
      *q++ = order[i].letter;
  if (q == buf)
    *q++ = '-';
  *q = '\0';
}

void
tcp_flags_format_long (guint8 flags, char *buf)
{
  /* Wireshark's order, most significant bit first after the rarely set
   * ones, so a SYN-ACK reads "SYN, ACK" and a FIN-ACK "FIN, ACK". */
  static const struct { guint8 bit; const char *name; } order[] = {
    { TCP_CWR, "CWR" }, { TCP_ECE, "ECE" }, { TCP_URG, "URG" },
    { TCP_FIN, "FIN" }, { TCP_SYN, "SYN" }, { TCP_RST, "RST" },
    { TCP_PSH, "PSH" }, { TCP_ACK, "ACK" },
  };
  gboolean first = TRUE;

  buf[0] = '\0';
  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    if (flags & order[i].bit)
      {
        if (!first)
          strcat (buf, ", ");
        strcat (buf, order[i].name);
        first = FALSE;
      }
  if (first)
    strcat (buf, "none");
}
