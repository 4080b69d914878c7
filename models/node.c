/* node.c: interfaces, routes, IPv4 input and output, protocol demux.
 *
 * Call order: node_receive() -> ipv4_header_parse() -> the protocol
 * handler, or router__forward() (router.c) -> node_ip_output() ->
 * route_lookup() -> link_send().
 *
 * Static routes are few per node, so their lookup is a scan of a small
 * array for the longest matching prefix.  Computed routes (routing.c) are
 * host routes, one per address in the network, so a router of a large
 * star holds thousands: they live in a hash table keyed by address, which
 * is only ever looked up, never iterated, so its order cannot leak into a
 * run.  A static route wins over a computed one, whatever the prefixes.
 */
#include "models/network_private.h"

typedef struct {
  Ipv4Addr prefix;
  guint prefix_len;
  Iface *out;
} Route;

typedef struct {
  NodeProtoHandler fn;
  void *data;
} ProtoHandler;

struct Node {
  Network *net;
  char *name;
  guint index;
  NodeKind kind;
  Ipv4Addr addr;
  GPtrArray *ifaces;            /* (element-type Iface), owned */
  GArray *routes;               /* (element-type Route), static */
  GHashTable *host_routes;      /* computed: address -> Iface */
  guint n_host_routes;
  ProtoHandler tcp;             /* the only L4 protocol modelled */
  const NodeExtOps *ext_ops;
  void *ext;
  NodeStats stats;
};

static void
node_to_json (const void *body, GString *out)
{
  const NodeTraceEvent *e = body;

  sim_json_append_string (out, "node", e->node->name);
  sim_json_append_string (out, "reason", e->reason);
  network_segment_to_json (e->node->net, e->pkt, out);
}

const SimTraceKind node_trace_drop = { "node.drop", node_to_json };

Node *
node_new (Network *net, const char *name, NodeKind kind, Ipv4Addr addr)
{
  Node *node = g_new0 (Node, 1);

  node->net = net;
  node->name = g_strdup (name);
  node->index = network_nodes (net)->len;
  node->kind = kind;
  node->addr = addr;
  node->ifaces = g_ptr_array_new_with_free_func (g_free);
  node->routes = g_array_new (FALSE, FALSE, sizeof (Route));
  node->host_routes = g_hash_table_new (NULL, NULL);
  network__add_node (net, node);
  return node;
}

void
node__finish (Node *node)
{
  if (node->ext_ops != NULL && node->ext_ops->finish != NULL)
    node->ext_ops->finish (node->ext);
}

void
node__free (Node *node)
{
  if (node->ext_ops != NULL && node->ext_ops->free != NULL)
    node->ext_ops->free (node->ext);
  g_ptr_array_unref (node->ifaces);
  g_array_unref (node->routes);
  g_hash_table_unref (node->host_routes);
  g_free (node->name);
  g_free (node);
}

void
node__set_ext (Node *node, const NodeExtOps *ops, void *ext)
{
  node->ext_ops = ops;
  node->ext = ext;
}

void *
node__ext (Node *node)
{
  return node->ext;
}

const char *
node_name (const Node *node)
{
  return node->name;
}

guint
node_index (const Node *node)
{
  return node->index;
}

NodeKind
node_kind (const Node *node)
{
  return node->kind;
}

Ipv4Addr
node_addr (const Node *node)
{
  return node->addr;
}

Network *
node_network (Node *node)
{
  return node->net;
}

guint
node_n_ifaces (const Node *node)
{
  return node->ifaces->len;
}

Iface *
node_iface (Node *node, guint index)
{
  g_return_val_if_fail (index < node->ifaces->len, NULL);
  return g_ptr_array_index (node->ifaces, index);
}

Iface *
node_add_iface (Node *node, Ipv4Addr addr)
{
  Iface *iface = g_new0 (Iface, 1);

  iface->node = node;
  iface->addr = addr ? addr : node->addr;
  iface->index = node->ifaces->len;
  g_ptr_array_add (node->ifaces, iface);
  return iface;
}

Iface *
node__attach_link (Node *node, Link *link, guint dir)
{
  Iface *iface = NULL;

  /* Reuse an interface added without a link, else make one. */
  for (guint i = 0; i < node->ifaces->len; i++)
    {
      Iface *candidate = g_ptr_array_index (node->ifaces, i);

      if (candidate->link == NULL)
        {
          iface = candidate;
          break;
        }
    }
  if (iface == NULL)
    iface = node_add_iface (node, 0);
  iface->link = link;
  iface->link_dir = dir;
  return iface;
}

void
node_add_route (Node *node, Ipv4Addr prefix, guint prefix_len, Iface *out)
{
  Route r = { prefix, prefix_len, out };

  g_return_if_fail (prefix_len <= 32);
  g_array_append_val (node->routes, r);
}

void
node__add_computed_route (Node *node, Ipv4Addr addr, Iface *out)
{
  gpointer key = GUINT_TO_POINTER (addr);

  if (!g_hash_table_contains (node->host_routes, key))
    {
      g_hash_table_insert (node->host_routes, key, out);
      node->n_host_routes++;
    }
}

void
node__clear_computed_routes (Node *node)
{
  g_hash_table_remove_all (node->host_routes);
  node->n_host_routes = 0;
}

const NodeStats *
node_stats (const Node *node)
{
  return &node->stats;
}

void
node_set_proto_handler (Node *node, guint8 proto, NodeProtoHandler handler,
                        void *data)
{
  g_return_if_fail (proto == IPV4_PROTO_TCP);
  node->tcp.fn = handler;
  node->tcp.data = data;
}

void
node__drop (Node *node, Packet *pkt, const char *reason)
{
  SimTraceBus *bus = network_trace (node->net);

  node->stats.dropped_pkts++;
  if (sim_trace_on (bus))
    {
      NodeTraceEvent e = { node, pkt, reason };

      sim_trace_emit (bus, network_now (node->net), &node_trace_drop, &e);
    }
  packet_free (network_pool (node->net), pkt);
}

/* Static so that node_ip_output() inlines it (see queue.c on PIC). */
static inline Iface *
route_lookup (Node *node, Ipv4Addr dst)
{
  Iface *best = NULL;
  gint best_len = -1;

  /* The common host: one interface, no route. */
  if (node->routes->len == 0 && node->n_host_routes == 0
      && node->ifaces->len == 1)
    return g_ptr_array_index (node->ifaces, 0);
  for (guint i = 0; i < node->routes->len; i++)
    {
      Route *r = &g_array_index (node->routes, Route, i);
      guint32 mask = r->prefix_len ? ~0u << (32 - r->prefix_len) : 0;

      if ((dst & mask) == (r->prefix & mask) && (gint) r->prefix_len > best_len)
        {
          best = r->out;
          best_len = (gint) r->prefix_len;
        }
    }
  if (best == NULL && node->n_host_routes > 0)
    best = g_hash_table_lookup (node->host_routes, GUINT_TO_POINTER (dst));
  if (best == NULL && node->ifaces->len == 1)
    best = g_ptr_array_index (node->ifaces, 0);
  return best;
}

Iface *
node_route_lookup (Node *node, Ipv4Addr dst)
{
  return route_lookup (node, dst);
}

void
node_ip_output (Node *node, Packet *pkt)
{
  const guint8 *p = packet_cbytes (pkt);
  Ipv4Addr dst = ((guint32) p[16] << 24) | ((guint32) p[17] << 16)
                 | ((guint32) p[18] << 8) | p[19];
  Iface *out = route_lookup (node, dst);

  if (out == NULL)
    {
      node->stats.dropped_no_route_pkts++;
      node__drop (node, pkt, "no-route");
      return;
    }
  if (out->link == NULL)
    {
      node__drop (node, pkt, "no-link");
      return;
    }
  link_send (out->link, out->link_dir, pkt);
}

static inline gboolean
is_local (const Node *node, Ipv4Addr addr)
{
  if (addr == node->addr)
    return TRUE;
  for (guint i = 0; i < node->ifaces->len; i++)
    if (((Iface *) g_ptr_array_index (node->ifaces, i))->addr == addr)
      return TRUE;
  return FALSE;
}

gboolean
node_has_addr (const Node *node, Ipv4Addr addr)
{
  return is_local (node, addr);
}

void
node_receive (Node *node, Iface *iface, Packet *pkt)
{
  Ipv4Header ip;
  guint ihl;
  Ipv4ParseResult r;

  (void) iface;
  r = ipv4_header_parse (packet_cbytes (pkt), pkt->len_bytes, &ip, &ihl);
  if (r != IPV4_PARSE_OK)
    {
      /* RFC 1122 3.2.1.2: "A host MUST verify the IP header checksum on
       * every received datagram and silently discard every datagram that
       * has a bad checksum"; silently for the peer, traced here. */
      node->stats.dropped_bad_header_pkts++;
      node__drop (node, pkt, ipv4_parse_result_name (r));
      return;
    }
  if (is_local (node, ip.dst))
    {
      if (ip.proto == IPV4_PROTO_TCP && node->tcp.fn != NULL)
        {
          node->stats.delivered_pkts++;
          node->tcp.fn (node->tcp.data, node, &ip, ihl, pkt);
        }
      else
        node__drop (node, pkt, "no-protocol");
      return;
    }
  if (node->kind != NODE_KIND_ROUTER)
    {
      node__drop (node, pkt, "not-for-us");
      return;
    }
  router__forward (node, &ip, pkt);
}

void
node__count_forwarded (Node *node)
{
  node->stats.forwarded_pkts++;
}

void
node__count_ttl_drop (Node *node)
{
  node->stats.dropped_ttl_pkts++;
}
