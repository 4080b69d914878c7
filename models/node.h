/* node.h: a node is a set of interfaces and a protocol demultiplexer.
 * Hosts (host.h) attach a TCP stack; routers (router.h) forward.
 *
 * Call order on receive: link -> node_receive() -> parse and verify IPv4
 * -> local delivery to the protocol handler, or forwarding
 * (router__forward(): TTL, then node_ip_output()).
 * On send: protocol -> node_ip_output() -> route lookup -> link_send().
 *
 * Every interface has an address (a router's interfaces each their own;
 * a host may have several); a packet addressed to any of them is local.
 * Routes are static (node_add_route()) or computed (routing.h); a static
 * route always wins over a computed one.
 */
#pragma once

#include "models/network.h"

G_BEGIN_DECLS

typedef enum {
  NODE_KIND_HOST,
  NODE_KIND_ROUTER,
} NodeKind;

struct Iface {
  Node *node;
  Link *link;                   /* (nullable) until a link attaches */
  guint link_dir;               /* direction of the link leaving here */
  Ipv4Addr addr;
  guint index;
};

/* Receives a locally addressed packet whose IPv4 header verified; @pkt
 * still starts with that header (@ip_hdr_bytes long).  Takes @pkt. */
typedef void (*NodeProtoHandler) (void *data, Node *node,
                                  const Ipv4Header *ip, guint ip_hdr_bytes,
                                  Packet *pkt);

/* Returns: (transfer none): a node owned by @net. */
Node *node_new (Network *net, const char *name, NodeKind kind,
                Ipv4Addr addr);

const char *node_name (const Node *node);
/* The node's rank in its network's creation order, from 0. */
guint node_index (const Node *node);
NodeKind node_kind (const Node *node);
/* The node's primary address. */
Ipv4Addr node_addr (const Node *node);
Network *node_network (Node *node);
guint node_n_ifaces (const Node *node);
Iface *node_iface (Node *node, guint index);

/* Adds an interface with address @addr (0: the node's primary address). */
Iface *node_add_iface (Node *node, Ipv4Addr addr);

/* Routes @prefix/@prefix_len through @out.  Longest prefix wins; among
 * equal prefixes the first added wins.  A host with a single interface
 * and no route sends everything through that interface. */
void node_add_route (Node *node, Ipv4Addr prefix, guint prefix_len,
                     Iface *out);
/* Returns: (transfer none) (nullable): the interface a packet to @dst
 * leaves through, as node_ip_output() chooses it. */
Iface *node_route_lookup (Node *node, Ipv4Addr dst);
/* TRUE when @addr is the node's primary address or an interface's. */
gboolean node_has_addr (const Node *node, Ipv4Addr addr);

void node_set_proto_handler (Node *node, guint8 proto,
                             NodeProtoHandler handler, void *data);

/* Sends @pkt, which starts with a complete IPv4 header.  Takes @pkt; a
 * packet with no route is traced as dropped and freed. */
void node_ip_output (Node *node, Packet *pkt);
/* Called by a link when @pkt arrives at @iface.  Takes @pkt. */
void node_receive (Node *node, Iface *iface, Packet *pkt);

typedef struct {
  guint64 delivered_pkts;       /* handed to the local protocol */
  guint64 forwarded_pkts;       /* routers: TTL decremented, sent on */
  guint64 dropped_pkts;         /* every node.drop */
  guint64 dropped_no_route_pkts;
  guint64 dropped_ttl_pkts;
  guint64 dropped_bad_header_pkts;  /* IPv4 header failed to verify */
} NodeStats;

const NodeStats *node_stats (const Node *node);

/* Trace kinds of nodes; the body is a NodeTraceEvent. */
extern const SimTraceKind node_trace_drop;

typedef struct {
  Node *node;
  const Packet *pkt;
  const char *reason;           /* "no-route", "ip-bad-checksum", ... */
} NodeTraceEvent;

G_END_DECLS
