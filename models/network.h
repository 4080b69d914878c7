/* network.h: the models' container inside a SimWorld.
 *
 * A Network owns the nodes and links of a world, the packet pool they
 * share, and the table of initial sequence numbers that lets traces and
 * scripted drops speak of relative sequence numbers the way packet
 * analysers do.  network_new() registers the network as a world component;
 * the world frees it.
 */
#pragma once

#include "sim/world.h"
#include "models/ipv4.h"
#include "models/packet.h"

G_BEGIN_DECLS

typedef struct Network Network;
typedef struct Node Node;
typedef struct Link Link;
typedef struct Iface Iface;

/* Returns: (transfer none): a network owned by @world. */
Network *network_new (SimWorld *world);

SimWorld *network_world (Network *net);
SimScheduler *network_scheduler (Network *net);
SimTraceBus *network_trace (Network *net);
PacketPool *network_pool (Network *net);
SimTime network_now (Network *net);

/* Returns: (transfer none) (nullable). */
Node *network_find_node (Network *net, const char *name);
Node *network_find_node_by_addr (Network *net, Ipv4Addr addr);
Link *network_find_link (Network *net, const char *name);
/* Returns: (transfer none) (element-type Node): in creation order. */
GPtrArray *network_nodes (Network *net);
/* Returns: (transfer none) (element-type Link): in creation order. */
GPtrArray *network_links (Network *net);

/* Internal to models: nodes and links register themselves. */
void network__add_node (Network *net, Node *node);
void network__add_link (Network *net, Link *link);

/* Notes the initial sequence number of the flow a TCP segment belongs to
 * when the segment is a SYN, or when the flow has not been seen before
 * (as Wireshark does for a capture that starts mid-connection). */
void network_flow_learn (Network *net, const Packet *pkt);
/* Returns the sequence number @seq relative to the base of the flow
 * (src, sport) -> (dst, dport); @seq itself when the flow is unknown. */
guint32 network_flow_relative (Network *net, Ipv4Addr src, guint16 sport,
                               Ipv4Addr dst, guint16 dport, guint32 seq);

/* Appends the decoded IPv4+TCP fields of @pkt as JSON members, for trace
 * records: ,"uid":N,"src":"A.B.C.D:P","dst":"A.B.C.D:P","flags":F,
 * "seq":N,"ack":N,"rel_seq":N,"rel_ack":N,"len":N,"win":N,"hlen":N,
 * "bytes":N where F is the control bits as tcpdump writes them ("S",
 * "S.", ".", "P.", "F.", "R", "R."; U, E, W for URG, ECE, CWR), seq/ack
 * are absolute, rel_seq/rel_ack relative to each direction's ISN, len the
 * payload bytes, win the raw window field, hlen the TCP header bytes and
 * bytes the whole IPv4 packet.  Options follow when present: "mss",
 * "wscale", "sack_ok":true, "tsval" and "tsecr", and "sack":[[s,e],...]
 * with the blocks relative to the peer's ISN.  A packet that is not
 * IPv4+TCP gets only uid and bytes. */
void network_segment_to_json (Network *net, const Packet *pkt, GString *out);

G_END_DECLS
