/* app_onoff.c: an on-off sender over one connection.
 *
 * The sender connects to a listener another app provides (a sink, an
 * echo server) and alternates ON periods, in which it produces data at
 * rate_bps in writes of chunk_bytes (or, with rate_bps 0, as fast as the
 * send buffer drains, like a bulk sender), and OFF periods, in which it
 * produces nothing.  With off_ns 0 it is always on.  It closes once it
 * has written bytes in all (0: never).  Production and writing are
 * apart: what was produced while the send buffer was full waits in the
 * application (the backlog) and is written as space frees, even in an
 * OFF period, the way a blocked writer resumes.
 *
 * Call order: app_onoff_new() -> (world start) onoff_start() -> start
 * timer: tcp_connect() -> connected(): the first ON period -> tick timer
 * per chunk, period timer per ON/OFF edge -> writable(): the backlog ->
 * close after the last byte.  app_onoff_set_running() stops producing
 * (an OFF period without end) and starts again (a new ON period).
 */
#include "models/apps/app_private.h"

#include "models/host.h"

typedef struct {
  App *app;                     /* set by onoff_start(): the timers' owner */
  AppOnOffConfig config;
  TcpParams tcp;
  gboolean has_tcp;
  TcpEndpoint *ep;
  gboolean on;                  /* in an ON period */
  gboolean running;             /* FALSE after app_onoff_set_running() */
  gboolean closed;              /* our FIN is queued */
  guint64 produced_bytes;
  guint64 written_bytes;
  SimTimer start_timer;
  SimTimer tick_timer;          /* the next chunk, while ON at a rate */
  SimTimer period_timer;        /* the next ON/OFF edge */
} OnOff;

static void onoff_start (App *app);

static OnOff *
onoff_of (App *app)
{
  return app->priv;
}

static guint64
target_bytes (const OnOff *o)
{
  return o->config.bytes ? o->config.bytes : G_MAXUINT64;
}

static SimTime
chunk_time_ns (const OnOff *o)
{
  /* Rounded up, so that the sender never exceeds its rate. */
  return (SimTime) ((o->config.chunk_bytes * 8
                     * G_GUINT64_CONSTANT (1000000000)
                     + o->config.rate_bps - 1) / o->config.rate_bps);
}

static void
flush (App *app)
{
  OnOff *o = onoff_of (app);
  guint64 before = o->written_bytes;

  if (o->ep == NULL || o->closed)
    return;
  app__write_pattern (o->ep, &o->written_bytes, o->produced_bytes);
  app->stats.bytes_sent += o->written_bytes - before;
  if (o->written_bytes == o->config.bytes && o->config.bytes > 0)
    {
      o->closed = TRUE;
      app->stats.connections_completed++;
      app->stats.last_done_ns = network_now (app->net);
      app__trace (app, "from", "close", o->ep, o->written_bytes);
      tcp_close (o->ep);
    }
}

/* Produces what an ON period allows now: one chunk at a rate, or, with
 * no rate, as much as the send buffer takes. */
static void
produce (App *app)
{
  OnOff *o = onoff_of (app);
  guint64 target = target_bytes (o);

  if (!o->on || o->closed || o->ep == NULL || o->produced_bytes >= target)
    return;
  if (o->config.rate_bps == 0)
    {
      /* Keep the backlog at most one send buffer ahead of the writes:
       * "unlimited" is as fast as TCP drains, not an infinite sum. */
      guint64 room = tcp_writable_bytes (o->ep);

      o->produced_bytes = MIN (target, o->written_bytes + MAX (room, 1));
      flush (app);
      return;
    }
  o->produced_bytes = MIN (target, o->produced_bytes
                                   + o->config.chunk_bytes);
  flush (app);
  if (o->produced_bytes < target)
    sim_timer_start (network_scheduler (app->net), &o->tick_timer,
                     network_now (app->net) + chunk_time_ns (o));
}

static void
tick_fire (SimTimer *timer, void *data)
{
  (void) timer;
  produce (((OnOff *) data)->app);
}

static void
set_on (App *app, gboolean on)
{
  OnOff *o = onoff_of (app);
  SimScheduler *sched = network_scheduler (app->net);

  o->on = on;
  sim_timer_stop (sched, &o->tick_timer);
  sim_timer_stop (sched, &o->period_timer);
  app__trace (app, "from", on ? "on" : "off", o->ep, o->produced_bytes);
  if (on)
    {
      if (o->config.off_ns > 0)
        sim_timer_start (sched, &o->period_timer,
                         network_now (app->net) + o->config.on_ns);
      produce (app);
    }
  else if (o->running)
    sim_timer_start (sched, &o->period_timer,
                     network_now (app->net) + o->config.off_ns);
}

static void
period_fire (SimTimer *timer, void *data)
{
  App *app = ((OnOff *) data)->app;

  (void) timer;
  if (onoff_of (app)->running && !onoff_of (app)->closed)
    set_on (app, !onoff_of (app)->on);
}

static void
on_connected (TcpEndpoint *ep, void *user)
{
  App *app = user;

  app__trace (app, "from", "connected", ep, 0);
  if (onoff_of (app)->running)
    set_on (app, TRUE);
}

static void
on_writable (TcpEndpoint *ep, void *user)
{
  App *app = user;
  OnOff *o = onoff_of (app);

  (void) ep;
  flush (app);
  /* Without a rate, production follows the drain. */
  if (o->config.rate_bps == 0)
    produce (app);
}

static void
on_peer_closed (TcpEndpoint *ep, void *user)
{
  App *app = user;

  /* A listener that closes first ends the exchange: stop producing and
   * close our side too. */
  app__trace (app, "from", "peer-closed", ep, 0);
  onoff_of (app)->on = FALSE;
  if (!onoff_of (app)->closed)
    {
      onoff_of (app)->closed = TRUE;
      tcp_close (ep);
    }
}

static void
on_closed (TcpEndpoint *ep, TcpCloseReason reason, void *user)
{
  App *app = user;
  OnOff *o = onoff_of (app);
  SimScheduler *sched = network_scheduler (app->net);

  app__trace (app, "from", tcp_close_reason_name (reason), ep,
              o->written_bytes);
  o->ep = NULL;
  o->on = FALSE;
  sim_timer_stop (sched, &o->tick_timer);
  sim_timer_stop (sched, &o->period_timer);
}

static const TcpCallbacks callbacks = {
  .connected = on_connected,
  .writable = on_writable,
  .peer_closed = on_peer_closed,
  .closed = on_closed,
};

void
app_onoff_set_running (App *app, gboolean running)
{
  OnOff *o;

  g_return_if_fail (app != NULL && app->start == onoff_start);
  o = onoff_of (app);
  if (o->running == running)
    return;
  o->running = running;
  if (o->ep == NULL || o->closed
      || tcp_endpoint_state (o->ep) == TCP_STATE_SYN_SENT)
    return;                     /* connected() looks at running */
  set_on (app, running);
}

static void
start_fire (SimTimer *timer, void *data)
{
  OnOff *o = data;
  App *app = o->app;
  g_autoptr (GError) error = NULL;

  (void) timer;
  app->stats.first_start_ns = network_now (app->net);
  o->ep = tcp_connect (host_tcp (o->config.sender),
                       node_addr (o->config.receiver), o->config.port, 0,
                       o->has_tcp ? &o->tcp : NULL, &callbacks, app, &error);
  if (o->ep == NULL)
    {
      g_warning ("app %s: %s", app->name, error->message);
      return;
    }
  app->stats.connections_started++;
  app__trace (app, "from", "connect", o->ep, 0);
}

static void
onoff_start (App *app)
{
  OnOff *o = onoff_of (app);

  o->app = app;
  sim_timer_start (network_scheduler (app->net), &o->start_timer,
                   MAX (o->config.start_ns, network_now (app->net)));
}

static void
onoff_free (App *app)
{
  OnOff *o = onoff_of (app);
  SimScheduler *sched = network_scheduler (app->net);

  sim_timer_clear (sched, &o->start_timer);
  sim_timer_clear (sched, &o->tick_timer);
  sim_timer_clear (sched, &o->period_timer);
  if (o->ep != NULL)
    tcp_endpoint_set_callbacks (o->ep, NULL, NULL);
  g_free (o);
}

App *
app_onoff_new (Network *net, const char *name, const AppOnOffConfig *config,
               GError **error)
{
  OnOff *o;
  App *app;

  g_return_val_if_fail (net != NULL && name != NULL && config != NULL, NULL);

  if (config->sender == NULL || config->receiver == NULL
      || host_tcp (config->sender) == NULL
      || host_tcp (config->receiver) == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "app %s: sender and receiver must be hosts", name);
      return NULL;
    }
  if (config->port == 0
      || (config->rate_bps > 0 && config->chunk_bytes == 0)
      || (config->off_ns > 0 && config->on_ns == 0))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "app %s: port, chunk (with a rate) and on (with an off "
                   "period) must be more than 0", name);
      return NULL;
    }
  o = g_new0 (OnOff, 1);
  o->config = *config;
  if (config->tcp != NULL)
    {
      o->tcp = *config->tcp;
      o->has_tcp = TRUE;
    }
  o->config.tcp = NULL;
  o->running = TRUE;
  /* The timers are ready before app__new(), which starts the app at once
   * when the world runs already (a sender the timeline starts). */
  sim_timer_init (&o->start_timer, start_fire, o);
  sim_timer_init (&o->tick_timer, tick_fire, o);
  sim_timer_init (&o->period_timer, period_fire, o);
  app = app__new (net, name, onoff_start, onoff_free, o);
  o->app = app;
  return app;
}
