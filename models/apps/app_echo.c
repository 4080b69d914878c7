/* app_echo.c: an echo service and its client (RFC 862 over TCP).
 *
 * The client connects, sends a message of message_bytes, waits until the
 * whole echo has come back, thinks for interval_ns, and sends the next,
 * count times; then it closes.  The server writes back every byte it
 * reads, and closes when the client's stream has ended and the last byte
 * is echoed.  Small messages in both directions, one at a time, are the
 * traffic of interactive sessions: what delayed ACKs and Nagle's
 * algorithm were made for.
 *
 * Both streams follow the payload pattern from offset 0, so the server
 * verifies what it reads, and writes back the pattern from the offset it
 * has echoed so far, and the client verifies the echo.
 *
 * Call order: app_echo_new() -> (world start) echo_start(): listen, arm
 * the start timer -> launch(): tcp_connect() -> client connected(): the
 * first message -> server readable(): read, echo -> client readable():
 * echo complete -> think timer -> next message ... -> client close ->
 * server peer_closed(): close once everything is echoed.
 */
#include "models/apps/app_private.h"

#include "models/host.h"

typedef struct {
  App *app;                     /* set by echo_start(): the timers' owner */
  AppEchoConfig config;
  AppTcpParams client_tcp;
  AppTcpParams server_tcp;
  TcpEndpoint *listener;
  TcpEndpoint *client;
  GPtrArray *servers;           /* (element-type EchoServer) live, owned */
  guint64 messages_sent;
  guint64 sent_bytes;           /* client: written so far */
  guint64 goal_bytes;           /* client: end of the current message */
  guint64 echoed_bytes;         /* client: echo received so far */
  gboolean client_closed;
  SimTimer start_timer;
  SimTimer think_timer;
} Echo;

typedef struct {
  App *app;
  TcpEndpoint *ep;
  guint index;                  /* slot in Echo.servers */
  guint64 read_bytes;
  guint64 written_bytes;
  gboolean fin_seen;
  gboolean close_sent;
} EchoServer;

static Echo *
echo_of (App *app)
{
  return app->priv;
}

/* ---------------------------------------------------------------- */
/* Server                                                           */

static void
server_free (App *app, EchoServer *es)
{
  GPtrArray *servers = echo_of (app)->servers;
  EchoServer *moved = g_ptr_array_index (servers, servers->len - 1);

  servers->pdata[es->index] = moved;
  moved->index = es->index;
  g_ptr_array_set_size (servers, servers->len - 1);
  g_free (es);
}

static void
server_pump (EchoServer *es)
{
  App *app = es->app;
  guint64 before;

  if (es->ep == NULL || es->close_sent)
    return;
  app__read_verify (app, es->ep, &es->read_bytes);
  before = es->written_bytes;
  app__write_pattern (es->ep, &es->written_bytes, es->read_bytes);
  app->stats.bytes_sent += es->written_bytes - before;
  if (es->fin_seen && es->written_bytes == es->read_bytes
      && tcp_readable_bytes (es->ep) == 0)
    {
      es->close_sent = TRUE;
      app__trace (app, "server", "close", es->ep, es->written_bytes);
      tcp_close (es->ep);
    }
}

static void
server_readable (TcpEndpoint *ep, void *user)
{
  (void) ep;
  server_pump (user);
}

static void
server_writable (TcpEndpoint *ep, void *user)
{
  (void) ep;
  server_pump (user);
}

static void
server_peer_closed (TcpEndpoint *ep, void *user)
{
  EchoServer *es = user;

  app__trace (es->app, "server", "peer-closed", ep, es->read_bytes);
  es->fin_seen = TRUE;
  server_pump (es);
}

static void
server_closed (TcpEndpoint *ep, TcpCloseReason reason, void *user)
{
  EchoServer *es = user;

  app__trace (es->app, "server", tcp_close_reason_name (reason), ep, 0);
  es->ep = NULL;
  server_free (es->app, es);
}

static const TcpCallbacks server_callbacks = {
  .readable = server_readable,
  .writable = server_writable,
  .peer_closed = server_peer_closed,
  .closed = server_closed,
};

static void
on_accepted (TcpEndpoint *listener, TcpEndpoint *child, void *user)
{
  App *app = user;
  Echo *e = echo_of (app);
  EchoServer *es = g_new0 (EchoServer, 1);

  (void) listener;
  es->app = app;
  es->ep = child;
  es->index = e->servers->len;
  g_ptr_array_add (e->servers, es);
  tcp_endpoint_set_callbacks (child, &server_callbacks, es);
  app__trace (app, "server", "accepted", child, 0);
  if (tcp_readable_bytes (child) > 0)
    server_pump (es);
}

static void
listener_closed (TcpEndpoint *ep, TcpCloseReason reason, void *user)
{
  (void) ep;
  (void) reason;
  echo_of (user)->listener = NULL;
}

static const TcpCallbacks listener_callbacks = {
  .accepted = on_accepted,
  .closed = listener_closed,
};

/* ---------------------------------------------------------------- */
/* Client                                                           */

static void
client_write (App *app)
{
  Echo *e = echo_of (app);
  guint64 before = e->sent_bytes;

  if (e->client == NULL || e->client_closed)
    return;
  app__write_pattern (e->client, &e->sent_bytes, e->goal_bytes);
  app->stats.bytes_sent += e->sent_bytes - before;
}

static void
client_next_message (App *app)
{
  Echo *e = echo_of (app);

  if (e->client == NULL || e->client_closed)
    return;
  if (e->messages_sent == e->config.count)
    {
      e->client_closed = TRUE;
      app->stats.connections_completed++;
      app->stats.last_done_ns = network_now (app->net);
      app__trace (app, "client", "close", e->client, e->echoed_bytes);
      tcp_close (e->client);
      if (e->config.stop_when_done)
        sim_world_stop (network_world (app->net));
      return;
    }
  e->messages_sent++;
  e->goal_bytes += e->config.message_bytes;
  app__trace (app, "client", "message", e->client, e->config.message_bytes);
  client_write (app);
}

static void
think_fire (SimTimer *timer, void *data)
{
  (void) timer;
  client_next_message (((Echo *) data)->app);
}

static void
client_connected (TcpEndpoint *ep, void *user)
{
  App *app = user;

  app__trace (app, "client", "connected", ep, 0);
  client_next_message (app);
}

static void
client_readable (TcpEndpoint *ep, void *user)
{
  App *app = user;
  Echo *e = echo_of (app);

  app__read_verify (app, ep, &e->echoed_bytes);
  if (e->echoed_bytes < e->goal_bytes || e->client_closed
      || sim_timer_is_armed (&e->think_timer))
    return;
  app__trace (app, "client", "echo-received", ep, e->config.message_bytes);
  if (e->config.interval_ns == 0 || e->messages_sent == e->config.count)
    client_next_message (app);
  else
    sim_timer_start (network_scheduler (app->net), &e->think_timer,
                     network_now (app->net) + e->config.interval_ns);
}

static void
client_writable (TcpEndpoint *ep, void *user)
{
  (void) ep;
  client_write (user);
}

static void
client_peer_closed (TcpEndpoint *ep, void *user)
{
  App *app = user;
  Echo *e = echo_of (app);

  /* The server closes only after the client: a FIN before that means the
   * server went away; stop and close too. */
  app__trace (app, "client", "peer-closed", ep, e->echoed_bytes);
  if (!e->client_closed)
    {
      e->client_closed = TRUE;
      tcp_close (ep);
    }
}

static void
client_closed (TcpEndpoint *ep, TcpCloseReason reason, void *user)
{
  App *app = user;
  Echo *e = echo_of (app);

  app__trace (app, "client", tcp_close_reason_name (reason), ep, 0);
  e->client = NULL;
  sim_timer_stop (network_scheduler (app->net), &e->think_timer);
}

static const TcpCallbacks client_callbacks = {
  .connected = client_connected,
  .readable = client_readable,
  .writable = client_writable,
  .peer_closed = client_peer_closed,
  .closed = client_closed,
};

static void
start_fire (SimTimer *timer, void *data)
{
  Echo *e = data;
  App *app = e->app;
  g_autoptr (GError) error = NULL;

  (void) timer;
  app->stats.first_start_ns = network_now (app->net);
  e->client = tcp_connect (host_tcp (e->config.client),
                           node_addr (e->config.server), e->config.port, 0,
                           app__tcp_get (&e->client_tcp),
                           &client_callbacks, app, &error);
  if (e->client == NULL)
    {
      g_warning ("app %s: %s", app->name, error->message);
      return;
    }
  app->stats.connections_started++;
  app__trace (app, "client", "connect", e->client, 0);
}

static void
echo_start (App *app)
{
  Echo *e = echo_of (app);

  e->app = app;
  e->listener = app__listen_and_arm (app, e->config.server, e->config.port,
                                     app__tcp_get (&e->server_tcp),
                                     &listener_callbacks, &e->start_timer,
                                     e->config.start_ns);
}

static void
echo_free (App *app)
{
  Echo *e = echo_of (app);
  SimScheduler *sched = network_scheduler (app->net);

  sim_timer_clear (sched, &e->start_timer);
  sim_timer_clear (sched, &e->think_timer);
  for (guint i = 0; i < e->servers->len; i++)
    {
      EchoServer *es = g_ptr_array_index (e->servers, i);

      if (es->ep != NULL)
        tcp_endpoint_set_callbacks (es->ep, NULL, NULL);
      g_free (es);
    }
  g_ptr_array_unref (e->servers);
  if (e->client != NULL)
    tcp_endpoint_set_callbacks (e->client, NULL, NULL);
  if (e->listener != NULL)
    tcp_endpoint_set_callbacks (e->listener, NULL, NULL);
  g_free (e);
}

App *
app_echo_new (Network *net, const char *name, const AppEchoConfig *config,
              GError **error)
{
  Echo *e;
  App *app;

  g_return_val_if_fail (net != NULL && name != NULL && config != NULL, NULL);

  if (config->client == NULL || config->server == NULL
      || host_tcp (config->client) == NULL
      || host_tcp (config->server) == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "app %s: client and server must be hosts", name);
      return NULL;
    }
  if (config->port == 0 || config->count == 0 || config->message_bytes == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "app %s: port, count and message size must be at "
                   "least 1", name);
      return NULL;
    }
  e = g_new0 (Echo, 1);
  e->config = *config;
  app__tcp_keep (&e->client_tcp, config->client_tcp);
  app__tcp_keep (&e->server_tcp, config->server_tcp);
  e->config.client_tcp = NULL;
  e->config.server_tcp = NULL;
  e->servers = g_ptr_array_new ();
  /* The timers are ready before app__new(), which starts the app at once
   * when the world runs already (an echo the timeline starts). */
  sim_timer_init (&e->start_timer, start_fire, e);
  sim_timer_init (&e->think_timer, think_fire, e);
  app = app__new (net, name, echo_start, echo_free, e);
  e->app = app;
  return app;
}
