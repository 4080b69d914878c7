/* tcp_trace.c: the TCP model's trace kinds and how each writes its JSON. */
#include "models/tcp/tcp_private.h"

static void
state_to_json (const void *body, GString *out)
{
  const TcpTraceState *e = body;

  sim_json_append_string (out, "host", e->host);
  sim_json_append_string (out, "conn", e->conn);
  sim_json_append_string (out, "from", tcp_state_name (e->from));
  sim_json_append_string (out, "to", tcp_state_name (e->to));
}

static void
timer_to_json (const void *body, GString *out)
{
  const TcpTraceTimer *e = body;

  sim_json_append_string (out, "host", e->host);
  sim_json_append_string (out, "conn", e->conn);
  sim_json_append_string (out, "timer", tcp_timer_name (e->timer));
  sim_json_append_string (out, "action", e->action);
  if (e->deadline_ns != SIM_TIME_NEVER)
    sim_json_append_int (out, "deadline_ns", e->deadline_ns);
}

static void
vars_to_json (const void *body, GString *out)
{
  const TcpTraceVars *e = body;

  sim_json_append_string (out, "host", e->host);
  sim_json_append_string (out, "conn", e->conn);
  sim_json_append_uint (out, "cwnd_bytes", e->cwnd_bytes);
  sim_json_append_uint (out, "ssthresh_bytes", e->ssthresh_bytes);
  sim_json_append_uint (out, "rwnd_bytes", e->rwnd_bytes);
  sim_json_append_uint (out, "flight_bytes", e->flight_bytes);
  sim_json_append_int (out, "srtt_ns", e->srtt_ns);
  sim_json_append_int (out, "rttvar_ns", e->rttvar_ns);
  sim_json_append_int (out, "rto_ns", e->rto_ns);
  if (e->rtt_sample_ns >= 0)
    sim_json_append_int (out, "rtt_sample_ns", e->rtt_sample_ns);
}

static void
event_to_json (const void *body, GString *out)
{
  const TcpTraceEvent *e = body;

  sim_json_append_string (out, "host", e->host);
  sim_json_append_string (out, "conn", e->conn);
  sim_json_append_string (out, "what", e->what);
  sim_json_append_string (out, "reason", e->reason);
  sim_json_append_uint (out, "rel_seq", e->rel_seq);
  sim_json_append_uint (out, "len", e->len_bytes);
}

static void
conn_to_json (const void *body, GString *out)
{
  const TcpConnStats *s = body;

  sim_json_append_string (out, "host", s->host);
  sim_json_append_string (out, "conn", s->name);
  sim_json_append_bool (out, "active_open", s->active_open);
  sim_json_append_int (out, "open_ns", s->open_ns);
  sim_json_append_int (out, "established_ns", s->established_ns);
  sim_json_append_int (out, "closed_ns", s->closed_ns);
  sim_json_append_int (out, "last_delivery_ns", s->last_delivery_ns);
  sim_json_append_uint (out, "bytes_sent", s->bytes_sent);
  sim_json_append_uint (out, "bytes_acked", s->bytes_acked);
  sim_json_append_uint (out, "bytes_received", s->bytes_received);
  sim_json_append_uint (out, "segs_sent", s->segs_sent);
  sim_json_append_uint (out, "segs_received", s->segs_received);
  sim_json_append_uint (out, "data_segs_sent", s->data_segs_sent);
  sim_json_append_uint (out, "retransmits", s->retransmits);
  sim_json_append_uint (out, "retransmit_bytes", s->retransmit_bytes);
  sim_json_append_uint (out, "timeouts", s->timeouts);
  sim_json_append_uint (out, "fast_retransmits", s->fast_retransmits);
  sim_json_append_uint (out, "dup_acks_received", s->dup_acks_received);
  sim_json_append_uint (out, "drops_checksum", s->drops_checksum);
  sim_json_append_uint (out, "drops_out_of_window", s->drops_out_of_window);
  sim_json_append_string (out, "final_state",
                          tcp_state_name (s->final_state));
  sim_json_append_bool (out, "closed", s->closed);
  sim_json_append_string (out, "close_reason",
                          s->closed ? tcp_close_reason_name (s->close_reason)
                                    : NULL);
}

const SimTraceKind tcp_trace_state = { "tcp.state", state_to_json };
const SimTraceKind tcp_trace_timer = { "tcp.timer", timer_to_json };
const SimTraceKind tcp_trace_vars = { "tcp.vars", vars_to_json };
const SimTraceKind tcp_trace_event = { "tcp.event", event_to_json };
const SimTraceKind tcp_trace_conn = { "tcp.conn", conn_to_json };

void
tcp__trace_vars (TcpEndpoint *ep, SimTime rtt_sample_ns)
{
  TcpTraceVars e;
  SimTraceBus *bus = ep->stack->trace;

  if (!sim_trace_on (bus))
    return;
  e.conn = ep->name;
  e.host = node_name (ep->stack->node);
  e.cwnd_bytes = ep->cc.cwnd_bytes;
  e.ssthresh_bytes = ep->cc.ssthresh_bytes;
  e.rwnd_bytes = ep->snd_wnd;
  /* In SACK recovery what counts is pipe (RFC 6675), not SND.MAX -
   * SND.UNA, which includes SACKed data. */
  e.flight_bytes = ep->in_recovery && ep->sack_ok ? tcp__sack_pipe (ep)
                                                  : tcp__flight_bytes (ep);
  e.srtt_ns = ep->srtt_ns;
  e.rttvar_ns = ep->rttvar_ns;
  e.rto_ns = tcp__rto_current (ep);
  e.rtt_sample_ns = rtt_sample_ns;
  sim_trace_emit (bus, tcp__now (ep), &tcp_trace_vars, &e);
}

static void
trace_event (TcpEndpoint *ep, const char *what, const char *reason,
             guint32 rel_seq, guint32 len_bytes)
{
  TcpTraceEvent e;
  SimTraceBus *bus = ep->stack->trace;

  if (!sim_trace_on (bus))
    return;
  e.conn = ep->name;
  e.host = node_name (ep->stack->node);
  e.what = what;
  e.reason = reason;
  e.rel_seq = rel_seq;
  e.len_bytes = len_bytes;
  sim_trace_emit (bus, tcp__now (ep), &tcp_trace_event, &e);
}

void
tcp__trace_event (TcpEndpoint *ep, const char *what, const char *reason,
                  guint32 seq, guint32 len_bytes)
{
  trace_event (ep, what, reason, seq - ep->iss, len_bytes);
}

void
tcp__trace_rx_event (TcpEndpoint *ep, const char *what, const char *reason,
                     guint32 seq, guint32 len_bytes)
{
  trace_event (ep, what, reason, seq - ep->irs, len_bytes);
}
