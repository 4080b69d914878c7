/* explain.c: one segment, decoded for a reader learning TCP.
 *
 * explain_collector_record() counts link.tx records, remembers each
 * flow's SYN window-scale option until the chosen packet comes, then
 * copies that packet and what is needed to read it (link, time, ISNs,
 * window scaling).  explain_render() prints, in order:
 *   the heading (number, time, link, one-line summary);
 *   the encapsulation, as the tutorial's five-layer figure draws it;
 *   the IPv4 header (RFC 791), field by field;
 *   the TCP header's bit layout: the RFC 9293 3.1 figure with this
 *   segment's values, and each 32-bit word in hex beside its row;
 *   the TCP header, field by field, every flag and option explained.
 */
#include "plots/explain.h"

#include <string.h>

#include "models/checksum.h"
#include "models/link.h"
#include "models/tcp/tcp.h"
#include "models/wire.h"
#include "plots/segment.h"
#include "plots/summary.h"

G_DEFINE_QUARK (explain-error-quark, explain_error)

#define TCP_HEADER_BYTES 20u
#define FIELD_NAME_CELLS 24       /* width of the field-name column */
#define FIGURE_INDENT "   "
#define PAYLOAD_PREVIEW_BYTES 16u

enum {
  TCP_OPT_END = 0,
  TCP_OPT_NOP = 1,
  TCP_OPT_MSS = 2,
  TCP_OPT_WSCALE = 3,
  TCP_OPT_SACK_PERM = 4,
  TCP_OPT_SACK = 5,
  TCP_OPT_TIMESTAMPS = 8,
};

/* RFC 7323 2.3: a shift above 14 is used as 14. */
#define TCP_WSCALE_MAX 14u

/* The decoded packet, with the offsets the figures need. */
typedef struct {
  const ExplainPacket *pkt;
  const guint8 *ip;
  guint ip_hdr_bytes;
  guint ip_total_bytes;
  const guint8 *tcp;
  guint tcp_bytes;              /* header + payload */
  guint tcp_hdr_bytes;
  guint payload_bytes;
  PlotsSegment seg;
} Decoded;

/* Text helpers. */

static void
append_field (GString *s, const char *name, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

#define LINE_CELLS 79

/* Appends @text after @prefix (of @indent cells), wrapped at spaces to
 * LINE_CELLS, continuation lines indented by @indent; '\n' in @text
 * forces a break. */
static void
append_wrapped (GString *s, const char *prefix, guint indent,
                const char *text)
{
  g_auto (GStrv) paragraphs = g_strsplit (text, "\n", -1);

  g_string_append (s, prefix);
  for (guint p = 0; paragraphs[p] != NULL; p++)
    {
      g_auto (GStrv) words = g_strsplit (paragraphs[p], " ", -1);
      guint col = indent;

      if (p > 0)
        {
          g_string_append_c (s, '\n');
          g_string_append_printf (s, "%*s", (int) indent, "");
        }
      for (guint w = 0; words[w] != NULL; w++)
        {
          guint len = (guint) strlen (words[w]);

          if (col > indent && col + 1 + len > LINE_CELLS)
            {
              g_string_append_printf (s, "\n%*s", (int) indent, "");
              col = indent;
            }
          else if (col > indent)
            {
              g_string_append_c (s, ' ');
              col++;
            }
          g_string_append (s, words[w]);
          col += len;
        }
    }
  g_string_append_c (s, '\n');
}

/* "  Name                    value", the value column aligned and
 * wrapped under itself. */
static void
append_field (GString *s, const char *name, const char *format, ...)
{
  g_autofree char *prefix = g_strdup_printf ("  %-*s", FIELD_NAME_CELLS,
                                             name);
  g_autofree char *value = NULL;
  va_list args;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);
  append_wrapped (s, prefix, FIELD_NAME_CELLS + 2, value);
}

static void
append_repeat (GString *s, const char *utf8, guint n)
{
  for (guint i = 0; i < n; i++)
    g_string_append (s, utf8);
}

static char *
addr_port (Ipv4Addr addr, guint16 port)
{
  char buf[IPV4_ADDR_STR_BYTES];

  ipv4_addr_format (addr, buf);
  return g_strdup_printf ("%s:%u", buf, port);
}

static const char *
ordinal_suffix (guint64 n)
{
  if (n % 100 >= 11 && n % 100 <= 13)
    return "th";
  switch (n % 10)
    {
    case 1:
      return "st";
    case 2:
      return "nd";
    case 3:
      return "rd";
    default:
      return "th";
    }
}

/* Decoding.  Unlike plots_segment_decode(), a bad IPv4 checksum does not
 * stop it: the explanation says so instead. */
static gboolean
decode (const ExplainPacket *pkt, Decoded *d, GError **error)
{
  const guint8 *p = pkt->bytes;

  memset (d, 0, sizeof *d);
  d->pkt = pkt;
  d->ip = p;
  if (pkt->len_bytes < IPV4_HEADER_BYTES || (p[0] >> 4) != 4)
    goto not_tcp;
  d->ip_hdr_bytes = (guint) (p[0] & 0x0f) * 4;
  d->ip_total_bytes = wire_get16 (p + 2);
  if (d->ip_hdr_bytes < IPV4_HEADER_BYTES
      || d->ip_total_bytes < d->ip_hdr_bytes
      || d->ip_total_bytes > pkt->len_bytes || p[9] != IPV4_PROTO_TCP)
    goto not_tcp;
  d->tcp = p + d->ip_hdr_bytes;
  d->tcp_bytes = d->ip_total_bytes - d->ip_hdr_bytes;
  if (d->tcp_bytes < TCP_HEADER_BYTES)
    goto not_tcp;
  d->tcp_hdr_bytes = (guint) (d->tcp[12] >> 4) * 4;
  if (d->tcp_hdr_bytes < TCP_HEADER_BYTES
      || d->tcp_hdr_bytes > d->tcp_bytes)
    goto not_tcp;
  d->payload_bytes = d->tcp_bytes - d->tcp_hdr_bytes;
  d->seg.src = wire_get32 (p + 12);
  d->seg.dst = wire_get32 (p + 16);
  d->seg.sport = wire_get16 (d->tcp);
  d->seg.dport = wire_get16 (d->tcp + 2);
  d->seg.seq = wire_get32 (d->tcp + 4);
  d->seg.ack = wire_get32 (d->tcp + 8);
  d->seg.flags = d->tcp[13];
  d->seg.win = wire_get16 (d->tcp + 14);
  d->seg.payload_bytes = d->payload_bytes;
  return TRUE;

not_tcp:
  g_set_error (error, EXPLAIN_ERROR, EXPLAIN_ERROR_NOT_TCP,
               "packet %" G_GUINT64_FORMAT " is not a well-formed IPv4 TCP "
               "segment", pkt->number);
  return FALSE;
}

/* RFC 9293 3.1: "The checksum field is the 16-bit ones' complement of the
 * ones' complement sum of all 16-bit words in the header and text", with
 * the pseudo header in front.  Returns the value the field should hold. */
static guint16
tcp_checksum_expected (const Decoded *d)
{
  guint8 pseudo[12];
  guint64 sum;

  wire_put32 (pseudo, d->seg.src);
  wire_put32 (pseudo + 4, d->seg.dst);
  pseudo[8] = 0;
  pseudo[9] = IPV4_PROTO_TCP;
  wire_put16 (pseudo + 10, (guint16) d->tcp_bytes);
  sum = inet_csum_add (0, pseudo, sizeof pseudo);
  sum = inet_csum_add (sum, d->tcp, 16);
  /* The checksum field itself counts as zero. */
  sum = inet_csum_add (sum, d->tcp + 18, d->tcp_bytes - 18);
  return inet_csum_fold (sum);
}

static guint16
ipv4_checksum_expected (const Decoded *d)
{
  guint64 sum = inet_csum_add (0, d->ip, 10);

  sum = inet_csum_add (sum, d->ip + 12, d->ip_hdr_bytes - 12);
  return inet_csum_fold (sum);
}

/* SYN and FIN each take one sequence number (RFC 9293 3.4). */
static guint32
seq_space (const Decoded *d)
{
  return d->payload_bytes + ((d->seg.flags & TCP_SYN) ? 1 : 0)
         + ((d->seg.flags & TCP_FIN) ? 1 : 0);
}

/* TCP options, each cut into the byte fields the figure draws. */
typedef struct {
  guint offset;                 /* from the start of the options */
  guint n_bytes;
  char *name;
  char *value;
} OptField;

typedef struct {
  GArray *fields;               /* OptField, in byte order */
  GPtrArray *lines;             /* one description per option */
} Options;

static void
opt_field_clear (gpointer p)
{
  OptField *f = p;

  g_free (f->name);
  g_free (f->value);
}

static void
add_field (Options *o, guint offset, guint n_bytes, const char *name,
           char *value)
{
  OptField f = { offset, n_bytes, g_strdup (name), value };

  g_array_append_val (o->fields, f);
}

static void
parse_options (const Decoded *d, Options *o)
{
  const guint8 *p = d->tcp + TCP_HEADER_BYTES;
  guint n = d->tcp_hdr_bytes - TCP_HEADER_BYTES;
  guint i = 0;

  o->fields = g_array_new (FALSE, TRUE, sizeof (OptField));
  g_array_set_clear_func (o->fields, opt_field_clear);
  o->lines = g_ptr_array_new_with_free_func (g_free);

  while (i < n)
    {
      guint8 kind = p[i];
      guint len;

      if (kind == TCP_OPT_END)
        {
          add_field (o, i, 1, "EOL", g_strdup ("kind 0"));
          g_ptr_array_add (o->lines, g_strdup ("End of Option List "
                                               "(kind 0): nothing follows"));
          if (i + 1 < n)
            add_field (o, i + 1, n - i - 1, "padding", g_strdup ("zero"));
          return;
        }
      if (kind == TCP_OPT_NOP)
        {
          add_field (o, i, 1, "NOP", g_strdup ("kind 1"));
          g_ptr_array_add (o->lines, g_strdup ("No-Operation (kind 1): "
                                               "padding, so that the next "
                                               "option starts on a word"));
          i++;
          continue;
        }
      len = i + 1 < n ? p[i + 1] : 0;
      if (len < 2 || i + len > n)
        {
          add_field (o, i, n - i, "malformed", g_strdup_printf ("kind %u",
                                                                kind));
          g_ptr_array_add (o->lines,
                           g_strdup_printf ("kind %u with a bad length %u: "
                                            "the rest cannot be read",
                                            kind, len));
          return;
        }
      add_field (o, i + 1, 1, "Length", g_strdup_printf ("%u", len));
      switch (kind)
        {
        case TCP_OPT_MSS:
          add_field (o, i, 1, "MSS", g_strdup ("kind 2"));
          if (len == 4)
            {
              guint mss = wire_get16 (p + i + 2);

              add_field (o, i + 2, 2, "Max Seg Size",
                         g_strdup_printf ("%u", mss));
              g_ptr_array_add (o->lines,
                               g_strdup_printf ("Maximum Segment Size (kind "
                                                "2, RFC 9293 3.7.1): send "
                                                "this end at most %u bytes "
                                                "of data per segment", mss));
            }
          break;
        case TCP_OPT_WSCALE:
          add_field (o, i, 1, "WS", g_strdup ("kind 3"));
          if (len == 3)
            {
              guint shift = p[i + 2];

              add_field (o, i + 2, 1, "Shift", g_strdup_printf ("%u",
                                                                shift));
              g_ptr_array_add (o->lines,
                               g_strdup_printf ("Window Scale (kind 3, RFC "
                                                "7323 2): shift %u; once "
                                                "both SYNs carry it, this "
                                                "end's windows count in "
                                                "units of 2^%u = %u bytes",
                                                shift,
                                                MIN (shift, TCP_WSCALE_MAX),
                                                1u << MIN (shift,
                                                           TCP_WSCALE_MAX)));
            }
          break;
        case TCP_OPT_SACK_PERM:
          add_field (o, i, 1, "SACK-Perm", g_strdup ("kind 4"));
          g_ptr_array_add (o->lines,
                           g_strdup ("SACK Permitted (kind 4, RFC 2018): "
                                     "this end can read selective "
                                     "acknowledgements"));
          break;
        case TCP_OPT_SACK:
          add_field (o, i, 1, "SACK", g_strdup ("kind 5"));
          for (guint b = i + 2; b + 8 <= i + len; b += 8)
            {
              guint32 left = wire_get32 (p + b);
              guint32 right = wire_get32 (p + b + 4);

              add_field (o, b, 4, "Left Edge",
                         g_strdup_printf ("%u", left - d->pkt->isn_ack));
              add_field (o, b + 4, 4, "Right Edge",
                         g_strdup_printf ("%u", right - d->pkt->isn_ack));
              g_ptr_array_add (o->lines,
                               g_strdup_printf ("SACK block (kind 5, RFC "
                                                "2018): received %u to %u "
                                                "(relative; raw %u to %u), "
                                                "beyond the ACK",
                                                left - d->pkt->isn_ack,
                                                right - d->pkt->isn_ack - 1,
                                                left, right - 1));
            }
          break;
        case TCP_OPT_TIMESTAMPS:
          add_field (o, i, 1, "TS", g_strdup ("kind 8"));
          if (len == 10)
            {
              guint32 val = wire_get32 (p + i + 2);
              guint32 ecr = wire_get32 (p + i + 6);

              add_field (o, i + 2, 4, "TSval", g_strdup_printf ("%u", val));
              add_field (o, i + 6, 4, "TSecr", g_strdup_printf ("%u", ecr));
              g_ptr_array_add (o->lines,
                               g_strdup_printf ("Timestamps (kind 8, RFC "
                                                "7323 3): TSval %u, this "
                                                "end's clock; TSecr %u, the "
                                                "peer's last TSval echoed "
                                                "back (for RTT and PAWS)",
                                                val, ecr));
            }
          break;
        default:
          add_field (o, i, 1, "Kind", g_strdup_printf ("%u", kind));
          g_ptr_array_add (o->lines,
                           g_strdup_printf ("kind %u, %u bytes: not one "
                                            "this simulator knows", kind,
                                            len));
          break;
        }
      /* Fields an option's length promised but its kind did not fill. */
      if (len > 2 && (kind == TCP_OPT_SACK_PERM || kind >= 9
                      || (kind == TCP_OPT_MSS && len != 4)
                      || (kind == TCP_OPT_WSCALE && len != 3)
                      || (kind == TCP_OPT_TIMESTAMPS && len != 10)))
        add_field (o, i + 2, len - 2, "Value", g_strdup ("?"));
      i += len;
    }
}

static void
options_clear (Options *o)
{
  g_clear_pointer (&o->fields, g_array_unref);
  g_clear_pointer (&o->lines, g_ptr_array_unref);
}

/* The heading. */

static void
append_heading (GString *s, const Decoded *d)
{
  const ExplainPacket *pkt = d->pkt;
  char t[SIM_TIME_FORMAT_BYTES];
  char flags[PLOTS_FLAGS_STR_BYTES];
  g_autofree char *src = addr_port (d->seg.src, d->seg.sport);
  g_autofree char *dst = addr_port (d->seg.dst, d->seg.dport);

  sim_time_format_buf (pkt->at_ns, t);
  plots_flags_format (d->seg.flags, flags);
  g_string_append_printf (s, "Segment %" G_GUINT64_FORMAT ": the %"
                          G_GUINT64_FORMAT "%s packet to enter a link in "
                          "this run\n", pkt->number, pkt->number,
                          ordinal_suffix (pkt->number));
  g_string_append_printf (s, "  at %s s on link %s, %s (seq and ack "
                          "relative):\n", t, pkt->link, pkt->dir);
  g_string_append_printf (s, "  %s > %s  %s seq=%u", src, dst, flags,
                          d->seg.seq - pkt->isn_seq);
  if (d->seg.flags & TCP_ACK)
    g_string_append_printf (s, " ack=%u", d->seg.ack - pkt->isn_ack);
  g_string_append_printf (s, " len=%u win=%u\n\n",
                          d->payload_bytes, d->seg.win);
}

/* The encapsulation: a staircase of boxes, one row per layer, each layer
 * wrapping the one above in its own header. */

typedef struct {
  const char *tl, *tm, *tr, *bl, *bm, *br, *h, *v;
} Box;

static const Box unicode_box = {
  "\xe2\x94\x8c", "\xe2\x94\xac", "\xe2\x94\x90",   /* ┌ ┬ ┐ */
  "\xe2\x94\x94", "\xe2\x94\xb4", "\xe2\x94\x98",   /* └ ┴ ┘ */
  "\xe2\x94\x80", "\xe2\x94\x82",                   /* ─ │ */
};

static const Box ascii_box = { "+", "+", "+", "+", "+", "+", "-", "|" };

#define N_CELLS 4
#define LAYER_LABEL_CELLS 17

static void
append_box_row (GString *s, const Box *b, const char *label,
                char *const cells[N_CELLS], const guint widths[N_CELLS],
                guint first, guint right_edge)
{
  guint row_cells = 1;
  guint start;

  for (guint c = first; c < N_CELLS; c++)
    row_cells += widths[c] + 1;
  start = right_edge - row_cells;

  /* Top border, content, bottom border. */
  for (guint line = 0; line < 3; line++)
    {
      guint used = 0;

      if (line == 1)
        {
          g_string_append_printf (s, "  %-*s", LAYER_LABEL_CELLS - 2, label);
          used = LAYER_LABEL_CELLS;
        }
      for (; used < start; used++)
        g_string_append_c (s, ' ');
      for (guint c = first; c < N_CELLS; c++)
        {
          if (line == 1)
            {
              g_string_append (s, b->v);
              g_string_append_printf (s, " %-*s", widths[c] - 1, cells[c]);
            }
          else
            {
              g_string_append (s, c == first ? (line == 0 ? b->tl : b->bl)
                                             : (line == 0 ? b->tm : b->bm));
              append_repeat (s, b->h, widths[c]);
            }
        }
      g_string_append (s, line == 1 ? b->v : (line == 0 ? b->tr : b->br));
      g_string_append_c (s, '\n');
    }
}

static void
append_encapsulation (GString *s, const Decoded *d, gboolean ascii)
{
  const ExplainPacket *pkt = d->pkt;
  const Box *b = ascii ? &ascii_box : &unicode_box;
  char *cells[N_CELLS];
  guint widths[N_CELLS];
  guint right_edge = LAYER_LABEL_CELLS + 1;
  char src[IPV4_ADDR_STR_BYTES];
  char dst[IPV4_ADDR_STR_BYTES];
  char rate[SUMMARY_STR_BYTES];
  char tx[SUMMARY_STR_BYTES];
  char delay[SUMMARY_STR_BYTES];
  guint64 bits = (guint64) d->ip_total_bytes * 8;

  cells[0] = g_strdup ("no link hdr");
  cells[1] = g_strdup_printf ("IPv4 hdr %u B", d->ip_hdr_bytes);
  cells[2] = g_strdup_printf ("TCP hdr %u B", d->tcp_hdr_bytes);
  cells[3] = g_strdup_printf ("data %u B", d->payload_bytes);
  for (guint c = 0; c < N_CELLS; c++)
    {
      widths[c] = (guint) strlen (cells[c]) + 2;
      right_edge += widths[c] + 1;
    }

  g_string_append (s, "Encapsulation: the five layers, each wrapping the "
                   "one above\n\n");
  append_box_row (s, b, "5 application", cells, widths, 3, right_edge);
  append_box_row (s, b, "4 transport", cells, widths, 2, right_edge);
  append_box_row (s, b, "3 network", cells, widths, 1, right_edge);
  append_box_row (s, b, "2 link", cells, widths, 0, right_edge);
  {
    /* The physical layer carries the frame as a stream of bits, drawn
     * under it as a wave of the frame's width. */
    g_autofree char *text = g_strdup_printf (" %" G_GUINT64_FORMAT
                                             " bits ", bits);
    guint width = right_edge - LAYER_LABEL_CELLS;
    guint left = (width - (guint) strlen (text)) / 2;

    g_string_append_printf (s, "  %-*s", LAYER_LABEL_CELLS - 2,
                            "1 physical");
    append_repeat (s, "~", left);
    g_string_append (s, text);
    append_repeat (s, "~", width - left - (guint) strlen (text));
    g_string_append (s, "\n\n");
  }
  for (guint c = 0; c < N_CELLS; c++)
    g_free (cells[c]);

  ipv4_addr_format (d->seg.src, src);
  ipv4_addr_format (d->seg.dst, dst);
  {
    g_autofree char *l5 = NULL;
    g_autofree char *l4 = NULL;
    g_autofree char *l3 = NULL;
    g_autofree char *l2 = NULL;
    g_autofree char *l1 = NULL;

    if (d->payload_bytes > 0)
      l5 = g_strdup_printf ("%u bytes the application wrote, sequence "
                            "numbers %u to %u", d->payload_bytes,
                            d->seg.seq - pkt->isn_seq,
                            d->seg.seq - pkt->isn_seq + d->payload_bytes
                              - 1);
    else
      l5 = g_strdup ("no data: this segment carries only TCP's own "
                     "signalling");
    l4 = g_strdup_printf ("TCP adds a %u-byte header (ports %u > %u): a "
                          "%u-byte segment", d->tcp_hdr_bytes, d->seg.sport,
                          d->seg.dport, d->tcp_bytes);
    l3 = g_strdup_printf ("IPv4 adds a %u-byte header (%s > %s, protocol "
                          "%u = TCP, TTL %u): a %u-byte datagram",
                          d->ip_hdr_bytes, src, dst, d->ip[9], d->ip[8],
                          d->ip_total_bytes);
    l2 = g_strdup_printf ("the simulator's point-to-point link %s (%s) "
                          "adds nothing: the frame is the datagram itself. "
                          "Ethernet would add a 14-byte header and a "
                          "4-byte FCS; the capture %s.pcap holds raw IPv4 "
                          "(LINKTYPE_RAW) for the same reason.", pkt->link,
                          pkt->dir, pkt->link);
    summary_format_duration (pkt->delay_ns, delay);
    if (pkt->rate_bps > 0)
      {
        /* Rounded up, as the link itself never beats its rate. */
        SimTime tx_ns = (SimTime) ((bits * G_GUINT64_CONSTANT (1000000000)
                                    + pkt->rate_bps - 1) / pkt->rate_bps);

        summary_format_rate ((double) pkt->rate_bps, rate);
        summary_format_duration (tx_ns, tx);
        l1 = g_strdup_printf ("%" G_GUINT64_FORMAT " bits at %s: %s to "
                              "transmit, then %s to propagate", bits, rate,
                              tx, delay);
      }
    else
      {
        l1 = g_strdup_printf ("%" G_GUINT64_FORMAT " bits on a link "
                              "without a rate limit: sent at once, then %s "
                              "to propagate", bits, delay);
      }
    append_wrapped (s, "  5 application  ", LAYER_LABEL_CELLS, l5);
    append_wrapped (s, "  4 transport    ", LAYER_LABEL_CELLS, l4);
    append_wrapped (s, "  3 network      ", LAYER_LABEL_CELLS, l3);
    append_wrapped (s, "  2 link         ", LAYER_LABEL_CELLS, l2);
    append_wrapped (s, "  1 physical     ", LAYER_LABEL_CELLS, l1);
    g_string_append_c (s, '\n');
  }
}

static void
append_ipv4 (GString *s, const Decoded *d)
{
  const guint8 *ip = d->ip;
  guint16 csum = wire_get16 (ip + 10);
  guint16 frag = wire_get16 (ip + 6);
  char src[IPV4_ADDR_STR_BYTES];
  char dst[IPV4_ADDR_STR_BYTES];
  g_autofree char *flags = NULL;

  ipv4_addr_format (d->seg.src, src);
  ipv4_addr_format (d->seg.dst, dst);
  if ((frag & 0x6000) == 0)
    flags = g_strdup ("none");
  else
    flags = g_strdup_printf ("%s%s%s", (frag & 0x4000) ? "DF (don't "
                                                         "fragment)" : "",
                             (frag & 0x6000) == 0x6000 ? ", " : "",
                             (frag & 0x2000) ? "MF (more fragments)" : "");
  g_string_append_printf (s, "IPv4 header (RFC 791), %u bytes\n",
                          d->ip_hdr_bytes);
  append_field (s, "Version", "%u", ip[0] >> 4);
  append_field (s, "IHL", "%u words of 4 bytes = %u bytes%s", ip[0] & 0x0f,
                d->ip_hdr_bytes,
                d->ip_hdr_bytes == IPV4_HEADER_BYTES ? " (no options)" : "");
  append_field (s, "DSCP / ECN", "%u / %u", ip[1] >> 2, ip[1] & 0x03);
  append_field (s, "Total Length", "%u bytes", d->ip_total_bytes);
  append_field (s, "Identification", "%u", wire_get16 (ip + 4));
  append_field (s, "Flags", "%s", flags);
  append_field (s, "Fragment Offset", "%u", frag & 0x1fff);
  append_field (s, "Time to Live", "%u hops", ip[8]);
  append_field (s, "Protocol", "%u (TCP)", ip[9]);
  if (ipv4_checksum_expected (d) == csum)
    append_field (s, "Header Checksum", "0x%04x, verifies", csum);
  else
    append_field (s, "Header Checksum", "0x%04x, does NOT verify (expected "
                  "0x%04x): a router would drop this packet", csum,
                  ipv4_checksum_expected (d));
  append_field (s, "Source Address", "%s", src);
  append_field (s, "Destination Address", "%s", dst);
  g_string_append_c (s, '\n');
}

/* The RFC 9293 3.1 figure.  A field of n bits is 2n - 1 characters wide
 * between its bars; each row is one 32-bit word. */

#define CELL_LINES 4

typedef struct {
  guint bits;
  const char *lines[CELL_LINES];
} Cell;

static void
append_centered (GString *s, const char *text, guint width)
{
  guint len = text != NULL ? (guint) strlen (text) : 0;
  guint left;

  if (len > width)
    len = width;
  left = (width - len) / 2;
  append_repeat (s, " ", left);
  if (len > 0)
    g_string_append_len (s, text, len);
  append_repeat (s, " ", width - len - left);
}

static void
append_rule (GString *s)
{
  g_string_append (s, FIGURE_INDENT "+");
  append_repeat (s, "-+", 32);
  g_string_append_c (s, '\n');
}

/* One word of the figure: @n_lines lines of cells, the word's four bytes
 * in hex after the last one, then a rule. */
static void
append_word (GString *s, const Cell *cells, guint n_cells, guint n_lines,
             const guint8 *word)
{
  for (guint line = 0; line < n_lines; line++)
    {
      g_string_append (s, FIGURE_INDENT "|");
      for (guint c = 0; c < n_cells; c++)
        {
          append_centered (s, cells[c].lines[line], cells[c].bits * 2 - 1);
          g_string_append_c (s, '|');
        }
      if (line == n_lines - 1)
        g_string_append_printf (s, "   %02x %02x %02x %02x", word[0],
                                word[1], word[2], word[3]);
      g_string_append_c (s, '\n');
    }
  append_rule (s);
}

static void
append_option_words (GString *s, const Decoded *d, const Options *o)
{
  guint n_words = (d->tcp_hdr_bytes - TCP_HEADER_BYTES) / 4;

  for (guint w = 0; w < n_words; w++)
    {
      Cell cells[4] = { { 0 } };
      g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
      guint n_cells = 0;
      guint lo = w * 4;
      guint hi = lo + 4;

      for (guint f = 0; f < o->fields->len; f++)
        {
          const OptField *field = &g_array_index (o->fields, OptField, f);
          guint start = MAX (field->offset, lo);
          guint end = MIN (field->offset + field->n_bytes, hi);

          if (start >= end)
            continue;
          cells[n_cells].bits = (end - start) * 8;
          if (start == field->offset)
            {
              cells[n_cells].lines[0] = field->name;
              cells[n_cells].lines[1] = field->value;
            }
          else
            {
              /* A field carried over from the word above. */
              char *cont = g_strdup_printf ("(%s)", field->name);

              g_ptr_array_add (keep, cont);
              cells[n_cells].lines[0] = cont;
            }
          n_cells++;
        }
      g_assert (n_cells > 0);
      append_word (s, cells, n_cells, 2, d->tcp + TCP_HEADER_BYTES + lo);
    }
}

static void
append_figure (GString *s, const Decoded *d, const Options *o)
{
  static const char *const flag_names[8][3] = {
    { "C", "W", "R" }, { "E", "C", "E" }, { "U", "R", "G" },
    { "A", "C", "K" }, { "P", "S", "H" }, { "R", "S", "T" },
    { "S", "Y", "N" }, { "F", "I", "N" },
  };
  const ExplainPacket *pkt = d->pkt;
  char sport[16], dport[16], seq[48], ack[48], off[8], rsv[8], win[16];
  char csum[16], urg[16];
  char bits[8][2];
  Cell row3[11];

  g_snprintf (sport, sizeof sport, "%u", d->seg.sport);
  g_snprintf (dport, sizeof dport, "%u", d->seg.dport);
  g_snprintf (seq, sizeof seq, "%u (relative %u)", d->seg.seq,
              d->seg.seq - pkt->isn_seq);
  if (d->seg.flags & TCP_ACK)
    g_snprintf (ack, sizeof ack, "%u (relative %u)", d->seg.ack,
                d->seg.ack - pkt->isn_ack);
  else
    g_snprintf (ack, sizeof ack, "%u (unused: no ACK)", d->seg.ack);
  g_snprintf (off, sizeof off, "%u", d->tcp[12] >> 4);
  g_snprintf (rsv, sizeof rsv, "%u", d->tcp[12] & 0x0f);
  g_snprintf (win, sizeof win, "%u", d->seg.win);
  g_snprintf (csum, sizeof csum, "0x%04x", wire_get16 (d->tcp + 16));
  g_snprintf (urg, sizeof urg, "%u", wire_get16 (d->tcp + 18));

  g_string_append (s, "TCP header, bit by bit (the figure of RFC 9293 "
                   "3.1, with this segment's values;\n"
                   "each 32-bit word in hex on the right)\n\n");
  g_string_append (s, FIGURE_INDENT " 0                   1               "
                   "    2                   3\n");
  g_string_append (s, FIGURE_INDENT " 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 "
                   "8 9 0 1 2 3 4 5 6 7 8 9 0 1\n");
  append_rule (s);
  {
    const Cell row0[] = {
      { 16, { "Source Port", sport } },
      { 16, { "Destination Port", dport } },
    };
    const Cell row1[] = { { 32, { "Sequence Number", seq } } };
    const Cell row2[] = { { 32, { "Acknowledgment Number", ack } } };
    const Cell row4[] = {
      { 16, { "Checksum", csum } },
      { 16, { "Urgent Pointer", urg } },
    };

    append_word (s, row0, G_N_ELEMENTS (row0), 2, d->tcp);
    append_word (s, row1, G_N_ELEMENTS (row1), 2, d->tcp + 4);
    append_word (s, row2, G_N_ELEMENTS (row2), 2, d->tcp + 8);

    row3[0] = (Cell) { 4, { "Data", "Offset", NULL, off } };
    row3[1] = (Cell) { 4, { NULL, "Rsrvd", NULL, rsv } };
    for (guint i = 0; i < 8; i++)
      {
        /* CWR is the high bit of the flags byte, FIN the low one. */
        bits[i][0] = (d->seg.flags & (0x80u >> i)) ? '1' : '0';
        bits[i][1] = '\0';
        row3[2 + i] = (Cell) { 1, { flag_names[i][0], flag_names[i][1],
                                    flag_names[i][2], bits[i] } };
      }
    row3[10] = (Cell) { 16, { NULL, "Window", NULL, win } };
    append_word (s, row3, G_N_ELEMENTS (row3), 4, d->tcp + 12);
    append_word (s, row4, G_N_ELEMENTS (row4), 2, d->tcp + 16);
  }
  append_option_words (s, d, o);
  if (d->payload_bytes > 0)
    {
      g_autofree char *data = g_strdup_printf ("Data: %u bytes",
                                               d->payload_bytes);

      g_string_append (s, FIGURE_INDENT "|");
      append_repeat (s, " ", 63);
      g_string_append (s, ":\n" FIGURE_INDENT ":");
      append_centered (s, data, 63);
      g_string_append (s, ":\n" FIGURE_INDENT ":");
      append_repeat (s, " ", 63);
      g_string_append (s, "|\n");
      append_rule (s);
    }
  g_string_append_c (s, '\n');
}

/* Field by field. */

static void
append_flags (GString *s, guint8 flags)
{
  static const struct {
    guint8 bit;
    const char *name;
    const char *set;
    const char *clear;
  } table[] = {
    { TCP_CWR, "CWR", "congestion window reduced (RFC 3168)",
      "no congestion window reduction to report (RFC 3168)" },
    { TCP_ECE, "ECE", "ECN echo: congestion was seen (RFC 3168)",
      "no ECN echo (RFC 3168)" },
    { TCP_URG, "URG", "the urgent pointer is significant",
      "the urgent pointer is not significant" },
    { TCP_ACK, "ACK", "the acknowledgment number is significant",
      "the acknowledgment number is not significant" },
    { TCP_PSH, "PSH", "push: hand the data to the application now",
      "no push" },
    { TCP_RST, "RST", "reset the connection", "no reset" },
    { TCP_SYN, "SYN", "synchronize sequence numbers; takes one sequence "
      "number",
      "not synchronizing sequence numbers" },
    { TCP_FIN, "FIN", "no more data from the sender; takes one sequence "
      "number", "more data may follow" },
  };
  char names[PLOTS_FLAGS_STR_BYTES];

  plots_flags_format (flags, names);
  append_field (s, "Control Bits", "0x%02x = %s", flags, names);
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      gboolean on = (flags & table[i].bit) != 0;

      g_string_append_printf (s, "  %*s%s %d  %s\n", 2, "", table[i].name,
                              on ? 1 : 0, on ? table[i].set
                                             : table[i].clear);
    }
}

/* The first bytes of the data, in hex and as text, under the field. */
static void
append_payload_preview (GString *s, const Decoded *d)
{
  const guint8 *data = d->tcp + d->tcp_hdr_bytes;
  guint n = MIN (d->payload_bytes, PAYLOAD_PREVIEW_BYTES);

  g_string_append_printf (s, "%*s", FIELD_NAME_CELLS + 2, "");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%02x", i > 0 ? " " : "", data[i]);
  g_string_append_printf (s, "%s\n%*s|", d->payload_bytes > n ? " ..." : "",
                          FIELD_NAME_CELLS + 2, "");
  for (guint i = 0; i < n; i++)
    g_string_append_c (s, g_ascii_isprint (data[i]) ? (char) data[i] : '.');
  g_string_append (s, "|\n");
}

static void
append_tcp_fields (GString *s, const Decoded *d, const Options *o)
{
  const ExplainPacket *pkt = d->pkt;
  guint32 rel_seq = d->seg.seq - pkt->isn_seq;
  guint32 next = rel_seq + seq_space (d);
  guint16 csum = wire_get16 (d->tcp + 16);
  guint16 expected = tcp_checksum_expected (d);
  guint16 urg = wire_get16 (d->tcp + 18);
  char src[IPV4_ADDR_STR_BYTES];
  char dst[IPV4_ADDR_STR_BYTES];

  ipv4_addr_format (d->seg.src, src);
  ipv4_addr_format (d->seg.dst, dst);
  g_string_append (s, "TCP header, field by field (RFC 9293 3.1)\n");
  append_field (s, "Source Port", "%u", d->seg.sport);
  append_field (s, "Destination Port", "%u", d->seg.dport);

  if (d->seg.flags & TCP_SYN)
    append_field (s, "Sequence Number", "%u (relative %u): the initial "
                  "sequence number (ISN) of this direction; the SYN "
                  "takes it, so the first data byte will be %u",
                  d->seg.seq, rel_seq, rel_seq + 1);
  else
    append_field (s, "Sequence Number", "%u (relative %u, ISN %u): the "
                  "number of this segment's first byte",
                  d->seg.seq, rel_seq, pkt->isn_seq);
  append_field (s, "", "next sequence number = %u + %u%s%s = %u",
                rel_seq, d->payload_bytes,
                (d->seg.flags & TCP_SYN) ? " + 1 (SYN)" : "",
                (d->seg.flags & TCP_FIN) ? " + 1 (FIN)" : "", next);

  if (d->seg.flags & TCP_ACK)
    append_field (s, "Acknowledgment Number", "%u (relative %u, peer ISN "
                  "%u): the next byte expected from the peer; every "
                  "byte before it has arrived",
                  d->seg.ack, d->seg.ack - pkt->isn_ack, pkt->isn_ack);
  else
    append_field (s, "Acknowledgment Number", "%u: not significant, since "
                  "ACK is not set", d->seg.ack);

  append_field (s, "Data Offset", "%u words of 4 bytes = %u bytes of "
                "header%s", d->tcp_hdr_bytes / 4, d->tcp_hdr_bytes,
                d->tcp_hdr_bytes == TCP_HEADER_BYTES
                  ? ": no options"
                  : ": 20 fixed, the rest options");
  append_field (s, "Reserved", "%u", d->tcp[12] & 0x0f);
  append_flags (s, d->seg.flags);

  switch (pkt->scale)
    {
    case EXPLAIN_SCALE_SYN:
      append_field (s, "Window", "%u bytes the sender can receive; never "
                    "scaled in a SYN (RFC 7323 2.2)", d->seg.win);
      break;
    case EXPLAIN_SCALE_UNSCALED:
      append_field (s, "Window", "%u bytes the sender can receive (not "
                    "scaled: the SYNs did not both carry the window "
                    "scale option)", d->seg.win);
      break;
    case EXPLAIN_SCALE_SHIFTED:
      append_field (s, "Window", "%u << %u = %" G_GUINT64_FORMAT " bytes "
                    "the sender can receive (scaled as its SYN "
                    "announced, RFC 7323 2.2)", d->seg.win,
                    pkt->wscale_shift,
                    (guint64) d->seg.win << pkt->wscale_shift);
      break;
    default:
      g_assert_not_reached ();
    }
  if (d->seg.win == 0 && !(d->seg.flags & (TCP_SYN | TCP_RST)))
    append_field (s, "", "a zero window: the sender of data must stop and "
                  "probe it (RFC 9293 3.8.6.1)");

  if (csum == expected)
    append_field (s, "Checksum", "0x%04x, verifies: the ones' complement "
                  "sum over the pseudo header (%s, %s, zero, protocol "
                  "6, TCP length %u), the header and the data",
                  csum, src, dst, d->tcp_bytes);
  else
    append_field (s, "Checksum", "0x%04x, does NOT verify (expected "
                  "0x%04x): the receiver drops the segment", csum,
                  expected);

  if (d->seg.flags & TCP_URG)
    append_field (s, "Urgent Pointer", "%u: urgent data ends %u bytes "
                  "after this segment's sequence number", urg, urg);
  else
    append_field (s, "Urgent Pointer", "%u (ignored: URG is not set)", urg);

  if (o->lines->len == 0)
    append_field (s, "Options", "none");
  for (guint i = 0; i < o->lines->len; i++)
    append_field (s, i == 0 ? "Options" : "", "%s",
                  (const char *) g_ptr_array_index (o->lines, i));

  if (d->payload_bytes == 0)
    {
      append_field (s, "Data", "none");
    }
  else
    {
      append_field (s, "Data", "%u bytes, sequence numbers %u to %u; "
                    "the first in hex and as text:",
                    d->payload_bytes, rel_seq, rel_seq + d->payload_bytes
                                               - 1);
      append_payload_preview (s, d);
    }
}

char *
explain_render (const ExplainPacket *pkt, gboolean ascii, GError **error)
{
  Decoded d;
  Options o = { 0 };
  GString *s;

  g_return_val_if_fail (pkt != NULL, NULL);
  g_return_val_if_fail (pkt->bytes != NULL || pkt->len_bytes == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!decode (pkt, &d, error))
    return NULL;
  parse_options (&d, &o);
  s = g_string_new (NULL);
  append_heading (s, &d);
  append_encapsulation (s, &d, ascii);
  append_ipv4 (s, &d);
  append_figure (s, &d, &o);
  append_tcp_fields (s, &d, &o);
  options_clear (&o);
  return g_string_free (s, FALSE);
}

/* The collector. */

struct ExplainCollector {
  Network *net;
  guint64 number;
  guint64 n_seen;
  /* "src:port>dst:port" -> the shift its SYN announced + 1 (0 for a SYN
   * without the option), for the flows seen before the packet. */
  GHashTable *syn_wscale;

  gboolean found;
  guint8 *bytes;
  ExplainPacket pkt;
  char *link;
  char *dir;
};

ExplainCollector *
explain_collector_new (Network *net, guint64 number)
{
  ExplainCollector *c;

  g_return_val_if_fail (net != NULL, NULL);
  g_return_val_if_fail (number >= 1, NULL);

  c = g_new0 (ExplainCollector, 1);
  c->net = net;
  c->number = number;
  c->syn_wscale = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         NULL);
  return c;
}

void
explain_collector_free (ExplainCollector *c)
{
  if (c == NULL)
    return;
  g_hash_table_unref (c->syn_wscale);
  g_free (c->bytes);
  g_free (c->link);
  g_free (c->dir);
  g_free (c);
}

static char *
flow_key (Ipv4Addr src, guint16 sport, Ipv4Addr dst, guint16 dport)
{
  g_autofree char *a = addr_port (src, sport);
  g_autofree char *b = addr_port (dst, dport);

  return g_strconcat (a, ">", b, NULL);
}

/* The shift + 1 a flow's SYN announced; 0: no option; -1: no SYN seen. */
static int
flow_wscale (const ExplainCollector *c, const char *key)
{
  gpointer value;

  if (!g_hash_table_lookup_extended (c->syn_wscale, key, NULL, &value))
    return -1;
  return GPOINTER_TO_INT (value);
}

static void
capture (ExplainCollector *c, SimTime at_ns, const LinkTraceEvent *ev,
         const PlotsSegment *seg, gboolean is_tcp)
{
  const Packet *pkt = ev->pkt;
  const LinkDirParams *params = link_params (ev->link, ev->dir);

  c->found = TRUE;
  c->bytes = g_memdup2 (packet_cbytes (pkt), pkt->len_bytes);
  c->link = g_strdup (link_name (ev->link));
  c->dir = g_strdup (link_dir_label (ev->link, ev->dir));
  c->pkt.number = c->number;
  c->pkt.at_ns = at_ns;
  c->pkt.link = c->link;
  c->pkt.dir = c->dir;
  c->pkt.rate_bps = params->rate_bps;
  c->pkt.delay_ns = params->delay_ns;
  c->pkt.bytes = c->bytes;
  c->pkt.len_bytes = pkt->len_bytes;
  c->pkt.scale = EXPLAIN_SCALE_UNSCALED;
  if (!is_tcp)
    return;
  /* The network's ISN table gives relative numbers as trace.jsonl has
   * them: ISN = raw - relative. */
  c->pkt.isn_seq = seg->seq - network_flow_relative (c->net, seg->src,
                                                     seg->sport, seg->dst,
                                                     seg->dport, seg->seq);
  c->pkt.isn_ack = seg->ack - network_flow_relative (c->net, seg->dst,
                                                     seg->dport, seg->src,
                                                     seg->sport, seg->ack);
  if (seg->flags & TCP_SYN)
    {
      c->pkt.scale = EXPLAIN_SCALE_SYN;
    }
  else
    {
      g_autofree char *mine = flow_key (seg->src, seg->sport, seg->dst,
                                        seg->dport);
      g_autofree char *theirs = flow_key (seg->dst, seg->dport, seg->src,
                                          seg->sport);
      int w_mine = flow_wscale (c, mine);
      int w_theirs = flow_wscale (c, theirs);

      /* RFC 7323 2.2: scaling is in force only when both SYNs carried
       * the option. */
      if (w_mine > 0 && w_theirs > 0)
        {
          c->pkt.scale = EXPLAIN_SCALE_SHIFTED;
          c->pkt.wscale_shift = (guint) w_mine - 1;
        }
    }
}

void
explain_collector_record (const SimTraceRecord *rec, void *data)
{
  ExplainCollector *c = data;
  const LinkTraceEvent *ev;
  PlotsSegment seg;
  gboolean is_tcp;

  if (c->found || rec->kind != &link_trace_tx)
    return;
  ev = rec->body;
  c->n_seen++;
  is_tcp = plots_segment_decode (packet_cbytes (ev->pkt), ev->pkt->len_bytes,
                                 &seg);
  if (c->n_seen == c->number)
    {
      capture (c, rec->at_ns, ev, &seg, is_tcp);
      return;
    }
  if (is_tcp && (seg.flags & TCP_SYN))
    g_hash_table_replace (c->syn_wscale,
                          flow_key (seg.src, seg.sport, seg.dst, seg.dport),
                          GINT_TO_POINTER (seg.wscale + 1));
}

guint64
explain_collector_n_seen (const ExplainCollector *c)
{
  g_return_val_if_fail (c != NULL, 0);
  return c->n_seen;
}

char *
explain_collector_render (const ExplainCollector *c, gboolean ascii,
                          GError **error)
{
  g_return_val_if_fail (c != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!c->found)
    {
      g_set_error (error, EXPLAIN_ERROR, EXPLAIN_ERROR_NOT_FOUND,
                   "--explain %" G_GUINT64_FORMAT ": the run sent only %"
                   G_GUINT64_FORMAT " packet%s into its links", c->number,
                   c->n_seen, c->n_seen == 1 ? "" : "s");
      return NULL;
    }
  return explain_render (&c->pkt, ascii, error);
}
