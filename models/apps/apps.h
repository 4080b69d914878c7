/* apps.h: applications that drive TCP endpoints.  They talk to tcp.h only.
 *
 * Each constructor returns an App owned by the network's world; the app
 * acts from its start time on.  Payload bytes follow app_payload_byte(),
 * a fixed function of the stream offset, so a receiver can check every
 * delivered byte without the sender keeping a copy.
 */
#pragma once

#include "models/network.h"
#include "models/tcp/tcp.h"

G_BEGIN_DECLS

typedef struct App App;

typedef enum {
  APP_CLOSER_CLIENT,            /* the client closes after the response */
  APP_CLOSER_SERVER,            /* the server closes after responding */
  APP_CLOSER_BOTH,              /* both at the same instant */
} AppCloser;

extern const char *const app_closer_names[];

/* Request/response: the client connects, sends request_bytes; the server,
 * once it has the whole request, answers response_bytes.  Then the closer
 * closes after close_delay_ns; the other side closes when it sees the FIN
 * (after its own close_delay_ns, for a server, when server_delay_ns > 0).
 * With count > 1, a new connection starts every interval_ns. */
typedef struct {
  Node *client;
  Node *server;
  guint16 port;
  guint64 request_bytes;
  guint64 response_bytes;
  SimTime start_ns;
  AppCloser closer;
  SimTime close_delay_ns;       /* the closer's pause before close */
  SimTime peer_close_delay_ns;  /* the other side's pause after the FIN */
  gboolean half_close;          /* the client closes its sending side
                                 * right after the request (as
                                 * shutdown(SHUT_WR)) and reads the whole
                                 * response in FIN_WAIT_2 */
  guint64 count;                /* connections, >= 1 */
  SimTime interval_ns;
  gboolean stop_when_done;      /* stop the world when the last response
                                 * has reached its client */
  const TcpParams *client_tcp;  /* (nullable): the host's defaults */
  const TcpParams *server_tcp;  /* (nullable) */
} AppReqRespConfig;

/* Bulk transfer: the sender connects and writes bytes (0: until the run
 * ends), then closes; the sink on the receiver reads everything and closes
 * when the sender's FIN arrives. */
typedef struct {
  Node *sender;
  Node *receiver;
  guint16 port;
  guint64 bytes;
  SimTime start_ns;
  gboolean stop_when_done;      /* stop the world when the last byte is
                                 * delivered */
  const TcpParams *sender_tcp;  /* (nullable) */
  const TcpParams *receiver_tcp;/* (nullable) */
} AppBulkConfig;

/* Returns: (transfer none) (nullable): NULL with @error set when the
 * configuration is impossible (port in use, zero count). */
App *app_reqresp_new (Network *net, const char *name,
                      const AppReqRespConfig *config, GError **error);
App *app_bulk_new (Network *net, const char *name,
                   const AppBulkConfig *config, GError **error);

const char *app_name (const App *app);

/* The stream pattern repeats every APP_PAYLOAD_PERIOD_BYTES, a prime, so
 * no segment size or window lines up with it: a receiver that misplaces
 * bytes by any amount below the period sees different values. */
#define APP_PAYLOAD_PERIOD_BYTES 65521u

/* Returns: (transfer none): the pattern, APP_PAYLOAD_PERIOD_BYTES long
 * followed by a copy of its first 64 KiB, so that any run of up to 64 KiB
 * starting inside the period is contiguous. */
const guint8 *app_payload_table (void);

/* The byte at @offset of the stream an app writes. */
static inline guint8
app_payload_byte (guint64 offset)
{
  return app_payload_table ()[offset % APP_PAYLOAD_PERIOD_BYTES];
}

/* Copies the @len_bytes of the stream from @offset into @buf. */
void app_payload_fill (guint64 offset, guint8 *buf, gsize len_bytes);
/* Counts the bytes of @buf that differ from the stream at @offset. */
guint64 app_payload_mismatches (guint64 offset, const guint8 *buf,
                                gsize len_bytes);

/* Counters of an app, by side. */
typedef struct {
  guint64 connections_started;
  guint64 connections_completed;
  guint64 bytes_sent;
  guint64 bytes_received;
  guint64 bytes_corrupt;        /* received bytes that differ from the
                                 * stream's pattern: must stay 0 */
  SimTime first_start_ns;
  SimTime last_done_ns;         /* -1 until done */
} AppStats;

const AppStats *app_stats (const App *app);

/* Trace kind app.event; the body is an AppTraceEvent. */
extern const SimTraceKind app_trace_event;

typedef struct {
  const char *app;
  const char *side;             /* "client", "server", "sender", "sink" */
  const char *what;             /* "start", "request-sent", "done", ... */
  const char *conn;             /* (nullable) */
  guint64 bytes;
} AppTraceEvent;

/* The apps below are the scenario language's (app_sink.c, app_onoff.c,
 * app_echo.c); their sides are named after the keys that place them:
 * "listen" for a sink, "from" for an on-off sender, "client" and
 * "server" for echo. */

/* Sink: listens on port and reads every connection it accepts, checking
 * each byte against the payload pattern; closes a connection when the
 * peer's stream has ended and every byte is read.  It may read slower
 * than data arrives (at most read_size_bytes per read, then nothing
 * for the time those bytes take at read_rate_bps), and stop reading for
 * pause_for_ns from pause_at_ns: its window then closes. */
typedef struct {
  Node *node;
  guint16 port;
  guint64 read_rate_bps;        /* 0: read everything at once */
  guint64 read_size_bytes;      /* per read, with a rate; 0: 64 KiB */
  SimTime pause_at_ns;
  SimTime pause_for_ns;         /* 0: no pause */
  const TcpParams *tcp;         /* (nullable): the host's defaults */
} AppSinkConfig;

/* On-off sender: connects to a listener another app provides (a sink),
 * and alternates on_ns of producing at rate_bps, in writes of
 * chunk_bytes (rate 0: as fast as the send buffer drains), with off_ns
 * of silence (0: always on); closes after bytes (0: never). */
typedef struct {
  Node *sender;
  Node *receiver;
  guint16 port;
  guint64 rate_bps;             /* 0: unlimited */
  guint64 chunk_bytes;          /* write size with a rate, >= 1 */
  SimTime on_ns;
  SimTime off_ns;               /* 0: no OFF periods */
  guint64 bytes;                /* 0: unlimited */
  SimTime start_ns;
  const TcpParams *tcp;         /* (nullable) */
} AppOnOffConfig;

/* Echo: the client sends count messages of message_bytes, each after the
 * echo of the previous one is complete and interval_ns of thinking; the
 * server writes back everything it reads and closes after the client. */
typedef struct {
  Node *client;
  Node *server;
  guint16 port;
  guint64 message_bytes;
  guint64 count;
  SimTime interval_ns;
  SimTime start_ns;
  gboolean stop_when_done;      /* stop the world when the last echo is
                                 * in and the client closes */
  const TcpParams *client_tcp;  /* (nullable) */
  const TcpParams *server_tcp;  /* (nullable) */
} AppEchoConfig;

App *app_sink_new (Network *net, const char *name,
                   const AppSinkConfig *config, GError **error);
App *app_onoff_new (Network *net, const char *name,
                    const AppOnOffConfig *config, GError **error);
App *app_echo_new (Network *net, const char *name,
                   const AppEchoConfig *config, GError **error);

/* A scenario's timeline stops and resumes a sink's reading ... */
void app_sink_set_reading (App *app, gboolean reading);
/* ... and an on-off sender's producing (stopped: an OFF period without
 * end; running again: a new ON period). */
void app_onoff_set_running (App *app, gboolean running);

G_END_DECLS
