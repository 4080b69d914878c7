/* explain.h: one segment of a run, decoded field by field as a protocol
 * textbook would: its encapsulation through the five layers of the
 * tutorial, the IPv4 header, the TCP header's bit layout (the RFC 9293
 * figure with the values filled in), then every TCP field, flag and
 * option with what it means here.
 *
 * Call order: explain_collector_new (net, N) -> subscribe
 * explain_collector_record() -> run -> explain_collector_render().  The
 * renderer, explain_render(), takes a captured ExplainPacket and knows
 * nothing of the trace bus, so tests can hand it any bytes.
 */
#pragma once

#include <glib.h>

#include "sim/clock.h"
#include "sim/trace.h"
#include "models/network.h"

G_BEGIN_DECLS

#define EXPLAIN_ERROR (explain_error_quark ())
GQuark explain_error_quark (void);

typedef enum {
  EXPLAIN_ERROR_NOT_FOUND,      /* the run sent fewer segments than N */
  EXPLAIN_ERROR_NOT_TCP,        /* packet N is not an IPv4 TCP segment */
} ExplainError;

/* How the window field of the segment is to be read (RFC 7323 2.2). */
typedef enum {
  EXPLAIN_SCALE_UNSCALED,       /* scaling not agreed by both SYNs */
  EXPLAIN_SCALE_SYN,            /* a SYN's window is never scaled */
  EXPLAIN_SCALE_SHIFTED,        /* both SYNs agreed: shift applies */
} ExplainScale;

typedef struct {
  guint64 number;               /* 1-based, among the run's link.tx */
  SimTime at_ns;                /* when it entered the link */
  const char *link;             /* the link's name */
  const char *dir;              /* "client>server", with the node names */
  guint64 rate_bps;             /* that direction's rate; 0: unlimited */
  SimTime delay_ns;             /* its propagation delay */
  const guint8 *bytes;          /* the IPv4 packet as it entered */
  gsize len_bytes;
  guint32 isn_seq;              /* ISN of the segment's direction */
  guint32 isn_ack;              /* ISN of the opposite direction */
  ExplainScale scale;
  guint wscale_shift;           /* with EXPLAIN_SCALE_SHIFTED */
} ExplainPacket;

/* Returns: (transfer full) (nullable): the explanation, lines ending in
 * '\n', or NULL with @error set (EXPLAIN_ERROR_NOT_TCP) when the bytes
 * are not an IPv4 TCP segment.  Box drawing is Unicode, or ASCII with
 * @ascii; the RFC figure is ASCII either way, as in the RFC. */
char *explain_render (const ExplainPacket *pkt, gboolean ascii,
                      GError **error);

typedef struct ExplainCollector ExplainCollector;

/* Returns: (transfer full): a collector that keeps a copy of the
 * @number-th packet (1-based) entering any link of @net. */
ExplainCollector *explain_collector_new (Network *net, guint64 number);
void explain_collector_free (ExplainCollector *collector);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExplainCollector, explain_collector_free)

/* A SimTraceFn; @data is the collector. */
void explain_collector_record (const SimTraceRecord *rec, void *data);

/* Packets that entered a link so far. */
guint64 explain_collector_n_seen (const ExplainCollector *collector);

/* Returns: (transfer full) (nullable): explain_render() of the packet
 * kept, or NULL with @error set (EXPLAIN_ERROR_NOT_FOUND) when the run
 * sent fewer packets. */
char *explain_collector_render (const ExplainCollector *collector,
                                gboolean ascii, GError **error);

G_END_DECLS
