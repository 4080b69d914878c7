/* app_bulk.c: a bulk sender and a sink.
 *
 * Sender: connect at start_ns -> write the pattern as fast as the send
 * buffer drains -> close after the last byte (bytes = 0: never stops).
 * Sink: listen -> accept -> read and verify everything -> close when the
 * sender's FIN arrives.  With stop_when_done the world stops when the
 * sink has the last byte.
 */
#include "models/apps/app_private.h"

#include "models/host.h"

typedef struct {
  AppBulkConfig config;
  AppTcpParams sender_tcp;
  AppTcpParams receiver_tcp;
  TcpEndpoint *listener;
  TcpEndpoint *sender;
  TcpEndpoint *sink;
  guint64 written_bytes;
  guint64 read_bytes;
  gboolean closed_sender;
  SimTimer start_timer;
  App *app;
} Bulk;

static Bulk *
bulk_of (App *app)
{
  return app->priv;
}

static guint64
target_bytes (const Bulk *b)
{
  return b->config.bytes ? b->config.bytes : G_MAXUINT64;
}

static void
sender_fill (App *app)
{
  Bulk *b = bulk_of (app);
  guint64 before = b->written_bytes;

  if (b->sender == NULL || b->closed_sender)
    return;
  app__write_pattern (b->sender, &b->written_bytes, target_bytes (b));
  app->stats.bytes_sent += b->written_bytes - before;
  if (b->written_bytes == b->config.bytes && b->config.bytes > 0)
    {
      b->closed_sender = TRUE;
      app__trace (app, "sender", "close", b->sender, b->written_bytes);
      tcp_close (b->sender);
    }
}

static void
sender_connected (TcpEndpoint *ep, void *user)
{
  App *app = user;

  app__trace (app, "sender", "connected", ep, 0);
  sender_fill (app);
}

static void
sender_writable (TcpEndpoint *ep, void *user)
{
  (void) ep;
  sender_fill (user);
}

static void
sender_closed (TcpEndpoint *ep, TcpCloseReason reason, void *user)
{
  App *app = user;

  app__trace (app, "sender", tcp_close_reason_name (reason), ep, 0);
  bulk_of (app)->sender = NULL;
}

static void
sink_readable (TcpEndpoint *ep, void *user)
{
  App *app = user;
  Bulk *b = bulk_of (app);

  app__read_verify (app, ep, &b->read_bytes);
  if (b->config.bytes > 0 && b->read_bytes == b->config.bytes
      && app->stats.last_done_ns < 0)
    {
      app->stats.last_done_ns = network_now (app->net);
      app->stats.connections_completed++;
      app__trace (app, "sink", "done", ep, b->read_bytes);
      if (b->config.stop_when_done)
        sim_world_stop (network_world (app->net));
    }
}

static void
sink_peer_closed (TcpEndpoint *ep, void *user)
{
  App *app = user;

  app__trace (app, "sink", "peer-closed", ep, bulk_of (app)->read_bytes);
  tcp_close (ep);
}

static void
sink_closed (TcpEndpoint *ep, TcpCloseReason reason, void *user)
{
  App *app = user;

  app__trace (app, "sink", tcp_close_reason_name (reason), ep, 0);
  bulk_of (app)->sink = NULL;
}

static const TcpCallbacks sender_callbacks = {
  .connected = sender_connected,
  .writable = sender_writable,
  .closed = sender_closed,
};

static const TcpCallbacks sink_callbacks = {
  .readable = sink_readable,
  .peer_closed = sink_peer_closed,
  .closed = sink_closed,
};

static void
sink_accepted (TcpEndpoint *listener, TcpEndpoint *child, void *user)
{
  App *app = user;
  Bulk *b = bulk_of (app);

  (void) listener;
  b->sink = child;
  tcp_endpoint_set_callbacks (child, &sink_callbacks, app);
  app__trace (app, "sink", "accepted", child, 0);
  /* Data may have arrived with the handshake's last ACK. */
  if (tcp_readable_bytes (child) > 0)
    sink_readable (child, app);
}

static void
listener_closed (TcpEndpoint *ep, TcpCloseReason reason, void *user)
{
  (void) ep;
  (void) reason;
  bulk_of (user)->listener = NULL;
}

static const TcpCallbacks listener_callbacks = {
  .accepted = sink_accepted,
  .closed = listener_closed,
};

static void
start_fire (SimTimer *timer, void *data)
{
  Bulk *b = data;
  App *app = b->app;
  g_autoptr (GError) error = NULL;

  (void) timer;
  app->stats.first_start_ns = network_now (app->net);
  b->sender = tcp_connect (host_tcp (b->config.sender),
                           node_addr (b->config.receiver), b->config.port, 0,
                           app__tcp_get (&b->sender_tcp),
                           &sender_callbacks, app, &error);
  if (b->sender == NULL)
    {
      g_warning ("app %s: %s", app->name, error->message);
      return;
    }
  app->stats.connections_started++;
  app__trace (app, "sender", "connect", b->sender, 0);
}

static void
bulk_start (App *app)
{
  Bulk *b = bulk_of (app);

  b->listener = app__listen_and_arm (app, b->config.receiver, b->config.port,
                                     app__tcp_get (&b->receiver_tcp),
                                     &listener_callbacks, &b->start_timer,
                                     b->config.start_ns);
}

static void
bulk_free (App *app)
{
  Bulk *b = bulk_of (app);

  sim_timer_clear (network_scheduler (app->net), &b->start_timer);
  /* The stacks outlive the apps' records: silence their callbacks. */
  if (b->sender != NULL)
    tcp_endpoint_set_callbacks (b->sender, NULL, NULL);
  if (b->sink != NULL)
    tcp_endpoint_set_callbacks (b->sink, NULL, NULL);
  if (b->listener != NULL)
    tcp_endpoint_set_callbacks (b->listener, NULL, NULL);
  g_free (b);
}

App *
app_bulk_new (Network *net, const char *name, const AppBulkConfig *config,
              GError **error)
{
  Bulk *b;
  App *app;

  if (config->sender == NULL || config->receiver == NULL
      || host_tcp (config->sender) == NULL
      || host_tcp (config->receiver) == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "app %s: sender and receiver must be hosts", name);
      return NULL;
    }
  if (config->port == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "app %s: the port must be from 1 to 65535", name);
      return NULL;
    }
  b = g_new0 (Bulk, 1);
  b->config = *config;
  app__tcp_keep (&b->sender_tcp, config->sender_tcp);
  app__tcp_keep (&b->receiver_tcp, config->receiver_tcp);
  b->config.sender_tcp = NULL;
  b->config.receiver_tcp = NULL;
  /* The timer is ready before app__new(), which starts an app created
   * during a run at once. */
  sim_timer_init (&b->start_timer, start_fire, b);
  app = app__new (net, name, bulk_start, bulk_free, b);
  b->app = app;
  return app;
}
