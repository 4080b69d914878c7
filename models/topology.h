/* topology.h: builders for the topologies the gallery uses.
 *
 *   chain     h0 - r0 - r1 - ... - h1       (two routers by default)
 *   dumbbell  snd0..sndN-1 - left == right - rcv0..rcvN-1
 *   star      h0..hN-1 - hub
 *
 * Addresses: the k-th link a builder makes (from 0) gets the /24
 * base_addr + k * 256; its A end (towards h0, the senders, the hosts of a
 * star) is .1 and its B end .2.  A host's address is that of its link; a
 * router's primary address is that of its first interface, and every
 * interface has its link's address.  Links are named after the nodes they
 * join ("h0-r0", "left-right", "snd3-left", "h2-hub"); every name gets
 * the optional prefix.  Direction AB of every link points from h0 to h1,
 * from the senders to the receivers, from the hosts to the hub.
 *
 * Call order: network_new() -> topology_chain() / _dumbbell() / _star()
 * (nodes and links only) -> any other nodes and links -> routing_install()
 * once the whole network is built, so that routers know their routes ->
 * apps -> run -> topology_free() (the lists; the nodes and links belong to
 * the network).
 */
#pragma once

#include "models/link.h"
#include "models/tcp/tcp.h"

G_BEGIN_DECLS

#define TOPOLOGY_ERROR (topology_error_quark ())
GQuark topology_error_quark (void);

typedef enum {
  TOPOLOGY_ERROR_NAME,          /* a name is already taken */
  TOPOLOGY_ERROR_ADDR,          /* an address is taken or out of range */
  TOPOLOGY_ERROR_SIZE,          /* a count out of range */
} TopologyError;

typedef struct {
  const char *prefix;           /* (nullable) before every name */
  Ipv4Addr base_addr;           /* 0: 10.0.0.0 */
  const TcpParams *tcp;         /* (nullable) hosts' TCP defaults */
  LinkDirParams edge;           /* host links, both directions */
  LinkDirParams core;           /* router-router links (the dumbbell's
                                 * bottleneck), both directions */
} TopologyConfig;

typedef struct {
  GPtrArray *hosts;             /* (element-type Node) (transfer none):
                                 * chain h0, h1; dumbbell senders then
                                 * receivers; star the leaves */
  GPtrArray *routers;           /* (element-type Node): chain r0...;
                                 * dumbbell left, right; star hub */
  GPtrArray *links;             /* (element-type Link), creation order */
  Link *bottleneck;             /* dumbbell: left-right; else NULL */
} Topology;

/* Returns: (transfer full) (nullable): the topology's lists, or NULL with
 * @error set when a name or address is taken or a count is out of range;
 * then nothing has been built.  The nodes and links belong to @net. */
Topology *topology_chain (Network *net, const TopologyConfig *config,
                          guint n_routers, GError **error);
Topology *topology_dumbbell (Network *net, const TopologyConfig *config,
                             guint n_pairs, GError **error);
Topology *topology_star (Network *net, const TopologyConfig *config,
                         guint n_hosts, GError **error);

void topology_free (Topology *topo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Topology, topology_free)

/* The senders and receivers of a dumbbell. */
Node *topology_dumbbell_sender (const Topology *topo, guint i);
Node *topology_dumbbell_receiver (const Topology *topo, guint i);

G_END_DECLS
