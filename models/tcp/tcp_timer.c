/* tcp_timer.c: the five timers of an endpoint, each a SimTimer embedded
 * in it, with one handler each (as BSD tcp_timer.c).
 *
 *   REXMT      RFC 6298 5.4-5.7: retransmit the earliest unacknowledged
 *              segment, back off, maybe give up.
 *   PERSIST    RFC 9293 3.8.6.1 / RFC 1122 4.2.2.17: probe a zero window
 *              with one byte, backing off.
 *   DELACK     RFC 1122 4.2.3.2: the delayed ACK is due.
 *   KEEPALIVE  RFC 1122 4.2.3.6 (off by default): probe an idle peer.
 *   TIME_WAIT  RFC 9293 3.6: 2 MSL passed, the connection is CLOSED.
 */
#include "models/tcp/tcp_private.h"

static const char *const timer_names[TCP_N_TIMERS] = {
  [TCP_TIMER_REXMT] = "rexmt",
  [TCP_TIMER_PERSIST] = "persist",
  [TCP_TIMER_DELACK] = "delack",
  [TCP_TIMER_KEEPALIVE] = "keepalive",
  [TCP_TIMER_TIME_WAIT] = "time_wait",
};

const char *
tcp_timer_name (TcpTimerId id)
{
  g_return_val_if_fail ((guint) id < TCP_N_TIMERS, "?");
  return timer_names[id];
}

static void
trace_timer (TcpEndpoint *ep, TcpTimerId id, const char *action,
             SimTime deadline_ns)
{
  TcpTraceTimer e;

  if (!sim_trace_on (ep->stack->trace))
    return;
  e.conn = ep->name;
  e.host = node_name (ep->stack->node);
  e.timer = id;
  e.action = action;
  e.deadline_ns = deadline_ns;
  sim_trace_emit (ep->stack->trace, tcp__now (ep), &tcp_trace_timer, &e);
}

static void
rexmt_expired (TcpEndpoint *ep)
{
  guint64 limit;

  ep->stats->timeouts++;
  ep->retries++;
  limit = (ep->state == TCP_STATE_SYN_SENT
           || ep->state == TCP_STATE_SYN_RECEIVED)
          ? ep->params.syn_retries : ep->params.max_retries;
  if (ep->retries > limit)
    {
      /* RFC 1122 4.2.3.5: past R2 the connection is closed. */
      tcp__trace_event (ep, "abort", "timeout", ep->snd_una, 0);
      tcp__enter_closed (ep, TCP_CLOSE_TIMEOUT);
      return;
    }
  if (ep->state == TCP_STATE_SYN_SENT || ep->state == TCP_STATE_SYN_RECEIVED)
    ep->syn_rexmitted = TRUE;
  /* RFC 6298 5.5: back off; Karn: the timed segment is now ambiguous. */
  tcp__rto_backoff (ep);
  ep->rtt_timing = FALSE;
  ep->cc.flight_bytes = tcp__flight_bytes (ep);
  if (ep->state != TCP_STATE_SYN_SENT && ep->state != TCP_STATE_SYN_RECEIVED)
    {
      ep->cc.now_ns = tcp__now (ep);
      ep->cc_ops->on_rto (&ep->cc);
    }
  ep->in_recovery = FALSE;
  ep->dupacks = 0;
  /* RFC 2018 8: "after a retransmit timeout the data sender SHOULD turn
   * off all of the SACKed bits". */
  tcp__sack_clear (ep);
  ep->high_rxt = ep->snd_una;
  /* RFC 6582 section 4 ("recover" after a timeout): remember the highest
   * sequence sent so that duplicate ACKs for it do not start another fast
   * retransmit. */
  ep->recover = ep->snd_max;
  tcp__trace_event (ep, "rexmit", "rto", ep->snd_una, 0);
  ep->snd_nxt = ep->snd_una;
  tcp__trace_vars (ep, -1);
  /* 5.6: start the timer with the new RTO, then (5.4) retransmit. */
  tcp__rexmt_restart (ep);
  tcp__output (ep);
}

/* RFC 9293 3.8.6.1 and RFC 1122 4.2.2.17: probe a zero window with one
 * byte of new data, the interval backing off like the RTO.  The timer is
 * re-armed first so that the probe does not start the retransmission
 * timer. */
static void
persist_expired (TcpEndpoint *ep)
{
  guint32 data_end = ep->snd_buf_seq + (guint32) ep->snd_buf.len;

  if (ep->snd_wnd > 0)
    {
      /* The window is open but too small for the sender's silly-window
       * rule: send what fits now (the override timeout). */
      ep->persist_backoff = 0;
      ep->force_output = TRUE;
      tcp__output (ep);
      ep->force_output = FALSE;
      return;
    }
  ep->persist_backoff++;
  tcp__timer_set (ep, TCP_TIMER_PERSIST, tcp__persist_interval (ep));
  if (TCP_SEQ_LT (ep->snd_nxt, data_end))
    {
      tcp__trace_event (ep, "probe", "zero-window", ep->snd_nxt, 1);
      tcp__send_segment (ep, ep->snd_nxt, 0, 1);
    }
  else
    tcp__send_ack (ep);
}

/* RFC 1122 4.2.3.6: after keepalive_idle_ns without a segment from the
 * peer, probe with <SEQ=SND.UNA-1> (which it must ACK); give up after
 * keepalive_probes unanswered probes. */
static void
keepalive_expired (TcpEndpoint *ep)
{
  if (ep->keepalive_sent >= ep->params.keepalive_probes)
    {
      tcp__trace_event (ep, "abort", "keepalive", ep->snd_una, 0);
      tcp__send_rst (ep);
      tcp__enter_closed (ep, TCP_CLOSE_TIMEOUT);
      return;
    }
  ep->keepalive_sent++;
  tcp__trace_event (ep, "probe", "keepalive", ep->snd_una - 1, 0);
  tcp__send_segment (ep, ep->snd_una - 1, 0, 0);
  tcp__timer_set (ep, TCP_TIMER_KEEPALIVE, ep->params.keepalive_intvl_ns);
}

void
tcp__keepalive_touch (TcpEndpoint *ep)
{
  if (ep->params.keepalive_idle_ns == 0)
    return;
  ep->keepalive_sent = 0;
  if (ep->state == TCP_STATE_ESTABLISHED
      || ep->state == TCP_STATE_CLOSE_WAIT)
    tcp__timer_set (ep, TCP_TIMER_KEEPALIVE, ep->params.keepalive_idle_ns);
  else
    tcp__timer_cancel (ep, TCP_TIMER_KEEPALIVE);
}

static void
on_timer (SimTimer *timer, void *data)
{
  TcpEndpoint *ep = data;
  TcpTimerId id = (TcpTimerId) (timer - ep->timers);

  trace_timer (ep, id, "fire", SIM_TIME_NEVER);
  switch (id)
    {
    case TCP_TIMER_REXMT:
      rexmt_expired (ep);
      break;
    case TCP_TIMER_PERSIST:
      persist_expired (ep);
      break;
    case TCP_TIMER_DELACK:
      ep->ack_now = TRUE;
      tcp__output (ep);
      break;
    case TCP_TIMER_KEEPALIVE:
      keepalive_expired (ep);
      break;
    case TCP_TIMER_TIME_WAIT:
      tcp__enter_closed (ep, TCP_CLOSE_NORMAL);
      break;
    case TCP_N_TIMERS:
    default:
      g_assert_not_reached ();
    }
  tcp__notify (ep);
}

void
tcp__timers_init (TcpEndpoint *ep)
{
  for (guint i = 0; i < TCP_N_TIMERS; i++)
    sim_timer_init (&ep->timers[i], on_timer, ep);
}

void
tcp__timers_clear (TcpEndpoint *ep)
{
  for (guint i = 0; i < TCP_N_TIMERS; i++)
    {
      if (sim_timer_is_armed (&ep->timers[i]))
        trace_timer (ep, (TcpTimerId) i, "cancel", SIM_TIME_NEVER);
      sim_timer_clear (ep->stack->sched, &ep->timers[i]);
    }
}

void
tcp__timer_set (TcpEndpoint *ep, TcpTimerId id, SimTime delay_ns)
{
  SimTime at_ns = tcp__now (ep) + delay_ns;

  sim_timer_start (ep->stack->sched, &ep->timers[id], at_ns);
  trace_timer (ep, id, "set", at_ns);
}

void
tcp__timer_cancel (TcpEndpoint *ep, TcpTimerId id)
{
  if (!sim_timer_is_armed (&ep->timers[id]))
    return;
  sim_timer_stop (ep->stack->sched, &ep->timers[id]);
  trace_timer (ep, id, "cancel", SIM_TIME_NEVER);
}

gboolean
tcp__timer_armed (const TcpEndpoint *ep, TcpTimerId id)
{
  return sim_timer_is_armed (&ep->timers[id]);
}

SimTime
tcp__persist_interval (const TcpEndpoint *ep)
{
  SimTime t = tcp__rto_current (ep);

  for (guint i = 0; i < ep->persist_backoff && t < ep->params.rto_max_ns; i++)
    t *= 2;
  return MIN (t, ep->params.rto_max_ns);
}

void
tcp__rexmt_restart (TcpEndpoint *ep)
{
  tcp__timer_set (ep, TCP_TIMER_REXMT, tcp__rto_current (ep));
}
