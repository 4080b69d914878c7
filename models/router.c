/* router.c: IPv4 forwarding.
 *
 * Call order: link -> node_receive() (header verified, not local) ->
 * router__forward() -> TTL check and decrement -> node_ip_output() ->
 * route lookup -> link_send().
 */
#include "models/router.h"

#include "models/network_private.h"

Node *
router_new (Network *net, const char *name, Ipv4Addr addr)
{
  return node_new (net, name, NODE_KIND_ROUTER, addr);
}

Iface *
router_add_iface (Node *router, Ipv4Addr addr)
{
  g_return_val_if_fail (node_kind (router) == NODE_KIND_ROUTER, NULL);
  g_return_val_if_fail (addr != 0, NULL);
  return node_add_iface (router, addr);
}

void
router__forward (Node *node, const Ipv4Header *ip, Packet *pkt)
{
  /* RFC 1812 5.3.1: "If the TTL is reduced to zero (or less), the packet
   * MUST be discarded". */
  if (ip->ttl <= 1)
    {
      node__count_ttl_drop (node);
      node__drop (node, pkt, "ttl-expired");
      return;
    }
  ipv4_header_decrement_ttl (packet_bytes (pkt));
  node__count_forwarded (node);
  node_ip_output (node, pkt);
}
