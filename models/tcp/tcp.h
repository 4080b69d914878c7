/* tcp.h: the TCP endpoint model's public interface.
 *
 * A TcpStack belongs to a host and demultiplexes segments to endpoints by
 * their 4-tuple.  Applications open endpoints with tcp_connect() or
 * tcp_listen(), move bytes with tcp_write() and tcp_read(), and end them
 * with tcp_close() or tcp_abort().  The stack calls back the application
 * after it has finished its own processing of a segment (the way a kernel
 * wakes a process), so the stack's immediate ACKs leave before anything the
 * application does in reaction.
 *
 * Endpoint lifetime: the stack owns every endpoint.  After the closed()
 * callback returns, the endpoint is freed; the application must forget it.
 */
#pragma once

#include "sim/world.h"
#include "models/ipv4.h"
#include "models/tcp/tcp_fsm.h"

G_BEGIN_DECLS

#define TCP_ERROR (tcp_error_quark ())
GQuark tcp_error_quark (void);

typedef struct TcpStack TcpStack;
typedef struct TcpEndpoint TcpEndpoint;
typedef struct Node Node;

/* Control bits, as in the header's flags byte. */
#define TCP_FIN 0x01u
#define TCP_SYN 0x02u
#define TCP_RST 0x04u
#define TCP_PSH 0x08u
#define TCP_ACK 0x10u
#define TCP_URG 0x20u
#define TCP_ECE 0x40u
#define TCP_CWR 0x80u

typedef enum {
  TCP_ISN_RANDOM,               /* RFC 6528-style, from the host's stream */
  TCP_ISN_FIXED,                /* params.isn, for teaching */
} TcpIsnMode;

/* Every tunable of an endpoint.  tcp_params_init() gives the `rfc`
 * profile; tcp_params_apply_profile() switches to another. */
typedef struct {
  guint64 mss_bytes;            /* our MSS option and segment size */
  guint64 snd_buf_bytes;
  guint64 rcv_buf_bytes;        /* also the largest window we offer */
  gboolean wscale;              /* RFC 7323 window scale option */
  gboolean timestamps;          /* RFC 7323 timestamps, RTTM and PAWS */
  gboolean sack;                /* RFC 2018 SACK, RFC 6675 recovery */
  TcpIsnMode isn_mode;
  guint64 isn;                  /* with TCP_ISN_FIXED */
  SimTime rto_initial_ns;       /* RFC 6298 (2.1): 1 s */
  SimTime rto_min_ns;           /* RFC 6298 (2.4): 1 s; Linux 200 ms */
  SimTime rto_max_ns;           /* RFC 6298 (2.5): at least 60 s */
  guint64 syn_retries;          /* SYN retransmissions before giving up */
  guint64 max_retries;          /* data retransmissions before aborting */
  SimTime msl_ns;               /* TIME_WAIT lasts 2 * MSL */
  SimTime delack_ns;            /* delayed-ACK timer; 0: ACK at once */
  guint64 delack_segs;          /* ACK at least every this many segments */
  gboolean ack_fin_now;         /* ACK a FIN at once (BSD) or delay (Linux) */
  gboolean nagle;               /* RFC 896 / RFC 1122 4.2.3.4 */
  guint64 iw_segs;              /* initial window; 0: RFC 5681 3.1 rule */
  guint64 dupack_thresh;        /* RFC 5681: 3 */
  gboolean limited_transmit;    /* RFC 3042 */
  guint64 quickack_segs;        /* segments ACKed at once at the start
                                 * (Linux quick-ACK mode); 0: none */
  SimTime keepalive_idle_ns;    /* RFC 1122 4.2.3.6; 0: off */
  SimTime keepalive_intvl_ns;
  guint64 keepalive_probes;
  guint64 backlog;              /* half-open connections a listener keeps */
  gboolean rfc1337;             /* ignore RSTs in TIME_WAIT (RFC 1337) */
  guint64 cc;                   /* index into tcp_cc_names */
} TcpParams;

void tcp_params_init (TcpParams *params);

/* Names of the profiles ("rfc", "linux"), NULL-terminated. */
extern const char *const tcp_profile_names[];
gboolean tcp_params_apply_profile (TcpParams *params, const char *profile,
                                   GError **error);

/* Congestion-control module names, NULL-terminated; TcpParams.cc indexes
 * this array. */
extern const char *const tcp_cc_names[];

/* The parameter table: what scenario files and --set may change, by name
 * (the part after "tcp."), with its type and range.  One table serves the
 * scenario builder, --set and the documentation. */
typedef enum {
  TCP_PARAM_BYTES,              /* guint64, with a byte unit */
  TCP_PARAM_TIME,               /* SimTime, with a time unit; "off" = 0 */
  TCP_PARAM_BOOL,               /* gboolean: on/off, true/false, yes/no */
  TCP_PARAM_COUNT,              /* guint64, a plain number */
  TCP_PARAM_CHOICE,             /* guint64 index into choices */
  TCP_PARAM_ISN,                /* "random" or a number: isn_mode + isn */
} TcpParamType;

typedef struct {
  const char *name;
  TcpParamType type;
  gsize offset;                 /* into TcpParams */
  guint64 min;                  /* BYTES, TIME, COUNT: inclusive range */
  guint64 max;
  const char *const *choices;   /* CHOICE: NULL-terminated */
  const char *help;
} TcpParamInfo;

/* Returns: (transfer none): the table, @n_out entries. */
const TcpParamInfo *tcp_param_table (guint *n_out);
const TcpParamInfo *tcp_param_lookup (const char *name);

typedef enum {
  TCP_CLOSE_NORMAL,             /* both FINs exchanged and ACKed */
  TCP_CLOSE_RESET,              /* the peer reset the connection */
  TCP_CLOSE_REFUSED,            /* RST in answer to our SYN */
  TCP_CLOSE_TIMEOUT,            /* retransmissions exhausted */
  TCP_CLOSE_ABORTED,            /* tcp_abort() */
} TcpCloseReason;

const char *tcp_close_reason_name (TcpCloseReason reason);

typedef struct {
  /* Active open: ESTABLISHED reached. */
  void (*connected) (TcpEndpoint *ep, void *user);
  /* Passive open: @child reached ESTABLISHED.  @user is the listener's;
   * the child starts with the listener's callbacks and user data. */
  void (*accepted) (TcpEndpoint *listener, TcpEndpoint *child, void *user);
  /* In-order data is waiting for tcp_read(). */
  void (*readable) (TcpEndpoint *ep, void *user);
  /* Send-buffer space was freed. */
  void (*writable) (TcpEndpoint *ep, void *user);
  /* The peer's FIN arrived after all its data: end of stream. */
  void (*peer_closed) (TcpEndpoint *ep, void *user);
  /* The connection reached CLOSED; the endpoint is freed on return. */
  void (*closed) (TcpEndpoint *ep, TcpCloseReason reason, void *user);
} TcpCallbacks;

/* Returns: (transfer none) (nullable): a new endpoint in SYN_SENT
 * (its SYN is sent at once), or NULL with @error set when the local port
 * is taken.  @local_port 0 picks the next ephemeral port.  @params NULL:
 * the stack's defaults. */
TcpEndpoint *tcp_connect (TcpStack *stack, Ipv4Addr remote_addr,
                          guint16 remote_port, guint16 local_port,
                          const TcpParams *params,
                          const TcpCallbacks *callbacks, void *user,
                          GError **error);

/* Returns: (transfer none) (nullable): a listening endpoint. */
TcpEndpoint *tcp_listen (TcpStack *stack, guint16 local_port,
                         const TcpParams *params,
                         const TcpCallbacks *callbacks, void *user,
                         GError **error);

void tcp_endpoint_set_callbacks (TcpEndpoint *ep,
                                 const TcpCallbacks *callbacks, void *user);

/* Queues up to @len_bytes for sending; returns how many fit in the send
 * buffer.  Nothing is accepted after tcp_close(). */
gsize tcp_write (TcpEndpoint *ep, const guint8 *data, gsize len_bytes);
/* Copies up to @max_bytes of in-order received data into @buf (NULL:
 * discard them) and opens the window accordingly. */
gsize tcp_read (TcpEndpoint *ep, guint8 *buf, gsize max_bytes);
/* Like tcp_read(), without a copy: @fn sees the bytes where the receive
 * buffer holds them, in one or two pieces, before they are released. */
typedef void (*TcpReadFn) (const guint8 *bytes, gsize len_bytes, void *data);
gsize tcp_read_with (TcpEndpoint *ep, gsize max_bytes, TcpReadFn fn,
                     void *data);
gsize tcp_readable_bytes (const TcpEndpoint *ep);
gsize tcp_writable_bytes (const TcpEndpoint *ep);

/* Sends a FIN after the queued data (RFC 9293 CLOSE call); a listener
 * closes at once. */
void tcp_close (TcpEndpoint *ep);
/* Sends a RST and drops the connection (RFC 9293 ABORT call). */
void tcp_abort (TcpEndpoint *ep);
/* What a socket's close() does: the application lets go of the
 * connection entirely.  Like tcp_close(), but data that was never read,
 * or that arrives afterwards, is answered with a RST (RFC 1122 4.2.2.13:
 * "its TCP SHOULD send a RST to show that data was lost").  A listener
 * also drops its half-open connections (RFC 9293 3.10.4), whose final ACK
 * then draws a RST. */
void tcp_release (TcpEndpoint *ep);

/* Changes the parameters an open connection can change (as setsockopt):
 * nagle, delack_ns, delack_segs, quickack_segs, keepalive_idle_ns,
 * keepalive_intvl_ns, keepalive_probes, max_retries, rfc1337.  The other
 * fields of @params are ignored. */
void tcp_endpoint_set_live_params (TcpEndpoint *ep, const TcpParams *params);
/* The peer's urgent data (RFC 9293 3.8.5): TRUE, with the number of
 * unread bytes up to the end of the urgent data in @to_end_bytes, when
 * the urgent pointer is ahead of what the application has read. */
gboolean tcp_urgent_pending (const TcpEndpoint *ep, gsize *to_end_bytes);
/* The segment size in use (our MSS, the peer's, options), as
 * getsockopt(TCP_MAXSEG); before the handshake, our MSS. */
guint32 tcp_endpoint_mss (const TcpEndpoint *ep);

TcpState tcp_endpoint_state (const TcpEndpoint *ep);
/* "172.16.17.94:49152>172.16.17.95:8080" */
const char *tcp_endpoint_name (const TcpEndpoint *ep);
Node *tcp_endpoint_node (const TcpEndpoint *ep);
guint16 tcp_endpoint_local_port (const TcpEndpoint *ep);

/* Internal to models: the host creates its stack. */
TcpStack *tcp_stack_new (Node *node, const TcpParams *defaults);
void tcp_stack_free (TcpStack *stack);
/* Emits a tcp.conn record for every connection the stack has had, in
 * creation order; the host calls it when the run finishes. */
void tcp_stack_report (TcpStack *stack);

/* Per-connection counters, kept after the endpoint is gone. */
typedef struct {
  char name[64];                /* as tcp_endpoint_name() */
  const char *host;
  gboolean active_open;
  SimTime open_ns;              /* SYN sent or received */
  SimTime established_ns;       /* -1 if never */
  SimTime closed_ns;            /* -1 if still open */
  SimTime last_delivery_ns;     /* last new data handed to the app */
  guint64 bytes_sent;           /* application bytes, first transmissions */
  guint64 bytes_acked;
  guint64 bytes_received;       /* in-order bytes delivered to the app */
  guint64 segs_sent;
  guint64 segs_received;
  guint64 data_segs_sent;
  guint64 retransmits;          /* segments sent again */
  guint64 retransmit_bytes;
  guint64 timeouts;             /* RTO expirations */
  guint64 fast_retransmits;
  guint64 dup_acks_received;
  guint64 drops_checksum;
  guint64 drops_out_of_window;
  TcpState final_state;
  TcpCloseReason close_reason;
  gboolean closed;
} TcpConnStats;

/* Trace kinds of the TCP model.  Bodies: TcpTraceState, TcpTraceTimer,
 * TcpTraceVars, TcpTraceEvent, TcpConnStats (tcp.conn). */
extern const SimTraceKind tcp_trace_state;   /* a state change */
extern const SimTraceKind tcp_trace_timer;   /* set, cancel, fire */
extern const SimTraceKind tcp_trace_vars;    /* cwnd/ssthresh/srtt/... */
extern const SimTraceKind tcp_trace_event;   /* rexmit, drop, app events */
extern const SimTraceKind tcp_trace_conn;    /* end-of-run summary */

typedef struct {
  const TcpEndpoint *ep;
  const char *conn;             /* tcp_endpoint_name() */
  const char *host;
  TcpState from;
  TcpState to;
} TcpTraceState;

typedef enum {
  TCP_TIMER_REXMT,
  TCP_TIMER_PERSIST,
  TCP_TIMER_DELACK,
  TCP_TIMER_KEEPALIVE,
  TCP_TIMER_TIME_WAIT,
  TCP_N_TIMERS
} TcpTimerId;

const char *tcp_timer_name (TcpTimerId id);

typedef struct {
  const char *conn;
  const char *host;
  TcpTimerId timer;
  const char *action;           /* "set", "cancel", "fire" */
  SimTime deadline_ns;          /* "set" */
} TcpTraceTimer;

typedef struct {
  const char *conn;
  const char *host;
  guint64 cwnd_bytes;
  guint64 ssthresh_bytes;
  guint64 rwnd_bytes;           /* peer's advertised window */
  guint64 flight_bytes;
  SimTime srtt_ns;              /* 0 before the first sample */
  SimTime rttvar_ns;
  SimTime rto_ns;
  SimTime rtt_sample_ns;        /* -1: not a new sample */
} TcpTraceVars;

typedef struct {
  const char *conn;             /* (nullable) for stack-level events */
  const char *host;
  const char *what;             /* "rexmit", "drop", "rst-sent", ... */
  const char *reason;           /* "rto", "fast", "checksum", ... */
  guint32 rel_seq;
  guint32 len_bytes;
} TcpTraceEvent;

G_END_DECLS
