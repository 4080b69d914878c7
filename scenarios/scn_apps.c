/* scn_apps.c: the app statement: five kinds of application, their keys,
 * and the TCP parameters of each side.
 *
 * Call order: scn__check_app() (pass 2 of check_script(), once hosts
 * exist): the kind, then its keys (scn__collect_keys() against the kind's
 * table, plus SIDE.tcp.KEY for each side), the hosts the keys name, and
 * the rules that tie keys together -> a ScnAppSpec.  When the world is
 * built: scn__app_model_new() resolves nodes and per-side TCP parameters
 * into a ScnAppModel, and scn__app_model_create() makes the app, at once
 * or (for an app the timeline starts) when the runtime says so.
 *
 * Sides are named after the keys that place them: a reqresp or echo app
 * has a client and a server, a bulk or onoff app a from and a to, a sink
 * a listen side; "client.tcp.rcvbuf=16KB" sets one side's parameter.
 */
#include "scenarios/scn_private.h"

#include <string.h>

const char *const scn__app_kind_names[] = {
  "reqresp", "bulk", "echo", "onoff", "sink", NULL
};

static const char *const side_names[SCN_N_APP_KINDS][2] = {
  [SCN_APP_KIND_REQRESP] = { "client", "server" },
  [SCN_APP_KIND_BULK] = { "from", "to" },
  [SCN_APP_KIND_ECHO] = { "client", "server" },
  [SCN_APP_KIND_ONOFF] = { "from", "to" },
  [SCN_APP_KIND_SINK] = { NULL, "listen" },
};

const char *
scn__app_side_name (ScnAppKind kind, guint side)
{
  g_return_val_if_fail (kind < SCN_N_APP_KINDS && side < 2, NULL);
  return side_names[kind][side];
}

static const char *const closer_names[] = { "client", "server", "both", NULL };

/* ------------------------------------------------------------------ */
/* Key tables, one per kind                                            */

enum {
  RR_CLIENT, RR_SERVER, RR_REQUEST, RR_RESPONSE, RR_CLOSER, RR_CLOSE_DELAY,
  RR_PEER_CLOSE_DELAY, RR_HALF_CLOSE, RR_START, RR_COUNT, RR_INTERVAL,
  RR_STOP, N_RR_KEYS
};
static const ScnKeyInfo reqresp_keys[N_RR_KEYS] = {
  [RR_CLIENT] = { .name = "client", .type = SCN_KEY_HOST,
                  .example = "client=HOST" },
  [RR_SERVER] = { .name = "server", .type = SCN_KEY_HOSTPORT,
                  .example = "server=HOST:PORT" },
  [RR_REQUEST] = { .name = "request", .type = SCN_KEY_SIZE, .min = 1,
                   .max = SCN_MAX_SIZE_BYTES, .example = "request=159B" },
  [RR_RESPONSE] = { .name = "response", .type = SCN_KEY_SIZE, .min = 0,
                    .max = SCN_MAX_SIZE_BYTES, .example = "response=111B" },
  [RR_CLOSER] = { .name = "closer", .type = SCN_KEY_CHOICE,
                  .default_text = "client", .choices = closer_names,
                  .example = "closer=client" },
  [RR_CLOSE_DELAY] = { .name = "close_delay", .type = SCN_KEY_TIME,
                       .default_text = "0s", .max = SCN_MAX_TIME_NS,
                       .example = "close_delay=1s" },
  [RR_PEER_CLOSE_DELAY] = { .name = "peer_close_delay", .type = SCN_KEY_TIME,
                            .default_text = "0s", .max = SCN_MAX_TIME_NS,
                            .example = "peer_close_delay=0s" },
  [RR_HALF_CLOSE] = { .name = "half_close", .type = SCN_KEY_BOOL,
                      .default_text = "no", .example = "half_close=yes" },
  [RR_START] = { .name = "start", .type = SCN_KEY_TIME, .default_text = "0s",
                 .max = SCN_MAX_TIME_NS, .example = "start=0s" },
  [RR_COUNT] = { .name = "count", .type = SCN_KEY_COUNT, .default_text = "1",
                 .min = 1, .max = SCN_MAX_APP_COUNT, .example = "count=1" },
  [RR_INTERVAL] = { .name = "interval", .type = SCN_KEY_TIME,
                    .default_text = "1ms", .max = SCN_MAX_TIME_NS,
                    .example = "interval=1ms" },
  [RR_STOP] = { .name = "stop_when_done", .type = SCN_KEY_BOOL,
                .default_text = "no", .example = "stop_when_done=yes" },
};

enum { BULK_FROM, BULK_TO, BULK_BYTES, BULK_START, BULK_STOP, N_BULK_KEYS };
static const ScnKeyInfo bulk_keys[N_BULK_KEYS] = {
  [BULK_FROM] = { .name = "from", .type = SCN_KEY_HOST,
                  .example = "from=HOST" },
  [BULK_TO] = { .name = "to", .type = SCN_KEY_HOSTPORT,
                .example = "to=HOST:PORT" },
  [BULK_BYTES] = { .name = "bytes", .type = SCN_KEY_SIZE, .min = 1,
                   .max = SCN_MAX_SIZE_BYTES, .unlimited = "unlimited",
                   .example = "bytes=100MB" },
  [BULK_START] = { .name = "start", .type = SCN_KEY_TIME, .default_text = "0s",
                   .max = SCN_MAX_TIME_NS, .example = "start=0s" },
  [BULK_STOP] = { .name = "stop_when_done", .type = SCN_KEY_BOOL,
                  .default_text = "no", .example = "stop_when_done=yes" },
};

enum {
  ECHO_CLIENT, ECHO_SERVER, ECHO_MESSAGE, ECHO_COUNT, ECHO_INTERVAL,
  ECHO_START, ECHO_STOP, N_ECHO_KEYS
};
static const ScnKeyInfo echo_keys[N_ECHO_KEYS] = {
  [ECHO_CLIENT] = { .name = "client", .type = SCN_KEY_HOST,
                    .example = "client=HOST" },
  [ECHO_SERVER] = { .name = "server", .type = SCN_KEY_HOSTPORT,
                    .example = "server=HOST:PORT" },
  [ECHO_MESSAGE] = { .name = "message", .type = SCN_KEY_SIZE,
                     .default_text = "100B", .min = 1,
                     .max = SCN_MAX_SIZE_BYTES, .example = "message=100B" },
  [ECHO_COUNT] = { .name = "count", .type = SCN_KEY_COUNT, .default_text = "1",
                   .min = 1, .max = SCN_MAX_APP_COUNT, .example = "count=10" },
  [ECHO_INTERVAL] = { .name = "interval", .type = SCN_KEY_TIME,
                      .default_text = "0s", .max = SCN_MAX_TIME_NS,
                      .example = "interval=100ms" },
  [ECHO_START] = { .name = "start", .type = SCN_KEY_TIME, .default_text = "0s",
                   .max = SCN_MAX_TIME_NS, .example = "start=0s" },
  [ECHO_STOP] = { .name = "stop_when_done", .type = SCN_KEY_BOOL,
                  .default_text = "no", .example = "stop_when_done=yes" },
};

enum {
  ONOFF_FROM, ONOFF_TO, ONOFF_RATE, ONOFF_CHUNK, ONOFF_ON, ONOFF_OFF,
  ONOFF_BYTES, ONOFF_START, N_ONOFF_KEYS
};
static const ScnKeyInfo onoff_keys[N_ONOFF_KEYS] = {
  [ONOFF_FROM] = { .name = "from", .type = SCN_KEY_HOST,
                   .example = "from=HOST" },
  [ONOFF_TO] = { .name = "to", .type = SCN_KEY_HOSTPORT,
                 .example = "to=HOST:PORT" },
  [ONOFF_RATE] = { .name = "rate", .type = SCN_KEY_RATE,
                   .default_text = "unlimited", .min = 1,
                   .max = SCN_MAX_RATE_BPS, .unlimited = "unlimited",
                   .example = "rate=1Mbps" },
  [ONOFF_CHUNK] = { .name = "chunk", .type = SCN_KEY_SIZE,
                    .default_text = "1000B", .min = 1, .max = 1u << 20,
                    .example = "chunk=1000B" },
  [ONOFF_ON] = { .name = "on", .type = SCN_KEY_TIME, .default_text = "1s",
                 .min = 1, .max = SCN_MAX_TIME_NS, .example = "on=1s" },
  [ONOFF_OFF] = { .name = "off", .type = SCN_KEY_TIME, .default_text = "0s",
                  .max = SCN_MAX_TIME_NS, .example = "off=1s" },
  [ONOFF_BYTES] = { .name = "bytes", .type = SCN_KEY_SIZE,
                    .default_text = "unlimited", .min = 1,
                    .max = SCN_MAX_SIZE_BYTES, .unlimited = "unlimited",
                    .example = "bytes=1MB" },
  [ONOFF_START] = { .name = "start", .type = SCN_KEY_TIME,
                    .default_text = "0s", .max = SCN_MAX_TIME_NS,
                    .example = "start=0s" },
};

enum {
  SINK_LISTEN, SINK_READ_RATE, SINK_READ_SIZE, SINK_PAUSE_AT,
  SINK_PAUSE_FOR, N_SINK_KEYS
};
static const ScnKeyInfo sink_keys[N_SINK_KEYS] = {
  [SINK_LISTEN] = { .name = "listen", .type = SCN_KEY_HOSTPORT,
                    .example = "listen=HOST:PORT" },
  [SINK_READ_RATE] = { .name = "read_rate", .type = SCN_KEY_RATE,
                       .default_text = "unlimited", .min = 1,
                       .max = SCN_MAX_RATE_BPS, .unlimited = "unlimited",
                       .example = "read_rate=1Mbps" },
  [SINK_READ_SIZE] = { .name = "read_size", .type = SCN_KEY_SIZE,
                       .default_text = "64KiB", .min = 1, .max = 1u << 30,
                       .example = "read_size=1460B" },
  [SINK_PAUSE_AT] = { .name = "pause_at", .type = SCN_KEY_TIME,
                      .optional = TRUE, .max = SCN_MAX_TIME_NS,
                      .example = "pause_at=1s" },
  [SINK_PAUSE_FOR] = { .name = "pause_for", .type = SCN_KEY_TIME,
                       .optional = TRUE, .min = 1, .max = SCN_MAX_TIME_NS,
                       .example = "pause_for=2s" },
};

static const struct {
  const ScnKeyInfo *keys;
  guint n_keys;
  guint host_key[2];            /* by side; G_MAXUINT: none */
  guint start_key;              /* G_MAXUINT: none */
  const char *expected;
} kinds[SCN_N_APP_KINDS] = {
  [SCN_APP_KIND_REQRESP] = {
    reqresp_keys, N_RR_KEYS, { RR_CLIENT, RR_SERVER }, RR_START,
    "client, server, request, response, closer, close_delay, "
    "peer_close_delay, half_close, start, count, interval, stop_when_done, "
    "client.tcp.KEY and server.tcp.KEY" },
  [SCN_APP_KIND_BULK] = {
    bulk_keys, N_BULK_KEYS, { BULK_FROM, BULK_TO }, BULK_START,
    "from, to, bytes, start, stop_when_done, from.tcp.KEY and to.tcp.KEY" },
  [SCN_APP_KIND_ECHO] = {
    echo_keys, N_ECHO_KEYS, { ECHO_CLIENT, ECHO_SERVER }, ECHO_START,
    "client, server, message, count, interval, start, stop_when_done, "
    "client.tcp.KEY and server.tcp.KEY" },
  [SCN_APP_KIND_ONOFF] = {
    onoff_keys, N_ONOFF_KEYS, { ONOFF_FROM, ONOFF_TO }, ONOFF_START,
    "from, to, rate, chunk, on, off, bytes, start and from.tcp.KEY" },
  [SCN_APP_KIND_SINK] = {
    sink_keys, N_SINK_KEYS, { G_MAXUINT, SINK_LISTEN }, G_MAXUINT,
    "listen, read_rate, read_size, pause_at, pause_for and listen.tcp.KEY" },
};

const ScnKeyInfo *
scn__app_keys (ScnAppKind kind, guint *n_out)
{
  g_return_val_if_fail (kind < SCN_N_APP_KINDS, NULL);
  *n_out = kinds[kind].n_keys;
  return kinds[kind].keys;
}

/* ------------------------------------------------------------------ */
/* The statement                                                       */

/* The connection count and interval must not start a connection past the
 * largest time a scenario may use. */
static void
check_count_interval (ScnChecker *c, const ScnValue *count_v,
                      const ScnValue *interval_v, const ScnValue *start_v)
{
  guint64 count = count_v->u;
  guint64 interval_ns = interval_v->u;

  if (count_v->bad || interval_v->bad || start_v->bad || count <= 1)
    return;
  if (interval_ns == 0)
    scn_diag_add (c->diag, &interval_v->loc, SCN_ERROR_VALUE,
                  "interval: must be more than 0s when count is above 1");
  else if (interval_ns > (guint64) SCN_MAX_TIME_NS / (count - 1)
           || start_v->u + interval_ns * (count - 1)
              > (guint64) SCN_MAX_TIME_NS)
    scn_diag_add (c->diag, &count_v->loc, SCN_ERROR_VALUE,
                  "count: the last of %" G_GUINT64_FORMAT " connections "
                  "would start after %" G_GINT64_FORMAT "s, the largest "
                  "time a scenario may use", count,
                  SCN_MAX_TIME_NS / SIM_S (1));
}

static void
fill_configs (ScnAppSpec *app, const ScnValue *v)
{
  switch (app->kind)
    {
    case SCN_APP_KIND_REQRESP:
      {
        AppReqRespConfig *rr = &app->reqresp;

        rr->port = app->port;
        rr->request_bytes = v[RR_REQUEST].u;
        rr->response_bytes = v[RR_RESPONSE].u;
        rr->start_ns = (SimTime) v[RR_START].u;
        rr->closer = (AppCloser) v[RR_CLOSER].u;
        rr->close_delay_ns = (SimTime) v[RR_CLOSE_DELAY].u;
        rr->peer_close_delay_ns = (SimTime) v[RR_PEER_CLOSE_DELAY].u;
        rr->half_close = v[RR_HALF_CLOSE].u != 0;
        rr->count = v[RR_COUNT].u;
        rr->interval_ns = (SimTime) v[RR_INTERVAL].u;
        rr->stop_when_done = v[RR_STOP].u != 0;
      }
      break;
    case SCN_APP_KIND_BULK:
      {
        AppBulkConfig *bk = &app->bulk;

        bk->port = app->port;
        bk->bytes = v[BULK_BYTES].unlimited ? 0 : v[BULK_BYTES].u;
        bk->start_ns = (SimTime) v[BULK_START].u;
        bk->stop_when_done = v[BULK_STOP].u != 0;
      }
      break;
    case SCN_APP_KIND_ECHO:
      {
        AppEchoConfig *ec = &app->echo;

        ec->port = app->port;
        ec->message_bytes = v[ECHO_MESSAGE].u;
        ec->count = v[ECHO_COUNT].u;
        ec->interval_ns = (SimTime) v[ECHO_INTERVAL].u;
        ec->start_ns = (SimTime) v[ECHO_START].u;
        ec->stop_when_done = v[ECHO_STOP].u != 0;
      }
      break;
    case SCN_APP_KIND_ONOFF:
      {
        AppOnOffConfig *oo = &app->onoff;

        oo->port = app->port;
        oo->rate_bps = v[ONOFF_RATE].unlimited ? 0 : v[ONOFF_RATE].u;
        oo->chunk_bytes = v[ONOFF_CHUNK].u;
        oo->on_ns = (SimTime) v[ONOFF_ON].u;
        oo->off_ns = (SimTime) v[ONOFF_OFF].u;
        oo->bytes = v[ONOFF_BYTES].unlimited ? 0 : v[ONOFF_BYTES].u;
        oo->start_ns = (SimTime) v[ONOFF_START].u;
      }
      break;
    case SCN_APP_KIND_SINK:
      {
        AppSinkConfig *sk = &app->sink;

        sk->port = app->port;
        sk->read_rate_bps = v[SINK_READ_RATE].unlimited ? 0
                            : v[SINK_READ_RATE].u;
        sk->read_size_bytes = v[SINK_READ_SIZE].u;
        sk->pause_at_ns = (SimTime) v[SINK_PAUSE_AT].u;
        sk->pause_for_ns = (SimTime) v[SINK_PAUSE_FOR].u;
      }
      break;
    case SCN_N_APP_KINDS:
    default:
      g_assert_not_reached ();
    }
}

void
scn__check_app (ScnChecker *c, const ScnStmt *stmt)
{
  static const char usage[] =
    "app NAME KIND KEY=VALUE..., where KIND is reqresp, bulk, echo, onoff "
    "or sink";
  ScnValue values[N_RR_KEYS + N_ECHO_KEYS] = { { 0 } };
  ScnNameEntry *entry = scn__own_entry (c, stmt);
  guint before = scn_diag_count (c->diag);
  const char *kind_text = scn_stmt_word (stmt, 1);
  g_autofree char *what = NULL;
  guint64 kind_index = 0;
  gboolean kind_ok = FALSE;
  ScnKeyGroup group = { 0 };
  ScnTcpKeys side_tcp[2];
  ScnTcpGroup tcp[2];
  guint n_tcp = 0;
  g_autofree char *tcp_prefix0 = NULL;
  g_autofree char *tcp_prefix1 = NULL;
  ScnHostSpec *host[2] = { NULL, NULL };
  gboolean hosts_ok = TRUE;
  ScnAppSpec *app;
  ScnAppKind kind;
  guint16 port = 0;
  ScnLoc port_loc = stmt->loc;

  G_STATIC_ASSERT (N_RR_KEYS + N_ECHO_KEYS >= N_ONOFF_KEYS);
  what = entry != NULL ? g_strdup_printf ("app '%s'", entry->name)
                       : g_strdup ("app");
  if (scn__check_arg_count (c, stmt, 2, usage))
    {
      const ScnArg *arg = g_ptr_array_index (stmt->args, 1);
      g_autoptr (GError) err = NULL;

      if (kind_text != NULL
          && scn__parse_choice (kind_text, scn__app_kind_names, &kind_index,
                                &err))
        kind_ok = TRUE;
      else if (err != NULL)
        scn_diag_add_error (c->diag, &arg->loc, SCN_ERROR_UNKNOWN,
                            "app kind", err);
      else
        scn_diag_add (c->diag, &arg->loc, SCN_ERROR_SYNTAX, "expected %s",
                      usage);
    }
  if (!kind_ok)
    {
      c->apps_incomplete = TRUE;
      return;                   /* its keys mean nothing without a kind */
    }
  kind = (ScnAppKind) kind_index;
  group.prefix = "";
  group.keys = kinds[kind].keys;
  group.n_keys = kinds[kind].n_keys;
  group.values = values;
  group.use_defaults = TRUE;
  for (guint s = 0; s < 2; s++)
    {
      scn__tcp_keys_init (&side_tcp[s]);
      if (side_names[kind][s] == NULL)
        continue;
      if (s == 0)
        tcp_prefix0 = g_strconcat (side_names[kind][s], ".tcp.", NULL);
      else
        tcp_prefix1 = g_strconcat (side_names[kind][s], ".tcp.", NULL);
      tcp[n_tcp++] = (ScnTcpGroup) { s == 0 ? tcp_prefix0 : tcp_prefix1,
                                     &side_tcp[s] };
    }
  scn__collect_keys (c, stmt, &group, 1, tcp, n_tcp, what,
                     kinds[kind].expected, NULL);

  /* Hosts, and the listening port. */
  for (guint s = 0; s < 2; s++)
    {
      guint k = kinds[kind].host_key[s];
      const ScnValue *v;
      g_autofree char *name = NULL;
      gboolean known = FALSE;

      if (k == G_MAXUINT)
        continue;
      v = &values[k];
      if (v->bad)
        {
          hosts_ok = FALSE;
          continue;
        }
      if (group.keys[k].type == SCN_KEY_HOSTPORT)
        {
          name = scn__hostport_host (v);
          port = v->port;
          port_loc = v->loc;
        }
      else
        name = g_strdup (v->host);
      host[s] = scn__resolve_host (c, name, &v->loc, what, &known);
      hosts_ok = hosts_ok && known;
    }
  if (hosts_ok && host[0] != NULL && host[0] == host[1])
    scn_diag_add (c->diag, &port_loc, SCN_ERROR_VALUE,
                  "%s has '%s' at both ends: an app needs two different "
                  "hosts", what, host[0]->name);

  /* The rules that tie keys together. */
  if (kind == SCN_APP_KIND_REQRESP)
    check_count_interval (c, &values[RR_COUNT], &values[RR_INTERVAL],
                          &values[RR_START]);
  if (kind == SCN_APP_KIND_SINK
      && values[SINK_PAUSE_AT].given != values[SINK_PAUSE_FOR].given)
    scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_MISSING,
                  "%s: pause_at= and pause_for= go together (for example "
                  "pause_at=1s pause_for=2s)", what);
  if (kind == SCN_APP_KIND_ONOFF && !values[ONOFF_ON].bad
      && values[ONOFF_ON].given && !values[ONOFF_OFF].given)
    scn_diag_add (c->diag, &values[ONOFF_ON].loc, SCN_ERROR_VALUE,
                  "%s: on= sets the length of ON periods, which alternate "
                  "with off= periods: give off= too", what);

  if (entry == NULL || !hosts_ok || scn_diag_count (c->diag) != before)
    {
      scn__tcp_keys_clear (&side_tcp[0]);
      scn__tcp_keys_clear (&side_tcp[1]);
      c->apps_incomplete = TRUE;
      return;
    }
  app = g_new0 (ScnAppSpec, 1);
  app->stmt = stmt;
  app->name = entry->name;
  app->kind = kind;
  app->host[0] = host[0];
  app->host[1] = host[1];
  app->port = port;
  app->port_loc = port_loc;
  app->side_tcp[0] = side_tcp[0];
  app->side_tcp[1] = side_tcp[1];
  if (kinds[kind].start_key != G_MAXUINT
      && values[kinds[kind].start_key].given)
    app->start_kv = scn_stmt_find_kv (stmt, "start");
  fill_configs (app, values);
  entry->spec = app;
  g_ptr_array_add (c->apps, app);
}

/* ------------------------------------------------------------------ */
/* Models                                                              */

ScnAppModel *
scn__app_model_new (const ScnChecker *c, ScnAppSpec *app)
{
  ScnAppModel *m = g_new0 (ScnAppModel, 1);
  const TcpParams *p[2];

  m->name = g_strdup (app->name);
  m->kind = app->kind;
  m->port = app->port;
  m->deferred = app->started_by && !app->start_at_build;
  for (guint s = 0; s < 2; s++)
    {
      m->node[s] = app->host[s] != NULL ? app->host[s]->node : NULL;
      /* A side without keys of its own keeps its host's parameters,
       * which the host's stack applies. */
      m->has_params[s] = app->host[s] != NULL
                         && (app->side_tcp[s].profile != NULL
                             || app->side_tcp[s].sets->len > 0);
      if (m->has_params[s])
        scn__host_tcp_params (c, app->host[s], &app->side_tcp[s],
                              &m->params[s]);
      p[s] = m->has_params[s] ? &m->params[s] : NULL;
    }
  m->reqresp = app->reqresp;
  m->reqresp.client = m->node[0];
  m->reqresp.server = m->node[1];
  m->reqresp.client_tcp = p[0];
  m->reqresp.server_tcp = p[1];
  m->bulk = app->bulk;
  m->bulk.sender = m->node[0];
  m->bulk.receiver = m->node[1];
  m->bulk.sender_tcp = p[0];
  m->bulk.receiver_tcp = p[1];
  m->echo = app->echo;
  m->echo.client = m->node[0];
  m->echo.server = m->node[1];
  m->echo.client_tcp = p[0];
  m->echo.server_tcp = p[1];
  m->onoff = app->onoff;
  m->onoff.sender = m->node[0];
  m->onoff.receiver = m->node[1];
  m->onoff.tcp = p[0];
  m->sink = app->sink;
  m->sink.node = m->node[1];
  m->sink.tcp = p[1];
  if (m->deferred && !app->start_at_build)
    {
      /* Started by the timeline: at that moment, not at a time of its
       * own (the checks refuse start= on such an app). */
      m->reqresp.start_ns = 0;
      m->bulk.start_ns = 0;
      m->echo.start_ns = 0;
      m->onoff.start_ns = 0;
    }
  return m;
}

void
scn__app_model_free (gpointer model)
{
  ScnAppModel *m = model;

  g_free (m->name);
  g_free (m);
}

gboolean
scn__app_model_create (ScnAppModel *m, Network *net, GError **error)
{
  g_return_val_if_fail (m->app == NULL, FALSE);

  switch (m->kind)
    {
    case SCN_APP_KIND_REQRESP:
      m->app = app_reqresp_new (net, m->name, &m->reqresp, error);
      break;
    case SCN_APP_KIND_BULK:
      m->app = app_bulk_new (net, m->name, &m->bulk, error);
      break;
    case SCN_APP_KIND_ECHO:
      m->app = app_echo_new (net, m->name, &m->echo, error);
      break;
    case SCN_APP_KIND_ONOFF:
      m->app = app_onoff_new (net, m->name, &m->onoff, error);
      break;
    case SCN_APP_KIND_SINK:
      m->app = app_sink_new (net, m->name, &m->sink, error);
      break;
    case SCN_N_APP_KINDS:
    default:
      g_assert_not_reached ();
    }
  return m->app != NULL;
}
