/* tcp_endpoint.c: endpoint creation and destruction, the state writer,
 * application notifications, and the user calls of RFC 9293 3.10
 * (SEND = tcp_write, RECEIVE = tcp_read, CLOSE, ABORT).
 *
 * tcp__set_state() is the only writer of ep->state and traces every
 * change.
 */
#include "models/tcp/tcp_private.h"

#include <string.h>

/* ---- lifetime ---- */

TcpEndpoint *
tcp__endpoint_new (TcpStack *stack, const TcpParams *params,
                   const TcpCallbacks *callbacks, void *user)
{
  TcpEndpoint *ep = g_new0 (TcpEndpoint, 1);
  TcpConnStats *stats = g_new0 (TcpConnStats, 1);

  ep->stack = stack;
  ep->params = params ? *params : stack->defaults;
  if (callbacks != NULL)
    ep->callbacks = *callbacks;
  ep->user = user;
  ep->state = TCP_STATE_CLOSED;
  ep->stats = stats;
  stats->host = node_name (stack->node);
  stats->open_ns = sim_scheduler_now (stack->sched);
  stats->established_ns = -1;
  stats->closed_ns = -1;
  stats->last_delivery_ns = -1;
  g_ptr_array_add (stack->stats, stats);
  tcp__stack_track (stack, ep);
  ep->ooo = g_array_new (FALSE, FALSE, sizeof (TcpOooRange));
  ep->sacked = g_array_new (FALSE, FALSE, sizeof (TcpSackBlock));
  ep->quickacks_left = ep->params.quickack_segs;
  ep->cc_ops = tcp_cc_ops (ep->params.cc);
  tcp__timers_init (ep);
  tcp__rtt_init (ep);
  return ep;
}

void
tcp__endpoint_free (TcpEndpoint *ep)
{
  tcp__timers_clear (ep);
  tcp__ring_clear (&ep->snd_buf);
  tcp__ring_clear (&ep->rcv_buf);
  g_array_unref (ep->ooo);
  g_array_unref (ep->sacked);
  g_free (ep);
}

void
tcp__set_name (TcpEndpoint *ep)
{
  char l[IPV4_ADDR_STR_BYTES];
  char r[IPV4_ADDR_STR_BYTES];

  ipv4_addr_format (ep->key.laddr, l);
  ipv4_addr_format (ep->key.raddr, r);
  if (ep->state == TCP_STATE_LISTEN)
    g_snprintf (ep->name, sizeof ep->name, "%s:%u", l, ep->key.lport);
  else
    g_snprintf (ep->name, sizeof ep->name, "%s:%u>%s:%u", l, ep->key.lport,
                r, ep->key.rport);
  g_strlcpy (ep->stats->name, ep->name, sizeof ep->stats->name);
}

/* RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), M a clock ticking every 4 microseconds. */
guint32
tcp__choose_isn (TcpStack *stack, const TcpFlowKey *key)
{
  guint64 m = (guint64) sim_scheduler_now (stack->sched) / 4000;
  guint64 h = stack->isn_secret;

  h ^= ((guint64) key->laddr << 32) | key->raddr;
  h *= G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  h ^= ((guint64) key->lport << 16) | key->rport;
  h *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  h ^= h >> 31;
  return (guint32) (m + (h >> 32));
}

void
tcp__init_sequence (TcpEndpoint *ep, guint32 iss)
{
  /* RFC 7323 7.1: a random offset for the TSval clock, from the same
   * keyed hash as the ISN but a different input. */
  TcpFlowKey k = ep->key;

  k.lport ^= 0x5a5a;
  ep->ts_offset = tcp__choose_isn (ep->stack, &k)
                  - (guint32) (tcp__now (ep) / 4000);
  ep->iss = iss;
  ep->snd_una = iss;
  ep->snd_nxt = iss;
  ep->snd_max = iss;
  ep->snd_buf_seq = iss + 1;
  ep->recover = iss;
  ep->high_rxt = iss;
  ep->recovery_point = iss;
}

void
tcp__set_state (TcpEndpoint *ep, TcpState state)
{
  TcpState from = ep->state;

  if (from == state)
    return;
  ep->state = state;
  ep->stats->final_state = state;
  if (state == TCP_STATE_ESTABLISHED && ep->stats->established_ns < 0)
    ep->stats->established_ns = tcp__now (ep);
  if (sim_trace_on (ep->stack->trace))
    {
      TcpTraceState e = { ep, ep->name, node_name (ep->stack->node), from,
                          state };

      sim_trace_emit (ep->stack->trace, tcp__now (ep), &tcp_trace_state, &e);
    }
}

void
tcp__release_half_open (TcpEndpoint *ep)
{
  if (!ep->counted_half_open)
    return;
  ep->counted_half_open = FALSE;
  if (ep->parent != NULL && ep->parent->half_open > 0)
    ep->parent->half_open--;
}

void
tcp__enter_closed (TcpEndpoint *ep, TcpCloseReason reason)
{
  if (ep->dead)
    return;
  tcp__release_half_open (ep);
  if (ep->state == TCP_STATE_LISTEN)
    {
      /* Children outlive their listener; they must not point at it. */
      for (guint i = 0; i < ep->stack->endpoints->len; i++)
        {
          TcpEndpoint *child = g_ptr_array_index (ep->stack->endpoints, i);

          if (child->parent == ep)
            {
              child->counted_half_open = FALSE;
              child->parent = NULL;
            }
        }
    }
  tcp__set_state (ep, TCP_STATE_CLOSED);
  tcp__timers_clear (ep);
  ep->close_reason = reason;
  ep->stats->closed = TRUE;
  ep->stats->close_reason = reason;
  ep->stats->closed_ns = tcp__now (ep);
  tcp__stack_remove (ep->stack, ep);
  ep->notify |= TCP_NOTIFY_CLOSED;
  ep->dead = TRUE;
}

void
tcp__notify (TcpEndpoint *ep)
{
  /* Each callback may call back into the stack (write, close, abort), so
   * the pending set is re-read after every one. */
  while (ep->notify != 0)
    {
      guint n = ep->notify;

      if (n & TCP_NOTIFY_CONNECTED)
        {
          ep->notify &= ~(guint) TCP_NOTIFY_CONNECTED;
          if (ep->parent != NULL)
            {
              TcpEndpoint *l = ep->parent;

              if (l->callbacks.accepted != NULL && !l->dead)
                l->callbacks.accepted (l, ep, l->user);
            }
          else if (ep->callbacks.connected != NULL)
            ep->callbacks.connected (ep, ep->user);
        }
      else if (n & TCP_NOTIFY_READABLE)
        {
          ep->notify &= ~(guint) TCP_NOTIFY_READABLE;
          if (ep->callbacks.readable != NULL && tcp_readable_bytes (ep) > 0)
            ep->callbacks.readable (ep, ep->user);
        }
      else if (n & TCP_NOTIFY_PEER_CLOSED)
        {
          ep->notify &= ~(guint) TCP_NOTIFY_PEER_CLOSED;
          if (ep->callbacks.peer_closed != NULL)
            ep->callbacks.peer_closed (ep, ep->user);
        }
      else if (n & TCP_NOTIFY_WRITABLE)
        {
          ep->notify &= ~(guint) TCP_NOTIFY_WRITABLE;
          if (ep->callbacks.writable != NULL && !ep->dead)
            ep->callbacks.writable (ep, ep->user);
        }
      else if (n & TCP_NOTIFY_CLOSED)
        {
          ep->notify = 0;
          if (ep->callbacks.closed != NULL)
            ep->callbacks.closed (ep, ep->close_reason, ep->user);
          tcp__stack_bury (ep->stack, ep);
          return;
        }
    }
}

/* ---- windows ---- */

/* In-order bytes not yet read; RCV.NXT also counts the peer's FIN. */
static guint32
unread_bytes (const TcpEndpoint *ep)
{
  return ep->rcv_nxt - ep->rcv_read_seq - (ep->fin_received ? 1u : 0u);
}

guint64
tcp__rcv_space (const TcpEndpoint *ep)
{
  guint32 unread = unread_bytes (ep);

  return ep->rcv_buf.cap > unread ? ep->rcv_buf.cap - unread : 0;
}

guint64
tcp__flight_bytes (const TcpEndpoint *ep)
{
  return (guint32) (ep->snd_max - ep->snd_una);
}

/* ---- user calls ---- */

gsize
tcp_write (TcpEndpoint *ep, const guint8 *data, gsize len_bytes)
{
  gsize room;

  g_return_val_if_fail (ep != NULL, 0);
  if (ep->dead || ep->fin_queued || ep->state == TCP_STATE_LISTEN
      || ep->state == TCP_STATE_CLOSED)
    return 0;
  room = ep->snd_buf.cap - ep->snd_buf.len;
  len_bytes = MIN (len_bytes, room);
  tcp__ring_write_at (&ep->snd_buf, ep->snd_buf.len, data, len_bytes);
  if (len_bytes > 0)
    {
      tcp__output (ep);
      tcp__notify (ep);
    }
  return len_bytes;
}

gsize
tcp_readable_bytes (const TcpEndpoint *ep)
{
  return unread_bytes (ep);
}

gsize
tcp_writable_bytes (const TcpEndpoint *ep)
{
  if (ep->dead || ep->fin_queued)
    return 0;
  return ep->snd_buf.cap - ep->snd_buf.len;
}

typedef struct {
  guint8 *buf;
} CopyOut;

static void
copy_out (const guint8 *bytes, gsize len_bytes, void *data)
{
  CopyOut *c = data;

  memcpy (c->buf, bytes, len_bytes);
  c->buf += len_bytes;
}

gsize
tcp_read (TcpEndpoint *ep, guint8 *buf, gsize max_bytes)
{
  CopyOut c = { buf };

  return tcp_read_with (ep, max_bytes, buf != NULL ? copy_out : NULL, &c);
}

gsize
tcp_read_with (TcpEndpoint *ep, gsize max_bytes, TcpReadFn fn, void *data)
{
  gsize n;
  guint64 old_space;

  g_return_val_if_fail (ep != NULL, 0);
  n = MIN (max_bytes, tcp_readable_bytes (ep));
  if (n == 0)
    return 0;
  old_space = tcp__rcv_space (ep);
  if (fn != NULL)
    {
      const guint8 *first;
      gsize first_len;
      const guint8 *second;
      gsize second_len;

      tcp__ring_slices (&ep->rcv_buf, n, &first, &first_len, &second,
                        &second_len);
      fn (first, first_len, data);
      if (second_len > 0)
        fn (second, second_len, data);
    }
  tcp__ring_consume (&ep->rcv_buf, n);
  ep->rcv_read_seq += (guint32) n;
  /* A pure window update only when it matters to the sender: what is
   * left of the advertised window has fallen to half the buffer or less
   * and the update at least doubles it (Linux __tcp_cleanup_rbuf()).  The
   * right edge then moves by far more than min (half the buffer, one MSS),
   * as RFC 1122 4.2.3.3 asks. */
  if (!ep->dead && ep->state != TCP_STATE_SYN_SENT
      && ep->state != TCP_STATE_SYN_RECEIVED
      && !tcp_state_have_rcvd_fin (ep->state))
    {
      guint64 left = tcp__rcv_adv_left (ep);
      guint64 space = tcp__rcv_space (ep);

      if (old_space < space && 2 * left <= ep->rcv_buf.cap
          && space >= 2 * left
          && space - left >= MIN (ep->rcv_buf.cap / 2,
                                  (guint64) ep->params.mss_bytes))
        {
          ep->ack_now = TRUE;
          tcp__output (ep);
        }
    }
  return n;
}

void
tcp_close (TcpEndpoint *ep)
{
  g_return_if_fail (ep != NULL);
  if (ep->dead)
    return;
  switch (ep->state)
    {
    case TCP_STATE_LISTEN:
    case TCP_STATE_SYN_SENT:
      /* RFC 9293 3.10.4: delete the TCB, enter CLOSED. */
      tcp__enter_closed (ep, TCP_CLOSE_NORMAL);
      break;
    case TCP_STATE_SYN_RECEIVED:
      /* RFC 9293 3.10.4: "If no SENDs have been issued and there is no
       * pending data to send, then form a FIN segment and send it, and
       * enter FIN-WAIT-1 state; otherwise, queue for processing after
       * entering ESTABLISHED state" (tcp_input.c process_ack). */
      ep->fin_queued = TRUE;
      if (ep->snd_buf.len == 0)
        {
          tcp__set_state (ep, TCP_STATE_FIN_WAIT_1);
          tcp__output (ep);
        }
      break;
    case TCP_STATE_ESTABLISHED:
      /* "Queue this until all preceding SENDs have been segmentized, then
       * form a FIN segment and send it.  In any case, enter FIN-WAIT-1". */
      ep->fin_queued = TRUE;
      tcp__set_state (ep, TCP_STATE_FIN_WAIT_1);
      tcp__output (ep);
      break;
    case TCP_STATE_CLOSE_WAIT:
      ep->fin_queued = TRUE;
      tcp__set_state (ep, TCP_STATE_LAST_ACK);
      tcp__output (ep);
      break;
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
    case TCP_STATE_TIME_WAIT:
    case TCP_STATE_CLOSED:
      /* "error: connection closing" */
      break;
    case TCP_N_STATES:
    default:
      g_assert_not_reached ();
    }
  tcp__notify (ep);
}

void
tcp_abort (TcpEndpoint *ep)
{
  g_return_if_fail (ep != NULL);
  if (ep->dead)
    return;
  /* RFC 9293 3.10.5: in SYN-RECEIVED and the synchronized states other
   * than the closing ones, send a reset. */
  switch (ep->state)
    {
    case TCP_STATE_SYN_RECEIVED:
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_CLOSE_WAIT:
      tcp__send_rst (ep);
      break;
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
    case TCP_STATE_SYN_SENT:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
    case TCP_STATE_TIME_WAIT:
      break;
    case TCP_N_STATES:
    default:
      g_assert_not_reached ();
    }
  tcp__enter_closed (ep, TCP_CLOSE_ABORTED);
  tcp__notify (ep);
}

void
tcp_release (TcpEndpoint *ep)
{
  g_return_if_fail (ep != NULL);
  if (ep->dead)
    return;
  if (ep->state == TCP_STATE_LISTEN)
    {
      /* Half-open children go with their listener; the peer's final ACK
       * will find no connection and draw a RST. */
      for (guint i = ep->stack->endpoints->len; i > 0; i--)
        {
          TcpEndpoint *child = g_ptr_array_index (ep->stack->endpoints,
                                                  i - 1);

          if (child->parent == ep && !child->dead
              && child->state == TCP_STATE_SYN_RECEIVED)
            {
              tcp__trace_event (child, "drop", "listener-closed",
                                child->iss, 0);
              tcp__enter_closed (child, TCP_CLOSE_ABORTED);
              tcp__notify (child);
            }
        }
      tcp_close (ep);
      return;
    }
  /* RFC 1122 4.2.2.13: "If such a host issues a CLOSE call while received
   * data is still pending in TCP ... its TCP SHOULD send a RST". */
  if (tcp_readable_bytes (ep) > 0)
    {
      tcp__trace_event (ep, "abort", "unread-data", ep->snd_nxt, 0);
      tcp_abort (ep);
      return;
    }
  ep->released = TRUE;
  tcp_close (ep);
}

void
tcp_endpoint_set_live_params (TcpEndpoint *ep, const TcpParams *params)
{
  g_return_if_fail (ep != NULL && params != NULL);
  ep->params.nagle = params->nagle;
  ep->params.delack_ns = params->delack_ns;
  ep->params.delack_segs = params->delack_segs;
  ep->params.quickack_segs = params->quickack_segs;
  ep->params.keepalive_idle_ns = params->keepalive_idle_ns;
  ep->params.keepalive_intvl_ns = params->keepalive_intvl_ns;
  ep->params.keepalive_probes = params->keepalive_probes;
  ep->params.max_retries = params->max_retries;
  ep->params.rfc1337 = params->rfc1337;
  if (!ep->dead && ep->params.keepalive_idle_ns == 0)
    tcp__timer_cancel (ep, TCP_TIMER_KEEPALIVE);
  else if (!ep->dead)
    tcp__keepalive_touch (ep);
  if (!ep->dead)
    {
      /* Switching Nagle off releases a held small segment (as
       * TCP_NODELAY does). */
      tcp__output (ep);
      tcp__notify (ep);
    }
}

gboolean
tcp_urgent_pending (const TcpEndpoint *ep, gsize *to_end_bytes)
{
  if (!ep->urgent_seen || !TCP_SEQ_GT (ep->rcv_up, ep->rcv_read_seq))
    return FALSE;
  if (to_end_bytes != NULL)
    *to_end_bytes = (guint32) (ep->rcv_up - ep->rcv_read_seq);
  return TRUE;
}

guint32
tcp_endpoint_mss (const TcpEndpoint *ep)
{
  return tcp__seg_payload_max (ep);
}

void
tcp_endpoint_set_callbacks (TcpEndpoint *ep, const TcpCallbacks *callbacks,
                            void *user)
{
  g_return_if_fail (ep != NULL);
  if (callbacks != NULL)
    ep->callbacks = *callbacks;
  else
    memset (&ep->callbacks, 0, sizeof ep->callbacks);
  ep->user = user;
}

TcpState
tcp_endpoint_state (const TcpEndpoint *ep)
{
  return ep->state;
}

const char *
tcp_endpoint_name (const TcpEndpoint *ep)
{
  return ep->name;
}

Node *
tcp_endpoint_node (const TcpEndpoint *ep)
{
  return ep->stack->node;
}

guint16
tcp_endpoint_local_port (const TcpEndpoint *ep)
{
  return ep->key.lport;
}
