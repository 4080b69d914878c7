/* seqdiag_collect.c: trace records -> SeqDiag for the first connection.
 *
 * seqdiag_collector_record() dispatches on the record kind:
 *   link.tx   -> identify the connection on its first SYN, then add each
 *                segment that leaves one of its two ends;
 *   link.rx   -> a segment reaching the other end has arrived;
 *   link.drop, node.drop -> a segment is lost, with the reason;
 *   tcp.state -> a state change of one end.
 * The segment's fields are decoded from its wire bytes; relative sequence
 * numbers come from the network's ISN table, as in trace.jsonl.
 *
 * The client changes to SYN_SENT before its SYN enters a link, and the
 * server's listener starts before that, so state records that come before
 * the connection is known wait in a pending list.
 */
#include "plots/seqdiag_collect.h"

#include <string.h>

#include "models/link.h"
#include "models/node.h"
#include "models/tcp/tcp.h"
#include "plots/segment.h"

/* State records kept while no connection is known: only those before the
 * first SYN, normally a few listeners. */
#define MAX_PENDING_STATES 1024u

typedef struct {
  SimTime at_ns;
  char *conn;
  char *host;
  const char *from;             /* static state names */
  const char *to;
} PendingState;

struct SeqDiagCollector {
  Network *net;
  SeqDiag *diag;
  GArray *pending;              /* PendingState, until identified */

  gboolean identified;
  Node *nodes[SEQDIAG_N_SIDES];   /* (nullable) when not in the network */
  Ipv4Addr addrs[SEQDIAG_N_SIDES];
  guint16 ports[SEQDIAG_N_SIDES];
  char *conns[SEQDIAG_N_SIDES];   /* each end's tcp_endpoint_name() */
  gboolean closed[SEQDIAG_N_SIDES];
  /* Both ends CLOSED: a later segment with the same ports belongs to a
   * new incarnation of the connection, which is not drawn. */
  gboolean finished;
};

static void
pending_state_clear (gpointer p)
{
  PendingState *ps = p;

  g_free (ps->conn);
  g_free (ps->host);
}

SeqDiagCollector *
seqdiag_collector_new (Network *net)
{
  SeqDiagCollector *c;

  g_return_val_if_fail (net != NULL, NULL);

  c = g_new0 (SeqDiagCollector, 1);
  c->net = net;
  c->diag = seqdiag_new ();
  c->pending = g_array_new (FALSE, TRUE, sizeof (PendingState));
  g_array_set_clear_func (c->pending, pending_state_clear);
  return c;
}

void
seqdiag_collector_free (SeqDiagCollector *c)
{
  if (c == NULL)
    return;
  seqdiag_free (c->diag);
  g_clear_pointer (&c->pending, g_array_unref);
  for (guint side = 0; side < SEQDIAG_N_SIDES; side++)
    g_free (c->conns[side]);
  g_free (c);
}

const SeqDiag *
seqdiag_collector_model (const SeqDiagCollector *c)
{
  g_return_val_if_fail (c != NULL, NULL);
  return c->diag;
}

static char *
conn_name (Ipv4Addr local, guint16 local_port, Ipv4Addr remote,
           guint16 remote_port)
{
  char l[IPV4_ADDR_STR_BYTES];
  char r[IPV4_ADDR_STR_BYTES];

  ipv4_addr_format (local, l);
  ipv4_addr_format (remote, r);
  return g_strdup_printf ("%s:%u>%s:%u", l, local_port, r, remote_port);
}

/* Whether @conn names local port @port: a listener is named "addr:port",
 * a connection "addr:port>addr:port". */
static gboolean
conn_has_local_port (const char *conn, guint16 port)
{
  const char *local_end;
  const char *colon;
  guint64 value;
  char *end;

  if (conn == NULL)
    return FALSE;
  local_end = strchr (conn, '>');
  if (local_end == NULL)
    local_end = conn + strlen (conn);
  colon = g_strrstr_len (conn, local_end - conn, ":");
  if (colon == NULL)
    return FALSE;
  value = g_ascii_strtoull (colon + 1, &end, 10);
  return end == local_end && end != colon + 1 && value == port;
}

static int
side_of_conn (const SeqDiagCollector *c, const char *conn)
{
  if (conn == NULL)
    return -1;
  for (int side = 0; side < SEQDIAG_N_SIDES; side++)
    if (strcmp (conn, c->conns[side]) == 0)
      return side;
  return -1;
}

static void
add_state (SeqDiagCollector *c, SimTime at_ns, SeqDiagSide side,
           const char *from, const char *to)
{
  seqdiag_add_state (c->diag, at_ns, side, from, to);
  if (strcmp (to, tcp_state_name (TCP_STATE_CLOSED)) == 0)
    c->closed[side] = TRUE;
  if (c->closed[SEQDIAG_CLIENT] && c->closed[SEQDIAG_SERVER])
    c->finished = TRUE;
}

static void
identify (SeqDiagCollector *c, const LinkTraceEvent *ev,
          const PlotsSegment *seg)
{
  const char *listen = tcp_state_name (TCP_STATE_LISTEN);
  gboolean listener_seen = FALSE;

  c->identified = TRUE;
  c->addrs[SEQDIAG_CLIENT] = seg->src;
  c->ports[SEQDIAG_CLIENT] = seg->sport;
  c->addrs[SEQDIAG_SERVER] = seg->dst;
  c->ports[SEQDIAG_SERVER] = seg->dport;
  c->nodes[SEQDIAG_CLIENT] = link_node (ev->link, ev->dir);
  c->nodes[SEQDIAG_SERVER] = network_find_node_by_addr (c->net, seg->dst);
  c->conns[SEQDIAG_CLIENT] = conn_name (seg->src, seg->sport, seg->dst,
                                        seg->dport);
  c->conns[SEQDIAG_SERVER] = conn_name (seg->dst, seg->dport, seg->src,
                                        seg->sport);
  for (guint side = 0; side < SEQDIAG_N_SIDES; side++)
    {
      char addr[IPV4_ADDR_STR_BYTES];

      ipv4_addr_format (c->addrs[side], addr);
      seqdiag_set_end (c->diag, side,
                       c->nodes[side] != NULL ? node_name (c->nodes[side])
                                              : addr,
                       c->addrs[side], c->ports[side]);
    }

  for (guint i = 0; i < c->pending->len; i++)
    {
      const PendingState *ps = &g_array_index (c->pending, PendingState, i);
      int side = side_of_conn (c, ps->conn);

      if (side >= 0)
        add_state (c, ps->at_ns, (SeqDiagSide) side, ps->from, ps->to);
      else if (c->nodes[SEQDIAG_SERVER] != NULL && ps->host != NULL
               && strcmp (ps->host, node_name (c->nodes[SEQDIAG_SERVER])) == 0
               && strcmp (ps->to, listen) == 0
               && conn_has_local_port (ps->conn, c->ports[SEQDIAG_SERVER]))
        listener_seen = TRUE;
    }
  g_clear_pointer (&c->pending, g_array_unref);

  /* The server end is drawn as the textbook does: a listener that becomes
   * the connection, whatever state the model gives its new child. */
  if (listener_seen)
    seqdiag_set_initial_state (c->diag, SEQDIAG_SERVER, listen);
}

static int
side_of_segment (const SeqDiagCollector *c, const PlotsSegment *seg)
{
  for (int side = 0; side < SEQDIAG_N_SIDES; side++)
    {
      int peer = 1 - side;

      if (seg->src == c->addrs[side] && seg->sport == c->ports[side]
          && seg->dst == c->addrs[peer] && seg->dport == c->ports[peer])
        return side;
    }
  return -1;
}

static LinkDir
reverse_dir (LinkDir dir)
{
  return dir == LINK_DIR_AB ? LINK_DIR_BA : LINK_DIR_AB;
}

/* Adds the segment of @ev when it is one of the connection's and leaves
 * one of its ends (not a router forwarding it).  Returns whether added. */
static gboolean
add_segment (SeqDiagCollector *c, SimTime at_ns, const LinkTraceEvent *ev)
{
  const Packet *pkt = ev->pkt;
  PlotsSegment seg;
  SeqDiagSegment s = { 0 };
  int side;

  if (c->finished || seqdiag_segment_in_flight (c->diag, pkt->uid))
    return FALSE;
  if (!plots_segment_decode (packet_cbytes (pkt), pkt->len_bytes, &seg))
    return FALSE;
  if (!c->identified)
    {
      if ((seg.flags & (TCP_SYN | TCP_ACK)) != TCP_SYN)
        return FALSE;
      identify (c, ev, &seg);
    }
  side = side_of_segment (c, &seg);
  if (side < 0)
    return FALSE;
  if (c->nodes[side] != NULL && link_node (ev->link, ev->dir) != c->nodes[side])
    return FALSE;

  s.from = (SeqDiagSide) side;
  s.uid = pkt->uid;
  s.flags = seg.flags;
  s.rel_seq = network_flow_relative (c->net, seg.src, seg.sport, seg.dst,
                                     seg.dport, seg.seq);
  /* As trace.jsonl: an acknowledgement number means nothing without
   * ACK. */
  s.rel_ack = (seg.flags & TCP_ACK)
                ? network_flow_relative (c->net, seg.dst, seg.dport, seg.src,
                                         seg.sport, seg.ack)
                : 0;
  s.len_bytes = seg.payload_bytes;
  s.win = seg.win;
  s.mss_bytes = seg.mss_bytes;
  s.wscale = seg.wscale;
  s.sack_perm = seg.sack_perm;
  s.timestamps = seg.timestamps;
  seqdiag_add_segment (c->diag, at_ns, &s);
  return TRUE;
}

static void
on_link_rx (SeqDiagCollector *c, SimTime at_ns, const LinkTraceEvent *ev)
{
  Node *to;

  if (!c->identified || !seqdiag_segment_in_flight (c->diag, ev->pkt->uid))
    return;
  /* Reaching a router is not arriving; reaching either end is. */
  to = link_node (ev->link, reverse_dir (ev->dir));
  if (c->nodes[SEQDIAG_SERVER] != NULL && to != c->nodes[SEQDIAG_CLIENT]
      && to != c->nodes[SEQDIAG_SERVER])
    return;
  seqdiag_segment_arrived (c->diag, ev->pkt->uid, at_ns);
}

static void
on_link_drop (SeqDiagCollector *c, SimTime at_ns, const LinkTraceEvent *ev)
{
  /* A drop-tail overflow is traced without a link.tx: the segment was
   * sent and lost at the same instant. */
  if (!seqdiag_segment_in_flight (c->diag, ev->pkt->uid)
      && !add_segment (c, at_ns, ev))
    return;
  seqdiag_segment_dropped (c->diag, ev->pkt->uid, at_ns, ev->reason);
}

static void
on_state (SeqDiagCollector *c, SimTime at_ns, const TcpTraceState *st)
{
  const char *from = tcp_state_name (st->from);
  const char *to = tcp_state_name (st->to);
  int side;

  if (!c->identified)
    {
      PendingState ps = {
        at_ns, g_strdup (st->conn), g_strdup (st->host), from, to,
      };

      if (c->pending->len < MAX_PENDING_STATES)
        g_array_append_val (c->pending, ps);
      else
        pending_state_clear (&ps);
      return;
    }
  if (c->finished)
    return;
  side = side_of_conn (c, st->conn);
  if (side >= 0)
    add_state (c, at_ns, (SeqDiagSide) side, from, to);
}

void
seqdiag_collector_record (const SimTraceRecord *rec, void *data)
{
  SeqDiagCollector *c = data;

  if (rec->kind == &link_trace_tx)
    add_segment (c, rec->at_ns, rec->body);
  else if (rec->kind == &link_trace_rx)
    on_link_rx (c, rec->at_ns, rec->body);
  else if (rec->kind == &link_trace_drop)
    on_link_drop (c, rec->at_ns, rec->body);
  else if (rec->kind == &node_trace_drop)
    {
      const NodeTraceEvent *ev = rec->body;

      if (c->identified)
        seqdiag_segment_dropped (c->diag, ev->pkt->uid, rec->at_ns,
                                 ev->reason);
    }
  else if (rec->kind == &tcp_trace_state)
    on_state (c, rec->at_ns, rec->body);
}
