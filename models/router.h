/* router.h: a router is a node that forwards what is not addressed to it.
 *
 * Each interface of a router has its own address: add the interfaces with
 * node_add_iface (router, addr) before the links that use them (a link
 * takes the first interface without a link), or let topology.h do it.
 * Forwarding follows RFC 1812 5.3.1: a packet whose TTL would reach zero
 * is dropped ("ttl-expired"; no ICMP is modelled), otherwise its TTL is
 * decremented, the header checksum updated incrementally (RFC 1624), and
 * it is sent on by node_ip_output() through the route to its
 * destination, or dropped and traced ("no-route").
 */
#pragma once

#include "models/node.h"

G_BEGIN_DECLS

/* Returns: (transfer none): a router owned by @net; @addr is its primary
 * address (0: none; then its interfaces' own addresses must be given). */
Node *router_new (Network *net, const char *name, Ipv4Addr addr);

/* Adds an interface with its own address to @router: shorthand for
 * node_add_iface() that refuses the router's primary address (0). */
Iface *router_add_iface (Node *router, Ipv4Addr addr);

G_END_DECLS
