/* tcp_cc.h: the congestion-control plug (as FreeBSD's struct cc_algo).
 *
 * A module sees TcpCcVars, never the endpoint.  The endpoint's loss
 * recovery (tcp_input.c) decides when a loss happened; the module decides
 * what the window becomes.
 */
#pragma once

#include "sim/clock.h"

G_BEGIN_DECLS

typedef struct {
  guint64 cwnd_bytes;
  guint64 ssthresh_bytes;
  guint32 mss_bytes;
  guint64 flight_bytes;         /* bytes outstanding when the hook runs */
  SimTime srtt_ns;              /* 0 before the first sample */
  SimTime now_ns;
  guint64 iw_segs;              /* from the parameters; 0: RFC 5681 rule */
  guint64 priv[8];              /* module state (CUBIC's epoch, ...) */
} TcpCcVars;

typedef struct {
  const char *name;
  /* Sets the initial window and ssthresh. */
  void (*init) (TcpCcVars *cc);
  /* New data was cumulatively acknowledged outside loss recovery. */
  void (*on_ack) (TcpCcVars *cc, guint32 acked_bytes);
  /* Loss detected by duplicate ACKs: set ssthresh (the endpoint then sets
   * cwnd for fast recovery, RFC 5681 3.2 step 2-3). */
  void (*on_loss) (TcpCcVars *cc);
  /* Fast recovery ended with a full acknowledgement. */
  void (*on_recovered) (TcpCcVars *cc);
  /* The retransmission timer expired. */
  void (*on_rto) (TcpCcVars *cc);
} TcpCcOps;

/* Returns: (transfer none): the module at @index of tcp_cc_names. */
const TcpCcOps *tcp_cc_ops (guint64 index);

/* RFC 5681 section 3.1, equation 1: the initial window for @mss_bytes. */
guint64 tcp_cc_initial_window (guint32 mss_bytes, guint64 iw_segs);

extern const TcpCcOps tcp_cc_newreno;
extern const TcpCcOps tcp_cc_reno;
extern const TcpCcOps tcp_cc_cubic;

G_END_DECLS
