/* fuzz_tcp_input.c: libFuzzer target for the TCP segment input path.
 *
 * Each input builds a fresh world: the host under test (10.0.0.1, the
 * tcpsim stack, listening on port 80) and a peer (10.0.0.2, a router
 * without TCP) on a link with no delay, as drill_driver.c does.  The peer
 * opens a connection with a real handshake, so the input starts against
 * an ESTABLISHED endpoint, and the rest of the input is a sequence of
 * records, each of which becomes a real IPv4 + TCP packet handed to
 * node_receive() (or an application call on the endpoint), with the
 * scheduler run in between.
 *
 * Sequence and acknowledgement numbers in a record are offsets from what
 * the host last said (its last ACK, the end of what it has sent), read
 * back from the link trace: that keeps most segments near the window,
 * where the interesting branches are, while the offsets still reach
 * anywhere around it.
 *
 * Input layout (all multi-byte fields little-endian):
 *   config  1 byte: bit 0 timestamps, bit 1 SACK, bit 2 window scale (the
 *           host's parameters and the options of the peer's SYN), bits 3-4
 *           the receive buffer (2 KiB, 16 KiB, 64 KiB, 256 KiB), bit 5 the
 *           linux profile, bit 6 delayed ACKs off.
 *   records, each FUZZ_RECORD_BYTES bytes of header, then the options:
 *     op        bits 0-1: 0 segment, 1 segment with a raw data offset,
 *               2 application call, 3 only let time pass;
 *               bit 2 corrupt the checksum; bit 3 from another peer port;
 *               bit 4 prepend a timestamps option; bit 5 payload length
 *               times 64.
 *     flags     the TCP control bits (op 1: high nibble is the raw data
 *               offset; op 2: which call).
 *     seq_off   int16, from the host's last ACK.
 *     ack_off   int16, from the end of what the host has sent.
 *     win       uint16, raw window field.
 *     urp       uint16, urgent pointer.
 *     wait      uint8, time before this record: low 7 bits, in ms, or in
 *               100 ms steps when the high bit is set (timers fire).
 *     opt_len   uint8, option bytes that follow (at most 40).
 *     pay_len   uint8, payload bytes (zeros; see op bit 5).
 *
 * Nothing is checked but that nothing crashes, plus two invariants
 * through the public API after every record: no endpoint holds more
 * readable bytes than its receive buffer, and every state is a TcpState.
 */
#include "tests/fuzz/fuzz_common.h"

#include "models/checksum.h"
#include "models/host.h"
#include "models/link.h"
#include "models/packet.h"
#include "models/tcp/tcp_wire.h"
#include "models/wire.h"

#include <string.h>

#define HOST_ADDR 0x0a000001u           /* 10.0.0.1 */
#define PEER_ADDR 0x0a000002u           /* 10.0.0.2 */
#define HOST_PORT 80u
#define PEER_PORT 40000u
#define PEER_ISN 0xfffff000u            /* wraps soon after the handshake */
#define HOST_ISN 0x7ffff000u

#define FUZZ_RECORD_BYTES 13u
/* Inputs are cut here: longer sequences add run time more than paths. */
#define FUZZ_MAX_RECORDS 256u
/* After the last record, timers get this long to run down (RTO backoff,
 * TIME_WAIT, keepalive probes). */
#define FUZZ_DRAIN_NS SIM_S (120)
/* Events one input may take; past it the run stops.  A healthy input
 * needs a few thousand. */
#define FUZZ_MAX_EVENTS G_GUINT64_CONSTANT (200000)

enum {
  OP_SEGMENT,
  OP_RAW_OFFSET,
  OP_APP,
  OP_WAIT,
};

#define OP_BAD_CHECKSUM 0x04u
#define OP_OTHER_PORT 0x08u
#define OP_TIMESTAMP 0x10u
#define OP_BIG_PAYLOAD 0x20u

typedef struct {
  SimWorld *world;
  SimScheduler *sched;
  Network *net;
  Node *host;
  Node *peer;
  Iface *host_iface;
  TcpParams params;
  /* (element-type TcpEndpoint) (transfer none): the listener's children
   * still open; removed by the closed() callback before they are freed. */
  GPtrArray *children;
  TcpEndpoint *listener;
  /* What the host last said to PEER_PORT, from the link trace. */
  gboolean host_spoke;
  guint32 host_ack;             /* its last acknowledgement number */
  guint32 host_seq_end;         /* end of the sequence space it has sent */
  guint32 host_ts_val;          /* its last TSval, for our TSecr */
  guint32 peer_ts_val;
  guint16 ip_id;
  SimTime now_ns;
} Fuzz;

static void
on_accepted (TcpEndpoint *listener, TcpEndpoint *child, void *user)
{
  Fuzz *f = user;

  (void) listener;
  g_ptr_array_add (f->children, child);
}

static void
on_closed (TcpEndpoint *ep, TcpCloseReason reason, void *user)
{
  Fuzz *f = user;

  (void) reason;
  /* The endpoint is freed on return; forget it first.  A half-open child
   * that never reached accepted() is not in the array: nothing to do. */
  g_ptr_array_remove (f->children, ep);
  if (ep == f->listener)
    f->listener = NULL;
}

static const TcpCallbacks callbacks = {
  .accepted = on_accepted,
  .closed = on_closed,
};

/* Learns what the host has said, so that records can be relative to it. */
static void
on_record (const SimTraceRecord *rec, void *data)
{
  Fuzz *f = data;
  const LinkTraceEvent *e;
  const guint8 *p;
  Ipv4Header ip;
  guint ihl;
  TcpSeg seg;
  guint32 end;

  if (rec->kind != &link_trace_tx)
    return;
  e = rec->body;
  if (e->dir != LINK_DIR_AB)
    return;
  p = packet_cbytes (e->pkt);
  if (ipv4_header_parse (p, e->pkt->len_bytes, &ip, &ihl) != IPV4_PARSE_OK
      || ip.proto != IPV4_PROTO_TCP
      || tcp_wire_parse (p + ihl, ip.total_len_bytes - ihl, ip.src, ip.dst,
                         FALSE, &seg) != TCP_WIRE_OK
      || seg.dport != PEER_PORT)
    return;
  end = seg.seq + tcp_seg_seq_len (&seg);
  if (!f->host_spoke || (gint32) (end - f->host_seq_end) > 0)
    f->host_seq_end = end;
  if (seg.flags & TCP_ACK)
    f->host_ack = seg.ack;
  if (seg.opts.has_ts)
    f->host_ts_val = seg.opts.ts_val;
  f->host_spoke = TRUE;
}

/* Runs every event up to @t_ns and leaves the clock there (an empty event
 * at @t_ns stops the scheduler from ending early at its last event). */
static void
nothing (void *data, void *arg)
{
  (void) data;
  (void) arg;
}

static void
run_to (Fuzz *f, SimTime t_ns)
{
  if (sim_scheduler_stopped (f->sched))
    return;
  f->now_ns = t_ns;
  sim_scheduler_call_at (f->sched, t_ns, nothing, NULL, NULL);
  sim_scheduler_run_until (f->sched, t_ns);
}

static void
stop_scheduler (void *data)
{
  sim_scheduler_stop (data);
}

/* Builds the IPv4 + TCP packet for the given header fields and hands it
 * to the host at once.  @opts (@opt_bytes, padded here) go out as given;
 * @raw_offset (0: the right one) overrides the data offset nibble. */
static void
send_segment (Fuzz *f, guint16 sport, guint32 seq, guint32 ack,
              guint8 flags, guint16 win, guint16 urp, const guint8 *opts,
              guint opt_bytes, guint32 pay_bytes, guint8 raw_offset,
              gboolean bad_checksum)
{
  guint hdr_bytes = TCP_HEADER_BYTES + ((opt_bytes + 3u) & ~3u);
  gsize total = IPV4_HEADER_BYTES + hdr_bytes + pay_bytes;
  Ipv4Header ip = { 0 };
  Packet *pkt;
  guint8 *tcp;
  guint64 sum;

  g_assert (opt_bytes <= TCP_MAX_OPTIONS_BYTES);
  g_assert (total <= G_MAXUINT16);
  pkt = packet_new (network_pool (f->net), total);
  tcp = packet_bytes (pkt) + IPV4_HEADER_BYTES;
  /* The header is written by hand, not by tcp_wire_write(): the options
   * must reach the host byte for byte, malformed ones included. */
  memset (tcp, 0, hdr_bytes + pay_bytes);
  wire_put16 (tcp, sport);
  wire_put16 (tcp + 2, HOST_PORT);
  wire_put32 (tcp + 4, seq);
  wire_put32 (tcp + 8, ack);
  tcp[12] = (guint8) ((raw_offset != 0 ? raw_offset : hdr_bytes / 4) << 4);
  tcp[13] = flags;
  wire_put16 (tcp + 14, win);
  wire_put16 (tcp + 18, urp);
  memcpy (tcp + TCP_HEADER_BYTES, opts, opt_bytes);
  sum = (guint64) (PEER_ADDR >> 16) + (PEER_ADDR & 0xffff)
        + (HOST_ADDR >> 16) + (HOST_ADDR & 0xffff) + IPV4_PROTO_TCP
        + hdr_bytes + pay_bytes;
  sum = inet_csum_add (sum, tcp, hdr_bytes + pay_bytes);
  wire_put16 (tcp + 16, (guint16) (inet_csum_fold (sum)
                                   ^ (bad_checksum ? 0x0100u : 0u)));
  ip.src = PEER_ADDR;
  ip.dst = HOST_ADDR;
  ip.proto = IPV4_PROTO_TCP;
  ip.ttl = IPV4_DEFAULT_TTL;
  ip.id = f->ip_id++;
  ip.dont_fragment = TRUE;
  ip.total_len_bytes = (guint16) total;
  ipv4_header_write (packet_bytes (pkt), &ip);
  node_receive (f->host, f->host_iface, pkt);
}

/* Writes NOP, NOP, TS (RFC 7323 appendix A's layout) at @p; returns 12. */
static guint
put_timestamps (Fuzz *f, guint8 *p)
{
  p[0] = TCP_OPT_NOP;
  p[1] = TCP_OPT_NOP;
  p[2] = TCP_OPT_TIMESTAMP;
  p[3] = 10;
  /* The peer's clock ticks once per segment: always newer, for PAWS. */
  wire_put32 (p + 4, ++f->peer_ts_val);
  wire_put32 (p + 8, f->host_ts_val);
  return 12;
}

/* The peer's active open: SYN with the options @config asks for, then the
 * ACK of the host's SYN-ACK.  Returns FALSE if no child was accepted. */
static gboolean
handshake (Fuzz *f, guint8 config)
{
  guint8 opts[TCP_MAX_OPTIONS_BYTES];
  guint n = 0;

  opts[n++] = TCP_OPT_MSS;
  opts[n++] = 4;
  wire_put16 (opts + n, 1460);
  n += 2;
  if (config & 0x02u)
    {
      opts[n++] = TCP_OPT_SACK_OK;
      opts[n++] = 2;
    }
  if (config & 0x04u)
    {
      opts[n++] = TCP_OPT_NOP;
      opts[n++] = TCP_OPT_WSCALE;
      opts[n++] = 3;
      opts[n++] = 7;
    }
  if (config & 0x01u)
    n += put_timestamps (f, opts + n);
  send_segment (f, PEER_PORT, PEER_ISN, 0, TCP_SYN, 65535, 0, opts, n, 0, 0,
                FALSE);
  run_to (f, SIM_MS (1));
  if (!f->host_spoke)
    return FALSE;
  n = (config & 0x01u) ? put_timestamps (f, opts) : 0;
  send_segment (f, PEER_PORT, PEER_ISN + 1, f->host_seq_end, TCP_ACK, 65535,
                0, opts, n, 0, 0, FALSE);
  run_to (f, SIM_MS (2));
  return f->children->len == 1;
}

static void
app_call (Fuzz *f, guint8 which, guint16 arg)
{
  static const guint8 zeros[8192];
  TcpEndpoint *ep;

  if (f->children->len == 0)
    return;
  ep = g_ptr_array_index (f->children, 0);
  switch (which % 5u)
    {
    case 0:
      tcp_read (ep, NULL, arg);
      break;
    case 1:
      tcp_write (ep, zeros, MIN (arg, sizeof zeros));
      break;
    case 2:
      tcp_close (ep);
      break;
    case 3:
      tcp_release (ep);
      break;
    case 4:
      tcp_abort (ep);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
check_endpoint (const Fuzz *f, const TcpEndpoint *ep)
{
  TcpState s = tcp_endpoint_state (ep);

  g_assert ((guint) s < TCP_N_STATES);
  g_assert (tcp_readable_bytes (ep) <= f->params.rcv_buf_bytes);
}

static void
check_invariants (const Fuzz *f)
{
  if (f->listener != NULL)
    check_endpoint (f, f->listener);
  for (guint i = 0; i < f->children->len; i++)
    check_endpoint (f, g_ptr_array_index (f->children, i));
}

static void
play_record (Fuzz *f, const guint8 *r, const guint8 *opts, guint opt_bytes)
{
  guint8 op = r[0];
  guint8 flags = r[1];
  gint16 seq_off = (gint16) (r[2] | (r[3] << 8));
  gint16 ack_off = (gint16) (r[4] | (r[5] << 8));
  guint16 win = (guint16) (r[6] | (r[7] << 8));
  guint16 urp = (guint16) (r[8] | (r[9] << 8));
  guint8 wait = r[10];
  guint32 pay_bytes = r[12];
  guint8 all_opts[TCP_MAX_OPTIONS_BYTES];
  guint n = 0;

  run_to (f, f->now_ns + ((wait & 0x80u) ? SIM_MS (100) * (wait & 0x7fu)
                                         : SIM_MS (wait)));
  if (op & OP_BIG_PAYLOAD)
    pay_bytes *= 64u;
  switch (op & 0x03u)
    {
    case OP_SEGMENT:
    case OP_RAW_OFFSET:
      if (op & OP_TIMESTAMP)
        n = put_timestamps (f, all_opts);
      opt_bytes = MIN (opt_bytes, TCP_MAX_OPTIONS_BYTES - n);
      memcpy (all_opts + n, opts, opt_bytes);
      n += opt_bytes;
      send_segment (f, (op & OP_OTHER_PORT) ? PEER_PORT + 1 : PEER_PORT,
                    f->host_ack + (guint32) (gint32) seq_off,
                    f->host_seq_end + (guint32) (gint32) ack_off,
                    (op & 0x03u) == OP_RAW_OFFSET ? flags & 0x0fu : flags,
                    win, urp, all_opts, n, pay_bytes,
                    (op & 0x03u) == OP_RAW_OFFSET ? flags >> 4 : 0,
                    (op & OP_BAD_CHECKSUM) != 0);
      break;
    case OP_APP:
      app_call (f, flags, win);
      break;
    case OP_WAIT:
      break;
    default:
      g_assert_not_reached ();
    }
  /* Let what the segment set off happen (immediate ACKs, app wake-ups)
   * before the invariants are read. */
  run_to (f, f->now_ns);
  check_invariants (f);
}

int
FUZZ_ENTRY (const uint8_t *data, size_t size)
{
  static const LinkDirParams wire = { 0 };
  Fuzz f = { 0 };
  guint8 config;
  gsize pos = 1;
  guint n_records = 0;

  if (size < 1)
    return 0;
  config = data[0];
  tcp_params_init (&f.params);
  if ((config & 0x20u)
      && !tcp_params_apply_profile (&f.params, "linux", NULL))
    g_assert_not_reached ();
  f.params.timestamps = (config & 0x01u) != 0;
  f.params.sack = (config & 0x02u) != 0;
  f.params.wscale = (config & 0x04u) != 0;
  f.params.rcv_buf_bytes = (guint64) 2048 << (3 * ((config >> 3) & 0x03u));
  if (config & 0x40u)
    f.params.delack_ns = 0;
  f.params.isn_mode = TCP_ISN_FIXED;
  f.params.isn = HOST_ISN;

  f.world = sim_world_new (1);
  f.sched = sim_world_scheduler (f.world);
  f.net = network_new (f.world);
  f.host = host_new (f.net, "host", HOST_ADDR, &f.params);
  f.peer = node_new (f.net, "peer", NODE_KIND_ROUTER, PEER_ADDR);
  link_new (f.net, "wire", f.host, f.peer, &wire, &wire);
  f.host_iface = node_iface (f.host, 0);
  f.children = g_ptr_array_new ();
  sim_trace_subscribe (sim_world_trace (f.world), on_record, &f);
  sim_scheduler_set_progress (f.sched, FUZZ_MAX_EVENTS, stop_scheduler,
                              f.sched);
  f.listener = tcp_listen (host_tcp (f.host), HOST_PORT, &f.params,
                           &callbacks, &f, NULL);
  g_assert (f.listener != NULL);

  /* With a well-formed handshake on an idle host this cannot fail; if it
   * does, the harness is wrong, not the input. */
  if (!handshake (&f, config))
    g_assert_not_reached ();
  g_assert (tcp_endpoint_state (g_ptr_array_index (f.children, 0))
            == TCP_STATE_ESTABLISHED);

  while (pos + FUZZ_RECORD_BYTES <= size && n_records++ < FUZZ_MAX_RECORDS)
    {
      const guint8 *r = data + pos;
      guint opt_bytes = MIN (r[11], TCP_MAX_OPTIONS_BYTES);

      pos += FUZZ_RECORD_BYTES;
      opt_bytes = (guint) MIN ((gsize) opt_bytes, size - pos);
      play_record (&f, r, data + pos, opt_bytes);
      pos += opt_bytes;
    }
  run_to (&f, f.now_ns + FUZZ_DRAIN_NS);
  check_invariants (&f);

  sim_world_free (f.world);
  g_ptr_array_unref (f.children);
  return 0;
}
