/* network_private.h: what network.c, node.c, link.c, host.c, router.c
 * and routing.c share. */
#pragma once

#include "models/link.h"
#include "models/node.h"

G_BEGIN_DECLS

void node__free (Node *node);
void node__finish (Node *node);
void link__free (Link *link);
/* Attaches @link's end @dir to a new interface of @node. */
Iface *node__attach_link (Node *node, Link *link, guint dir);
/* Traces @pkt as dropped by @node with @reason and frees it. */
void node__drop (Node *node, Packet *pkt, const char *reason);
void node__count_forwarded (Node *node);
void node__count_ttl_drop (Node *node);

/* Computed routes (routing.c): a host route to @addr through @out; the
 * first one given for an address stays. */
void node__add_computed_route (Node *node, Ipv4Addr addr, Iface *out);
void node__clear_computed_routes (Node *node);

/* Forwarding of a router (router.c): @pkt arrived at @node, a router, for
 * another node; @ip is its verified header.  Takes @pkt. */
void router__forward (Node *node, const Ipv4Header *ip, Packet *pkt);

/* Host extension of a node (host.c). */
typedef struct {
  void (*finish) (void *ext);
  void (*free) (void *ext);
} NodeExtOps;

void node__set_ext (Node *node, const NodeExtOps *ops, void *ext);
void *node__ext (Node *node);

G_END_DECLS
