/* inject.h: crafted TCP segments, sent by a node at a chosen time as if a
 * stack had sent them: an old duplicate SYN (RFC 9293 figure 8), a blind
 * reset, a stray ACK.  The bytes are real, checksums included, so the
 * receiving stack treats them like any other segment. */
#pragma once

#include "models/network.h"
#include "models/node.h"

G_BEGIN_DECLS

typedef struct {
  Ipv4Addr src;                 /* 0: the sending node's address */
  Ipv4Addr dst;
  guint16 sport;
  guint16 dport;
  guint32 seq;                  /* absolute */
  guint32 ack;                  /* absolute; sent when flags have ACK */
  guint8 flags;                 /* TCP_SYN, TCP_ACK, ... */
  guint16 win;
  guint32 len_bytes;            /* payload of zeros */
  gboolean mss_option;          /* add an MSS option (1460) */
} InjectSegment;

/* Sends @seg from @from at @at_ns (>= now). */
void network_inject_segment (Network *net, Node *from,
                             const InjectSegment *seg, SimTime at_ns);

G_END_DECLS
