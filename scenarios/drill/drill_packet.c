/* drill_packet.c: packets between the script and the host under test.
 *
 * Outbound: on_record() (drill_driver.c) -> drill_packet_capture() parses
 * the host's bytes (IPv4 and TCP checksums verified), decodes the options
 * in wire order (decode_options()) and learns the host's ISN from its SYN;
 * expect_outbound() (drill_driver.c) -> drill_packet_match() turns them
 * into relative numbers and compares them with the '>' line, field by
 * field.
 *
 * Inbound: drill_packet_inject() picks the flow (pick_flow()), writes the
 * IPv4 and TCP headers with the options exactly as the script lists them
 * (encode_options()), and schedules node_receive() on the host.
 */
#include "scenarios/drill/drill_private.h"

#include <string.h>

#include "models/checksum.h"
#include "models/wire.h"

/* ---- describing ---- */

/* Flags in packetdrill's order: "S.", "P.", "F.", "FP.", "R.". */
static void
format_flags (guint8 flags, GString *out)
{
  static const struct {
    guint8 bit;
    char c;
  } order[] = {
    { TCP_FIN, 'F' }, { TCP_SYN, 'S' }, { TCP_RST, 'R' }, { TCP_PSH, 'P' },
    { TCP_ACK, '.' }, { TCP_URG, 'U' }, { TCP_ECE, 'E' }, { TCP_CWR, 'W' },
  };
  gsize before = out->len;

  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    if (flags & order[i].bit)
      g_string_append_c (out, order[i].c);
  if (out->len == before)
    g_string_append_c (out, '-');
}

static void
format_options (const GArray *options, gboolean any, GString *out)
{
  if (any)
    {
      g_string_append (out, " <...>");
      return;
    }
  if (options->len == 0)
    return;
  g_string_append (out, " <");
  for (guint i = 0; i < options->len; i++)
    {
      const DrillOption *o = &g_array_index (options, DrillOption, i);

      if (i > 0)
        g_string_append_c (out, ',');
      switch (o->kind)
        {
        case DRILL_OPT_EOL:
          g_string_append (out, "eol");
          break;
        case DRILL_OPT_NOP:
          g_string_append (out, "nop");
          break;
        case DRILL_OPT_MSS:
          g_string_append_printf (out, "mss %u", o->value);
          break;
        case DRILL_OPT_WSCALE:
          g_string_append_printf (out, "wscale %u", o->value);
          break;
        case DRILL_OPT_SACK_OK:
          g_string_append (out, "sackOK");
          break;
        case DRILL_OPT_SACK:
          g_string_append (out, "sack");
          for (guint b = 0; b < o->n_sack; b++)
            g_string_append_printf (out, " %u:%u", o->sack[b].start,
                                    o->sack[b].end);
          break;
        case DRILL_OPT_TS:
          g_string_append_printf (out, "TS val %u ecr %u", o->ts_val,
                                  o->ts_ecr);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  g_string_append_c (out, '>');
}

/* The fields of a packet in relative numbers, whichever side wrote it. */
typedef struct {
  guint8 flags;
  guint32 seq;
  guint32 len_bytes;
  gboolean has_ack;
  guint32 ack;
  gboolean has_win;
  guint32 win;
  gboolean any_options;
  GArray *options;              /* (element-type DrillOption) relative */
} View;

static char *
describe_view (const View *v)
{
  GString *out = g_string_new (NULL);

  format_flags (v->flags, out);
  g_string_append_printf (out, " %u:%u(%u)", v->seq, v->seq + v->len_bytes,
                          v->len_bytes);
  if (v->has_ack)
    g_string_append_printf (out, " ack %u", v->ack);
  if (v->has_win)
    g_string_append_printf (out, " win %u", v->win);
  format_options (v->options, v->any_options, out);
  return g_string_free (out, FALSE);
}

static void
view_of_script (const DrillPacket *p, View *v)
{
  v->flags = p->flags;
  v->seq = p->seq;
  v->len_bytes = p->len_bytes;
  v->has_ack = p->has_ack;
  v->ack = p->ack;
  v->has_win = p->has_win;
  v->win = p->win;
  v->any_options = p->any_options;
  v->options = g_array_ref (p->options);
}

static guint32
local_base (const DrillFlow *f)
{
  /* Before the host's SYN is seen (a RST from a closed port), its
   * numbers are shown as they are. */
  return f != NULL && f->local_isn_known ? f->local_isn : 0;
}

static guint32
remote_base (const DrillFlow *f)
{
  return f != NULL ? f->remote_isn : 0;
}

/* The view of @n captured packets taken as one: a TSO burst is one
 * segment with the first's header, every payload, and the flags of all
 * (so the last one's PSH or FIN). */
static void
view_of_captured (DrillCaptured *const *got, guint n, View *v)
{
  const DrillCaptured *first = got[0];
  const DrillCaptured *last = got[n - 1];

  memset (v, 0, sizeof *v);
  for (guint i = 0; i < n; i++)
    {
      v->flags |= got[i]->seg.flags;
      v->len_bytes += got[i]->seg.len_bytes;
    }
  v->seq = first->seg.seq - local_base (first->flow);
  v->has_ack = (last->seg.flags & TCP_ACK) != 0;
  v->ack = last->seg.ack - remote_base (first->flow);
  v->has_win = TRUE;
  v->win = first->seg.win;
  v->options = g_array_sized_new (FALSE, TRUE, sizeof (DrillOption),
                                  first->options->len);
  for (guint i = 0; i < first->options->len; i++)
    {
      DrillOption o = g_array_index (first->options, DrillOption, i);

      /* SACK blocks acknowledge the peer's bytes. */
      for (guint b = 0; b < o.n_sack; b++)
        {
          o.sack[b].start -= remote_base (first->flow);
          o.sack[b].end -= remote_base (first->flow);
        }
      g_array_append_val (v->options, o);
    }
}

static void
view_clear (View *v)
{
  g_clear_pointer (&v->options, g_array_unref);
}

char *
drill_packet_describe (const DrillPacket *p)
{
  View v;
  char *s;

  view_of_script (p, &v);
  s = describe_view (&v);
  view_clear (&v);
  return s;
}

char *
drill_captured_describe (DrillCaptured *const *got, guint n)
{
  View v;
  char *s;

  view_of_captured (got, n, &v);
  s = describe_view (&v);
  view_clear (&v);
  return s;
}

/* ---- capture ---- */

void
drill_captured_free (DrillCaptured *c)
{
  if (c == NULL)
    return;
  g_free (c->bytes);
  if (c->options != NULL)
    g_array_unref (c->options);
  g_free (c);
}

/* Options exactly as they lie on the wire, NOPs and EOLs included. */
static gboolean
decode_options (const guint8 *p, guint len, GArray *out)
{
  guint i = 0;

  while (i < len)
    {
      DrillOption o = { 0 };
      guint8 olen;

      if (p[i] == TCP_OPT_EOL || p[i] == TCP_OPT_NOP)
        {
          o.kind = p[i] == TCP_OPT_EOL ? DRILL_OPT_EOL : DRILL_OPT_NOP;
          g_array_append_val (out, o);
          i++;
          continue;
        }
      if (i + 1 >= len)
        return FALSE;
      olen = p[i + 1];
      if (olen < 2 || i + olen > len)
        return FALSE;
      switch (p[i])
        {
        case TCP_OPT_MSS:
          if (olen != 4)
            return FALSE;
          o.kind = DRILL_OPT_MSS;
          o.value = wire_get16 (p + i + 2);
          break;
        case TCP_OPT_WSCALE:
          if (olen != 3)
            return FALSE;
          o.kind = DRILL_OPT_WSCALE;
          o.value = p[i + 2];
          break;
        case TCP_OPT_SACK_OK:
          if (olen != 2)
            return FALSE;
          o.kind = DRILL_OPT_SACK_OK;
          break;
        case TCP_OPT_SACK:
          if ((olen - 2) % 8 != 0 || (guint) (olen - 2) / 8 > TCP_MAX_SACK_BLOCKS
              || olen == 2)
            return FALSE;
          o.kind = DRILL_OPT_SACK;
          o.n_sack = (guint) (olen - 2) / 8;
          for (guint b = 0; b < o.n_sack; b++)
            {
              o.sack[b].start = wire_get32 (p + i + 2 + 8 * b);
              o.sack[b].end = wire_get32 (p + i + 6 + 8 * b);
            }
          break;
        case TCP_OPT_TIMESTAMP:
          if (olen != 10)
            return FALSE;
          o.kind = DRILL_OPT_TS;
          o.ts_val = wire_get32 (p + i + 2);
          o.ts_ecr = wire_get32 (p + i + 6);
          break;
        default:
          /* The model sends no other option. */
          return FALSE;
        }
      g_array_append_val (out, o);
      i += olen;
    }
  return TRUE;
}

void
drill_packet_capture (Drill *d, SimTime at_ns, const Packet *pkt)
{
  const guint8 *p = packet_cbytes (pkt);
  g_autoptr (GArray) options = NULL;
  Ipv4Header ip;
  guint ihl;
  Ipv4ParseResult ipr;
  TcpWireResult r;
  DrillCaptured *c;
  gsize tcp_bytes;
  char when[SIM_TIME_FORMAT_BYTES];

  drill_format_time (at_ns, when);
  ipr = ipv4_header_parse (p, pkt->len_bytes, &ip, &ihl);
  if (ipr != IPV4_PARSE_OK || ip.proto != IPV4_PROTO_TCP)
    {
      drill_fail (d, NULL, DRILL_ERROR_FAILED, "the host sent a packet that "
                  "is not IPv4+TCP at %s s (%s)", when,
                  ipv4_parse_result_name (ipr));
      return;
    }
  tcp_bytes = ip.total_len_bytes - ihl;
  c = g_new0 (DrillCaptured, 1);
  c->at_ns = at_ns;
  c->bytes = g_memdup2 (p + ihl, tcp_bytes);
  r = tcp_wire_parse (c->bytes, tcp_bytes, ip.src, ip.dst, TRUE, &c->seg);
  options = g_array_new (FALSE, TRUE, sizeof (DrillOption));
  if (r != TCP_WIRE_OK
      || !decode_options (c->bytes + TCP_HEADER_BYTES,
                          c->seg.hdr_bytes - TCP_HEADER_BYTES, options))
    {
      drill_fail (d, NULL, DRILL_ERROR_FAILED, "the host sent a malformed "
                  "TCP segment at %s s (%s)", when,
                  r != TCP_WIRE_OK ? tcp_wire_result_name (r)
                                   : "bad options");
      drill_captured_free (c);
      return;
    }
  c->options = g_steal_pointer (&options);
  c->flow = drill_flow_lookup (d, c->seg.sport, c->seg.dport, TRUE);
  if (c->seg.flags & (TCP_FIN | TCP_RST))
    c->flow->over = TRUE;
  if ((c->seg.flags & TCP_SYN) && !c->flow->local_isn_known)
    {
      c->flow->local_isn_known = TRUE;
      c->flow->local_isn = c->seg.seq;
    }
  g_queue_push_tail (&d->captured, c);
}

/* ---- matching ---- */

static gboolean
option_equal (const DrillOption *want, const DrillOption *got)
{
  if (want->kind != got->kind)
    return FALSE;
  switch (want->kind)
    {
    case DRILL_OPT_EOL:
    case DRILL_OPT_NOP:
    case DRILL_OPT_SACK_OK:
      return TRUE;
    case DRILL_OPT_MSS:
    case DRILL_OPT_WSCALE:
      return want->value == got->value;
    case DRILL_OPT_SACK:
      if (want->n_sack != got->n_sack)
        return FALSE;
      for (guint b = 0; b < want->n_sack; b++)
        if (want->sack[b].start != got->sack[b].start
            || want->sack[b].end != got->sack[b].end)
          return FALSE;
      return TRUE;
    case DRILL_OPT_TS:
      /* The host's TSval runs on its own clock; as packetdrill does
       * without --tcp_ts_tick_usecs, only the echo is compared. */
      return want->ts_ecr == got->ts_ecr;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
options_equal (const GArray *want, const GArray *got)
{
  if (want->len != got->len)
    return FALSE;
  for (guint i = 0; i < want->len; i++)
    if (!option_equal (&g_array_index (want, DrillOption, i),
                       &g_array_index (got, DrillOption, i)))
      return FALSE;
  return TRUE;
}

static char *
flags_text (guint8 flags)
{
  GString *s = g_string_new (NULL);

  format_flags (flags, s);
  return g_string_free (s, FALSE);
}

static char *
options_text (const GArray *options, gboolean any)
{
  GString *s = g_string_new (NULL);

  format_options (options, any, s);
  if (s->len == 0)
    g_string_append (s, "none");
  else
    g_string_erase (s, 0, 1);
  return g_string_free (s, FALSE);
}

/* Returns: (transfer full) (nullable): "FIELD: expected X, actual Y" for
 * the first field that differs. */
static char *
first_difference (const View *want, const View *got)
{
  /* PSH is compared after the length: a burst cut short lacks the PSH of
   * its last segment, and the length is what tells why. */
  guint8 mask = (guint8) ~TCP_PSH;

  if ((want->flags & mask) != (got->flags & mask))
    {
      g_autofree char *w = flags_text (want->flags);
      g_autofree char *g = flags_text (got->flags);

      return g_strdup_printf ("flags: expected '%s', actual '%s'", w, g);
    }
  if (want->seq != got->seq)
    return g_strdup_printf ("sequence number: expected %u, actual %u",
                            want->seq, got->seq);
  if (want->len_bytes != got->len_bytes)
    return g_strdup_printf ("length: expected %u, actual %u",
                            want->len_bytes, got->len_bytes);
  if (want->flags != got->flags)
    {
      g_autofree char *w = flags_text (want->flags);
      g_autofree char *g = flags_text (got->flags);

      return g_strdup_printf ("flags: expected '%s', actual '%s'", w, g);
    }
  if (want->has_ack && want->ack != got->ack)
    return g_strdup_printf ("ack: expected %u, actual %u", want->ack,
                            got->ack);
  if (want->has_win && want->win != got->win)
    return g_strdup_printf ("window: expected %u, actual %u", want->win,
                            got->win);
  if (!want->any_options && !options_equal (want->options, got->options))
    {
      g_autofree char *w = options_text (want->options, FALSE);
      g_autofree char *g = options_text (got->options, FALSE);

      return g_strdup_printf ("options: expected %s, actual %s", w, g);
    }
  return NULL;
}

gboolean
drill_packet_match (Drill *d, const DrillEvent *ev,
                    DrillCaptured *const *got, guint n)
{
  const DrillPacket *p = &ev->packet;
  View want;
  View live;
  g_autofree char *diff = NULL;

  g_return_val_if_fail (n > 0, FALSE);
  view_of_script (p, &want);
  view_of_captured (got, n, &live);
  diff = first_difference (&want, &live);
  if (diff != NULL)
    {
      g_autofree char *w = describe_view (&want);
      g_autofree char *g = describe_view (&live);
      char when[SIM_TIME_FORMAT_BYTES];

      drill_format_time (got[0]->at_ns, when);
      drill_fail (d, ev, DRILL_ERROR_FAILED,
                  "outbound packet %s\n  script: > %s\n  actual: > %s "
                  "(at %s s%s)", diff, w, g, when,
                  n > 1 ? ", several segments taken as one" : "");
    }
  else if (!p->any_options)
    {
      /* Learn how the host's TSval relates to the script's, to translate
       * the script's echoes of it (packetdrill does the same). */
      for (guint i = 0; i < p->options->len; i++)
        {
          const DrillOption *o = &g_array_index (p->options, DrillOption, i);
          const DrillOption *l = &g_array_index (live.options, DrillOption,
                                                 i);

          if (o->kind == DRILL_OPT_TS && got[0]->flow != NULL)
            {
              got[0]->flow->ts_offset_known = TRUE;
              got[0]->flow->ts_offset = l->ts_val - o->ts_val;
            }
        }
    }
  view_clear (&want);
  view_clear (&live);
  return diff == NULL;
}

/* ---- injection ---- */

static DrillFlow *
new_passive_flow (Drill *d)
{
  DrillFlow *f = drill_flow_lookup (d, d->listen_port, d->next_remote_port++,
                                    TRUE);

  f->passive = TRUE;
  return f;
}

/* The flow a '<' packet belongs to: the current one, except that a SYN
 * without ACK opens a new connection once the current one is over (a FIN
 * went either way, the host sent a RST, or the model reset it).  Before
 * that, a SYN is a retransmission, a simultaneous open, or a test of RFC
 * 5961 4.2. */
static DrillFlow *
pick_flow (Drill *d, const DrillPacket *p)
{
  DrillFlow *f = d->current;
  gboolean bare_syn = (p->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;

  if (f == NULL || (bare_syn && f->over))
    {
      f = new_passive_flow (d);
      d->current = f;
    }
  /* An injected RST may only draw a challenge ACK; on_closed() in
   * drill_socket.c tells when one did reset the connection. */
  if (p->flags & TCP_FIN)
    f->over = TRUE;
  return f;
}

static guint
encode_options (const DrillFlow *f, const GArray *options, guint8 *p)
{
  guint n = 0;

  for (guint i = 0; i < options->len; i++)
    {
      const DrillOption *o = &g_array_index (options, DrillOption, i);

      switch (o->kind)
        {
        case DRILL_OPT_EOL:
          p[n++] = TCP_OPT_EOL;
          break;
        case DRILL_OPT_NOP:
          p[n++] = TCP_OPT_NOP;
          break;
        case DRILL_OPT_MSS:
          p[n++] = TCP_OPT_MSS;
          p[n++] = 4;
          wire_put16 (p + n, (guint16) o->value);
          n += 2;
          break;
        case DRILL_OPT_WSCALE:
          p[n++] = TCP_OPT_WSCALE;
          p[n++] = 3;
          p[n++] = (guint8) o->value;
          break;
        case DRILL_OPT_SACK_OK:
          p[n++] = TCP_OPT_SACK_OK;
          p[n++] = 2;
          break;
        case DRILL_OPT_SACK:
          p[n++] = TCP_OPT_SACK;
          p[n++] = (guint8) (2 + 8 * o->n_sack);
          for (guint b = 0; b < o->n_sack; b++)
            {
              /* The peer SACKs the host's bytes. */
              wire_put32 (p + n, o->sack[b].start + local_base (f));
              wire_put32 (p + n + 4, o->sack[b].end + local_base (f));
              n += 8;
            }
          break;
        case DRILL_OPT_TS:
          {
            guint32 ecr = o->ts_ecr;

            /* The script echoes the TSvals it wrote on '>' lines; the
             * host must see its own clock's values. */
            if (ecr != 0 && f->ts_offset_known)
              ecr += f->ts_offset;
            p[n++] = TCP_OPT_TIMESTAMP;
            p[n++] = 10;
            wire_put32 (p + n, o->ts_val);
            wire_put32 (p + n + 4, ecr);
            n += 8;
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }
  /* Pad with EOL to whole words (RFC 9293 3.1: "The TCP header padding
   * is used to ensure that the TCP header ends ... on a 32-bit boundary.
   * The padding is composed of zeros"). */
  while (n % 4 != 0)
    p[n++] = TCP_OPT_EOL;
  return n;
}

static void
deliver (void *data, void *arg)
{
  Drill *d = data;
  Packet *pkt = arg;

  g_ptr_array_remove_fast (d->in_flight, pkt);
  node_receive (d->local, d->local_iface, pkt);
}

gboolean
drill_packet_inject (Drill *d, const DrillEvent *ev, SimTime at_ns)
{
  const DrillPacket *p = &ev->packet;
  DrillFlow *f = pick_flow (d, p);
  guint8 opts[TCP_MAX_OPTIONS_BYTES + 4];
  guint opt_bytes = encode_options (f, p->options, opts);
  guint hdr_bytes = TCP_HEADER_BYTES + opt_bytes;
  gsize total = IPV4_HEADER_BYTES + hdr_bytes + p->len_bytes;
  Ipv4Header ip = { 0 };
  Packet *pkt;
  guint8 *tcp;
  guint64 sum;
  TcpSeg check;
  TcpWireResult parsed;

  /* The parser keeps options within 40 bytes; padding adds at most 3. */
  g_assert (opt_bytes <= TCP_MAX_OPTIONS_BYTES);
  pkt = packet_new (network_pool (d->net), total);
  tcp = packet_bytes (pkt) + IPV4_HEADER_BYTES;
  /* The header is written here rather than by tcp_wire_write(), which
   * lays options out in its own order: a script states the exact option
   * bytes, and some tests are about exactly that. */
  wire_put16 (tcp, f->remote_port);
  wire_put16 (tcp + 2, f->local_port);
  wire_put32 (tcp + 4, f->remote_isn + p->seq);
  wire_put32 (tcp + 8, p->has_ack ? local_base (f) + p->ack : 0);
  tcp[12] = (guint8) ((hdr_bytes / 4) << 4);
  tcp[13] = p->flags;
  wire_put16 (tcp + 14, (guint16) p->win);
  wire_put16 (tcp + 16, 0);
  wire_put16 (tcp + 18, 0);
  memcpy (tcp + TCP_HEADER_BYTES, opts, opt_bytes);
  memset (tcp + hdr_bytes, 0, p->len_bytes);
  sum = (guint64) (node_addr (d->remote) >> 16)
        + (node_addr (d->remote) & 0xffff) + (node_addr (d->local) >> 16)
        + (node_addr (d->local) & 0xffff) + IPV4_PROTO_TCP
        + hdr_bytes + p->len_bytes;
  sum = inet_csum_add (sum, tcp, hdr_bytes + p->len_bytes);
  wire_put16 (tcp + 16, inet_csum_fold (sum));
  /* What the model will parse must be what the script said. */
  parsed = tcp_wire_parse (tcp, hdr_bytes + p->len_bytes,
                           node_addr (d->remote), node_addr (d->local), TRUE,
                           &check);
  g_assert (parsed == TCP_WIRE_OK);
  (void) parsed;
  ip.src = node_addr (d->remote);
  ip.dst = node_addr (d->local);
  ip.proto = IPV4_PROTO_TCP;
  ip.ttl = IPV4_DEFAULT_TTL;
  ip.id = d->ip_id++;
  ip.dont_fragment = TRUE;
  ip.total_len_bytes = (guint16) total;
  ipv4_header_write (packet_bytes (pkt), &ip);
  g_ptr_array_add (d->in_flight, pkt);
  sim_scheduler_call_at (d->sched, at_ns, deliver, d, pkt);
  return TRUE;
}
