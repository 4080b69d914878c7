/* node.c: interfaces, routes, IPv4 input and output, protocol demux.
 *
 * Routes are few per node, so the lookup is a scan of a small array for
 * the longest matching prefix; a router with many routes would want a
 * trie here.
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
  NodeKind kind;
  Ipv4Addr addr;
  GPtrArray *ifaces;            /* (element-type Iface), owned */
  GArray *routes;               /* (element-type Route) */
  ProtoHandler tcp;             /* the only L4 protocol modelled */
  const NodeExtOps *ext_ops;
  void *ext;
  guint64 drops;
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
  node->kind = kind;
  node->addr = addr;
  node->ifaces = g_ptr_array_new_with_free_func (g_free);
  node->routes = g_array_new (FALSE, FALSE, sizeof (Route));
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
node_set_proto_handler (Node *node, guint8 proto, NodeProtoHandler handler,
                        void *data)
{
  g_return_if_fail (proto == IPV4_PROTO_TCP);
  node->tcp.fn = handler;
  node->tcp.data = data;
}

static void
drop (Node *node, Packet *pkt, const char *reason)
{
  SimTraceBus *bus = network_trace (node->net);

  node->drops++;
  if (sim_trace_on (bus))
    {
      NodeTraceEvent e = { node, pkt, reason };

      sim_trace_emit (bus, network_now (node->net), &node_trace_drop, &e);
    }
  packet_free (network_pool (node->net), pkt);
}

static Iface *
route_lookup (Node *node, Ipv4Addr dst)
{
  Iface *best = NULL;
  gint best_len = -1;

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
  if (best == NULL && node->ifaces->len == 1)
    best = g_ptr_array_index (node->ifaces, 0);
  return best;
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
      drop (node, pkt, "no-route");
      return;
    }
  if (out->link == NULL)
    {
      drop (node, pkt, "no-link");
      return;
    }
  link_send (out->link, out->link_dir, pkt);
}

static gboolean
is_local (const Node *node, Ipv4Addr dst)
{
  if (dst == node->addr)
    return TRUE;
  for (guint i = 0; i < node->ifaces->len; i++)
    if (((Iface *) g_ptr_array_index (node->ifaces, i))->addr == dst)
      return TRUE;
  return FALSE;
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
      drop (node, pkt, ipv4_parse_result_name (r));
      return;
    }
  if (is_local (node, ip.dst))
    {
      if (ip.proto == IPV4_PROTO_TCP && node->tcp.fn != NULL)
        node->tcp.fn (node->tcp.data, node, &ip, ihl, pkt);
      else
        drop (node, pkt, "no-protocol");
      return;
    }
  if (node->kind != NODE_KIND_ROUTER)
    {
      drop (node, pkt, "not-for-us");
      return;
    }
  if (ip.ttl <= 1)
    {
      drop (node, pkt, "ttl-expired");
      return;
    }
  ipv4_header_decrement_ttl (packet_bytes (pkt));
  node_ip_output (node, pkt);
}
