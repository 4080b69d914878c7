/* summary.h: the per-connection summary of a run, for the terminal and
 * for OUTDIR/summary.json.
 *
 * Built from tcp.conn records (one TcpConnStats per endpoint, at the end
 * of the run) and app.event records (which app each connection serves).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sim/trace.h"
#include "models/apps/apps.h"
#include "models/tcp/tcp.h"

G_BEGIN_DECLS

typedef struct Summary Summary;

/* Returns: (transfer full): an empty summary. */
Summary *summary_new (void);
void summary_free (Summary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Summary, summary_free)

/* A SimTraceFn reading tcp.conn and app.event records; @data is the
 * summary. */
void summary_record (const SimTraceRecord *rec, void *data);

/* Copies @stats, strings included. */
void summary_add_conn (Summary *summary, const TcpConnStats *stats);
void summary_add_app_event (Summary *summary, SimTime at_ns,
                            const AppTraceEvent *ev);
guint summary_n_conns (const Summary *summary);

/* Returns: (transfer full): the terminal table, one row per endpoint in
 * the order reported, at most @max_rows of them (0: all), then a total
 * row when there are several, and a legend.  Connections still open are
 * measured up to @end_ns, the end of the run.  Empty when no connection
 * was reported. */
char *summary_format_table (const Summary *summary, SimTime end_ns,
                            guint max_rows);

/* Returns: (transfer full): the figures of the table, every connection
 * included (schema in docs/trace-format.md). */
JsonNode *summary_to_json (const Summary *summary, SimTime end_ns);
gboolean summary_write_json (const Summary *summary, SimTime end_ns,
                             const char *path, GError **error);

/* The goodput of an endpoint, in bit/s: application bytes it received, in
 * order, over the time from its open to its last delivery.  Negative when
 * it received nothing. */
double summary_goodput_bps (const TcpConnStats *stats);

#define SUMMARY_STR_BYTES 32
/* Three significant digits and a unit: "950 bit/s", "22.2 kbit/s",
 * "1.50 Mbit/s"; "-" for a negative rate. */
void summary_format_rate (double bps, char buf[SUMMARY_STR_BYTES]);
/* A duration with three decimals in the largest fitting unit, truncated:
 * "60.050 ms", "1.000 s", "250 ns". */
void summary_format_duration (SimTime ns, char buf[SUMMARY_STR_BYTES]);

G_END_DECLS
