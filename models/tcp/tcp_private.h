/* tcp_private.h: the endpoint and stack structures, and the tcp__ functions
 * shared by the files of the TCP model.
 *
 * Sequence variables keep their RFC 9293 names (section 3.3.1).
 *
 * Call order for an arriving segment:
 *   tcp__stack_input() (tcp_stack.c: verify, demux, RST for no listener)
 *   -> tcp__input() (tcp_input.c: one handler per state)
 *   -> tcp__output() (tcp_output.c) -> tcp__notify() (app callbacks).
 */
#pragma once

#include "models/node.h"
#include "models/tcp/tcp.h"
#include "models/tcp/tcp_cc.h"
#include "models/tcp/tcp_seq.h"
#include "models/tcp/tcp_wire.h"

G_BEGIN_DECLS

/* A byte ring: the send buffer holds [snd_buf_seq, +len); the receive
 * buffer holds unread in-order bytes and, beyond them, out-of-order bytes
 * at their offset from rcv_nxt.  `cap` is the buffer size the connection
 * was given; storage grows on demand up to it, so a connection that moves
 * a few hundred bytes costs a few hundred bytes. */
typedef struct {
  guint8 *bytes;                /* (nullable) storage, size_bytes long */
  gsize size_bytes;
  gsize cap;                    /* logical capacity */
  gsize head;                   /* index of the first byte */
  gsize len;                    /* bytes held from head */
} TcpRing;

typedef struct {
  guint32 start;                /* sequence range [start, end) */
  guint32 end;
  gboolean fin;                 /* a FIN follows end */
  guint64 stamp;                /* when last extended, for SACK order */
} TcpOooRange;

typedef struct {
  Ipv4Addr laddr;
  Ipv4Addr raddr;
  guint16 lport;
  guint16 rport;
} TcpFlowKey;

/* Pending application notifications, delivered by tcp__notify(). */
enum {
  TCP_NOTIFY_CONNECTED = 1 << 0,
  TCP_NOTIFY_READABLE = 1 << 1,
  TCP_NOTIFY_WRITABLE = 1 << 2,
  TCP_NOTIFY_PEER_CLOSED = 1 << 3,
  TCP_NOTIFY_CLOSED = 1 << 4,
};

struct TcpEndpoint {
  TcpStack *stack;
  TcpEndpoint *parent;          /* (nullable) the listener that spawned us */
  TcpFlowKey key;
  char name[64];
  TcpState state;
  TcpParams params;
  TcpCallbacks callbacks;
  void *user;
  TcpConnStats *stats;          /* owned by the stack */
  guint stack_index;            /* slot in stack->endpoints */
  gboolean in_table;
  gboolean dead;                /* closed, waiting to be freed */
  guint64 half_open;            /* listener: children in SYN_RECEIVED */
  gboolean counted_half_open;   /* child: counted in parent->half_open */

  /* Send sequence variables (RFC 9293 3.3.1). */
  guint32 iss;
  guint32 snd_una;
  guint32 snd_nxt;
  guint32 snd_max;              /* highest sequence sent + 1 (BSD) */
  guint64 snd_wnd;              /* peer's window, scaled */
  guint32 snd_wl1;
  guint32 snd_wl2;
  guint64 max_snd_wnd;          /* largest window seen (sender SWS) */
  guint32 snd_mss;              /* effective send MSS */
  guint8 snd_wscale;            /* peer's shift, applied to its windows */

  /* Receive sequence variables. */
  guint32 irs;
  guint32 rcv_nxt;
  guint32 rcv_adv;              /* highest window edge advertised */
  guint8 rcv_wscale;            /* our shift */
  gboolean wscale_ok;           /* both sides sent the option */

  /* Buffers. */
  TcpRing snd_buf;
  guint32 snd_buf_seq;          /* sequence number of snd_buf's first byte */
  gboolean fin_queued;          /* the application closed: FIN after data */
  gboolean released;            /* tcp_release(): no reader any more */
  TcpRing rcv_buf;              /* [rcv_read_seq, rcv_nxt) unread, then OOO */
  guint32 rcv_read_seq;
  GArray *ooo;                  /* (element-type TcpOooRange), sorted */
  gboolean fin_received;
  guint32 rcv_up;               /* RFC 9293 RCV.UP: urgent pointer */
  gboolean urgent_seen;

  guint64 ooo_stamp;            /* counter behind TcpOooRange.stamp */

  /* ACK generation. */
  gboolean ack_now;
  guint32 segs_unacked;         /* in-order segments not yet ACKed */
  guint64 quickacks_left;       /* Linux quick-ACK mode */
  guint32 last_ack_sent;        /* RFC 7323 Last.ACK.sent */

  /* Timestamps (RFC 7323), tcp_timestamps.c. */
  gboolean ts_ok;               /* both sides sent the option */
  guint32 ts_recent;
  SimTime ts_recent_age_ns;
  gboolean ts_recent_valid;
  guint32 ts_offset;            /* random start of our TSval clock */
  const TcpOptions *seg_opts;   /* options of the segment being processed */

  /* SACK (RFC 2018, RFC 6675), tcp_sack.c. */
  gboolean sack_ok;             /* both sides sent SACK-permitted */
  GArray *sacked;               /* (element-type TcpSackBlock) scoreboard,
                                 * sorted, above snd_una */
  guint32 high_rxt;             /* RFC 6675 HighRxt */
  guint32 recovery_point;       /* RFC 6675 RecoveryPoint */

  /* Zero-window probing (persist) and keepalive. */
  guint persist_backoff;
  guint keepalive_sent;

  /* RTT estimation (RFC 6298), tcp_rtt.c. */
  SimTime srtt_ns;
  SimTime rttvar_ns;
  SimTime rto_ns;               /* before backoff */
  guint backoff;                /* doublings applied to rto_ns */
  gboolean rtt_timing;
  guint32 rtt_seq;              /* timed segment's first sequence number */
  SimTime rtt_start_ns;
  gboolean syn_rexmitted;       /* RFC 6298 5.7 */

  /* Retransmission and loss recovery. */
  guint retries;                /* consecutive RTO expirations */
  guint32 dupacks;
  gboolean in_recovery;
  gboolean partial_ack_seen;    /* RFC 6582 3.2 step 5 */
  gboolean force_output;        /* persist: send what fits, however small */
  guint32 recover;              /* RFC 6582 "recover" */

  /* Congestion control. */
  guint64 max_flight_bytes;     /* most in flight over the last window */
  guint32 max_flight_seq;       /* when SND.UNA passes it, a new window */
  const TcpCcOps *cc_ops;
  TcpCcVars cc;

  /* Timers (tcp_timer.c). */
  SimTimer timers[TCP_N_TIMERS];

  guint notify;                 /* TCP_NOTIFY_* pending */
  TcpCloseReason close_reason;
};

struct TcpStack {
  Node *node;
  Network *net;
  SimScheduler *sched;
  SimTraceBus *trace;
  TcpParams defaults;
  GHashTable *conns;            /* TcpFlowKey* -> TcpEndpoint* */
  GHashTable *listeners;        /* port -> TcpEndpoint* */
  GPtrArray *endpoints;         /* (element-type TcpEndpoint) live, any order */
  GPtrArray *stats;             /* (element-type TcpConnStats) creation order */
  GPtrArray *graveyard;         /* closed endpoints to free after the event */
  gboolean reap_scheduled;
  guint16 next_ephemeral_port;
  guint64 isn_secret;           /* RFC 6528's F() key */
  guint16 ip_id;
  guint64 drops_no_listener;
  guint64 drops_bad_segment;
};

/* tcp_endpoint.c */
TcpEndpoint *tcp__endpoint_new (TcpStack *stack, const TcpParams *params,
                                const TcpCallbacks *callbacks, void *user);
void tcp__endpoint_free (TcpEndpoint *ep);
void tcp__set_state (TcpEndpoint *ep, TcpState state);
/* Moves @ep to CLOSED for @reason, stops its timers, leaves the demux
 * table and queues the closed() notification. */
void tcp__enter_closed (TcpEndpoint *ep, TcpCloseReason reason);
/* A child leaving SYN_RECEIVED frees its place in the listener's
 * backlog. */
void tcp__release_half_open (TcpEndpoint *ep);
void tcp__notify (TcpEndpoint *ep);
guint32 tcp__choose_isn (TcpStack *stack, const TcpFlowKey *key);
void tcp__init_sequence (TcpEndpoint *ep, guint32 iss);
void tcp__set_name (TcpEndpoint *ep);
/* Our current receive window in bytes: free receive-buffer space. */
guint64 tcp__rcv_space (const TcpEndpoint *ep);
guint64 tcp__flight_bytes (const TcpEndpoint *ep);
/* What is left of the window last advertised: RCV.ADV - RCV.NXT, or 0
 * once data accepted beyond it (into space freed since) has taken RCV.NXT
 * past it; the difference must never wrap. */
static inline guint32
tcp__rcv_adv_left (const TcpEndpoint *ep)
{
  return TCP_SEQ_GT (ep->rcv_adv, ep->rcv_nxt) ? ep->rcv_adv - ep->rcv_nxt
                                               : 0;
}
void tcp__trace_vars (TcpEndpoint *ep, SimTime rtt_sample_ns);
/* An event about our own sequence space (@seq relative to our ISS)... */
void tcp__trace_event (TcpEndpoint *ep, const char *what, const char *reason,
                       guint32 seq, guint32 len_bytes);
/* ... or about a received segment (@seq relative to the peer's ISS). */
void tcp__trace_rx_event (TcpEndpoint *ep, const char *what,
                          const char *reason, guint32 seq, guint32 len_bytes);

/* tcp_ring.c */
void tcp__ring_init (TcpRing *ring, gsize cap);
void tcp__ring_clear (TcpRing *ring);
/* Frees the storage of an empty or abandoned ring but keeps its
 * capacity (TIME_WAIT keeps advertising its window). */
void tcp__ring_release (TcpRing *ring);
/* Copies @len bytes at offset @off from the ring's head into @dst. */
void tcp__ring_peek (const TcpRing *ring, gsize off, guint8 *dst, gsize len);
/* As tcp__ring_peek(), returning the Internet checksum sum of the bytes
 * (unfolded, as inet_csum_add()) computed while copying. */
guint64 tcp__ring_copy_sum (const TcpRing *ring, gsize off, guint8 *dst,
                            gsize len);
/* Writes @len bytes at offset @off from head (may extend len). */
void tcp__ring_write_at (TcpRing *ring, gsize off, const guint8 *src,
                         gsize len);
void tcp__ring_consume (TcpRing *ring, gsize len);
/* The first @len bytes from the head, as one or two contiguous pieces
 * (@second_len 0 when one suffices). */
void tcp__ring_slices (const TcpRing *ring, gsize len, const guint8 **first,
                       gsize *first_len, const guint8 **second,
                       gsize *second_len);

/* tcp_stack.c */
/* Every endpoint of a stack is tracked (for freeing) from creation to
 * reaping. */
void tcp__stack_track (TcpStack *stack, TcpEndpoint *ep);
void tcp__stack_untrack (TcpStack *stack, TcpEndpoint *ep);
void tcp__stack_insert (TcpStack *stack, TcpEndpoint *ep);
void tcp__stack_remove (TcpStack *stack, TcpEndpoint *ep);
void tcp__stack_bury (TcpStack *stack, TcpEndpoint *ep);
void tcp__stack_input (void *data, Node *node, const Ipv4Header *ip,
                       guint ip_hdr_bytes, Packet *pkt);
/* A child of @listener for the SYN in @seg, in CLOSED with its buffers;
 * tcp__listen_input() takes it to SYN_RECEIVED. */
TcpEndpoint *tcp__spawn_child (TcpEndpoint *listener, const Ipv4Header *ip,
                               const TcpSeg *seg);
/* Writes the IPv4 header in front of a TCP segment of @tcp_len_bytes
 * (header and payload) that the stack sends: its next IP ID, DF set, the
 * default TTL. */
void tcp__ip_header_write (TcpStack *stack, Packet *pkt, Ipv4Addr src,
                           Ipv4Addr dst, guint tcp_len_bytes);
/* Sends a RST answering @seg (RFC 9293 3.10.7.1) from @ip's destination. */
void tcp__send_reset_for (TcpStack *stack, const Ipv4Header *ip,
                          const TcpSeg *seg);

/* tcp_input.c */
void tcp__input (TcpEndpoint *ep, const TcpSeg *seg);
void tcp__listen_input (TcpEndpoint *listener, const Ipv4Header *ip,
                        const TcpSeg *seg);

/* tcp_output.c */
void tcp__output (TcpEndpoint *ep);
/* Sends one segment now: @len_bytes of data from @seq, with @flags (ACK is
 * added in synchronized states). */
void tcp__send_segment (TcpEndpoint *ep, guint32 seq, guint8 flags,
                        guint32 len_bytes);
void tcp__send_ack (TcpEndpoint *ep);
void tcp__send_rst (TcpEndpoint *ep);

/* tcp_timer.c */
void tcp__timers_init (TcpEndpoint *ep);
void tcp__timers_clear (TcpEndpoint *ep);
void tcp__timer_set (TcpEndpoint *ep, TcpTimerId id, SimTime delay_ns);
void tcp__timer_cancel (TcpEndpoint *ep, TcpTimerId id);
gboolean tcp__timer_armed (const TcpEndpoint *ep, TcpTimerId id);
/* Restarts the keepalive idle timer on activity from the peer. */
void tcp__keepalive_touch (TcpEndpoint *ep);
/* The persist timer's interval: the RTO doubled persist_backoff times,
 * capped at rto_max_ns (RFC 1122 4.2.2.17). */
SimTime tcp__persist_interval (const TcpEndpoint *ep);
/* Arms the retransmission timer with the current (backed-off) RTO. */
void tcp__rexmt_restart (TcpEndpoint *ep);

/* tcp_timestamps.c */
guint32 tcp__ts_now (const TcpEndpoint *ep);
/* RFC 7323 5.3 PAWS: FALSE when @seg must be dropped as an old
 * duplicate. */
gboolean tcp__ts_paws_ok (TcpEndpoint *ep, const TcpSeg *seg);
/* RFC 7323 4.3: remember the peer's TSval when @seg is acceptable. */
void tcp__ts_update_recent (TcpEndpoint *ep, const TcpSeg *seg);
/* RFC 7323 4.1: an RTT sample from the echoed timestamp, or -1. */
SimTime tcp__ts_rtt_sample (const TcpEndpoint *ep, const TcpSeg *seg);

/* tcp_sack.c */
/* Fills up to @max_blocks SACK blocks describing the out-of-order queue,
 * the most recently changed first (RFC 2018 4).  Returns the count. */
guint tcp__sack_fill_blocks (const TcpEndpoint *ep, TcpSackBlock *blocks,
                             guint max_blocks);
/* Adds the peer's SACK blocks to the scoreboard; TRUE when a block told
 * something new. */
gboolean tcp__sack_update (TcpEndpoint *ep, const TcpSeg *seg);
/* Drops scoreboard bytes at or below SND.UNA. */
void tcp__sack_trim (TcpEndpoint *ep);
void tcp__sack_clear (TcpEndpoint *ep);
gboolean tcp__sack_is_lost (const TcpEndpoint *ep, guint32 seq);
guint64 tcp__sack_pipe (const TcpEndpoint *ep);
/* RFC 6675 NextSeg(): the next range to send in recovery; FALSE when
 * nothing may be sent. */
gboolean tcp__sack_next_seg (const TcpEndpoint *ep, guint32 *seq,
                             guint32 *len_bytes);

/* The payload a segment may carry: the MSS less the options every data
 * segment carries (RFC 6691). */
guint32 tcp__seg_payload_max (const TcpEndpoint *ep);

/* tcp_rtt.c */
void tcp__rtt_init (TcpEndpoint *ep);
void tcp__rtt_sample (TcpEndpoint *ep, SimTime rtt_ns);
SimTime tcp__rto_current (const TcpEndpoint *ep);
void tcp__rto_backoff (TcpEndpoint *ep);

static inline SimTime
tcp__now (const TcpEndpoint *ep)
{
  return sim_scheduler_now (ep->stack->sched);
}

G_END_DECLS
