/* tcp_output.c: what to send now, and building the segment.
 *
 * tcp__output() decides (as BSD tcp_output()): the SYN or SYN-ACK while
 * unsynchronized; then as many segments as the usable window
 * min(SND.WND, cwnd) - in flight allows, each limited by the MSS and held
 * back by Nagle's rule and sender silly-window avoidance
 * (RFC 1122 4.2.3.4); the FIN after the last byte; a pure ACK if one is
 * owed; otherwise the persist timer when the peer's window is zero.
 *
 * tcp__send_segment() builds real IPv4 and TCP headers with checksums and
 * hands the packet to the node (never to a link directly).
 */
#include "models/tcp/tcp_private.h"

static guint16
window_field (TcpEndpoint *ep, gboolean syn)
{
  guint64 space = tcp__rcv_space (ep);
  guint64 wnd;
  guint8 shift = syn ? 0 : ep->rcv_wscale;

  /* Receiver SWS avoidance (RFC 1122 4.2.3.3): do not offer a sliver;
   * a window below min (half the buffer, one MSS) is offered as zero
   * unless it was already offered. */
  if (space < MIN (ep->rcv_buf.cap / 2, (guint64) ep->params.mss_bytes)
      && space < (guint32) (ep->rcv_adv - ep->rcv_nxt))
    space = 0;
  /* Never shrink a window already advertised (RFC 9293 3.8.6.2.2). */
  wnd = MAX (space, (guint64) (guint32) (ep->rcv_adv - ep->rcv_nxt));
  wnd >>= shift;
  if (wnd > 65535)
    wnd = 65535;
  if (TCP_SEQ_GT (ep->rcv_nxt + (guint32) (wnd << shift), ep->rcv_adv))
    ep->rcv_adv = ep->rcv_nxt + (guint32) (wnd << shift);
  return (guint16) wnd;
}

void
tcp__send_segment (TcpEndpoint *ep, guint32 seq, guint8 flags,
                   guint32 len_bytes)
{
  TcpStack *stack = ep->stack;
  TcpSeg seg = { 0 };
  Ipv4Header ip = { 0 };
  Packet *pkt;
  guint8 *tcp_start;
  guint opt_bytes;
  guint tcp_bytes;
  gboolean syn = (flags & TCP_SYN) != 0;
  gboolean fin = (flags & TCP_FIN) != 0;
  guint32 end;
  guint32 data_end = ep->snd_buf_seq + (guint32) ep->snd_buf.len;

  if (ep->state != TCP_STATE_SYN_SENT && !(flags & TCP_RST))
    flags |= TCP_ACK;
  if (len_bytes > 0 && seq + len_bytes == data_end)
    flags |= TCP_PSH;           /* the segment empties the buffer (BSD) */
  seg.sport = ep->key.lport;
  seg.dport = ep->key.rport;
  seg.seq = seq;
  seg.ack = (flags & TCP_ACK) ? ep->rcv_nxt : 0;
  seg.flags = flags;
  seg.len_bytes = len_bytes;
  if (syn)
    {
      seg.opts.has_mss = TRUE;
      seg.opts.mss_bytes = (guint16) ep->params.mss_bytes;
      if (ep->state == TCP_STATE_SYN_SENT ? ep->params.wscale : ep->wscale_ok)
        {
          seg.opts.has_wscale = TRUE;
          seg.opts.wscale = ep->rcv_wscale;
        }
    }
  seg.win = (flags & TCP_RST) ? 0 : window_field (ep, syn);
  opt_bytes = tcp_wire_options_bytes (&seg.opts);

  pkt = packet_new (network_pool (stack->net),
                    IPV4_HEADER_BYTES + TCP_HEADER_BYTES + opt_bytes
                    + len_bytes);
  tcp_start = packet_bytes (pkt) + IPV4_HEADER_BYTES;
  if (len_bytes > 0)
    tcp__ring_peek (&ep->snd_buf, (guint32) (seq - ep->snd_buf_seq),
                    tcp_start + TCP_HEADER_BYTES + opt_bytes, len_bytes);
  tcp_bytes = tcp_wire_write (tcp_start, &seg, ep->key.laddr, ep->key.raddr);
  ip.src = ep->key.laddr;
  ip.dst = ep->key.raddr;
  ip.proto = IPV4_PROTO_TCP;
  ip.ttl = IPV4_DEFAULT_TTL;
  ip.id = stack->ip_id++;
  ip.dont_fragment = TRUE;
  ip.total_len_bytes = (guint16) (IPV4_HEADER_BYTES + tcp_bytes + len_bytes);
  ipv4_header_write (packet_bytes (pkt), &ip);

  /* Bookkeeping before the packet leaves: delivery may be synchronous on
   * a zero-delay link. */
  end = seq + len_bytes + (syn ? 1u : 0u) + (fin ? 1u : 0u);
  ep->stats->segs_sent++;
  if (len_bytes > 0)
    ep->stats->data_segs_sent++;
  if (end != seq && !(flags & TCP_RST))
    {
      if (TCP_SEQ_LT (seq, ep->snd_max))
        {
          ep->stats->retransmits++;
          ep->stats->retransmit_bytes += len_bytes;
        }
      if (TCP_SEQ_GT (end, ep->snd_max))
        {
          guint32 fresh = TCP_SEQ_MIN (end, data_end)
                          - TCP_SEQ_MAX (seq, ep->snd_max);

          if (len_bytes > 0 && (gint32) fresh > 0)
            ep->stats->bytes_sent += fresh;
          /* Time this segment if nothing is being timed (RFC 6298 3). */
          if (!ep->rtt_timing && seq == ep->snd_max)
            {
              ep->rtt_timing = TRUE;
              ep->rtt_seq = seq;
              ep->rtt_start_ns = tcp__now (ep);
            }
          ep->snd_max = end;
        }
      if (seq == ep->snd_nxt)
        ep->snd_nxt = end;
      /* RFC 6298 5.1: start the timer if it is not running. */
      if (!tcp__timer_armed (ep, TCP_TIMER_REXMT))
        tcp__rexmt_restart (ep);
    }
  if (flags & TCP_ACK)
    {
      ep->ack_now = FALSE;
      ep->segs_unacked = 0;
      tcp__timer_cancel (ep, TCP_TIMER_DELACK);
    }
  node_ip_output (stack->node, pkt);
}

void
tcp__send_ack (TcpEndpoint *ep)
{
  tcp__send_segment (ep, ep->snd_nxt, 0, 0);
}

void
tcp__send_rst (TcpEndpoint *ep)
{
  /* RFC 9293 3.10.5 ABORT: <SEQ=SND.NXT><CTL=RST>. */
  tcp__send_segment (ep, ep->snd_nxt, TCP_RST, 0);
}

static gboolean
may_send_fin (TcpState state)
{
  return state == TCP_STATE_FIN_WAIT_1 || state == TCP_STATE_CLOSING
         || state == TCP_STATE_LAST_ACK;
}

static gboolean
may_send_data (TcpState state)
{
  return state == TCP_STATE_ESTABLISHED || state == TCP_STATE_CLOSE_WAIT
         || may_send_fin (state);
}

void
tcp__output (TcpEndpoint *ep)
{
  if (ep->dead)
    return;
  switch (ep->state)
    {
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
      return;
    case TCP_STATE_SYN_SENT:
    case TCP_STATE_SYN_RECEIVED:
      if (ep->snd_nxt == ep->iss)
        tcp__send_segment (ep, ep->iss, TCP_SYN, 0);
      else if (ep->ack_now && ep->state == TCP_STATE_SYN_RECEIVED)
        tcp__send_ack (ep);
      return;
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_CLOSE_WAIT:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
    case TCP_STATE_TIME_WAIT:
      break;
    case TCP_N_STATES:
    default:
      g_assert_not_reached ();
    }

  for (;;)
    {
      guint32 data_end = ep->snd_buf_seq + (guint32) ep->snd_buf.len;
      guint64 win = MIN (ep->snd_wnd, ep->cc.cwnd_bytes);
      guint64 off = (guint32) (ep->snd_nxt - ep->snd_una);
      guint64 unsent = TCP_SEQ_LT (ep->snd_nxt, data_end)
                       ? (guint32) (data_end - ep->snd_nxt) : 0;
      guint64 room = win > off ? win - off : 0;
      guint32 len = (guint32) MIN (MIN (unsent, room), (guint64) ep->snd_mss);
      gboolean fin = ep->fin_queued && may_send_fin (ep->state)
                     && ep->snd_nxt + len == data_end;
      gboolean send = FALSE;

      if (!may_send_data (ep->state))
        {
          len = 0;
          fin = FALSE;
        }
      if (len > 0)
        {
          if (len == ep->snd_mss)
            send = TRUE;                /* a full segment */
          else if ((off == 0 || !ep->params.nagle) && len == unsent)
            send = TRUE;                /* Nagle: idle, or switched off */
          else if (ep->max_snd_wnd > 0 && len >= ep->max_snd_wnd / 2)
            send = TRUE;                /* sender SWS: half the window */
          else if (TCP_SEQ_LT (ep->snd_nxt, ep->snd_max))
            send = TRUE;                /* retransmitting */
          else if (fin)
            send = TRUE;                /* closing: push what is left */
        }
      else if (fin)
        send = TRUE;
      if (send)
        {
          tcp__send_segment (ep, ep->snd_nxt, fin ? TCP_FIN : 0, len);
          continue;
        }
      if (ep->ack_now)
        tcp__send_ack (ep);
      /* RFC 9293 3.8.6.1: with data waiting and a zero window, probe. */
      if (unsent > 0 && ep->snd_wnd == 0 && may_send_data (ep->state)
          && !tcp__timer_armed (ep, TCP_TIMER_REXMT)
          && !tcp__timer_armed (ep, TCP_TIMER_PERSIST))
        tcp__timer_set (ep, TCP_TIMER_PERSIST, tcp__rto_current (ep));
      return;
    }
}
