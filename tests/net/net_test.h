/* net_test.h: a world with a network and a recorder of what the links
 * and nodes did, for the tests of links, queues, loss models, routing and
 * topologies.
 *
 *   NetTest *t = net_test_new (seed);
 *   ... build nodes and links on t->net, net_test_send_at (...) ...
 *   net_test_run (t, SIM_S (10));
 *   ... inspect t->recs, t->conns, link_stats (), node_stats () ...
 *   net_test_free (t);
 *
 * Raw packets are IPv4 with protocol NET_TEST_PROTO, which no node
 * handles: each ends as a node.drop "no-protocol" at its destination.
 */
#pragma once

#include "models/apps/apps.h"
#include "models/host.h"
#include "models/link.h"
#include "models/router.h"
#include "models/routing.h"
#include "models/topology.h"
#include "sim/fingerprint.h"

G_BEGIN_DECLS

#define NET_TEST_PROTO 253u     /* RFC 3692: for experimentation */

typedef enum {
  NET_REC_TX,
  NET_REC_RX,
  NET_REC_DROP,
  NET_REC_CORRUPT,
  NET_REC_DUP,
  NET_REC_CHANGE,
  NET_REC_NODE_DROP,
  NET_REC_TCP_DROP,             /* tcp.event "drop" */
} NetRecKind;

typedef struct {
  SimTime at_ns;
  NetRecKind kind;
  Link *link;                   /* link records */
  LinkDir dir;
  Node *node;                   /* node.drop */
  char host[32];                /* tcp.event */
  guint64 uid;
  guint64 orig_uid;             /* link.dup */
  guint32 len_bytes;            /* the whole packet */
  char reason[32];
  SimTime arrive_ns;
  guint32 queue_pkts;
  guint64 queue_bytes;
  guint n_flips;
  guint32 first_flip;           /* byte * 8 + bit */
  gboolean tcp;                 /* an IPv4+TCP packet whose headers parse */
  guint32 rel_seq;
  guint32 payload_bytes;
} NetRec;

typedef struct {
  SimWorld *world;
  Network *net;
  GArray *recs;                 /* (element-type NetRec) */
  GPtrArray *conns;             /* (element-type TcpConnStats) copies */
  SimFingerprint *fingerprint;
  GPtrArray *pending;           /* sends not yet made, owned */
  guint16 next_ip_id;
} NetTest;

NetTest *net_test_new (guint64 seed);
/* The same without any subscriber: nothing recorded, nothing traced, for
 * long statistical runs. */
NetTest *net_test_new_untraced (guint64 seed);
void net_test_free (NetTest *t);
guint64 net_test_run (NetTest *t, SimTime end_ns);

/* Returns: (transfer full): an IPv4 packet of @len_bytes (>= 20) from
 * @src to @dst with @ttl (0: 64) and zero payload. */
Packet *net_test_packet (NetTest *t, Ipv4Addr src, Ipv4Addr dst,
                         guint32 len_bytes, guint8 ttl);

/* At @at_ns, sends a new raw packet of @len_bytes from @from to @dst
 * through node_ip_output(). */
void net_test_send_at (NetTest *t, SimTime at_ns, Node *from, Ipv4Addr dst,
                       guint32 len_bytes, guint8 ttl);
/* At @at_ns, sends a new raw packet straight into @link from its @dir
 * end, addressed to the far node. */
void net_test_link_send_at (NetTest *t, SimTime at_ns, Link *link,
                            LinkDir dir, guint32 len_bytes);

/* Records of @kind (and, when not NULL, @reason), in order. */
guint net_test_count (const NetTest *t, NetRecKind kind, const char *reason);
/* Returns: (transfer container): the records of @kind on @link's @dir
 * (NULL: any link), in order. */
GPtrArray *net_test_select (const NetTest *t, NetRecKind kind,
                            const Link *link, LinkDir dir);

/* Returns: (transfer none): the tcp.conn record of @host's connection
 * (the first whose host is @host), failing the test when there is none. */
const TcpConnStats *net_test_conn (const NetTest *t, const char *host);

/* Two hosts "a" (10.0.0.1) and "b" (10.0.0.2) on one link "ab". */
Link *net_test_pair (NetTest *t, const LinkDirParams *ab,
                     const LinkDirParams *ba, const TcpParams *tcp);

G_END_DECLS
