/* net_test.c: see net_test.h. */
#include "tests/net/net_test.h"

#include "models/tcp/tcp_wire.h"

#include <string.h>

typedef struct {
  NetTest *t;
  Node *from;
  Link *link;
  LinkDir dir;
  Ipv4Addr dst;
  guint32 len_bytes;
  guint8 ttl;
} SendReq;

static void
decode (NetTest *t, const Packet *pkt, NetRec *r)
{
  const guint8 *p = packet_cbytes (pkt);
  Ipv4Header ip;
  guint ihl;
  TcpSeg seg;

  r->uid = pkt->uid;
  r->len_bytes = pkt->len_bytes;
  if (ipv4_header_parse (p, pkt->len_bytes, &ip, &ihl) != IPV4_PARSE_OK
      || ip.proto != IPV4_PROTO_TCP
      || tcp_wire_parse (p + ihl, ip.total_len_bytes - ihl, ip.src, ip.dst,
                         FALSE, &seg) != TCP_WIRE_OK)
    return;
  r->tcp = TRUE;
  r->rel_seq = network_flow_relative (t->net, ip.src, seg.sport, ip.dst,
                                      seg.dport, seg.seq);
  r->payload_bytes = seg.len_bytes;
}

static void
on_record (const SimTraceRecord *rec, void *data)
{
  NetTest *t = data;
  NetRec r = { 0 };

  r.at_ns = rec->at_ns;
  if (rec->kind == &link_trace_tx || rec->kind == &link_trace_rx
      || rec->kind == &link_trace_drop || rec->kind == &link_trace_corrupt
      || rec->kind == &link_trace_dup)
    {
      const LinkTraceEvent *e = rec->body;

      r.kind = rec->kind == &link_trace_tx ? NET_REC_TX
               : rec->kind == &link_trace_rx ? NET_REC_RX
               : rec->kind == &link_trace_drop ? NET_REC_DROP
               : rec->kind == &link_trace_corrupt ? NET_REC_CORRUPT
               : NET_REC_DUP;
      r.link = e->link;
      r.dir = e->dir;
      decode (t, e->pkt, &r);
      r.orig_uid = e->orig_uid;
      if (e->reason != NULL)
        g_strlcpy (r.reason, e->reason, sizeof r.reason);
      r.arrive_ns = e->arrive_at_ns;
      r.queue_pkts = e->queue_pkts;
      r.queue_bytes = e->queue_bytes;
      r.n_flips = e->n_flips;
      r.first_flip = e->n_flips > 0 ? e->flip_bits[0] : 0;
    }
  else if (rec->kind == &link_trace_change)
    {
      const LinkTraceEvent *e = rec->body;

      r.kind = NET_REC_CHANGE;
      r.link = e->link;
      r.dir = e->dir;
      g_strlcpy (r.reason, e->reason, sizeof r.reason);
    }
  else if (rec->kind == &node_trace_drop)
    {
      const NodeTraceEvent *e = rec->body;

      r.kind = NET_REC_NODE_DROP;
      r.node = e->node;
      decode (t, e->pkt, &r);
      g_strlcpy (r.reason, e->reason, sizeof r.reason);
    }
  else if (rec->kind == &tcp_trace_event)
    {
      const TcpTraceEvent *e = rec->body;

      if (strcmp (e->what, "drop") != 0)
        return;
      r.kind = NET_REC_TCP_DROP;
      g_strlcpy (r.host, e->host, sizeof r.host);
      g_strlcpy (r.reason, e->reason ? e->reason : "", sizeof r.reason);
    }
  else if (rec->kind == &tcp_trace_conn)
    {
      g_ptr_array_add (t->conns, g_memdup2 (rec->body, sizeof (TcpConnStats)));
      return;
    }
  else
    return;
  g_array_append_val (t->recs, r);
}

NetTest *
net_test_new_untraced (guint64 seed)
{
  NetTest *t = g_new0 (NetTest, 1);

  t->world = sim_world_new (seed);
  t->net = network_new (t->world);
  t->recs = g_array_new (FALSE, TRUE, sizeof (NetRec));
  t->conns = g_ptr_array_new_with_free_func (g_free);
  t->pending = g_ptr_array_new_with_free_func (g_free);
  return t;
}

NetTest *
net_test_new (guint64 seed)
{
  NetTest *t = net_test_new_untraced (seed);

  sim_trace_subscribe (sim_world_trace (t->world), on_record, t);
  t->fingerprint = sim_fingerprint_new (sim_world_trace (t->world));
  return t;
}

void
net_test_free (NetTest *t)
{
  sim_world_free (t->world);
  if (t->fingerprint != NULL)
    sim_fingerprint_free (t->fingerprint);
  g_array_unref (t->recs);
  g_ptr_array_unref (t->conns);
  g_ptr_array_unref (t->pending);
  g_free (t);
}

guint64
net_test_run (NetTest *t, SimTime end_ns)
{
  return sim_world_run (t->world, end_ns);
}

Packet *
net_test_packet (NetTest *t, Ipv4Addr src, Ipv4Addr dst, guint32 len_bytes,
                 guint8 ttl)
{
  Packet *pkt;
  Ipv4Header ip = { 0 };

  g_assert_cmpuint (len_bytes, >=, IPV4_HEADER_BYTES);
  pkt = packet_new (network_pool (t->net), len_bytes);
  memset (packet_bytes (pkt), 0, len_bytes);
  ip.src = src;
  ip.dst = dst;
  ip.proto = NET_TEST_PROTO;
  ip.ttl = ttl ? ttl : IPV4_DEFAULT_TTL;
  ip.id = t->next_ip_id++;
  ip.dont_fragment = TRUE;
  ip.total_len_bytes = (guint16) len_bytes;
  ipv4_header_write (packet_bytes (pkt), &ip);
  return pkt;
}

static void
fire_send (void *data, void *arg)
{
  SendReq *req = data;
  Node *from = req->link ? link_node (req->link, req->dir) : req->from;
  Packet *pkt = net_test_packet (req->t, node_addr (from), req->dst,
                                 req->len_bytes, req->ttl);

  (void) arg;
  if (req->link != NULL)
    link_send (req->link, req->dir, pkt);
  else
    node_ip_output (req->from, pkt);
}

static void
schedule (NetTest *t, SimTime at_ns, SendReq *req)
{
  req->t = t;
  g_ptr_array_add (t->pending, req);
  sim_scheduler_call_at (sim_world_scheduler (t->world), at_ns, fire_send,
                         req, NULL);
}

void
net_test_send_at (NetTest *t, SimTime at_ns, Node *from, Ipv4Addr dst,
                  guint32 len_bytes, guint8 ttl)
{
  SendReq *req = g_new0 (SendReq, 1);

  req->from = from;
  req->dst = dst;
  req->len_bytes = len_bytes;
  req->ttl = ttl;
  schedule (t, at_ns, req);
}

void
net_test_link_send_at (NetTest *t, SimTime at_ns, Link *link, LinkDir dir,
                       guint32 len_bytes)
{
  SendReq *req = g_new0 (SendReq, 1);
  LinkDir back = dir == LINK_DIR_AB ? LINK_DIR_BA : LINK_DIR_AB;

  req->link = link;
  req->dir = dir;
  req->dst = node_addr (link_node (link, back));
  req->len_bytes = len_bytes;
  schedule (t, at_ns, req);
}

guint
net_test_count (const NetTest *t, NetRecKind kind, const char *reason)
{
  guint n = 0;

  for (guint i = 0; i < t->recs->len; i++)
    {
      const NetRec *r = &g_array_index (t->recs, NetRec, i);

      if (r->kind == kind
          && (reason == NULL || strcmp (r->reason, reason) == 0))
        n++;
    }
  return n;
}

GPtrArray *
net_test_select (const NetTest *t, NetRecKind kind, const Link *link,
                 LinkDir dir)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < t->recs->len; i++)
    {
      NetRec *r = &g_array_index (t->recs, NetRec, i);

      if (r->kind == kind
          && (link == NULL || (r->link == link && r->dir == dir)))
        g_ptr_array_add (out, r);
    }
  return out;
}

const TcpConnStats *
net_test_conn (const NetTest *t, const char *host)
{
  for (guint i = 0; i < t->conns->len; i++)
    {
      const TcpConnStats *s = g_ptr_array_index (t->conns, i);

      if (g_strcmp0 (s->host, host) == 0)
        return s;
    }
  g_error ("no connection on host %s", host);
  return NULL;
}

Link *
net_test_pair (NetTest *t, const LinkDirParams *ab, const LinkDirParams *ba,
               const TcpParams *tcp)
{
  Node *a = host_new (t->net, "a", 0x0a000001u, tcp);
  Node *b = host_new (t->net, "b", 0x0a000002u, tcp);

  return link_new (t->net, "ab", a, b, ab, ba ? ba : ab);
}
