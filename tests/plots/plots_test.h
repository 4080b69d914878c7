/* plots_test.h: helpers shared by the plots tests: hand-made TCP/IPv4
 * packets with real checksums, the seed exchange of the tutorial as
 * data, and golden-file comparison. */
#pragma once

#include <glib.h>

#include "sim/clock.h"
#include "models/packet.h"
#include "plots/seqdiag.h"

G_BEGIN_DECLS

typedef struct {
  const char *src;              /* dotted quad */
  guint16 sport;
  const char *dst;
  guint16 dport;
  guint32 seq;
  guint32 ack;
  guint8 flags;
  guint16 win;
  guint32 payload_bytes;
  guint16 mss_bytes;            /* 0: no MSS option */
} TestSeg;

/* Writes the IPv4+TCP packet of @seg into @buf (of @cap_bytes), checksums
 * included; returns its length. */
gsize test_build_packet (const TestSeg *seg, guint8 *buf, gsize cap_bytes);
/* Returns: (transfer full): the same packet in a Packet from @pool. */
Packet *test_packet_new (PacketPool *pool, const TestSeg *seg);

/* One event of a hand-written exchange between a client and a server.
 * A segment with arrive_ns < 0 is dropped at drop_ns for drop_reason. */
typedef struct {
  SimTime at_ns;
  gboolean is_state;
  SeqDiagSide side;             /* state: whose; segment: sender */
  const char *from;             /* state names */
  const char *to;
  guint8 flags;                 /* segment fields, relative */
  guint32 rel_seq;
  guint32 rel_ack;
  guint32 len_bytes;
  guint16 mss_bytes;
  SimTime arrive_ns;
  SimTime drop_ns;
  const char *drop_reason;
} TestEvent;

#define TEST_CLIENT_HOST "client"
#define TEST_CLIENT_ADDR "172.16.17.94"
#define TEST_CLIENT_PORT 49152
#define TEST_SERVER_HOST "server"
#define TEST_SERVER_ADDR "172.16.17.95"
#define TEST_SERVER_PORT 8080
#define TEST_WIN 65535

/* The ten segments of shared/seed/README.md with both ends' states. */
extern const TestEvent test_seed_events[];
extern const guint test_seed_n_events;
/* A lost request (on the wire) and a lost response (queue overflow),
 * each resent. */
extern const TestEvent test_drop_events[];
extern const guint test_drop_n_events;

/* Returns: (transfer full): a model of @events between the test hosts. */
SeqDiag *test_seqdiag_build (const TestEvent *events, guint n_events);

/* Compares @actual with tests/plots/golden/@name byte for byte; with
 * UPDATE_GOLDEN=1 in the environment, rewrites the golden file instead.
 * On a mismatch the text is left in golden/@name.actual. */
void test_assert_golden (const char *name, const char *actual);

G_END_DECLS
