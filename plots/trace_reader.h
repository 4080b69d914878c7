/* trace_reader.h: reads trace.jsonl back into typed records, so that
 * every view of a run can be drawn again without running it.
 *
 * Call order: trace_reader_new() -> trace_reader_add_sink() for each
 * consumer (seqdiag_replay_record, plot_data_record, ...) ->
 * trace_reader_read_file() (or trace_reader_feed_line() per line, or
 * trace_reader_record() as a live trace-bus subscriber) -> the sinks'
 * own finish functions -> trace_reader_free().
 *
 * A TraceRecord decodes the fields that docs/trace-format.md documents
 * for the kinds the views use; every record, of whatever kind, also
 * keeps its JSON object for the fields it does not decode.  Strings and
 * the object are valid only while a sink runs.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sim/trace.h"
#include "models/apps/apps.h"
#include "models/ipv4.h"
#include "models/tcp/tcp.h"

G_BEGIN_DECLS

#define TRACE_READER_ERROR (trace_reader_error_quark ())
GQuark trace_reader_error_quark (void);

typedef enum {
  TRACE_READER_ERROR_PARSE,     /* a line is not a JSON object */
  TRACE_READER_ERROR_FIELD,     /* a field is missing or of a wrong type */
} TraceReaderError;

typedef enum {
  TRACE_KIND_OTHER,             /* a kind the views do not use */
  TRACE_KIND_LINK_TX,
  TRACE_KIND_LINK_RX,
  TRACE_KIND_LINK_DROP,
  TRACE_KIND_NODE_DROP,
  TRACE_KIND_TCP_STATE,
  TRACE_KIND_TCP_TIMER,
  TRACE_KIND_TCP_VARS,
  TRACE_KIND_TCP_EVENT,
  TRACE_KIND_TCP_CONN,
  TRACE_KIND_APP_EVENT,
  TRACE_N_KINDS
} TraceKind;

/* "link.tx", ...; "other" for TRACE_KIND_OTHER. */
const char *trace_kind_name (TraceKind kind);

#define TRACE_MAX_SACK_BLOCKS 4u

/* The segment fields of link.* and node.drop records. */
typedef struct {
  guint64 uid;
  guint32 ip_bytes;             /* "bytes": the whole IPv4 packet */
  gboolean tcp;                 /* FALSE: not TCP, or its headers did not
                                 * parse; only uid and ip_bytes are set */
  Ipv4Addr src;
  guint16 sport;
  Ipv4Addr dst;
  guint16 dport;
  guint8 flags;                 /* TCP_FIN ... TCP_CWR */
  guint32 seq;
  guint32 ack;
  guint32 rel_seq;
  guint32 rel_ack;
  guint32 len_bytes;            /* "len": payload */
  guint16 win;                  /* the window field, unscaled */
  guint16 hlen_bytes;
  guint16 mss_bytes;            /* 0: no MSS option */
  gint8 wscale;                 /* -1: no window-scale option */
  gboolean sack_ok;
  gboolean timestamps;
  guint32 tsval;
  guint32 tsecr;
  guint n_sack;
  guint32 sack[TRACE_MAX_SACK_BLOCKS][2];  /* [start, end), relative to the
                                            * ISN of the data they ACK */
} TraceSegment;

typedef struct {
  const char *link;             /* link.*: link name */
  const char *dir;              /* link.*: "from>to" */
  const char *node;             /* node.drop: node name */
  const char *reason;           /* (nullable): drops only */
  SimTime arrive_ns;            /* -1: absent */
  gint64 queue_pkts;            /* -1: absent */
  TraceSegment seg;
} TracePacket;

typedef struct {
  const char *host;
  const char *conn;
  const char *from;             /* state names as traced */
  const char *to;
} TraceState;

typedef struct {
  const char *host;
  const char *conn;
  const char *timer;
  const char *action;
  SimTime deadline_ns;          /* -1: absent */
} TraceTimer;

typedef struct {
  SimTime t_ns;
  TraceKind kind;
  const char *ev;               /* the kind's name as written */
  JsonObject *object;           /* the whole record */
  union {
    TracePacket packet;         /* LINK_TX, LINK_RX, LINK_DROP, NODE_DROP */
    TraceState state;           /* TCP_STATE */
    TraceTimer timer;           /* TCP_TIMER */
    TcpTraceVars vars;          /* TCP_VARS: rtt_sample_ns -1 when absent */
    TcpTraceEvent event;        /* TCP_EVENT */
    TcpConnStats conn;          /* TCP_CONN */
    AppTraceEvent app;          /* APP_EVENT */
  };
} TraceRecord;

typedef void (*TraceRecordFn) (const TraceRecord *rec, void *data);

typedef struct TraceReader TraceReader;

/* Returns: (transfer full): a reader without sinks. */
TraceReader *trace_reader_new (void);
void trace_reader_free (TraceReader *reader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TraceReader, trace_reader_free)

/* Adds a consumer; records reach sinks in the order added. */
void trace_reader_add_sink (TraceReader *reader, TraceRecordFn fn,
                            void *data);

/* Records of kind @ev ("tcp.timer") reach no sink: a line that starts
 * as trace.jsonl writes it, {"t_ns":N,"ev":"KIND", is then counted
 * without being parsed, which spares the JSON parser most of a trace
 * when the sinks need few kinds.  tcp.conn is never skipped (it dates
 * the end of the run).  Other lines are parsed, and their records still
 * reach no sink. */
void trace_reader_skip_kind (TraceReader *reader, const char *ev);

/* Decodes one line (without its newline; @len_bytes -1: NUL-terminated)
 * and hands the record to every sink.  A blank line is skipped.  Returns
 * FALSE with @error set when the line is not a trace record. */
gboolean trace_reader_feed_line (TraceReader *reader, const char *line,
                                 gssize len_bytes, GError **error);

/* Feeds every line of @path.  Errors name the file and line:
 * "PATH:LINE: message".  Returns FALSE at the first bad line. */
gboolean trace_reader_read_file (TraceReader *reader, const char *path,
                                 GError **error);

/* A SimTraceFn, @data being the reader: writes the live record as
 * trace.jsonl would and feeds that line, so that a view built live is
 * the one built from the file.  The first error is kept (see
 * trace_reader_take_error()) and later records are ignored. */
void trace_reader_record (const SimTraceRecord *rec, void *data);
/* Returns: (transfer full) (nullable): the error kept by
 * trace_reader_record(), or NULL. */
GError *trace_reader_take_error (TraceReader *reader);

/* Records read so far. */
guint64 trace_reader_n_records (const TraceReader *reader);
/* When the run ended as far as the trace tells: the time of its tcp.conn
 * records (hosts report their connections when the run finishes), else
 * the time of the last record; 0 for an empty trace. */
SimTime trace_reader_end_ns (const TraceReader *reader);

/* Parses the flags as the trace writes them ("S.", "FP.", "-") into
 * TCP_* bits.  Returns FALSE on a letter that is not a flag. */
gboolean trace_flags_parse (const char *text, guint8 *flags);

/* Parses "A.B.C.D:PORT".  Returns FALSE when it is not one. */
gboolean trace_addr_port_parse (const char *text, Ipv4Addr *addr,
                                guint16 *port);

/* Splits a link direction "from>to" into its node names.  Returns FALSE
 * when @dir has no '>'. */
gboolean trace_dir_split (const char *dir, char **from, char **to);

G_END_DECLS
