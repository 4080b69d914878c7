/* network_private.h: what network.c, node.c, link.c and host.c share. */
#pragma once

#include "models/link.h"
#include "models/node.h"

G_BEGIN_DECLS

void node__free (Node *node);
void node__finish (Node *node);
void link__free (Link *link);
/* Attaches @link's end @dir to a new interface of @node. */
Iface *node__attach_link (Node *node, Link *link, guint dir);

/* Host extension of a node (host.c). */
typedef struct {
  void (*finish) (void *ext);
  void (*free) (void *ext);
} NodeExtOps;

void node__set_ext (Node *node, const NodeExtOps *ops, void *ext);
void *node__ext (Node *node);

G_END_DECLS
