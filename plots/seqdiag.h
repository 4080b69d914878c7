/* seqdiag.h: the model behind every sequence diagram.
 *
 * One TCP connection seen from outside: its two ends (client on the left:
 * the end that sent the first SYN), the segments between them in the
 * order they were sent, each with its fate (arrived, dropped and why, or
 * still in flight), and the state changes of each end.
 *
 * The model knows nothing of the trace bus.  seqdiag_collect.c fills it
 * from a live run, a reader of trace.jsonl can fill it the same way, and
 * renderers (seqdiag_text.c) only read it.  Events are added in the order
 * they happened: by time, and in trace order at equal times.
 */
#pragma once

#include <glib.h>

#include "sim/clock.h"
#include "models/ipv4.h"

G_BEGIN_DECLS

typedef enum {
  SEQDIAG_CLIENT,
  SEQDIAG_SERVER,
  SEQDIAG_N_SIDES
} SeqDiagSide;

typedef struct {
  char *host;                   /* node name, or the address when unknown */
  Ipv4Addr addr;
  guint16 port;
  const char *initial_state;    /* (nullable): interned state name */
} SeqDiagEnd;

typedef enum {
  SEQDIAG_FATE_IN_FLIGHT,       /* neither arrived nor dropped by the end */
  SEQDIAG_FATE_ARRIVED,
  SEQDIAG_FATE_DROPPED,
} SeqDiagFate;

typedef struct {
  SeqDiagSide from;
  guint64 uid;                  /* the packet's uid: matches its fate */
  guint8 flags;                 /* TCP_FIN ... TCP_CWR */
  guint32 rel_seq;              /* relative to the sender's ISN */
  guint32 rel_ack;              /* relative to the receiver's ISN */
  guint32 len_bytes;            /* payload */
  guint16 win;                  /* the window field, unscaled */
  guint16 mss_bytes;            /* SYN options; 0: absent */
  gint8 wscale;                 /* -1: absent */
  gboolean sack_perm;
  gboolean timestamps;

  /* Filled in by the model. */
  guint64 win_bytes;            /* the window, scaled per RFC 7323 2.2 */
  gboolean retransmit;          /* its sequence space was sent before */
  SeqDiagFate fate;
  SimTime end_ns;               /* arrival or drop time; -1 in flight */
  const char *drop_reason;      /* (nullable): interned */
} SeqDiagSegment;

typedef struct {
  SeqDiagSide side;
  const char *from;             /* interned state names */
  const char *to;
} SeqDiagState;

typedef enum {
  SEQDIAG_EVENT_SEGMENT,
  SEQDIAG_EVENT_STATE,
} SeqDiagEventKind;

typedef struct {
  SeqDiagEventKind kind;
  SimTime at_ns;                /* segment: sent; state: changed */
  union {
    SeqDiagSegment seg;
    SeqDiagState state;
  };
} SeqDiagEvent;

typedef struct SeqDiag SeqDiag;

/* Returns: (transfer full): an empty model without ends. */
SeqDiag *seqdiag_new (void);
void seqdiag_free (SeqDiag *diag);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SeqDiag, seqdiag_free)

void seqdiag_set_end (SeqDiag *diag, SeqDiagSide side, const char *host,
                      Ipv4Addr addr, guint16 port);
/* Sets the state an end is drawn in before its first change (by default
 * the `from` of its first change). */
void seqdiag_set_initial_state (SeqDiag *diag, SeqDiagSide side,
                                const char *state);
/* Returns: (transfer none) (nullable): NULL until set. */
const SeqDiagEnd *seqdiag_end (const SeqDiag *diag, SeqDiagSide side);

/* Adds a segment sent at @sent_ns.  Only the caller's fields of @seg are
 * read; the model computes the others and starts it in flight. */
void seqdiag_add_segment (SeqDiag *diag, SimTime sent_ns,
                          const SeqDiagSegment *seg);
/* Records the fate of the segment with @uid.  Returns FALSE when no
 * segment in flight has that uid (it is not this connection's). */
gboolean seqdiag_segment_arrived (SeqDiag *diag, guint64 uid,
                                  SimTime at_ns);
gboolean seqdiag_segment_dropped (SeqDiag *diag, guint64 uid,
                                  SimTime at_ns, const char *reason);
/* Whether a segment with @uid was added and has no fate yet. */
gboolean seqdiag_segment_in_flight (const SeqDiag *diag, guint64 uid);

void seqdiag_add_state (SeqDiag *diag, SimTime at_ns, SeqDiagSide side,
                        const char *from, const char *to);

guint seqdiag_n_events (const SeqDiag *diag);
/* Returns: (transfer none): event @index, in the order added. */
const SeqDiagEvent *seqdiag_event (const SeqDiag *diag, guint index);
guint seqdiag_n_segments (const SeqDiag *diag);

/* Formats @t_ns as seconds with six decimals ("0.010000"), truncating
 * below the microsecond, as the diagrams' time columns show it. */
#define SEQDIAG_TIME_STR_BYTES 32
void seqdiag_format_time (SimTime t_ns, char buf[SEQDIAG_TIME_STR_BYTES]);

G_END_DECLS
