/* inject.c: crafted segments.  The segment description is copied into a
 * small record, owned by the world as a component (so a run that stops
 * first frees it too), and carried by a one-shot scheduler call; at its
 * time the packet is built and handed to the node's IPv4 output. */
#include "models/inject.h"

#include "models/tcp/tcp.h"
#include "models/tcp/tcp_wire.h"

#include <string.h>

typedef struct {
  Network *net;
  Node *from;
  InjectSegment seg;
} PendingInject;

static void
inject_fire (void *data, void *arg)
{
  PendingInject *pi = data;
  InjectSegment *s = &pi->seg;
  TcpSeg seg = { 0 };
  Ipv4Header ip = { 0 };
  Packet *pkt;
  guint opt_bytes;
  guint tcp_bytes;
  Ipv4Addr src = s->src ? s->src : node_addr (pi->from);

  (void) arg;
  seg.sport = s->sport;
  seg.dport = s->dport;
  seg.seq = s->seq;
  seg.ack = (s->flags & TCP_ACK) ? s->ack : 0;
  seg.flags = s->flags;
  seg.win = s->win;
  seg.len_bytes = s->len_bytes;
  if (s->mss_option)
    {
      seg.opts.has_mss = TRUE;
      seg.opts.mss_bytes = 1460;
    }
  opt_bytes = tcp_wire_options_bytes (&seg.opts);
  pkt = packet_new (network_pool (pi->net), IPV4_HEADER_BYTES
                    + TCP_HEADER_BYTES + opt_bytes + s->len_bytes);
  memset (packet_bytes (pkt) + IPV4_HEADER_BYTES + TCP_HEADER_BYTES
          + opt_bytes, 0, s->len_bytes);
  tcp_bytes = tcp_wire_write (packet_bytes (pkt) + IPV4_HEADER_BYTES, &seg,
                              src, s->dst);
  ip.src = src;
  ip.dst = s->dst;
  ip.proto = IPV4_PROTO_TCP;
  ip.ttl = IPV4_DEFAULT_TTL;
  ip.total_len_bytes = (guint16) (IPV4_HEADER_BYTES + tcp_bytes
                                  + s->len_bytes);
  ipv4_header_write (packet_bytes (pkt), &ip);
  node_ip_output (pi->from, pkt);
}

static const SimComponentOps inject_ops = { "inject", NULL, NULL, g_free };

void
network_inject_segment (Network *net, Node *from, const InjectSegment *seg,
                        SimTime at_ns)
{
  PendingInject *pi = g_new0 (PendingInject, 1);

  g_return_if_fail (seg->len_bytes <= 1400);
  pi->net = net;
  pi->from = from;
  pi->seg = *seg;
  sim_world_add_component (network_world (net), &inject_ops, pi);
  sim_scheduler_call_at (network_scheduler (net), at_ns, inject_fire, pi,
                         NULL);
}
