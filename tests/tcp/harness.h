/* harness.h: TCP without a network.  One real TCP endpoint on host "local"
 * (10.0.0.1) faces a scripted peer, "remote" (10.0.0.2, a router, so it
 * has no TCP of its own), across a link with no rate and no delay.  A test
 * injects the peer's segments as real IPv4+TCP bytes at chosen times and
 * asserts exactly what the endpoint sends back (smoltcp's socket/tcp.rs
 * tests, lwIP's test/unit/tcp/tcp_helper.h).
 *
 *   TcpHarness *h = tcp_harness_new_in_state (TCP_STATE_ESTABLISHED, NULL);
 *   tcp_harness_inject (h, tcp_harness_now (h) + SIM_MS (10),
 *                       &(TcpSeg) { .seq = REMOTE_ISS + 1,
 *                                   .ack = LOCAL_ISS + 1,
 *                                   .flags = TCP_FIN | TCP_ACK });
 *   tcp_harness_expect (h, &(TcpSeg) { .seq = LOCAL_ISS + 1,
 *                                      .ack = REMOTE_ISS + 2,
 *                                      .flags = TCP_ACK });
 *   tcp_harness_expect_nothing (h);
 *   g_assert_cmpint (tcp_harness_state (h), ==, TCP_STATE_CLOSE_WAIT);
 *   tcp_harness_free (h);
 *
 * Capture: every packet the local host puts on the link (the link.tx trace
 * record) is parsed, its IPv4 and TCP checksums verified, and queued with
 * its send time; tcp_harness_expect() pops the oldest.
 *
 * Injection: tcp_harness_inject() writes the segment's bytes, schedules
 * node_receive() on the local host at the given time, and runs the
 * scheduler up to that time, so every timer due before it fires first.
 *
 * The application side: the harness installs TcpCallbacks that record what
 * the application saw (connected, accepted, readable, peer_closed, closed
 * and its reason) and, unless told otherwise, read every readable byte at
 * once into app_rx.
 *
 * Sequence numbers are predictable: the local endpoint's ISS is LOCAL_ISS
 * unless the caller's params fix another, and the peer's is REMOTE_ISS
 * unless tcp_harness_set_remote_iss() says otherwise.
 */
#pragma once

#include "models/host.h"
#include "models/link.h"
#include "models/tcp/tcp_private.h"

G_BEGIN_DECLS

#define TCP_HARNESS_LOCAL_ISS 1000u
#define TCP_HARNESS_REMOTE_ISS 5000u
#define TCP_HARNESS_LOCAL_PORT 8080u
#define TCP_HARNESS_REMOTE_PORT 49152u
/* The MSS option the peer puts in its SYNs, and its default window. */
#define TCP_HARNESS_REMOTE_MSS 1460u
#define TCP_HARNESS_REMOTE_WIN 65535u
/* What the builders wait between a segment and the peer's answer, so the
 * handshake gives the RTT estimator a known first sample. */
#define TCP_HARNESS_STEP_NS SIM_MS (10)

#ifndef TCP_HARNESS_NO_SHORT_NAMES
#define LOCAL_ISS TCP_HARNESS_LOCAL_ISS
#define REMOTE_ISS TCP_HARNESS_REMOTE_ISS
#endif

/* How the builders open the connection. */
typedef enum {
  TCP_HARNESS_ACTIVE,           /* tcp_connect(), the peer answers SYN-ACK */
  TCP_HARNESS_PASSIVE,          /* tcp_listen(), the peer sends the SYN */
} TcpHarnessOpen;

/* What tcp_harness_expect_full() compares beyond flags, seq, ack, len. */
typedef enum {
  TCP_HARNESS_CHECK_WIN = 1 << 0,       /* the raw window field */
  TCP_HARNESS_CHECK_OPTS = 1 << 1,      /* every TcpOptions field */
  TCP_HARNESS_CHECK_PAYLOAD = 1 << 2,   /* the bytes at want->payload */
} TcpHarnessCheck;

typedef enum {
  /* Flip a payload byte after the checksum was computed. */
  TCP_HARNESS_INJECT_CORRUPT = 1 << 0,
  /* Send ports and window as given, even when zero. */
  TCP_HARNESS_INJECT_RAW = 1 << 1,
} TcpHarnessInjectFlags;

typedef enum {
  TCP_HARNESS_APP_CONNECTED,
  TCP_HARNESS_APP_ACCEPTED,
  TCP_HARNESS_APP_READABLE,
  TCP_HARNESS_APP_PEER_CLOSED,
  TCP_HARNESS_APP_CLOSED,
} TcpHarnessAppEventKind;

typedef struct {
  SimTime at_ns;
  TcpHarnessAppEventKind kind;
  TcpCloseReason reason;        /* CLOSED only */
  gsize bytes;                  /* READABLE: bytes read by the callback */
} TcpHarnessAppEvent;

/* A segment the local host sent, with the bytes its payload points into. */
typedef struct {
  SimTime at_ns;
  TcpSeg seg;
  guint8 *bytes;                /* (owned) the TCP header and payload */
} TcpHarnessSeg;

typedef struct {
  SimTime at_ns;
  TcpState from;
  TcpState to;
} TcpHarnessState;

typedef struct {
  SimWorld *world;
  Network *net;
  Node *local;                  /* the host under test */
  Node *remote;                 /* a router: it never answers */
  Iface *local_iface;
  Link *link;                   /* LINK_DIR_AB: local -> remote */
  TcpStack *stack;
  TcpParams params;             /* what the builders give the endpoint */

  TcpEndpoint *ep;              /* (nullable) the connection; NULL once
                                 * closed (the stack frees it) */
  TcpEndpoint *listener;        /* (nullable) */
  TcpConnStats *stats;          /* (nullable) the connection's counters,
                                 * owned by the stack, valid until free */

  guint32 iss;                  /* the local endpoint's ISS */
  guint32 irs;                  /* the peer's ISS */
  guint16 remote_win;           /* window injected when a segment has 0 */
  guint16 ip_id;

  GQueue captured;              /* (element-type TcpHarnessSeg) */
  TcpHarnessSeg *last;          /* (nullable) the last popped segment */
  GArray *states;               /* (element-type TcpHarnessState) the
                                 * connection's changes, listener excluded */
  GArray *app_events;           /* (element-type TcpHarnessAppEvent) */
  GByteArray *app_rx;           /* every byte the application read */
  gboolean auto_read;           /* read at once in readable() (default) */
} TcpHarness;

/* Returns: (transfer full): a world with the local host and the peer and
 * no endpoint yet.  @params (nullable: tcp_params_init()) is copied; with
 * TCP_ISN_RANDOM it is switched to TCP_ISN_FIXED at LOCAL_ISS. */
TcpHarness *tcp_harness_new (const TcpParams *params);
void tcp_harness_free (TcpHarness *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcpHarness, tcp_harness_free)

/* The peer's ISS for the builders; call before building. */
void tcp_harness_set_remote_iss (TcpHarness *h, guint32 irs);
/* The window injected segments carry when theirs is 0 (default 65535). */
void tcp_harness_set_remote_window (TcpHarness *h, guint16 win);
/* Whether readable() reads everything at once (default TRUE). */
void tcp_harness_set_auto_read (TcpHarness *h, gboolean auto_read);

/* Takes the endpoint of @h (which has none yet) to @state through the real
 * API and real segments from the peer, asserting every segment on the way,
 * then clears the captured queue and the application's events.  LISTEN and
 * SYN_RECEIVED are always passive, SYN_SENT always active; the others
 * follow @open.  Each step happens TCP_HARNESS_STEP_NS after the previous
 * one. */
void tcp_harness_build (TcpHarness *h, TcpState state, TcpHarnessOpen open);

/* Returns: (transfer full): tcp_harness_new() then tcp_harness_build()
 * with an active open (passive for LISTEN and SYN_RECEIVED). */
TcpHarness *tcp_harness_new_in_state (TcpState state,
                                      const TcpParams *params);

/* Delivers @seg from the peer at @at_ns (>= now) and runs the world up to
 * that time.  Zero ports become the connection's, a zero window becomes
 * the harness's remote window (except on a RST); the payload is
 * seg->len_bytes bytes at seg->payload (NULL: zeros); options are
 * seg->opts. */
void tcp_harness_inject (TcpHarness *h, SimTime at_ns, const TcpSeg *seg);
void tcp_harness_inject_full (TcpHarness *h, SimTime at_ns, const TcpSeg *seg,
                              TcpHarnessInjectFlags flags);

/* Runs timers and everything else up to @to_ns (>= now); the clock ends at
 * @to_ns. */
void tcp_harness_advance (TcpHarness *h, SimTime to_ns);
SimTime tcp_harness_now (TcpHarness *h);

/* Pops the oldest captured segment and asserts its flags, seq, len and,
 * when the ACK flag is set, ack, exactly; expect_full also compares what
 * its last argument (a TcpHarnessCheck) asks for.
 *
 *   tcp_harness_expect (TcpHarness *h, const TcpSeg *want);
 *   tcp_harness_expect_full (TcpHarness *h, const TcpSeg *want,
 *                            TcpHarnessCheck check);
 *   tcp_harness_expect_nothing (TcpHarness *h);
 *
 * They are macros so that a failure names the caller's line; the variadic
 * form lets a compound literal with commas be the argument. */
#define tcp_harness_expect(h, ...) \
  tcp_harness_expect_full_at ((h), __VA_ARGS__, 0, __FILE__, __LINE__, \
                              G_STRFUNC)
#define tcp_harness_expect_full(h, ...) \
  tcp_harness_expect_full_at ((h), __VA_ARGS__, __FILE__, __LINE__, \
                              G_STRFUNC)
/* Asserts that nothing was sent that has not been popped. */
#define tcp_harness_expect_nothing(h) \
  tcp_harness_expect_nothing_at ((h), __FILE__, __LINE__, G_STRFUNC)

void tcp_harness_expect_full_at (TcpHarness *h, const TcpSeg *want,
                                 TcpHarnessCheck check, const char *file,
                                 int line, const char *func);
void tcp_harness_expect_nothing_at (TcpHarness *h, const char *file,
                                    int line, const char *func);

/* Returns: (transfer none) (nullable): the oldest captured segment, popped,
 * valid until the next pop; NULL when none is waiting. */
const TcpSeg *tcp_harness_pop (TcpHarness *h);
/* Segments captured and not yet popped. */
guint tcp_harness_pending (const TcpHarness *h);
/* When the last popped segment was sent. */
SimTime tcp_harness_last_time (const TcpHarness *h);
/* Drops every captured segment not yet popped. */
void tcp_harness_clear (TcpHarness *h);

/* Returns: (transfer none) (nullable): the connection's endpoint; NULL
 * before it exists and after it closed. */
TcpEndpoint *tcp_harness_ep (TcpHarness *h);
/* The connection's state; CLOSED when there is no endpoint. */
TcpState tcp_harness_state (const TcpHarness *h);
/* Returns: (transfer full): the connection's states, in order, as
 * "SYN_SENT,ESTABLISHED,...". */
char *tcp_harness_state_path (const TcpHarness *h);

/* The application's calls on the connection. */
gsize tcp_harness_write (TcpHarness *h, const guint8 *data, gsize len_bytes);
gsize tcp_harness_read (TcpHarness *h, gsize max_bytes);
void tcp_harness_close (TcpHarness *h);

/* Returns: (transfer full): the application's events, in order, as
 * "connected,readable,peer_closed,closed:normal". */
char *tcp_harness_app_events (const TcpHarness *h);
/* Events of @kind seen so far. */
guint tcp_harness_app_count (const TcpHarness *h,
                             TcpHarnessAppEventKind kind);
/* Forgets the events and bytes recorded so far. */
void tcp_harness_app_clear (TcpHarness *h);

/* Fills @buf with the pattern byte i -> (i * 7 + @seed) & 0xff, so tests
 * can check that delivered bytes are the ones sent, in order. */
void tcp_harness_pattern (guint8 *buf, gsize len_bytes, guint offset,
                          guint8 seed);

/* Returns: (transfer full): "S. seq=1000 ack=5001 len=0 win=65535". */
char *tcp_harness_seg_describe (const TcpSeg *seg);

G_END_DECLS
