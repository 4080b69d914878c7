/* tcp_stack.c: a host's TCP: the demultiplexer from 4-tuple to endpoint
 * (a hash table, never a list walk), listeners by port, ephemeral ports,
 * the active and passive OPEN calls, resets for segments that match no
 * connection, and the end-of-run report.
 *
 * Closed endpoints are buried in a graveyard and freed by a one-shot
 * event at the same instant, after whatever callback chain closed them
 * has unwound.
 */
#include "models/tcp/tcp_private.h"

#include <string.h>

#define EPHEMERAL_FIRST 49152u

G_DEFINE_QUARK (tcp-error-quark, tcp_error)

static guint
flow_hash (gconstpointer p)
{
  const TcpFlowKey *k = p;
  guint64 h = ((guint64) k->laddr << 32) ^ k->raddr;

  h ^= ((guint64) k->lport << 48) ^ ((guint64) k->rport << 16);
  h *= G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  return (guint) (h >> 32);
}

static gboolean
flow_equal (gconstpointer a, gconstpointer b)
{
  const TcpFlowKey *x = a;
  const TcpFlowKey *y = b;

  return x->laddr == y->laddr && x->raddr == y->raddr
         && x->lport == y->lport && x->rport == y->rport;
}

TcpStack *
tcp_stack_new (Node *node, const TcpParams *defaults)
{
  TcpStack *stack = g_new0 (TcpStack, 1);
  Network *net = node_network (node);
  g_autofree char *stream = g_strdup_printf ("host/%s/tcp/isn",
                                             node_name (node));

  stack->node = node;
  stack->net = net;
  stack->sched = network_scheduler (net);
  stack->trace = network_trace (net);
  stack->defaults = *defaults;
  stack->conns = g_hash_table_new (flow_hash, flow_equal);
  stack->listeners = g_hash_table_new (NULL, NULL);
  stack->endpoints = g_ptr_array_new ();
  stack->stats = g_ptr_array_new_with_free_func (g_free);
  stack->graveyard = g_ptr_array_new ();
  stack->next_ephemeral_port = EPHEMERAL_FIRST;
  stack->isn_secret = sim_rng_next_u64 (sim_world_rng (network_world (net),
                                                       stream));
  return stack;
}

static void
reap (void *data, void *arg)
{
  TcpStack *stack = data;

  (void) arg;
  stack->reap_scheduled = FALSE;
  for (guint i = 0; i < stack->graveyard->len; i++)
    {
      TcpEndpoint *ep = g_ptr_array_index (stack->graveyard, i);

      tcp__stack_untrack (stack, ep);
      tcp__endpoint_free (ep);
    }
  g_ptr_array_set_size (stack->graveyard, 0);
}

void
tcp_stack_free (TcpStack *stack)
{
  if (stack == NULL)
    return;
  /* Endpoints still in the graveyard are also in endpoints[]. */
  g_ptr_array_set_size (stack->graveyard, 0);
  for (guint i = 0; i < stack->endpoints->len; i++)
    tcp__endpoint_free (g_ptr_array_index (stack->endpoints, i));
  g_ptr_array_unref (stack->endpoints);
  g_ptr_array_unref (stack->graveyard);
  g_ptr_array_unref (stack->stats);
  g_hash_table_unref (stack->conns);
  g_hash_table_unref (stack->listeners);
  g_free (stack);
}

void
tcp__stack_track (TcpStack *stack, TcpEndpoint *ep)
{
  ep->stack_index = stack->endpoints->len;
  g_ptr_array_add (stack->endpoints, ep);
}

void
tcp__stack_untrack (TcpStack *stack, TcpEndpoint *ep)
{
  guint last = stack->endpoints->len - 1;
  TcpEndpoint *moved = g_ptr_array_index (stack->endpoints, last);

  /* Swap-remove by the stored index: O(1) where a search would make
   * thousands of short connections quadratic. */
  g_assert (g_ptr_array_index (stack->endpoints, ep->stack_index) == ep);
  stack->endpoints->pdata[ep->stack_index] = moved;
  moved->stack_index = ep->stack_index;
  g_ptr_array_set_size (stack->endpoints, last);
}

void
tcp__stack_insert (TcpStack *stack, TcpEndpoint *ep)
{
  if (ep->state == TCP_STATE_LISTEN)
    g_hash_table_insert (stack->listeners, GUINT_TO_POINTER (ep->key.lport),
                         ep);
  else
    g_hash_table_insert (stack->conns, &ep->key, ep);
  ep->in_table = TRUE;
}

void
tcp__stack_remove (TcpStack *stack, TcpEndpoint *ep)
{
  if (!ep->in_table)
    return;
  if (g_hash_table_lookup (stack->listeners,
                           GUINT_TO_POINTER (ep->key.lport)) == ep)
    g_hash_table_remove (stack->listeners, GUINT_TO_POINTER (ep->key.lport));
  else
    g_hash_table_remove (stack->conns, &ep->key);
  ep->in_table = FALSE;
}

void
tcp__stack_bury (TcpStack *stack, TcpEndpoint *ep)
{
  g_ptr_array_add (stack->graveyard, ep);
  if (!stack->reap_scheduled)
    {
      stack->reap_scheduled = TRUE;
      sim_scheduler_call_at (stack->sched, sim_scheduler_now (stack->sched),
                             reap, stack, NULL);
    }
}

static void
init_rings (TcpEndpoint *ep)
{
  tcp__ring_init (&ep->snd_buf, ep->params.snd_buf_bytes);
  tcp__ring_init (&ep->rcv_buf, ep->params.rcv_buf_bytes);
}

static guint8
choose_wscale (guint64 rcv_buf_bytes)
{
  guint8 shift = 0;

  /* RFC 7323 2.3: the smallest shift that lets the buffer be offered;
   * at most 14. */
  while (shift < 14 && (rcv_buf_bytes >> shift) > 65535)
    shift++;
  return shift;
}

static guint32
initial_isn (TcpEndpoint *ep)
{
  if (ep->params.isn_mode == TCP_ISN_FIXED)
    return (guint32) ep->params.isn;
  return tcp__choose_isn (ep->stack, &ep->key);
}

TcpEndpoint *
tcp_connect (TcpStack *stack, Ipv4Addr remote_addr, guint16 remote_port,
             guint16 local_port, const TcpParams *params,
             const TcpCallbacks *callbacks, void *user, GError **error)
{
  TcpEndpoint *ep;
  TcpFlowKey key = { node_addr (stack->node), remote_addr, local_port,
                     remote_port };

  g_return_val_if_fail (remote_port != 0, NULL);
  if (local_port == 0)
    {
      /* Walk the ephemeral range once, skipping ports in use towards the
       * same peer. */
      guint tries = 65536 - EPHEMERAL_FIRST;

      do
        {
          key.lport = stack->next_ephemeral_port;
          stack->next_ephemeral_port =
            stack->next_ephemeral_port == 65535
              ? (guint16) EPHEMERAL_FIRST
              : (guint16) (stack->next_ephemeral_port + 1);
        }
      while (g_hash_table_contains (stack->conns, &key) && --tries > 0);
    }
  if (g_hash_table_contains (stack->conns, &key))
    {
      g_set_error (error, TCP_ERROR, 1,
                   "%s: local port %u towards that peer is in use",
                   node_name (stack->node), key.lport);
      return NULL;
    }
  ep = tcp__endpoint_new (stack, params, callbacks, user);
  ep->key = key;
  ep->stats->active_open = TRUE;
  init_rings (ep);
  ep->rcv_wscale = ep->params.wscale ? choose_wscale (ep->rcv_buf.cap) : 0;
  tcp__init_sequence (ep, initial_isn (ep));
  tcp__set_name (ep);
  tcp__set_state (ep, TCP_STATE_SYN_SENT);
  tcp__stack_insert (stack, ep);
  ep->cc.mss_bytes = (guint32) ep->params.mss_bytes;
  tcp__output (ep);
  return ep;
}

TcpEndpoint *
tcp_listen (TcpStack *stack, guint16 local_port, const TcpParams *params,
            const TcpCallbacks *callbacks, void *user, GError **error)
{
  TcpEndpoint *ep;

  if (local_port == 0
      || g_hash_table_contains (stack->listeners,
                                GUINT_TO_POINTER (local_port)))
    {
      g_set_error (error, TCP_ERROR, 2, "%s: cannot listen on port %u%s",
                   node_name (stack->node), local_port,
                   local_port ? ": already listening" : "");
      return NULL;
    }
  ep = tcp__endpoint_new (stack, params, callbacks, user);
  ep->key.laddr = node_addr (stack->node);
  ep->key.lport = local_port;
  ep->state = TCP_STATE_LISTEN;         /* named as a listener ... */
  tcp__set_name (ep);
  ep->state = TCP_STATE_CLOSED;
  tcp__set_state (ep, TCP_STATE_LISTEN);        /* ... then traced */
  tcp__stack_insert (stack, ep);
  return ep;
}

TcpEndpoint *
tcp__spawn_child (TcpEndpoint *listener, const Ipv4Header *ip,
                  const TcpSeg *seg)
{
  TcpEndpoint *ep = tcp__endpoint_new (listener->stack, &listener->params,
                                       &listener->callbacks, listener->user);

  ep->parent = listener;
  ep->key.laddr = ip->dst;
  ep->key.raddr = ip->src;
  ep->key.lport = seg->dport;
  ep->key.rport = seg->sport;
  init_rings (ep);
  ep->rcv_wscale = ep->params.wscale ? choose_wscale (ep->rcv_buf.cap) : 0;
  tcp__init_sequence (ep, initial_isn (ep));
  tcp__set_name (ep);
  ep->cc.mss_bytes = (guint32) ep->params.mss_bytes;
  return ep;
}

void
tcp__ip_header_write (TcpStack *stack, Packet *pkt, Ipv4Addr src,
                      Ipv4Addr dst, guint tcp_len_bytes)
{
  Ipv4Header hdr = { 0 };

  hdr.src = src;
  hdr.dst = dst;
  hdr.proto = IPV4_PROTO_TCP;
  hdr.ttl = IPV4_DEFAULT_TTL;
  hdr.id = stack->ip_id++;
  hdr.dont_fragment = TRUE;
  hdr.total_len_bytes = (guint16) (IPV4_HEADER_BYTES + tcp_len_bytes);
  ipv4_header_write (packet_bytes (pkt), &hdr);
}

/* A tcp.event of the stack itself, about no connection. */
static void
trace_stack_event (TcpStack *stack, const char *what, const char *reason)
{
  if (sim_trace_on (stack->trace))
    {
      TcpTraceEvent e = { NULL, node_name (stack->node), what, reason, 0,
                          0 };

      sim_trace_emit (stack->trace, sim_scheduler_now (stack->sched),
                      &tcp_trace_event, &e);
    }
}

void
tcp__send_reset_for (TcpStack *stack, const Ipv4Header *ip,
                     const TcpSeg *seg)
{
  TcpSeg rst = { 0 };
  Packet *pkt;
  guint tcp_bytes;

  /* RFC 9293 3.10.7.1: "If the incoming segment has the ACK bit set, the
   * reset takes its sequence number from the ACK field of the segment,
   * otherwise the reset has sequence number zero and the ACK field is set
   * to the sum of the sequence number and segment length". */
  if (seg->flags & TCP_RST)
    return;
  rst.sport = seg->dport;
  rst.dport = seg->sport;
  if (seg->flags & TCP_ACK)
    {
      rst.seq = seg->ack;
      rst.flags = TCP_RST;
    }
  else
    {
      rst.seq = 0;
      rst.ack = seg->seq + tcp_seg_seq_len (seg);
      rst.flags = TCP_RST | TCP_ACK;
    }
  pkt = packet_new (network_pool (stack->net),
                    IPV4_HEADER_BYTES + TCP_HEADER_BYTES);
  tcp_bytes = tcp_wire_write (packet_bytes (pkt) + IPV4_HEADER_BYTES, &rst,
                              ip->dst, ip->src);
  tcp__ip_header_write (stack, pkt, ip->dst, ip->src, tcp_bytes);
  trace_stack_event (stack, "rst-sent", "no-connection");
  node_ip_output (stack->node, pkt);
}

void
tcp__stack_input (void *data, Node *node, const Ipv4Header *ip,
                  guint ip_hdr_bytes, Packet *pkt)
{
  TcpStack *stack = data;
  TcpSeg seg;
  TcpWireResult r;
  TcpFlowKey key;
  TcpEndpoint *ep;
  const guint8 *p = packet_cbytes (pkt) + ip_hdr_bytes;
  gsize len = ip->total_len_bytes - ip_hdr_bytes;

  (void) node;
  /* The sum of a segment nobody changed since its TCP computed it would
   * verify by construction: summing it again costs a pass over every byte
   * and can tell nothing. */
  r = tcp_wire_parse (p, len, ip->src, ip->dst, !pkt->tcp_csum_good, &seg);
  key.laddr = ip->dst;
  key.raddr = ip->src;
  if (r != TCP_WIRE_OK)
    {
      /* A damaged segment is dropped and counted, never answered: its
       * header cannot be trusted (RFC 9293 3.1, checksum). */
      stack->drops_bad_segment++;
      if (len >= 4)
        {
          key.lport = (guint16) ((p[2] << 8) | p[3]);
          key.rport = (guint16) ((p[0] << 8) | p[1]);
          ep = g_hash_table_lookup (stack->conns, &key);
          if (ep != NULL)
            {
              ep->stats->drops_checksum++;
              tcp__trace_event (ep, "drop", tcp_wire_result_name (r), 0, 0);
              packet_free (network_pool (stack->net), pkt);
              return;
            }
        }
      trace_stack_event (stack, "drop", tcp_wire_result_name (r));
      packet_free (network_pool (stack->net), pkt);
      return;
    }
  key.lport = seg.dport;
  key.rport = seg.sport;
  ep = g_hash_table_lookup (stack->conns, &key);
  if (ep != NULL)
    {
      tcp__input (ep, &seg);
      tcp__notify (ep);
    }
  else
    {
      TcpEndpoint *listener =
        g_hash_table_lookup (stack->listeners, GUINT_TO_POINTER (seg.dport));

      if (listener != NULL)
        tcp__listen_input (listener, ip, &seg);
      else
        {
          /* RFC 9293 3.10.7.1, CLOSED: "all data in the incoming segment
           * is discarded ... An incoming segment not containing a RST
           * causes a RST to be sent in response." */
          stack->drops_no_listener++;
          trace_stack_event (stack, "drop", "no-connection");
          tcp__send_reset_for (stack, ip, &seg);
        }
    }
  packet_free (network_pool (stack->net), pkt);
}

void
tcp_stack_report (TcpStack *stack)
{
  if (!sim_trace_on (stack->trace))
    return;
  for (guint i = 0; i < stack->stats->len; i++)
    {
      TcpConnStats *s = g_ptr_array_index (stack->stats, i);

      /* Listeners are not connections: only they are named without a
       * peer ("addr:port", tcp__set_name()). */
      if (strchr (s->name, '>') == NULL)
        continue;
      sim_trace_emit (stack->trace, sim_scheduler_now (stack->sched),
                      &tcp_trace_conn, s);
    }
}
