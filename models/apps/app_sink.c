/* app_sink.c: a standalone receiver: listen, accept every connection,
 * read (and verify) what arrives, close when the peer's stream ends.
 *
 * A sink is the far end of the senders that have no listener of their
 * own (on-off), and the receiver of the lessons on flow control: it can
 * read slower than data arrives (read_rate_bps), or stop reading for a
 * while (pause_at_ns, pause_for_ns, or app_sink_set_reading() from a
 * scenario's timeline), so that its receive buffer fills and its window
 * closes.
 *
 * Call order: app_sink_new() -> (world start) sink_start(): listen, arm
 * the pause timer -> accepted() per connection -> readable() ->
 * sink_read(): read up to the reading budget, verify against the payload
 * pattern -> after a budgeted read, the read timer -> ... -> peer_closed()
 * and nothing left to read -> tcp_close() -> closed(): the record goes.
 */
#include "models/apps/app_private.h"

#include "models/host.h"

#include <string.h>

#define DEFAULT_READ_SIZE_BYTES 65536u
#define CHUNK_BYTES 16384u

typedef struct {
  App *app;                     /* set by sink_start(): the timers' owner */
  AppSinkConfig config;
  TcpParams tcp;
  gboolean has_tcp;
  TcpEndpoint *listener;
  gboolean reading;             /* FALSE while paused */
  SimTimer pause_timer;
  gboolean in_pause;            /* the configured pause has begun */
  GPtrArray *conns;             /* (element-type SinkConn) live, owned */
} Sink;

typedef struct {
  App *app;
  TcpEndpoint *ep;
  guint index;                  /* slot in Sink.conns */
  guint64 read_bytes;           /* stream offset of the next byte */
  gboolean fin_seen;
  gboolean close_sent;
  SimTimer read_timer;          /* armed while the reader is busy */
} SinkConn;

static void sink_start (App *app);

static Sink *
sink_of (App *app)
{
  return app->priv;
}

static void
conn_free (App *app, SinkConn *sc)
{
  GPtrArray *conns = sink_of (app)->conns;
  SinkConn *moved = g_ptr_array_index (conns, conns->len - 1);

  sim_timer_clear (network_scheduler (app->net), &sc->read_timer);
  conns->pdata[sc->index] = moved;
  moved->index = sc->index;
  g_ptr_array_set_size (conns, conns->len - 1);
  g_free (sc);
}

/* Serialization-style arithmetic, rounded up: a reader of rate_bps never
 * takes bytes faster than its rate. */
static SimTime
read_time_ns (guint64 bytes, guint64 rate_bps)
{
  return (SimTime) ((bytes * 8 * G_GUINT64_CONSTANT (1000000000)
                     + rate_bps - 1) / rate_bps);
}

/* Reads at most @max_bytes, checking each byte against the pattern. */
static guint64
read_some (SinkConn *sc, guint64 max_bytes)
{
  App *app = sc->app;
  guint8 chunk[CHUNK_BYTES];
  guint64 total = 0;

  while (total < max_bytes)
    {
      gsize want = (gsize) MIN ((guint64) sizeof chunk, max_bytes - total);
      gsize n = tcp_read (sc->ep, chunk, want);

      if (n == 0)
        break;
      app->stats.bytes_corrupt += app_payload_mismatches (sc->read_bytes,
                                                          chunk, n);
      sc->read_bytes += n;
      total += n;
    }
  app->stats.bytes_received += total;
  return total;
}

/* The stream has ended when the FIN has come and every byte before it
 * has been read: only then is the connection done and closed. */
static void
maybe_finish (SinkConn *sc)
{
  App *app = sc->app;

  if (!sc->fin_seen || sc->close_sent || sc->ep == NULL
      || tcp_readable_bytes (sc->ep) > 0)
    return;
  sc->close_sent = TRUE;
  app->stats.connections_completed++;
  app->stats.last_done_ns = network_now (app->net);
  app__trace (app, "listen", "done", sc->ep, sc->read_bytes);
  tcp_close (sc->ep);
}

static void
sink_read (SinkConn *sc)
{
  Sink *s = sink_of (sc->app);
  guint64 n;

  if (sc->ep == NULL || !s->reading
      || sim_timer_is_armed (&sc->read_timer))
    return;
  if (s->config.read_rate_bps == 0)
    {
      read_some (sc, G_MAXUINT64);
      maybe_finish (sc);
      return;
    }
  n = read_some (sc, s->config.read_size_bytes);
  if (n > 0)
    sim_timer_start (network_scheduler (sc->app->net), &sc->read_timer,
                     network_now (sc->app->net)
                     + read_time_ns (n, s->config.read_rate_bps));
  else
    maybe_finish (sc);
}

static void
read_timer_fire (SimTimer *timer, void *data)
{
  SinkConn *sc = data;

  (void) timer;
  sink_read (sc);
}

static void
on_readable (TcpEndpoint *ep, void *user)
{
  (void) ep;
  sink_read (user);
}

static void
on_peer_closed (TcpEndpoint *ep, void *user)
{
  SinkConn *sc = user;

  sc->fin_seen = TRUE;
  app__trace (sc->app, "listen", "peer-closed", ep, sc->read_bytes);
  sink_read (sc);
  maybe_finish (sc);
}

static void
on_closed (TcpEndpoint *ep, TcpCloseReason reason, void *user)
{
  SinkConn *sc = user;

  app__trace (sc->app, "listen", tcp_close_reason_name (reason), ep,
              sc->read_bytes);
  sc->ep = NULL;
  conn_free (sc->app, sc);
}

static const TcpCallbacks conn_callbacks = {
  .readable = on_readable,
  .peer_closed = on_peer_closed,
  .closed = on_closed,
};

static void
on_accepted (TcpEndpoint *listener, TcpEndpoint *child, void *user)
{
  App *app = user;
  Sink *s = sink_of (app);
  SinkConn *sc = g_new0 (SinkConn, 1);

  (void) listener;
  sc->app = app;
  sc->ep = child;
  sim_timer_init (&sc->read_timer, read_timer_fire, sc);
  sc->index = s->conns->len;
  g_ptr_array_add (s->conns, sc);
  app->stats.connections_started++;
  if (app->stats.first_start_ns < 0)
    app->stats.first_start_ns = network_now (app->net);
  tcp_endpoint_set_callbacks (child, &conn_callbacks, sc);
  app__trace (app, "listen", "accepted", child, 0);
  /* Data may have come with the handshake's last ACK. */
  if (tcp_readable_bytes (child) > 0)
    sink_read (sc);
}

static void
listener_closed (TcpEndpoint *ep, TcpCloseReason reason, void *user)
{
  (void) ep;
  (void) reason;
  sink_of (user)->listener = NULL;
}

static const TcpCallbacks listener_callbacks = {
  .accepted = on_accepted,
  .closed = listener_closed,
};

static void
read_all_conns (App *app)
{
  Sink *s = sink_of (app);

  /* By index from the end: finishing a connection does not free it (its
   * record goes when TCP reports it closed), but stay safe if it did. */
  for (guint i = s->conns->len; i > 0; i--)
    if (i - 1 < s->conns->len)
      sink_read (g_ptr_array_index (s->conns, i - 1));
}

void
app_sink_set_reading (App *app, gboolean reading)
{
  Sink *s;

  g_return_if_fail (app != NULL && app->start == sink_start);
  s = sink_of (app);
  if (s->reading == reading)
    return;
  s->reading = reading;
  app__trace (app, "listen", reading ? "resume-reading" : "pause-reading",
              NULL, 0);
  if (reading)
    read_all_conns (app);
}

static void
pause_fire (SimTimer *timer, void *data)
{
  Sink *s = data;
  App *app = s->app;

  /* The timer fires twice: when the pause begins and when it ends. */
  if (!s->in_pause)
    {
      s->in_pause = TRUE;
      app_sink_set_reading (app, FALSE);
      sim_timer_start (network_scheduler (app->net), timer,
                       network_now (app->net) + s->config.pause_for_ns);
      return;
    }
  app_sink_set_reading (app, TRUE);
}

static void
sink_start (App *app)
{
  Sink *s = sink_of (app);
  g_autoptr (GError) error = NULL;

  s->app = app;
  s->listener = tcp_listen (host_tcp (s->config.node), s->config.port,
                            s->has_tcp ? &s->tcp : NULL,
                            &listener_callbacks, app, &error);
  if (s->listener == NULL)
    {
      g_warning ("app %s: %s", app->name, error->message);
      return;
    }
  app__trace (app, "listen", "listen", s->listener, 0);
  if (s->config.pause_for_ns > 0)
    sim_timer_start (network_scheduler (app->net), &s->pause_timer,
                     MAX (s->config.pause_at_ns, network_now (app->net)));
}

static void
sink_free (App *app)
{
  Sink *s = sink_of (app);
  SimScheduler *sched = network_scheduler (app->net);

  sim_timer_clear (sched, &s->pause_timer);
  /* The stacks outlive the apps' records: silence their callbacks. */
  for (guint i = 0; i < s->conns->len; i++)
    {
      SinkConn *sc = g_ptr_array_index (s->conns, i);

      sim_timer_clear (sched, &sc->read_timer);
      if (sc->ep != NULL)
        tcp_endpoint_set_callbacks (sc->ep, NULL, NULL);
      g_free (sc);
    }
  g_ptr_array_unref (s->conns);
  if (s->listener != NULL)
    tcp_endpoint_set_callbacks (s->listener, NULL, NULL);
  g_free (s);
}

App *
app_sink_new (Network *net, const char *name, const AppSinkConfig *config,
              GError **error)
{
  Sink *s;
  App *app;

  g_return_val_if_fail (net != NULL && name != NULL && config != NULL, NULL);

  if (config->node == NULL || host_tcp (config->node) == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "app %s: the sink must be on a host", name);
      return NULL;
    }
  if (config->port == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "app %s: the port must be from 1 to 65535", name);
      return NULL;
    }
  s = g_new0 (Sink, 1);
  s->config = *config;
  if (s->config.read_size_bytes == 0)
    s->config.read_size_bytes = DEFAULT_READ_SIZE_BYTES;
  if (config->tcp != NULL)
    {
      s->tcp = *config->tcp;
      s->has_tcp = TRUE;
    }
  s->config.tcp = NULL;
  s->reading = TRUE;
  s->conns = g_ptr_array_new ();
  /* The timer is ready before app__new(), which starts the app at once
   * when the world runs already (a sink the timeline starts). */
  sim_timer_init (&s->pause_timer, pause_fire, s);
  app = app__new (net, name, sink_start, sink_free, s);
  s->app = app;
  return app;
}
