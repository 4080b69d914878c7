/* tcp_output.c: what to send now, and building the segment.
 *
 * tcp__output() decides (as BSD tcp_output()): the SYN or SYN-ACK while
 * unsynchronized; during SACK loss recovery, what RFC 6675's NextSeg()
 * picks while cwnd - pipe allows; otherwise as many segments as the usable
 * window min(SND.WND, cwnd) - in flight allows (plus RFC 3042's limited
 * transmit), each limited by the MSS and held back by Nagle's rule and
 * sender silly-window avoidance (RFC 1122 4.2.3.4); the FIN after the last
 * byte; a pure ACK if one is owed; and the persist timer when the peer's
 * window is zero.
 *
 * tcp__send_segment() builds real IPv4 and TCP headers, options and
 * checksums, and hands the packet to the node (never to a link directly).
 */
#include "models/tcp/tcp_private.h"

#define TS_OPTION_BYTES 12u

guint32
tcp__seg_payload_max (const TcpEndpoint *ep)
{
  guint32 mss = ep->snd_mss ? ep->snd_mss : (guint32) ep->params.mss_bytes;

  /* RFC 6691: the MSS counts data only, so options that every segment
   * carries come out of it. */
  return ep->ts_ok ? mss - TS_OPTION_BYTES : mss;
}

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
      && space < tcp__rcv_adv_left (ep))
    space = 0;
  /* Never shrink a window already advertised (RFC 9293 3.8.6.2.2). */
  wnd = MAX (space, (guint64) tcp__rcv_adv_left (ep));
  wnd >>= shift;
  if (wnd > 65535)
    wnd = 65535;
  if (TCP_SEQ_GT (ep->rcv_nxt + (guint32) (wnd << shift), ep->rcv_adv))
    ep->rcv_adv = ep->rcv_nxt + (guint32) (wnd << shift);
  return (guint16) wnd;
}

static void
fill_options (TcpEndpoint *ep, TcpSeg *seg, guint32 len_bytes)
{
  gboolean syn = (seg->flags & TCP_SYN) != 0;
  gboolean offering = ep->state == TCP_STATE_SYN_SENT;

  if (syn)
    {
      seg->opts.has_mss = TRUE;
      seg->opts.mss_bytes = (guint16) ep->params.mss_bytes;
      if (offering ? ep->params.wscale : ep->wscale_ok)
        {
          seg->opts.has_wscale = TRUE;
          seg->opts.wscale = ep->rcv_wscale;
        }
      seg->opts.sack_ok = offering ? ep->params.sack : ep->sack_ok;
      if (offering ? ep->params.timestamps : ep->ts_ok)
        {
          seg->opts.has_ts = TRUE;
          seg->opts.ts_val = tcp__ts_now (ep);
          seg->opts.ts_ecr = offering ? 0 : ep->ts_recent;
        }
      return;
    }
  if (seg->flags & TCP_RST)
    return;
  if (ep->ts_ok)
    {
      seg->opts.has_ts = TRUE;
      seg->opts.ts_val = tcp__ts_now (ep);
      seg->opts.ts_ecr = ep->ts_recent;
    }
  if (ep->sack_ok && ep->ooo->len > 0 && (seg->flags & TCP_ACK))
    {
      /* RFC 2018 3: at most four blocks, three beside timestamps, and
       * fewer when data shares the MSS. */
      guint max_blocks = ep->ts_ok ? 3 : 4;

      while (max_blocks > 0 && len_bytes > 0
             && TCP_HEADER_BYTES + (ep->ts_ok ? TS_OPTION_BYTES : 0)
                + 4 + 8 * max_blocks + len_bytes
                > TCP_HEADER_BYTES + ep->snd_mss)
        max_blocks--;
      seg->opts.n_sack = tcp__sack_fill_blocks (ep, seg->opts.sack,
                                                max_blocks);
    }
}

void
tcp__send_segment (TcpEndpoint *ep, guint32 seq, guint8 flags,
                   guint32 len_bytes)
{
  TcpStack *stack = ep->stack;
  TcpSeg seg = { 0 };
  Packet *pkt;
  guint8 *tcp_start;
  guint opt_bytes;
  guint tcp_bytes;
  guint64 payload_sum;
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
  fill_options (ep, &seg, len_bytes);
  seg.win = (flags & TCP_RST) ? 0 : window_field (ep, syn);
  opt_bytes = tcp_wire_options_bytes (&seg.opts);

  pkt = packet_new (network_pool (stack->net),
                    IPV4_HEADER_BYTES + TCP_HEADER_BYTES + opt_bytes
                    + len_bytes);
  tcp_start = packet_bytes (pkt) + IPV4_HEADER_BYTES;
  payload_sum = len_bytes == 0 ? 0
    : tcp__ring_copy_sum (&ep->snd_buf, (guint32) (seq - ep->snd_buf_seq),
                          tcp_start + TCP_HEADER_BYTES + opt_bytes, len_bytes);
  tcp_bytes = tcp_wire_write_summed (tcp_start, &seg, ep->key.laddr,
                                     ep->key.raddr, payload_sum);
  tcp__ip_header_write (stack, pkt, ep->key.laddr, ep->key.raddr,
                        tcp_bytes + len_bytes);
  pkt->tcp_csum_good = TRUE;

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
      /* Linux's tcp_cwnd_validate(): the most in flight this window. */
      {
        guint64 flight = (guint32) (ep->snd_max - ep->snd_una);

        if (TCP_SEQ_GEQ (ep->snd_una, ep->max_flight_seq)
            || flight > ep->max_flight_bytes)
          {
            ep->max_flight_bytes = flight;
            ep->max_flight_seq = ep->snd_max;
          }
      }
      if (seq == ep->snd_nxt)
        ep->snd_nxt = end;
      /* RFC 6298 5.1: start the timer if it is not running; a window
       * probe runs under the persist timer instead (BSD). */
      if (!tcp__timer_armed (ep, TCP_TIMER_REXMT)
          && !tcp__timer_armed (ep, TCP_TIMER_PERSIST))
        tcp__rexmt_restart (ep);
    }
  if (flags & TCP_ACK)
    {
      ep->ack_now = FALSE;
      ep->segs_unacked = 0;
      ep->last_ack_sent = ep->rcv_nxt;
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

/* RFC 6675 section 5, step (C): "If cwnd - pipe >= 1 SMSS the sender
 * SHOULD transmit one or more segments" chosen by NextSeg(). */
static void
sack_recovery_output (TcpEndpoint *ep)
{
  for (;;)
    {
      guint64 pipe = tcp__sack_pipe (ep);
      guint32 seq;
      guint32 len;

      if (ep->cc.cwnd_bytes < pipe + tcp__seg_payload_max (ep)
          || !tcp__sack_next_seg (ep, &seq, &len))
        break;
      if (TCP_SEQ_LT (seq, ep->snd_max))
        {
          tcp__trace_event (ep, "rexmit", "sack", seq, len);
          ep->rtt_timing = FALSE;
          tcp__send_segment (ep, seq, 0, len);
          ep->high_rxt = TCP_SEQ_MAX (ep->high_rxt, seq + len);
        }
      else
        {
          ep->snd_nxt = ep->snd_max;
          tcp__send_segment (ep, seq, 0, len);
        }
    }
}

/* BSD: with a zero window and data to send, nothing is outstanding but a
 * probe; the retransmission timer gives way to the persist timer. */
static void
enter_persist (TcpEndpoint *ep)
{
  tcp__timer_cancel (ep, TCP_TIMER_REXMT);
  ep->backoff = 0;
  if (ep->snd_nxt != ep->snd_una)
    ep->snd_nxt = ep->snd_una;
  if (!tcp__timer_armed (ep, TCP_TIMER_PERSIST))
    tcp__timer_set (ep, TCP_TIMER_PERSIST, tcp__persist_interval (ep));
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

  /* A FIN queued in SYN-RECEIVED went ahead of the handshake; if the
   * SYN-ACK itself has to go again (after a timeout), it goes first. */
  if (ep->snd_nxt == ep->iss && ep->snd_una == ep->iss)
    tcp__send_segment (ep, ep->iss, TCP_SYN, 0);

  if (ep->in_recovery && ep->sack_ok && may_send_data (ep->state))
    {
      sack_recovery_output (ep);
      if (ep->ack_now)
        tcp__send_ack (ep);
      return;
    }

  for (;;)
    {
      guint32 data_end = ep->snd_buf_seq + (guint32) ep->snd_buf.len;
      guint32 seg_max = tcp__seg_payload_max (ep);
      guint64 cwnd = ep->cc.cwnd_bytes;
      guint64 win;
      guint64 off = (guint32) (ep->snd_nxt - ep->snd_una);
      guint64 unsent = TCP_SEQ_LT (ep->snd_nxt, data_end)
                       ? (guint32) (data_end - ep->snd_nxt) : 0;
      guint64 room;
      guint32 len;
      gboolean fin;
      gboolean send = FALSE;

      /* RFC 3042: on the first and second duplicate ACK, one new segment
       * each beyond cwnd, if the receiver's window allows. */
      if (ep->params.limited_transmit && !ep->in_recovery
          && ep->dupacks > 0 && ep->dupacks < ep->params.dupack_thresh
          && TCP_SEQ_GEQ (ep->snd_nxt, ep->snd_max))
        cwnd += (guint64) MIN (ep->dupacks, 2u) * seg_max;
      win = MIN (ep->snd_wnd, cwnd);
      room = win > off ? win - off : 0;
      len = (guint32) MIN (MIN (unsent, room), (guint64) seg_max);
      fin = ep->fin_queued && may_send_fin (ep->state)
            && ep->snd_nxt + len == data_end;
      if (!may_send_data (ep->state))
        {
          len = 0;
          fin = FALSE;
        }
      if (len > 0)
        {
          if (len == seg_max)
            send = TRUE;                /* a full segment */
          else if ((off == 0 || !ep->params.nagle) && len == unsent)
            send = TRUE;                /* Nagle: idle, or switched off */
          else if (ep->max_snd_wnd > 0 && len >= ep->max_snd_wnd / 2)
            send = TRUE;                /* sender SWS: half the window */
          else if (TCP_SEQ_LT (ep->snd_nxt, ep->snd_max))
            send = TRUE;                /* retransmitting */
          else if (fin)
            send = TRUE;                /* closing: push what is left */
          else if (ep->force_output)
            send = TRUE;                /* the SWS override timeout */
        }
      else if (fin && (ep->snd_wnd > 0 || off == 0))
        send = TRUE;
      if (send)
        {
          tcp__send_segment (ep, ep->snd_nxt, fin ? TCP_FIN : 0, len);
          continue;
        }
      if (ep->ack_now)
        tcp__send_ack (ep);
      /* RFC 9293 3.8.6.1: "the sending TCP must regularly retransmit to
       * the receiving TCP even when the window is zero". */
      if (ep->snd_wnd == 0 && may_send_data (ep->state)
          && (unsent > 0 || (ep->fin_queued && ep->snd_nxt == data_end)))
        enter_persist (ep);
      else if (len > 0 && off == 0 && may_send_data (ep->state))
        {
          /* RFC 1122 4.2.3.4 (4): data held back by silly-window
           * avoidance with nothing in flight goes out when the override
           * timeout fires (the persist timer, as in BSD); otherwise a lost
           * window update would stall the connection for ever. */
          if (!tcp__timer_armed (ep, TCP_TIMER_REXMT)
              && !tcp__timer_armed (ep, TCP_TIMER_PERSIST))
            tcp__timer_set (ep, TCP_TIMER_PERSIST, tcp__rto_current (ep));
        }
      else if (tcp__timer_armed (ep, TCP_TIMER_PERSIST))
        {
          tcp__timer_cancel (ep, TCP_TIMER_PERSIST);
          ep->persist_backoff = 0;
          if (ep->snd_una != ep->snd_max
              && !tcp__timer_armed (ep, TCP_TIMER_REXMT))
            tcp__rexmt_restart (ep);
        }
      return;
    }
}
