/* routing.h: shortest-path routes, computed once when a world is built.
 *
 * routing_install() runs Dijkstra's algorithm from every node that needs
 * routes (a node with more than one interface on a link; a node with a
 * single link sends everything through it) and gives it a host route to
 * every address of every node it can reach.  A static route given with
 * node_add_route() always wins over these.  Call it after the last link
 * is made and before the run; calling it again replaces the computed
 * routes.
 */
#pragma once

#include "models/network.h"

G_BEGIN_DECLS

#define ROUTING_ERROR (routing_error_quark ())
GQuark routing_error_quark (void);

typedef enum {
  ROUTING_ERROR_DUPLICATE_ADDR,
} RoutingError;

typedef enum {
  ROUTING_METRIC_HOPS = 0,      /* fewest links */
  ROUTING_METRIC_DELAY,         /* least propagation delay, then fewest
                                 * links */
  ROUTING_N_METRICS
} RoutingMetric;

/* "hops", "delay", NULL-terminated; indexed by RoutingMetric. */
extern const char *const routing_metric_names[];

/* Computes and installs the routes of every node of @net.  Among paths
 * of equal cost the one found first wins, where nodes are settled in
 * order of (cost, links, creation index) and a node's links are tried in
 * the order its interfaces were made: the choice depends on creation
 * order only.  Fails when two nodes share an address. */
gboolean routing_install (Network *net, RoutingMetric metric,
                          GError **error);

G_END_DECLS
