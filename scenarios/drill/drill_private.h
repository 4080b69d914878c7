/* drill_private.h: the state of one drill_run(), shared by its three
 * files: drill_driver.c (the world, the clock, the event loop, outbound
 * matching), drill_packet.c (packet bytes in and out, descriptions,
 * field-by-field comparison) and drill_socket.c (the socket layer: file
 * descriptors and system calls over the TCP model's API).
 *
 * Call order inside drill_run() (drill_driver.c):
 *   drill_new() -> for each event: advance_to() its time, then
 *   drill_packet_inject() | drill_syscall_start() | the shell's settings;
 *   or expect_outbound() -> drill_packet_match() -> finish_checks() ->
 *   drill_free().
 * Capture: link.tx -> on_record() -> drill_packet_capture().
 * Blocking calls: a TCP callback -> drill_syscall_poll().
 */
#pragma once

#include "models/host.h"
#include "models/link.h"
#include "scenarios/drill/drill_ast.h"

G_BEGIN_DECLS

/* packetdrill's addresses and ports. */
#define DRILL_LOCAL_ADDR "192.168.0.1"
#define DRILL_REMOTE_ADDR "192.0.2.1"
#define DRILL_LOCAL_PORT 8080u          /* bind() and listen() */
#define DRILL_REMOTE_PORT 8080u         /* what connect() reaches */
#define DRILL_FIRST_REMOTE_PORT 40000u  /* the peer's side of passive opens */
/* The ISN the peer uses; relative number 0 in the script.  Chosen so that
 * the peer's sequence numbers wrap past 2^32 within 300 MB. */
#define DRILL_REMOTE_ISN 4000000000u
/* How long '*' waits for a packet. */
#define DRILL_ANY_TIME_WAIT_NS SIM_S (3600)

typedef struct Drill Drill;
typedef struct DrillSocket DrillSocket;

/* One connection as the script sees it: the relative sequence numbers of
 * both sides. */
typedef struct {
  guint16 local_port;
  guint16 remote_port;
  gboolean passive;             /* opened by an injected SYN */
  gboolean local_isn_known;     /* learnt from the host's SYN */
  guint32 local_isn;
  guint32 remote_isn;
  gboolean over;                /* a FIN went either way, the host sent a
                                 * RST, or the connection was reset */
  gboolean ts_offset_known;     /* live TSval - script TSval */
  guint32 ts_offset;
} DrillFlow;

/* A packet the host sent. */
typedef struct {
  SimTime at_ns;
  DrillFlow *flow;              /* (not owned) */
  TcpSeg seg;                   /* payload points into bytes */
  guint8 *bytes;                /* (owned) TCP header and payload */
  GArray *options;              /* (element-type DrillOption) as sent */
} DrillCaptured;

/* A system call under way. */
typedef struct {
  const DrillEvent *ev;
  SimTime start_ns;
  SimTime end_ns;               /* when it must return */
  DrillSocket *sock;            /* (nullable) (not owned) */
  gsize done_bytes;             /* write(): bytes queued so far */
  gboolean started;             /* connect(): tcp_connect() was called */
} DrillCall;

struct Drill {
  const DrillScript *script;
  const DrillOptions *opts;
  SimTime tolerance_ns;

  SimWorld *world;
  SimScheduler *sched;
  Network *net;
  Node *local;
  Node *remote;
  Iface *local_iface;
  Link *link;
  TcpStack *stack;

  TcpParams defaults;           /* what socket() starts from */
  SimTime keepidle_ns;          /* SO_KEEPALIVE idle time */

  GPtrArray *sockets;           /* (element-type DrillSocket) every one */
  GPtrArray *fds;               /* (element-type DrillSocket) by fd;
                                 * NULL slots are free */
  GPtrArray *flows;             /* (element-type DrillFlow) */
  DrillFlow *current;           /* (nullable) where '<' packets go */
  guint16 listen_port;
  guint16 next_remote_port;
  guint16 ip_id;

  GQueue captured;              /* (element-type DrillCaptured) unmatched */
  gboolean stop_on_capture;     /* waiting for an outbound packet */
  GPtrArray *in_flight;         /* (element-type Packet) injected, not yet
                                 * delivered */

  SimTime last_event_ns;        /* the actual time of the previous event,
                                 * the base of '+' times */
  DrillCall *pending;           /* (nullable) (owned) a blocked call */
  gboolean polling;

  GError *error;                /* (nullable) the first failure */
};

/* ---- drill_driver.c ---- */

/* Records the first failure, "FILE:LINE: error: MESSAGE", and stops the
 * scheduler.  Returns FALSE. */
gboolean drill_fail (Drill *d, const DrillEvent *ev, DrillErrorCode code,
                     const char *format, ...) G_GNUC_PRINTF (4, 5);
void drill_log (Drill *d, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* "0.100000" (microseconds; nanoseconds when there are any). */
void drill_format_time (SimTime t_ns, char buf[SIM_TIME_FORMAT_BYTES]);

/* Returns: (transfer none): the flow with these ports, created (active)
 * when @create and none exists; NULL otherwise. */
DrillFlow *drill_flow_lookup (Drill *d, guint16 local_port,
                              guint16 remote_port, gboolean create);

/* ---- drill_packet.c ---- */

/* Parses what the host put on the link; a malformed packet is a model
 * failure reported at @ev.  Queues it on d->captured. */
void drill_packet_capture (Drill *d, SimTime at_ns, const Packet *pkt);
void drill_captured_free (DrillCaptured *c);

/* Builds the '<' packet of @ev and schedules its delivery at @at_ns. */
gboolean drill_packet_inject (Drill *d, const DrillEvent *ev, SimTime at_ns);

/* Compares @n captured packets (one, or a TSO burst) with the '>' packet
 * of @ev.  Returns FALSE, with d->error set, on a mismatch. */
gboolean drill_packet_match (Drill *d, const DrillEvent *ev,
                             DrillCaptured *const *got, guint n);

/* Returns: (transfer full): a script's packet, "S 0:0(0) win 1000 <...>". */
char *drill_packet_describe (const DrillPacket *p);
/* Returns: (transfer full): @n captured packets taken as one (see
 * drill_packet_match()) as a script line would write them, relative
 * numbers and all: "S. 0:0(0) ack 1 win 65535 <...>". */
char *drill_captured_describe (DrillCaptured *const *got, guint n);

/* ---- drill_socket.c ---- */

void drill_sockets_init (Drill *d);
void drill_sockets_free (Drill *d);
/* Starts the call of @ev at now; it returns at once or blocks. */
void drill_syscall_start (Drill *d, const DrillEvent *ev, SimTime end_ns);
/* Lets a blocked call return if it can; called after every TCP callback. */
void drill_syscall_poll (Drill *d);

G_END_DECLS
