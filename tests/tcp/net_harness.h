/* net_harness.h: two hosts on one link, with every segment that enters
 * the link and every state change recorded, for end-to-end TCP tests
 * with exact expectations.
 *
 *   NetHarness *h = net_harness_new (&link_params, tcp_params);
 *   ... app_reqresp_new (h->net, ...) / link_add_drop_rule (h->link, ...)
 *   net_harness_run (h, SIM_S (300));
 *   ... inspect h->segs, h->states ...
 *   net_harness_free (h);
 */
#pragma once

#include "models/apps/apps.h"
#include "models/host.h"
#include "models/link.h"
#include "sim/fingerprint.h"

G_BEGIN_DECLS

typedef struct {
  SimTime at_ns;
  guint64 uid;                  /* the packet's, to match its drop */
  LinkDir dir;                  /* LINK_DIR_AB: client -> server */
  guint8 flags;
  guint32 rel_seq;
  guint32 rel_ack;
  guint32 len_bytes;
  guint16 win;
  gboolean dropped;             /* lost on the link */
} HarnessSeg;

typedef struct {
  SimTime at_ns;
  char host[16];
  TcpState from;
  TcpState to;
} HarnessState;

typedef struct {
  SimWorld *world;
  Network *net;
  Node *client;                 /* 172.16.17.94 */
  Node *server;                 /* 172.16.17.95 */
  Link *link;
  GArray *segs;                 /* (element-type HarnessSeg) */
  GArray *states;               /* (element-type HarnessState) */
  GPtrArray *conn_stats;        /* (element-type TcpConnStats) copies */
  SimFingerprint *fingerprint;
} NetHarness;

/* @link_params: both directions; @tcp: both hosts' defaults (NULL: rfc). */
NetHarness *net_harness_new (const LinkDirParams *link_params,
                             const TcpParams *tcp, guint64 seed);
guint64 net_harness_run (NetHarness *h, SimTime end_ns);
void net_harness_free (NetHarness *h);

/* "C>S S. 0 ack=1 len=0" style, one line per segment, for messages. */
char *net_harness_describe (const NetHarness *h);

/* The rfc profile with a fixed ISN of 0, so relative = absolute. */
void net_harness_teaching_params (TcpParams *p);

/* Counts states entered by @host, in order, as "A,B,C". */
char *net_harness_state_path (const NetHarness *h, const char *host);

G_END_DECLS
