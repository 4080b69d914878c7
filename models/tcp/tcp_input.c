/* tcp_input.c: segment arrival, RFC 9293 section 3.10.7.
 *
 * tcp__listen_input() handles LISTEN (3.10.7.2); tcp__input() dispatches
 * to input_syn_sent() (3.10.7.3) or input_synchronized() (3.10.7.4),
 * which checks in the RFC's order: sequence number, RST, SYN, ACK, URG,
 * segment text, FIN.
 *
 *   input_synchronized() -> check_acceptable() -> process_rst()
 *     -> process_ack() (-> new_ack() / dup_ack(), loss recovery)
 *     -> process_text() (reassembly) -> process_fin()
 *
 * The caller runs tcp__notify() afterwards; this file only queues
 * notifications and calls tcp__output().
 */
#include "models/tcp/tcp_private.h"

#include <string.h>

/* ---- helpers ---- */

/* RFC 9293 3.10.7: the reset a connection sends for an unacceptable ACK,
 * <SEQ=SEG.ACK><CTL=RST>, shaped by tcp__send_reset_for(). */
static void
reset_answering (TcpEndpoint *ep, const TcpSeg *seg)
{
  Ipv4Header ip = { 0 };

  ip.src = ep->key.raddr;
  ip.dst = ep->key.laddr;
  tcp__send_reset_for (ep->stack, &ip, seg);
}

static guint64
seg_window_bytes (const TcpEndpoint *ep, const TcpSeg *seg)
{
  /* RFC 7323 2.2: the window field of a SYN is never scaled. */
  if (seg->flags & TCP_SYN)
    return seg->win;
  return (guint64) seg->win << ep->snd_wscale;
}

static void
update_send_window (TcpEndpoint *ep, const TcpSeg *seg)
{
  /* RFC 9293 3.10.7.4, fifth check: "If SND.WL1 < SEG.SEQ or (SND.WL1 =
   * SEG.SEQ and SND.WL2 =< SEG.ACK), set SND.WND <- SEG.WND, set
   * SND.WL1 <- SEG.SEQ, and set SND.WL2 <- SEG.ACK." */
  if (TCP_SEQ_LT (ep->snd_wl1, seg->seq)
      || (ep->snd_wl1 == seg->seq && TCP_SEQ_LEQ (ep->snd_wl2, seg->ack)))
    {
      guint64 old = ep->snd_wnd;

      ep->snd_wnd = seg_window_bytes (ep, seg);
      ep->snd_wl1 = seg->seq;
      ep->snd_wl2 = seg->ack;
      if (ep->snd_wnd > ep->max_snd_wnd)
        ep->max_snd_wnd = ep->snd_wnd;
      if (ep->snd_wnd != old)
        tcp__trace_vars (ep, -1);
    }
}

static void
init_congestion_control (TcpEndpoint *ep)
{
  ep->cc.mss_bytes = ep->snd_mss;
  ep->cc.iw_segs = ep->params.iw_segs;
  ep->cc.now_ns = tcp__now (ep);
  ep->cc_ops->init (&ep->cc);
  /* RFC 5681 3.1: after a retransmitted SYN the initial window is one
   * segment. */
  if (ep->syn_rexmitted)
    ep->cc.cwnd_bytes = ep->snd_mss;
}

/* Options of a SYN: MSS (RFC 9293 3.7.1, default 536 when absent) and
 * window scale (RFC 7323 2.2, used only when both sides sent it). */
static void
take_syn_options (TcpEndpoint *ep, const TcpSeg *seg)
{
  guint32 peer_mss = seg->opts.has_mss ? seg->opts.mss_bytes : 536u;

  ep->snd_mss = MIN ((guint32) ep->params.mss_bytes, peer_mss);
  if (ep->snd_mss < 64)
    ep->snd_mss = 64;
  /* RFC 2018 2 and RFC 7323 3.2: SACK and timestamps are used only when
   * both SYNs carried the option. */
  ep->sack_ok = ep->params.sack && seg->opts.sack_ok;
  ep->ts_ok = ep->params.timestamps && seg->opts.has_ts;
  if (ep->ts_ok)
    {
      ep->ts_recent = seg->opts.ts_val;
      ep->ts_recent_age_ns = tcp__now (ep);
      ep->ts_recent_valid = TRUE;
    }
  ep->wscale_ok = ep->params.wscale && seg->opts.has_wscale;
  if (ep->wscale_ok)
    /* RFC 7323 2.3: a shift above 14 is used as 14. */
    ep->snd_wscale = MIN (seg->opts.wscale, (guint8) 14);
  else
    {
      ep->snd_wscale = 0;
      ep->rcv_wscale = 0;
    }
  /* The window needs the MSS, known from here on; ESTABLISHED sets it
   * again, but a connection closed in SYN-RECEIVED never gets there. */
  init_congestion_control (ep);
}

static void
rtt_on_ack (TcpEndpoint *ep, const TcpSeg *seg, guint32 ack)
{
  SimTime ts_rtt_ns = tcp__ts_rtt_sample (ep, seg);

  /* RFC 7323 4.1: with timestamps every ACK of new data gives an
   * unambiguous sample, retransmissions included. */
  if (ts_rtt_ns >= 0)
    {
      ep->rtt_timing = FALSE;
      tcp__rtt_sample (ep, ts_rtt_ns);
      return;
    }
  /* Karn: rtt_timing is cleared whenever anything is retransmitted. */
  if (ep->rtt_timing && TCP_SEQ_GT (ack, ep->rtt_seq))
    {
      ep->rtt_timing = FALSE;
      tcp__rtt_sample (ep, tcp__now (ep) - ep->rtt_start_ns);
    }
}

static void
become_established (TcpEndpoint *ep)
{
  tcp__release_half_open (ep);
  tcp__set_state (ep, TCP_STATE_ESTABLISHED);
  tcp__keepalive_touch (ep);
  init_congestion_control (ep);
  /* RFC 6298 5.7: "If the timer expires awaiting the ACK of a SYN segment
   * and the TCP implementation is using an RTO less than 3 seconds, the
   * RTO MUST be re-initialized to 3 seconds when data transmission
   * begins". */
  if (ep->syn_rexmitted && ep->srtt_ns == 0 && ep->rto_ns < SIM_S (3))
    ep->rto_ns = SIM_S (3);
  ep->retries = 0;
  ep->notify |= TCP_NOTIFY_CONNECTED;
  tcp__trace_vars (ep, -1);
}

/* ---- LISTEN, RFC 9293 3.10.7.2 ---- */

void
tcp__listen_input (TcpEndpoint *listener, const Ipv4Header *ip,
                   const TcpSeg *seg)
{
  TcpEndpoint *ep;

  /* "First, check for a RST: an incoming RST should be ignored." */
  if (seg->flags & TCP_RST)
    return;
  /* "Second, check for an ACK: any acknowledgment is bad if it arrives on
   * a connection still in the LISTEN state.  An acceptable reset segment
   * should be formed for any arriving ACK-bearing segment." */
  if (seg->flags & TCP_ACK)
    {
      tcp__send_reset_for (listener->stack, ip, seg);
      return;
    }
  /* "Third, check for a SYN". */
  if (!(seg->flags & TCP_SYN))
    return;                     /* "Fourth, other control or text: drop" */
  /* A full backlog drops the SYN (as BSD and Linux do); the client's
   * retransmission tries again. */
  if (listener->half_open >= listener->params.backlog)
    {
      tcp__trace_event (listener, "drop", "backlog-full", seg->seq, 0);
      return;
    }
  ep = tcp__spawn_child (listener, ip, seg);
  listener->half_open++;
  ep->counted_half_open = TRUE;
  ep->stats->segs_received++;
  ep->irs = seg->seq;
  ep->rcv_nxt = seg->seq + 1;
  ep->rcv_read_seq = ep->rcv_nxt;
  ep->rcv_adv = ep->rcv_nxt;
  take_syn_options (ep, seg);
  ep->snd_wnd = seg_window_bytes (ep, seg);
  ep->max_snd_wnd = ep->snd_wnd;
  ep->snd_wl1 = seg->seq;
  ep->snd_wl2 = ep->iss;
  /* The child appears in CLOSED only so that the trace shows the RFC's
   * LISTEN -> SYN_RECEIVED step on a connection of its own. */
  ep->state = TCP_STATE_LISTEN;
  tcp__set_state (ep, TCP_STATE_SYN_RECEIVED);
  tcp__stack_insert (ep->stack, ep);
  /* Data in a SYN is not queued here; the peer sends it again once the
   * connection is synchronized. */
  tcp__output (ep);
  tcp__notify (ep);
}

/* ---- SYN-SENT, RFC 9293 3.10.7.3 ---- */

static void input_synchronized (TcpEndpoint *ep, const TcpSeg *seg);

static void
input_syn_sent (TcpEndpoint *ep, const TcpSeg *seg)
{
  gboolean ack_ok = FALSE;

  /* "First, check the ACK bit": acceptable if SND.UNA < SEG.ACK =<
   * SND.NXT (and so above ISS). */
  if (seg->flags & TCP_ACK)
    {
      if (TCP_SEQ_LEQ (seg->ack, ep->iss)
          || TCP_SEQ_GT (seg->ack, ep->snd_max))
        {
          if (!(seg->flags & TCP_RST))
            reset_answering (ep, seg);
          tcp__trace_rx_event (ep, "drop", "bad-ack", seg->seq, seg->len_bytes);
          return;
        }
      ack_ok = TRUE;
    }
  /* "Second, check the RST bit": with an acceptable ACK the connection is
   * refused, otherwise the RST is dropped. */
  if (seg->flags & TCP_RST)
    {
      if (ack_ok)
        {
          tcp__trace_rx_event (ep, "reset", "refused", seg->seq, 0);
          tcp__enter_closed (ep, TCP_CLOSE_REFUSED);
        }
      return;
    }
  /* "Fourth, check the SYN bit". */
  if (!(seg->flags & TCP_SYN))
    return;
  ep->irs = seg->seq;
  ep->rcv_nxt = seg->seq + 1;
  ep->rcv_read_seq = ep->rcv_nxt;
  ep->rcv_adv = ep->rcv_nxt;
  take_syn_options (ep, seg);
  if (ack_ok)
    ep->snd_una = seg->ack;
  if (TCP_SEQ_GT (ep->snd_una, ep->iss))
    {
      /* "If SND.UNA > ISS (our SYN has been ACKed), change the connection
       * state to ESTABLISHED, form an ACK segment ... and send it." */
      ep->snd_wnd = seg_window_bytes (ep, seg);
      ep->max_snd_wnd = ep->snd_wnd;
      ep->snd_wl1 = seg->seq;
      ep->snd_wl2 = seg->ack;
      tcp__timer_cancel (ep, TCP_TIMER_REXMT);
      become_established (ep);
      rtt_on_ack (ep, seg, seg->ack);
      tcp__send_ack (ep);
      /* Data or FIN riding on the SYN-ACK are processed like any other
       * segment text, after the SYN's sequence number. */
      if (seg->len_bytes > 0 || (seg->flags & TCP_FIN))
        {
          TcpSeg rest = *seg;

          rest.seq = seg->seq + 1;
          rest.flags &= (guint8) ~TCP_SYN;
          input_synchronized (ep, &rest);
        }
    }
  else
    {
      /* Simultaneous open: "enter SYN-RECEIVED, form a SYN,ACK segment
       * <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it." */
      ep->snd_wnd = seg_window_bytes (ep, seg);
      ep->snd_wl1 = seg->seq;
      ep->snd_wl2 = ep->iss;
      tcp__set_state (ep, TCP_STATE_SYN_RECEIVED);
      ep->snd_nxt = ep->iss;
      tcp__output (ep);
    }
}

/* ---- synchronized states, RFC 9293 3.10.7.4 ---- */

static guint64
rcv_window (const TcpEndpoint *ep)
{
  /* Never less than what was already advertised: a window is not shrunk
   * (RFC 9293 3.8.6.2.2, RFC 1122 4.2.2.16). */
  guint64 advertised = tcp__rcv_adv_left (ep);

  return MAX (advertised, tcp__rcv_space (ep));
}

/* "First, check sequence number": the four cases of the acceptance
 * table. */
static gboolean
check_acceptable (const TcpEndpoint *ep, const TcpSeg *seg)
{
  guint32 seg_len = tcp_seg_seq_len (seg);
  guint64 wnd = rcv_window (ep);
  guint32 end;

  if (seg_len == 0)
    {
      if (wnd == 0)
        return seg->seq == ep->rcv_nxt;
      return TCP_SEQ_LEQ (ep->rcv_nxt, seg->seq)
             && TCP_SEQ_LT (seg->seq, ep->rcv_nxt + (guint32) wnd);
    }
  if (wnd == 0)
    return FALSE;
  end = seg->seq + seg_len - 1;
  return (TCP_SEQ_LEQ (ep->rcv_nxt, seg->seq)
          && TCP_SEQ_LT (seg->seq, ep->rcv_nxt + (guint32) wnd))
         || (TCP_SEQ_LEQ (ep->rcv_nxt, end)
             && TCP_SEQ_LT (end, ep->rcv_nxt + (guint32) wnd));
}

static void
enter_time_wait (TcpEndpoint *ep)
{
  /* TIME_WAIT must cost little: everything we sent is acknowledged and
   * nothing more will arrive, so the buffers' storage goes (unread bytes
   * stay until the application takes them). */
  tcp__ring_release (&ep->snd_buf);
  if (ep->rcv_buf.len == 0)
    tcp__ring_release (&ep->rcv_buf);
  g_array_set_size (ep->ooo, 0);
  tcp__sack_clear (ep);
  tcp__set_state (ep, TCP_STATE_TIME_WAIT);
  tcp__timer_cancel (ep, TCP_TIMER_REXMT);
  tcp__timer_cancel (ep, TCP_TIMER_DELACK);
  tcp__timer_cancel (ep, TCP_TIMER_PERSIST);
  tcp__timer_set (ep, TCP_TIMER_TIME_WAIT, 2 * ep->params.msl_ns);
}

static gboolean
fin_acked (const TcpEndpoint *ep)
{
  /* Our FIN is the byte after the send buffer; it is acknowledged when
   * SND.UNA passes it. */
  return ep->fin_queued
         && TCP_SEQ_GT (ep->snd_una, ep->snd_buf_seq + (guint32) ep->snd_buf.len);
}

/* Drops acknowledged bytes from the send buffer. */
static guint32
release_acked (TcpEndpoint *ep)
{
  guint32 data_end = ep->snd_buf_seq + (guint32) ep->snd_buf.len;
  guint32 upto = TCP_SEQ_MIN (ep->snd_una, data_end);
  guint32 n = 0;

  if (TCP_SEQ_GT (upto, ep->snd_buf_seq))
    {
      n = upto - ep->snd_buf_seq;
      tcp__ring_consume (&ep->snd_buf, n);
      ep->snd_buf_seq = upto;
      ep->stats->bytes_acked += n;
      ep->notify |= TCP_NOTIFY_WRITABLE;
    }
  return n;
}

static void
fast_retransmit (TcpEndpoint *ep)
{
  guint32 saved_nxt = ep->snd_nxt;
  guint32 data_end = ep->snd_buf_seq + (guint32) ep->snd_buf.len;
  guint32 len = MIN (tcp__seg_payload_max (ep), data_end - ep->snd_una);
  guint8 flags = 0;

  if (ep->fin_queued && TCP_SEQ_GEQ (ep->snd_una + len, data_end)
      && TCP_SEQ_GT (ep->snd_max, data_end))
    flags |= TCP_FIN;
  if (len == 0 && !(flags & TCP_FIN))
    return;
  ep->rtt_timing = FALSE;
  tcp__trace_event (ep, "rexmit", "fast", ep->snd_una, len);
  tcp__send_segment (ep, ep->snd_una, flags, len);
  ep->snd_nxt = TCP_SEQ_MAX (saved_nxt, ep->snd_nxt);
}

/* A duplicate ACK (RFC 5681 section 2, "DUPLICATE ACKNOWLEDGMENT"). */
static void
dup_ack (TcpEndpoint *ep)
{
  ep->dupacks++;
  ep->stats->dup_acks_received++;
  if (ep->in_recovery)
    {
      /* RFC 6675 keeps cwnd and counts pipe instead; RFC 5681 3.2 step 4
       * and RFC 6582 3.2 step 4 inflate by one segment per duplicate. */
      if (!ep->sack_ok)
        {
          ep->cc.cwnd_bytes += ep->snd_mss;
          tcp__trace_vars (ep, -1);
        }
      return;
    }
  /* RFC 6675 5: also enter recovery when IsLost (HighACK + 1). */
  if (ep->dupacks < ep->params.dupack_thresh
      && !(ep->sack_ok && tcp__sack_is_lost (ep, ep->snd_una)))
    return;
  /* RFC 6582 3.2 step 2: "If the Cumulative Acknowledgment field of the
   * duplicate ACKs covers more than recover", start recovery; otherwise
   * these duplicates belong to a loss already being repaired.  recover
   * starts at the ISS (section 3.2 step 1). */
  if (!TCP_SEQ_GT (ep->snd_una, ep->recover))
    return;
  ep->cc.flight_bytes = tcp__flight_bytes (ep);
  ep->cc.now_ns = tcp__now (ep);
  ep->cc_ops->on_loss (&ep->cc);
  ep->recover = ep->snd_max;
  ep->recovery_point = ep->snd_max;
  ep->in_recovery = TRUE;
  ep->partial_ack_seen = FALSE;
  ep->stats->fast_retransmits++;
  fast_retransmit (ep);
  if (ep->sack_ok)
    {
      /* RFC 6675 5 step (4.2): cwnd = ssthresh; the rest is sent by
       * tcp__output() as pipe allows. */
      ep->high_rxt = TCP_SEQ_MAX (ep->high_rxt,
                                  ep->snd_una + MIN (tcp__seg_payload_max (ep),
                                                     (guint32) (ep->snd_max
                                                                - ep->snd_una)));
      ep->cc.cwnd_bytes = ep->cc.ssthresh_bytes;
    }
  else
    /* RFC 6582 3.2 step 3: cwnd = ssthresh + 3*SMSS. */
    ep->cc.cwnd_bytes = ep->cc.ssthresh_bytes
                        + (guint64) ep->params.dupack_thresh * ep->snd_mss;
  tcp__trace_vars (ep, -1);
}

/* Whether the window limited the sender lately: only then may an ACK
 * grow it (RFC 7661 section 4; RFC 5681 3.1 grows cwnd when the full cwnd
 * is in use).  An application- or receiver-limited sender would otherwise
 * inflate cwnd without bound.  As in Linux (tcp_is_cwnd_limited()), the
 * test uses the most data in flight over the last window, and slow start
 * counts as limited while cwnd is below twice that. */
static gboolean
cwnd_limited (const TcpEndpoint *ep)
{
  if (ep->cc.cwnd_bytes < ep->cc.ssthresh_bytes)
    return ep->cc.cwnd_bytes < 2 * ep->max_flight_bytes;
  return ep->max_flight_bytes + tcp__seg_payload_max (ep) > ep->cc.cwnd_bytes;
}

static void
new_ack (TcpEndpoint *ep, guint32 acked)
{
  ep->dupacks = 0;
  ep->retries = 0;
  if (ep->in_recovery)
    {
      if (TCP_SEQ_GEQ (ep->snd_una, ep->recover)
          || ep->cc_ops == &tcp_cc_reno)
        {
          /* Full acknowledgement (RFC 6582 3.2 step 3); Reno leaves
           * recovery on any new ACK (RFC 5681 3.2 step 6). */
          ep->in_recovery = FALSE;
          ep->cc.flight_bytes = tcp__flight_bytes (ep);
          /* RFC 6675 5 ends recovery with cwnd at ssthresh (as RFC 5681
           * 3.2 step 6); NewReno's module may deflate to the flight size
           * (RFC 6582 3.2 step 3, option 1). */
          if (ep->sack_ok)
            ep->cc.cwnd_bytes = ep->cc.ssthresh_bytes;
          else
            ep->cc_ops->on_recovered (&ep->cc);
        }
      else if (ep->sack_ok)
        {
          /* RFC 6675: a partial ACK only updates the scoreboard; the
           * next holes go out through NextSeg(). */
        }
      else
        {
          /* Partial acknowledgement (RFC 6582 3.2 step 4): retransmit the
           * first unacknowledged segment, deflate cwnd by the amount
           * acknowledged, add back one SMSS if that was at least one
           * SMSS, and restart the timer for the first partial ACK only. */
          fast_retransmit (ep);
          ep->cc.cwnd_bytes = ep->cc.cwnd_bytes > acked
                              ? ep->cc.cwnd_bytes - acked : ep->snd_mss;
          if (acked >= ep->snd_mss)
            ep->cc.cwnd_bytes += ep->snd_mss;
        }
    }
  else if (cwnd_limited (ep))
    {
      ep->cc.now_ns = tcp__now (ep);
      ep->cc.srtt_ns = ep->srtt_ns;
      ep->cc.flight_bytes = tcp__flight_bytes (ep);
      ep->cc_ops->on_ack (&ep->cc, acked);
    }
  tcp__trace_vars (ep, -1);
}

/* "Fifth, check the ACK field" for the synchronized states.  Returns
 * FALSE when the segment is to be dropped. */
static gboolean
process_ack (TcpEndpoint *ep, const TcpSeg *seg)
{
  guint32 ack = seg->ack;
  gboolean sack_news = FALSE;

  if (ep->state == TCP_STATE_SYN_RECEIVED)
    {
      /* "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state and
       * continue processing" with the window variables set; otherwise
       * send a reset. */
      if (TCP_SEQ_LT (ep->snd_una, ack) && TCP_SEQ_LEQ (ack, ep->snd_max))
        {
          ep->snd_wnd = seg_window_bytes (ep, seg);
          ep->max_snd_wnd = MAX (ep->max_snd_wnd, ep->snd_wnd);
          ep->snd_wl1 = seg->seq;
          ep->snd_wl2 = ack;
          become_established (ep);
          /* A CLOSE in SYN-RECEIVED was queued "for processing after
           * entering ESTABLISHED state". */
          if (ep->fin_queued)
            tcp__set_state (ep, TCP_STATE_FIN_WAIT_1);
        }
      else
        {
          reset_answering (ep, seg);
          return FALSE;
        }
    }

  if (TCP_SEQ_GT (ack, ep->snd_max))
    {
      /* "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then
       * send an ACK, drop the segment, and return." */
      ep->ack_now = TRUE;
      tcp__trace_rx_event (ep, "drop", "ack-unsent", seg->seq, seg->len_bytes);
      return FALSE;
    }
  if (TCP_SEQ_LT (ack, ep->snd_una))
    {
      /* RFC 5961 5.2: acceptable only if "(SND.UNA - MAX.SND.WND) =<
       * SEG.ACK"; older ACKs are answered with an ACK and dropped.
       * Within that range an old ACK is ignored and the text processed. */
      if (TCP_SEQ_LT (ack, ep->snd_una - (guint32) MIN (ep->max_snd_wnd,
                                                        (guint64) G_MAXINT32)))
        {
          ep->ack_now = TRUE;
          tcp__trace_rx_event (ep, "drop", "ack-too-old", seg->seq,
                            seg->len_bytes);
          return FALSE;
        }
      return TRUE;
    }
  sack_news = tcp__sack_update (ep, seg);
  if (TCP_SEQ_GT (ack, ep->snd_una))
    {
      guint32 acked = ack - ep->snd_una;

      ep->snd_una = ack;
      if (TCP_SEQ_LT (ep->snd_nxt, ep->snd_una))
        ep->snd_nxt = ep->snd_una;
      rtt_on_ack (ep, seg, ack);
      release_acked (ep);
      tcp__sack_trim (ep);
      /* RFC 6298 5.2 and 5.3: stop the timer when everything is
       * acknowledged, else restart it; but in NewReno recovery only the
       * first partial ACK restarts it (RFC 6582 3.2 step 5), so that a
       * long run of partial ACKs cannot hold off the timeout. */
      if (ep->snd_una == ep->snd_max)
        tcp__timer_cancel (ep, TCP_TIMER_REXMT);
      else if (!ep->in_recovery || TCP_SEQ_GEQ (ack, ep->recover)
               || !ep->partial_ack_seen)
        tcp__rexmt_restart (ep);
      if (ep->in_recovery && TCP_SEQ_LT (ack, ep->recover))
        ep->partial_ack_seen = TRUE;
      new_ack (ep, acked);
      if (ep->snd_una != ep->snd_max
          && !tcp__timer_armed (ep, TCP_TIMER_REXMT)
          && !tcp__timer_armed (ep, TCP_TIMER_PERSIST))
        tcp__rexmt_restart (ep);
    }
  else if (ep->snd_una != ep->snd_max
           && ((seg->len_bytes == 0 && !(seg->flags & (TCP_SYN | TCP_FIN))
                && seg_window_bytes (ep, seg) == ep->snd_wnd
                && ep->snd_wnd > 0)
               || sack_news))
    {
      /* RFC 5681 section 2: same ACK, no data, no window change, data
       * outstanding; RFC 6675 section 2: or an ACK that SACKs new data.
       * Answers to zero-window probes repeat the ACK by design: with the
       * window shut they are not duplicates. */
      dup_ack (ep);
    }
  update_send_window (ep, seg);

  switch (ep->state)
    {
    case TCP_STATE_FIN_WAIT_1:
      /* "In addition to the processing for the ESTABLISHED state, if the
       * FIN segment is now acknowledged, then enter FIN-WAIT-2". */
      if (fin_acked (ep))
        tcp__set_state (ep, TCP_STATE_FIN_WAIT_2);
      break;
    case TCP_STATE_CLOSING:
      if (fin_acked (ep))
        enter_time_wait (ep);
      break;
    case TCP_STATE_LAST_ACK:
      /* "The only thing that can arrive in this state is an
       * acknowledgment of our FIN.  If our FIN is now acknowledged,
       * delete the TCB, enter the CLOSED state, and return." */
      if (fin_acked (ep))
        {
          tcp__enter_closed (ep, TCP_CLOSE_NORMAL);
          return FALSE;
        }
      break;
    case TCP_STATE_TIME_WAIT:
      break;
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_CLOSE_WAIT:
      break;
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
    case TCP_STATE_SYN_SENT:
    case TCP_STATE_SYN_RECEIVED:
    case TCP_N_STATES:
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

/* Inserts [start, end) into the out-of-order list, merging neighbours. */
static void
ooo_insert (TcpEndpoint *ep, guint32 start, guint32 end, gboolean fin)
{
  GArray *a = ep->ooo;
  guint i = 0;
  TcpOooRange r = { start, end, fin, ++ep->ooo_stamp };

  while (i < a->len && TCP_SEQ_LT (g_array_index (a, TcpOooRange, i).end,
                                   start))
    i++;
  /* Merge every range that touches or overlaps the new one; a FIN stays
   * attached to whichever range ends last. */
  while (i < a->len)
    {
      TcpOooRange *o = &g_array_index (a, TcpOooRange, i);

      if (TCP_SEQ_GT (o->start, r.end))
        break;
      r.start = TCP_SEQ_MIN (r.start, o->start);
      if (TCP_SEQ_GT (o->end, r.end))
        {
          r.end = o->end;
          r.fin = o->fin;
        }
      else if (o->end == r.end)
        r.fin = r.fin || o->fin;
      g_array_remove_index (a, i);
    }
  g_array_insert_val (a, i, r);
}

/* Moves ranges that now start at or before RCV.NXT into the stream.
 * Returns TRUE when a queued FIN became in order. */
static gboolean
ooo_drain (TcpEndpoint *ep)
{
  gboolean fin = FALSE;

  while (ep->ooo->len > 0)
    {
      TcpOooRange *o = &g_array_index (ep->ooo, TcpOooRange, 0);

      if (TCP_SEQ_GT (o->start, ep->rcv_nxt))
        break;
      if (TCP_SEQ_GT (o->end, ep->rcv_nxt))
        ep->rcv_nxt = o->end;
      if (o->fin)
        fin = TRUE;
      g_array_remove_index (ep->ooo, 0);
    }
  return fin;
}

/* "Seventh, process the segment text" and "eighth, check the FIN bit",
 * for a segment already trimmed to the window.  Returns TRUE when an
 * in-order FIN was reached. */
static gboolean
process_text (TcpEndpoint *ep, guint32 seq, const guint8 *data,
              guint32 len, gboolean fin)
{
  guint32 before = ep->rcv_nxt;
  gboolean in_order = seq == ep->rcv_nxt;
  gboolean had_holes = ep->ooo->len > 0;
  gboolean fin_now = FALSE;

  if (len > 0)
    {
      gsize off = (guint32) (seq - ep->rcv_read_seq);

      tcp__ring_write_at (&ep->rcv_buf, off, data, len);
    }
  if (in_order)
    {
      ep->rcv_nxt = seq + len;
      if (fin)
        fin_now = TRUE;
      else if (had_holes)
        fin_now = ooo_drain (ep);
    }
  else if (len > 0 || fin)
    ooo_insert (ep, seq, seq + len, fin);

  if (ep->rcv_nxt != before)
    {
      guint32 n = ep->rcv_nxt - before;

      ep->stats->bytes_received += n;
      ep->stats->last_delivery_ns = tcp__now (ep);
      ep->notify |= TCP_NOTIFY_READABLE;
    }
  /* RFC 5681 4.2: "an immediate ACK SHOULD be generated when an out-of-
   * order segment arrives ... [and] when the incoming segment fills in
   * all or part of a gap". RFC 1122 4.2.3.2: otherwise ACK at least every
   * second full segment, or when the delayed-ACK timer fires. */
  if (!in_order || had_holes || ep->params.delack_ns == 0)
    ep->ack_now = TRUE;
  else if (len > 0 && ep->quickacks_left > 0)
    {
      /* Linux's quick-ACK mode: the first segments of a connection are
       * ACKed at once so that slow start is not held back. */
      ep->quickacks_left--;
      ep->ack_now = TRUE;
    }
  else if (len > 0)
    {
      ep->segs_unacked++;
      if (ep->segs_unacked >= ep->params.delack_segs)
        ep->ack_now = TRUE;
      else if (!tcp__timer_armed (ep, TCP_TIMER_DELACK))
        tcp__timer_set (ep, TCP_TIMER_DELACK, ep->params.delack_ns);
    }
  return fin_now;
}

static void
process_fin (TcpEndpoint *ep)
{
  /* "advance RCV.NXT over the FIN ... signal the user 'connection
   * closing'". */
  ep->rcv_nxt++;
  ep->fin_received = TRUE;
  ep->notify |= TCP_NOTIFY_PEER_CLOSED;
  if (ep->params.ack_fin_now || ep->params.delack_ns == 0)
    ep->ack_now = TRUE;
  else if (!tcp__timer_armed (ep, TCP_TIMER_DELACK))
    tcp__timer_set (ep, TCP_TIMER_DELACK, ep->params.delack_ns);
  switch (ep->state)
    {
    case TCP_STATE_SYN_RECEIVED:
    case TCP_STATE_ESTABLISHED:
      tcp__set_state (ep, TCP_STATE_CLOSE_WAIT);
      break;
    case TCP_STATE_FIN_WAIT_1:
      /* "If our FIN has been ACKed (perhaps in this segment), then enter
       * TIME-WAIT ...; otherwise, enter the CLOSING state." */
      if (fin_acked (ep))
        enter_time_wait (ep);
      else
        tcp__set_state (ep, TCP_STATE_CLOSING);
      break;
    case TCP_STATE_FIN_WAIT_2:
      enter_time_wait (ep);
      break;
    case TCP_STATE_CLOSE_WAIT:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
      break;
    case TCP_STATE_TIME_WAIT:
      tcp__timer_set (ep, TCP_TIMER_TIME_WAIT, 2 * ep->params.msl_ns);
      break;
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
    case TCP_STATE_SYN_SENT:
    case TCP_N_STATES:
    default:
      g_assert_not_reached ();
    }
  /* A FIN is acknowledged at once in TIME-WAIT and when entering it. */
  if (ep->state == TCP_STATE_TIME_WAIT)
    ep->ack_now = TRUE;
}

static void
input_synchronized (TcpEndpoint *ep, const TcpSeg *seg)
{
  guint32 seq = seg->seq;
  const guint8 *data = seg->payload;
  guint32 len = seg->len_bytes;
  gboolean syn = (seg->flags & TCP_SYN) != 0;
  gboolean fin = (seg->flags & TCP_FIN) != 0;
  guint64 wnd;

  /* TIME-WAIT: "The only thing that can arrive in this state is a
   * retransmission of the remote FIN.  Acknowledge it, and restart the
   * 2 MSL timeout."  Handled below through the normal checks, as the
   * retransmitted FIN is old and fails the sequence test. */
  if (ep->state == TCP_STATE_TIME_WAIT && fin && !(seg->flags & TCP_RST)
      && seq + len + 1 == ep->rcv_nxt)
    {
      tcp__trace_rx_event (ep, "fin-again", "time-wait", seq, len);
      tcp__timer_set (ep, TCP_TIMER_TIME_WAIT, 2 * ep->params.msl_ns);
      tcp__send_ack (ep);
      return;
    }

  /* RFC 7323 5.3 R1: PAWS, before the sequence number check. */
  if (!tcp__ts_paws_ok (ep, seg))
    {
      ep->stats->drops_out_of_window++;
      tcp__trace_rx_event (ep, "drop", "paws", seq, len);
      tcp__send_ack (ep);
      return;
    }

  /* Simultaneous open (RFC 9293 figure 7, step 6): in SYN-RECEIVED the
   * peer's SYN-ACK repeats the SYN we already have and acknowledges ours.
   * Its SYN lies before RCV.NXT, so the literal sequence test would reject
   * it; like Linux, take it as the ACK it carries. */
  if (ep->state == TCP_STATE_SYN_RECEIVED && ep->parent == NULL && syn
      && (seg->flags & TCP_ACK) && seq == ep->irs
      && TCP_SEQ_LT (ep->snd_una, seg->ack)
      && TCP_SEQ_LEQ (seg->ack, ep->snd_max))
    {
      TcpSeg rest = *seg;

      rest.seq = seq + 1;
      rest.flags &= (guint8) ~TCP_SYN;
      input_synchronized (ep, &rest);
      return;
    }

  /* First, check sequence number. */
  if (!check_acceptable (ep, seg))
    {
      /* A duplicate SYN in SYN-RECEIVED means our SYN-ACK was lost: send
       * it again at once, as BSD and Linux do, rather than waiting for the
       * retransmission timer. */
      if (ep->state == TCP_STATE_SYN_RECEIVED && syn
          && !(seg->flags & (TCP_ACK | TCP_RST)) && seq == ep->irs)
        {
          tcp__send_segment (ep, ep->iss, TCP_SYN, 0);
          return;
        }
      /* "If an incoming segment is not acceptable, an acknowledgment
       * should be sent in reply (unless the RST bit is set ...)". */
      ep->stats->drops_out_of_window++;
      tcp__trace_rx_event (ep, "drop", "out-of-window", seq, len);
      if (!(seg->flags & TCP_RST))
        tcp__send_ack (ep);
      return;
    }

  /* RFC 7323 5.3 R3 (section 4.3): remember the peer's timestamp. */
  tcp__ts_update_recent (ep, seg);
  tcp__keepalive_touch (ep);

  /* Second, check the RST bit (with RFC 5961 3.2). */
  if (seg->flags & TCP_RST)
    {
      /* RFC 1337 fix 1: a RST must not cut TIME_WAIT short (a late
       * duplicate can otherwise "assassinate" it).  RFC 9293 and Linux's
       * default accept the RST, so this is a parameter. */
      if (ep->state == TCP_STATE_TIME_WAIT && ep->params.rfc1337)
        {
          tcp__trace_rx_event (ep, "drop", "rst-in-time-wait", seq, 0);
          return;
        }
      if (seq != ep->rcv_nxt)
        {
          /* In the window but not exact: a challenge ACK. */
          tcp__trace_rx_event (ep, "challenge-ack", "rst", seq, 0);
          tcp__send_ack (ep);
          return;
        }
      if (ep->state == TCP_STATE_SYN_RECEIVED && ep->parent != NULL)
        {
          /* "If this connection was initiated with a passive OPEN, then
           * return this connection to the LISTEN state": the listener
           * still listens; this child simply goes away. */
          tcp__enter_closed (ep, TCP_CLOSE_RESET);
          return;
        }
      tcp__trace_rx_event (ep, "reset", "peer", seq, 0);
      tcp__enter_closed (ep, TCP_CLOSE_RESET);
      return;
    }

  /* Fourth, check the SYN bit. */
  if (syn)
    {
      if (ep->state == TCP_STATE_SYN_RECEIVED && ep->counted_half_open
          && ep->parent != NULL)
        {
          if (seq == ep->irs)
            {
              /* Our SYN-ACK was lost: the peer's SYN again. */
              tcp__send_segment (ep, ep->iss, TCP_SYN, 0);
              return;
            }
          /* "If the connection was initiated with a passive OPEN, then
           * return this connection to the LISTEN state and return": the
           * listener listens on; this half-open child goes away. */
          tcp__trace_rx_event (ep, "drop", "syn-in-syn-received", seq, 0);
          tcp__enter_closed (ep, TCP_CLOSE_RESET);
          return;
        }
      /* RFC 5961 4.2: in a synchronized state, a challenge ACK. */
      tcp__trace_rx_event (ep, "challenge-ack", "syn", seq, 0);
      tcp__send_ack (ep);
      return;
    }

  /* Fifth, check the ACK field. */
  if (!(seg->flags & TCP_ACK))
    return;
  if (!process_ack (ep, seg))
    return;
  if (ep->dead)
    return;

  /* Trim the segment to the window: bytes before RCV.NXT were received
   * already; bytes beyond the window are dropped (with the FIN). */
  if (TCP_SEQ_LT (seq, ep->rcv_nxt))
    {
      guint32 dup = ep->rcv_nxt - seq;

      if (dup >= len)
        {
          /* Only the FIN (if any) is new. */
          if (fin && seq + len == ep->rcv_nxt)
            {
              data = NULL;
              len = 0;
              seq = ep->rcv_nxt;
            }
          else
            {
              if (len > 0 || fin)
                ep->ack_now = TRUE;
              return;
            }
        }
      else
        {
          data += dup;
          len -= dup;
          seq = ep->rcv_nxt;
        }
    }
  wnd = rcv_window (ep);
  if ((guint64) (guint32) (seq + len - ep->rcv_nxt) > wnd)
    {
      guint32 keep = (guint32) (ep->rcv_nxt + (guint32) wnd - seq);

      if (keep < len)
        {
          len = keep;
          fin = FALSE;
        }
    }
  /* Buffer space is what limits OOO bytes: never write past the ring
   * (a segment starting beyond it keeps nothing). */
  if ((guint64) (guint32) (seq - ep->rcv_read_seq) + len > ep->rcv_buf.cap)
    {
      guint64 off = (guint32) (seq - ep->rcv_read_seq);
      guint32 room = off < ep->rcv_buf.cap
                     ? (guint32) (ep->rcv_buf.cap - off) : 0;

      len = MIN (len, room);
      fin = FALSE;
    }

  /* Sixth, check the URG bit: "If the URG bit is set, RCV.UP <-
   * max(RCV.UP,SEG.UP), and signal the user that the remote side has
   * urgent data if the urgent pointer (RCV.UP) is in advance of the data
   * consumed" (RFC 9293 3.10.7.4).  The urgent pointer points to the last
   * urgent byte's successor (RFC 1122 4.2.2.4); the data itself is
   * delivered in line. */
  if ((seg->flags & TCP_URG)
      && (ep->state == TCP_STATE_ESTABLISHED
          || ep->state == TCP_STATE_FIN_WAIT_1
          || ep->state == TCP_STATE_FIN_WAIT_2))
    {
      guint32 up = seg->seq + seg->urp;

      if (!ep->urgent_seen || TCP_SEQ_GT (up, ep->rcv_up))
        {
          ep->rcv_up = up;
          ep->urgent_seen = TRUE;
          if (TCP_SEQ_GT (up, ep->rcv_read_seq))
            tcp__trace_rx_event (ep, "urgent", "urg", up, 0);
        }
    }

  /* Seventh and eighth: text and FIN. */
  switch (ep->state)
    {
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_FIN_WAIT_2:
      if (len > 0 && ep->released)
        {
          /* RFC 1122 4.2.2.13: "if new data is received after CLOSE is
           * called, its TCP SHOULD send a RST to show that data was
           * lost": nobody will ever read it. */
          tcp__trace_rx_event (ep, "abort", "data-after-close", seq, len);
          tcp__send_rst (ep);
          tcp__enter_closed (ep, TCP_CLOSE_ABORTED);
          return;
        }
      if (len > 0 || fin)
        {
          if (process_text (ep, seq, data, len, fin))
            process_fin (ep);
        }
      break;
    case TCP_STATE_CLOSE_WAIT:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
    case TCP_STATE_TIME_WAIT:
      /* "This should not occur since a FIN has been received from the
       * remote side.  Ignore the segment text."  A FIN again is ACKed. */
      if (fin)
        {
          ep->ack_now = TRUE;
          if (ep->state == TCP_STATE_TIME_WAIT)
            tcp__timer_set (ep, TCP_TIMER_TIME_WAIT, 2 * ep->params.msl_ns);
        }
      break;
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
    case TCP_STATE_SYN_SENT:
    case TCP_STATE_SYN_RECEIVED:
    case TCP_N_STATES:
    default:
      g_assert_not_reached ();
    }
}

void
tcp__input (TcpEndpoint *ep, const TcpSeg *seg)
{
  if (ep->dead)
    return;
  ep->stats->segs_received++;
  switch (ep->state)
    {
    case TCP_STATE_SYN_SENT:
      input_syn_sent (ep, seg);
      break;
    case TCP_STATE_SYN_RECEIVED:
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_CLOSE_WAIT:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
    case TCP_STATE_TIME_WAIT:
      input_synchronized (ep, seg);
      break;
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
      /* Endpoints in these states are not in the connection table. */
      break;
    case TCP_N_STATES:
    default:
      g_assert_not_reached ();
    }
  if (!ep->dead)
    tcp__output (ep);
}
