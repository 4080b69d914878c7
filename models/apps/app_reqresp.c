/* app_reqresp.c: request/response over one connection per exchange.
 *
 * Client: connect -> write the request -> read the response -> (closer)
 * close after close_delay_ns, or close after peer_close_delay_ns once the
 * server's FIN arrives.  Server: listen -> accept -> read the request ->
 * write the response -> (closer) close after close_delay_ns, or close
 * after peer_close_delay_ns once the client's FIN arrives.
 *
 * Each connection's state lives in an RRConn that the TCP callbacks carry
 * and that is freed when TCP reports the connection closed.
 */
#include "models/apps/app_private.h"

#include "models/host.h"

typedef struct {
  AppReqRespConfig config;
  AppTcpParams client_tcp;
  AppTcpParams server_tcp;
  TcpEndpoint *listener;
  guint64 launched;
  guint64 responses_done;
  SimTimer launch_timer;
  GPtrArray *conns;             /* (element-type RRConn) live, owned */
  App *app;
} ReqResp;

typedef struct {
  App *app;
  TcpEndpoint *ep;
  guint index;                  /* slot in ReqResp.conns */
  gboolean is_client;
  guint64 sent_bytes;
  guint64 received_bytes;
  gboolean responded;           /* server: response queued */
  gboolean complete;            /* client: response complete */
  gboolean close_scheduled;
  gboolean close_after_response;        /* server: FIN seen early */
  SimTimer close_timer;
} RRConn;

static const TcpCallbacks client_callbacks;
static const TcpCallbacks server_callbacks;

static ReqResp *
rr_of (App *app)
{
  return app->priv;
}

static RRConn *
conn_new (App *app, TcpEndpoint *ep, gboolean is_client);

static void
conn_free (App *app, RRConn *c)
{
  GPtrArray *conns = rr_of (app)->conns;
  RRConn *moved = g_ptr_array_index (conns, conns->len - 1);

  sim_timer_clear (network_scheduler (app->net), &c->close_timer);
  /* Swap-remove by index: thousands of connections stay O(1) each. */
  conns->pdata[c->index] = moved;
  moved->index = c->index;
  g_ptr_array_set_size (conns, conns->len - 1);
  g_free (c);
}

static void
close_fire (SimTimer *timer, void *data)
{
  RRConn *c = data;

  (void) timer;
  if (c->ep != NULL)
    {
      app__trace (c->app, c->is_client ? "client" : "server", "close", c->ep,
                  0);
      tcp_close (c->ep);
    }
}

static void
schedule_close (RRConn *c, SimTime delay_ns)
{
  if (c->close_scheduled || c->ep == NULL)
    return;
  c->close_scheduled = TRUE;
  if (delay_ns == 0)
    {
      close_fire (&c->close_timer, c);
      return;
    }
  sim_timer_start (network_scheduler (c->app->net), &c->close_timer,
                   network_now (c->app->net) + delay_ns);
}

static gboolean
closer_is (const ReqResp *rr, gboolean is_client)
{
  if (rr->config.closer == APP_CLOSER_BOTH)
    return TRUE;
  return is_client ? rr->config.closer == APP_CLOSER_CLIENT
                   : rr->config.closer == APP_CLOSER_SERVER;
}

static void
send_more (RRConn *c)
{
  ReqResp *rr = rr_of (c->app);
  guint64 total = c->is_client ? rr->config.request_bytes
                               : rr->config.response_bytes;
  guint64 before = c->sent_bytes;

  app__write_pattern (c->ep, &c->sent_bytes, total);
  c->app->stats.bytes_sent += c->sent_bytes - before;
  if (c->is_client && c->sent_bytes == total && rr->config.half_close
      && !c->close_scheduled)
    {
      /* Half-close: the request is all queued, our side is done. */
      app__trace (c->app, "client", "half-close", c->ep, total);
      schedule_close (c, 0);
      return;
    }
  if (!c->is_client && c->sent_bytes == total && !c->responded)
    {
      c->responded = TRUE;
      app__trace (c->app, "server", "response-sent", c->ep, total);
      if (closer_is (rr, FALSE))
        schedule_close (c, rr->config.close_delay_ns);
      else if (c->close_after_response)
        schedule_close (c, rr->config.peer_close_delay_ns);
    }
}

static void
client_response_complete (RRConn *c)
{
  App *app = c->app;
  ReqResp *rr = rr_of (app);

  c->complete = TRUE;
  rr->responses_done++;
  app->stats.connections_completed++;
  app->stats.last_done_ns = network_now (app->net);
  app__trace (app, "client", "response-received", c->ep, c->received_bytes);
  if (closer_is (rr, TRUE))
    schedule_close (c, rr->config.close_delay_ns);
  if (rr->config.stop_when_done && rr->responses_done == rr->config.count)
    sim_world_stop (network_world (app->net));
}

static void
on_connected (TcpEndpoint *ep, void *user)
{
  RRConn *c = user;

  app__trace (c->app, "client", "connected", ep, 0);
  send_more (c);
  if (rr_of (c->app)->config.response_bytes == 0)
    client_response_complete (c);
}

static void
on_readable (TcpEndpoint *ep, void *user)
{
  RRConn *c = user;
  ReqResp *rr = rr_of (c->app);

  app__read_verify (c->app, ep, &c->received_bytes);
  if (c->is_client)
    {
      if (!c->complete && c->received_bytes >= rr->config.response_bytes)
        client_response_complete (c);
    }
  else if (c->received_bytes >= rr->config.request_bytes && !c->responded)
    {
      app__trace (c->app, "server", "request-received", ep,
                  c->received_bytes);
      send_more (c);
    }
}

static void
on_writable (TcpEndpoint *ep, void *user)
{
  RRConn *c = user;
  ReqResp *rr = rr_of (c->app);

  (void) ep;
  if (c->is_client || c->received_bytes >= rr->config.request_bytes)
    send_more (c);
}

static void
on_peer_closed (TcpEndpoint *ep, void *user)
{
  RRConn *c = user;
  ReqResp *rr = rr_of (c->app);

  app__trace (c->app, c->is_client ? "client" : "server", "peer-closed", ep,
              0);
  if (closer_is (rr, c->is_client) && rr->config.closer != APP_CLOSER_BOTH)
    return;
  /* A server that has not finished its response (the client half-closed
   * right after its request) closes once the response is all queued:
   * closing now would cut it short. */
  if (!c->is_client && !c->responded)
    {
      c->close_after_response = TRUE;
      return;
    }
  schedule_close (c, rr->config.peer_close_delay_ns);
}

static void
on_closed (TcpEndpoint *ep, TcpCloseReason reason, void *user)
{
  RRConn *c = user;

  app__trace (c->app, c->is_client ? "client" : "server",
              tcp_close_reason_name (reason), ep, 0);
  c->ep = NULL;
  conn_free (c->app, c);
}

static void
on_accepted (TcpEndpoint *listener, TcpEndpoint *child, void *user)
{
  App *app = user;
  RRConn *c = conn_new (app, child, FALSE);

  (void) listener;
  tcp_endpoint_set_callbacks (child, &server_callbacks, c);
  app__trace (app, "server", "accepted", child, 0);
  if (rr_of (app)->config.request_bytes == 0)
    send_more (c);
}

static void
listener_closed (TcpEndpoint *ep, TcpCloseReason reason, void *user)
{
  App *app = user;

  (void) ep;
  (void) reason;
  rr_of (app)->listener = NULL;
}

static const TcpCallbacks client_callbacks = {
  .connected = on_connected,
  .readable = on_readable,
  .writable = on_writable,
  .peer_closed = on_peer_closed,
  .closed = on_closed,
};

static const TcpCallbacks server_callbacks = {
  .readable = on_readable,
  .writable = on_writable,
  .peer_closed = on_peer_closed,
  .closed = on_closed,
};

static const TcpCallbacks listener_callbacks = {
  .accepted = on_accepted,
  .closed = listener_closed,
};

static RRConn *
conn_new (App *app, TcpEndpoint *ep, gboolean is_client)
{
  RRConn *c = g_new0 (RRConn, 1);

  c->app = app;
  c->ep = ep;
  c->is_client = is_client;
  sim_timer_init (&c->close_timer, close_fire, c);
  c->index = rr_of (app)->conns->len;
  g_ptr_array_add (rr_of (app)->conns, c);
  return c;
}

static void
launch (SimTimer *timer, void *data)
{
  ReqResp *rr = data;
  App *app = rr->app;
  TcpStack *stack = host_tcp (rr->config.client);
  g_autoptr (GError) error = NULL;
  RRConn *c = conn_new (app, NULL, TRUE);
  TcpEndpoint *ep;

  (void) timer;
  rr->launched++;
  if (app->stats.first_start_ns < 0)
    app->stats.first_start_ns = network_now (app->net);
  ep = tcp_connect (stack, node_addr (rr->config.server), rr->config.port, 0,
                    app__tcp_get (&rr->client_tcp),
                    &client_callbacks, c, &error);
  if (ep == NULL)
    {
      g_warning ("app %s: %s", app->name, error->message);
      conn_free (app, c);
    }
  else
    {
      c->ep = ep;
      app->stats.connections_started++;
      app__trace (app, "client", "connect", ep, 0);
    }
  if (rr->launched < rr->config.count)
    sim_timer_start (network_scheduler (app->net), &rr->launch_timer,
                     network_now (app->net) + rr->config.interval_ns);
}

static void
rr_start (App *app)
{
  ReqResp *rr = rr_of (app);

  rr->listener = app__listen_and_arm (app, rr->config.server,
                                      rr->config.port,
                                      app__tcp_get (&rr->server_tcp),
                                      &listener_callbacks, &rr->launch_timer,
                                      rr->config.start_ns);
}

static void
rr_free (App *app)
{
  ReqResp *rr = rr_of (app);
  SimScheduler *sched = network_scheduler (app->net);

  sim_timer_clear (sched, &rr->launch_timer);
  /* Endpoints are freed by their stacks (the network component, freed
   * after the apps); only our own records go here. */
  for (guint i = 0; i < rr->conns->len; i++)
    {
      RRConn *c = g_ptr_array_index (rr->conns, i);

      sim_timer_clear (sched, &c->close_timer);
      if (c->ep != NULL)
        tcp_endpoint_set_callbacks (c->ep, NULL, NULL);
      g_free (c);
    }
  g_ptr_array_unref (rr->conns);
  if (rr->listener != NULL)
    tcp_endpoint_set_callbacks (rr->listener, NULL, NULL);
  g_free (rr);
}

App *
app_reqresp_new (Network *net, const char *name,
                 const AppReqRespConfig *config, GError **error)
{
  ReqResp *rr;
  App *app;

  if (config->client == NULL || config->server == NULL
      || host_tcp (config->client) == NULL
      || host_tcp (config->server) == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "app %s: client and server must be hosts", name);
      return NULL;
    }
  if (config->count == 0 || config->port == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "app %s: count and port must be at least 1", name);
      return NULL;
    }
  rr = g_new0 (ReqResp, 1);
  rr->config = *config;
  app__tcp_keep (&rr->client_tcp, config->client_tcp);
  app__tcp_keep (&rr->server_tcp, config->server_tcp);
  rr->config.client_tcp = NULL;
  rr->config.server_tcp = NULL;
  rr->conns = g_ptr_array_new ();
  /* The timer is ready before app__new(), which starts an app created
   * during a run at once. */
  sim_timer_init (&rr->launch_timer, launch, rr);
  app = app__new (net, name, rr_start, rr_free, rr);
  rr->app = app;
  return app;
}
