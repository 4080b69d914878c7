/* drill_driver.c: runs a parsed script against the TCP model.
 *
 * drill_run() -> drill_new() builds the world (the host under test, the
 * peer, the link) and subscribes on_record() to its trace bus -> for each
 * event, in order: run_shell(), run_inbound(), run_syscall() (each first
 * advance_to() the event's time) or expect_outbound() -> finish_checks()
 * -> drill_free().
 *
 * Time follows packetdrill: an absolute time counts from the start of the
 * script, a '+' time from the actual time of the previous event (for a
 * '>' line, when the packet was sent; for a blocking call, when it
 * started).  Outbound packets must be sent within the tolerance of their
 * time; anything the host sends that no '>' line takes is a failure.
 */
#include "scenarios/drill/drill_private.h"

#include <string.h>

#include "scenarios/drill/drill_symbols.h"

void
drill_options_init (DrillOptions *opts)
{
  memset (opts, 0, sizeof *opts);
  opts->profile = "rfc";
  opts->tolerance_ns = -1;
  opts->seed = 1;
}

/* ---- reporting ---- */

gboolean
drill_fail (Drill *d, const DrillEvent *ev, DrillErrorCode code,
            const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (d->error != NULL)
    return FALSE;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (ev != NULL)
    d->error = g_error_new (DRILL_ERROR, code, "%s:%u: error: %s",
                            d->script->file, ev->loc.line, message);
  else
    d->error = g_error_new (DRILL_ERROR, code, "%s: error: %s",
                            d->script->file, message);
  /* Whatever is running stops after the current event. */
  sim_scheduler_stop (d->sched);
  return FALSE;
}

void
drill_log (Drill *d, const char *format, ...)
{
  g_autofree char *line = NULL;
  va_list args;

  if (d->opts->log == NULL)
    return;
  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  d->opts->log (line, d->opts->log_user);
}

void
drill_format_time (SimTime t_ns, char buf[SIM_TIME_FORMAT_BYTES])
{
  SimTime s = t_ns / SIM_S (1);
  SimTime frac = t_ns % SIM_S (1);

  if (frac % SIM_US (1) == 0)
    g_snprintf (buf, SIM_TIME_FORMAT_BYTES, "%" G_GINT64_FORMAT ".%06"
                G_GINT64_FORMAT, s, frac / SIM_US (1));
  else
    g_snprintf (buf, SIM_TIME_FORMAT_BYTES, "%" G_GINT64_FORMAT ".%09"
                G_GINT64_FORMAT, s, frac);
}

/* ---- flows ---- */

DrillFlow *
drill_flow_lookup (Drill *d, guint16 local_port, guint16 remote_port,
                   gboolean create)
{
  DrillFlow *f;

  for (guint i = 0; i < d->flows->len; i++)
    {
      f = g_ptr_array_index (d->flows, i);
      if (f->local_port == local_port && f->remote_port == remote_port)
        return f;
    }
  if (!create)
    return NULL;
  f = g_new0 (DrillFlow, 1);
  f->local_port = local_port;
  f->remote_port = remote_port;
  f->remote_isn = DRILL_REMOTE_ISN;
  g_ptr_array_add (d->flows, f);
  return f;
}

/* ---- the world ---- */

static void
on_record (const SimTraceRecord *rec, void *data)
{
  Drill *d = data;
  const LinkTraceEvent *e;

  if (rec->kind != &link_trace_tx)
    return;
  e = rec->body;
  if (e->link != d->link || e->dir != LINK_DIR_AB)
    return;
  drill_packet_capture (d, rec->at_ns, e->pkt);
  if (d->stop_on_capture)
    sim_scheduler_stop (d->sched);
}

static void
drill_free (Drill *d)
{
  /* Injected packets not yet delivered go back to the pool before the
   * world frees it. */
  if (d->in_flight != NULL)
    {
      for (guint i = 0; i < d->in_flight->len; i++)
        packet_free (network_pool (d->net),
                     g_ptr_array_index (d->in_flight, i));
      g_ptr_array_unref (d->in_flight);
    }
  /* The world first: freeing it frees the endpoints without callbacks,
   * so the sockets may go after it. */
  g_clear_pointer (&d->world, sim_world_free);
  drill_sockets_free (d);
  g_queue_clear_full (&d->captured, (GDestroyNotify) drill_captured_free);
  if (d->flows != NULL)
    g_ptr_array_unref (d->flows);
  g_free (d->pending);
  g_clear_error (&d->error);
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Drill, drill_free)

static Drill *
drill_new (const DrillScript *script, const DrillOptions *opts,
           GError **error)
{
  g_autoptr (Drill) d = g_new0 (Drill, 1);
  static const LinkDirParams wire = { 0 };
  Ipv4Addr la;
  Ipv4Addr ra;

  d->script = script;
  d->opts = opts;
  if (!tcp_params_apply_profile (&d->defaults,
                                 opts->profile != NULL ? opts->profile
                                                       : "rfc", error))
    return NULL;
  d->keepidle_ns = SIM_S (7200);        /* Linux tcp_keepalive_time */
  if (opts->tolerance_ns >= 0)
    d->tolerance_ns = opts->tolerance_ns;
  else if (script->has_tolerance)
    d->tolerance_ns = script->tolerance_ns;
  else
    d->tolerance_ns = DRILL_DEFAULT_TOLERANCE_NS;
  d->flows = g_ptr_array_new_with_free_func (g_free);
  d->in_flight = g_ptr_array_new ();
  d->listen_port = DRILL_LOCAL_PORT;
  d->next_remote_port = DRILL_FIRST_REMOTE_PORT;
  g_queue_init (&d->captured);
  drill_sockets_init (d);

  if (!ipv4_addr_parse (DRILL_LOCAL_ADDR, &la)
      || !ipv4_addr_parse (DRILL_REMOTE_ADDR, &ra))
    g_assert_not_reached ();
  d->world = sim_world_new (opts->seed);
  d->sched = sim_world_scheduler (d->world);
  d->net = network_new (d->world);
  d->local = host_new (d->net, "local", la, &d->defaults);
  /* A router has no TCP: the peer only receives, and the script speaks
   * for it. */
  d->remote = node_new (d->net, "remote", NODE_KIND_ROUTER, ra);
  d->link = link_new (d->net, "wire", d->local, d->remote, &wire, &wire);
  d->local_iface = node_iface (d->local, 0);
  d->stack = host_tcp (d->local);
  sim_trace_subscribe (sim_world_trace (d->world), on_record, d);
  return g_steal_pointer (&d);
}

/* ---- time ---- */

static SimTime
resolve (const DrillTimePoint *pt, SimTime base_ns)
{
  switch (pt->kind)
    {
    case DRILL_TIME_ABSOLUTE:
      return pt->ns;
    case DRILL_TIME_RELATIVE:
      return base_ns + pt->ns;
    case DRILL_TIME_ANY:
      return base_ns;
    default:
      g_assert_not_reached ();
    }
}

static void
nothing (void *data, void *arg)
{
  (void) data;
  (void) arg;
}

/* Runs every event up to @t_ns and leaves the clock there. */
static void
run_to (Drill *d, SimTime t_ns)
{
  /* The scheduler leaves its clock at the last event when it runs dry; an
   * empty event makes it end at @t_ns. */
  sim_scheduler_call_at (d->sched, t_ns, nothing, NULL, NULL);
  sim_scheduler_run_until (d->sched, t_ns);
}

static gboolean
check_unexpected (Drill *d, const DrillEvent *ev, SimTime before_ns)
{
  DrillCaptured *c = g_queue_peek_head (&d->captured);

  if (c != NULL && c->at_ns < before_ns)
    {
      g_autofree char *what = drill_captured_describe (&c, 1);
      char when[SIM_TIME_FORMAT_BYTES];

      drill_format_time (c->at_ns, when);
      return drill_fail (d, ev, DRILL_ERROR_FAILED, "the host sent a packet "
                         "the script does not expect, at %s s: > %s", when,
                         what);
    }
  return TRUE;
}

static gboolean
check_overdue (Drill *d)
{
  const DrillCall *c = d->pending;
  SimTime now = sim_scheduler_now (d->sched);

  if (c != NULL && now > c->end_ns + d->tolerance_ns)
    {
      char want[SIM_TIME_FORMAT_BYTES];
      char got[SIM_TIME_FORMAT_BYTES];

      drill_format_time (c->end_ns, want);
      drill_format_time (now, got);
      return drill_fail (d, c->ev, DRILL_ERROR_FAILED, "%s(): expected to "
                         "return at %s s, still blocked at %s s",
                         c->ev->call.name, want, got);
    }
  return TRUE;
}

/* Brings the world to @t_ns, when @ev happens. */
static gboolean
advance_to (Drill *d, const DrillEvent *ev, SimTime *t_ns)
{
  SimTime now = sim_scheduler_now (d->sched);

  if (*t_ns < now)
    {
      /* A '>' packet sent late within the tolerance moves the clock past
       * an absolute time that follows it. */
      if (*t_ns < now - d->tolerance_ns)
        {
          char want[SIM_TIME_FORMAT_BYTES];
          char got[SIM_TIME_FORMAT_BYTES];

          drill_format_time (*t_ns, want);
          drill_format_time (now, got);
          return drill_fail (d, ev, DRILL_ERROR_FAILED, "this event is due "
                             "at %s s, but the script is already at %s s",
                             want, got);
        }
      *t_ns = now;
    }
  run_to (d, *t_ns);
  if (d->error != NULL)
    return FALSE;
  return check_unexpected (d, ev, *t_ns - d->tolerance_ns)
         && check_overdue (d);
}

/* ---- events ---- */

static gboolean
run_shell (Drill *d, const DrillEvent *ev)
{
  SimTime t = resolve (&ev->time.start, d->last_event_ns);
  const DrillShell *sh = &ev->shell;

  if (!advance_to (d, ev, &t))
    return FALSE;
  for (guint i = 0; i < sh->settings->len; i++)
    {
      const DrillSetting *s = &g_array_index (sh->settings, DrillSetting, i);
      guint8 *field;

      if (s->param == NULL)
        {
          d->keepidle_ns = s->keepidle_ns;
          continue;
        }
      field = (guint8 *) &d->defaults + s->param->offset;
      switch (s->param->type)
        {
        case TCP_PARAM_BOOL:
          *(gboolean *) (void *) field = s->value != 0;
          break;
        case TCP_PARAM_TIME:
          *(SimTime *) (void *) field = (SimTime) s->value;
          break;
        case TCP_PARAM_BYTES:
        case TCP_PARAM_COUNT:
        case TCP_PARAM_CHOICE:
          *(guint64 *) (void *) field = s->value;
          break;
        case TCP_PARAM_ISN:
        default:
          g_assert_not_reached ();
        }
      drill_log (d, "%s:%u: tcp.%s set by `%s`", d->script->file,
                 ev->loc.line, s->param->name, sh->text);
    }
  for (guint i = 0; i < sh->notes->len; i++)
    drill_log (d, "%s:%u: %s", d->script->file, ev->loc.line,
               (const char *) g_ptr_array_index (sh->notes, i));
  d->last_event_ns = t;
  return TRUE;
}

static gboolean
run_inbound (Drill *d, const DrillEvent *ev)
{
  SimTime t = resolve (&ev->time.start, d->last_event_ns);

  if (!advance_to (d, ev, &t) || !drill_packet_inject (d, ev, t))
    return FALSE;
  if (d->opts->log != NULL)
    {
      g_autofree char *what = drill_packet_describe (&ev->packet);
      char when[SIM_TIME_FORMAT_BYTES];

      drill_format_time (t, when);
      drill_log (d, "%s:%u: %s < %s", d->script->file, ev->loc.line, when,
                 what);
    }
  /* Delivered now, so the host's reaction is on the link before the next
   * event looks. */
  sim_scheduler_run_until (d->sched, t);
  d->last_event_ns = t;
  return d->error == NULL;
}

static gboolean
run_syscall (Drill *d, const DrillEvent *ev)
{
  SimTime start = resolve (&ev->time.start, d->last_event_ns);
  SimTime end;

  if (!advance_to (d, ev, &start))
    return FALSE;
  end = ev->time.shape == DRILL_TIME_BLOCKING
        ? resolve (&ev->time.end, start) : start;
  drill_syscall_start (d, ev, end);
  d->last_event_ns = start;
  return d->error == NULL;
}

/* Takes the packets of a TSO burst: after @first, those sent at the same
 * instant that continue it, each as long as the first, until @want_bytes
 * are covered. */
static guint
gather_burst (Drill *d, DrillCaptured **got, guint max, guint32 want_bytes)
{
  const DrillCaptured *first = got[0];
  guint32 total = first->seg.len_bytes;
  guint n = 1;

  for (GList *l = d->captured.head->next; l != NULL && n < max; l = l->next)
    {
      DrillCaptured *c = l->data;
      const DrillCaptured *prev = got[n - 1];

      if (total >= want_bytes || c->at_ns != first->at_ns
          || c->flow != first->flow
          || prev->seg.len_bytes != first->seg.len_bytes
          || c->seg.seq != prev->seg.seq + prev->seg.len_bytes)
        break;
      got[n++] = c;
      total += c->seg.len_bytes;
    }
  return n;
}

static gboolean
expect_outbound (Drill *d, const DrillEvent *ev)
{
  const DrillPacket *p = &ev->packet;
  SimTime base = d->last_event_ns;
  SimTime now = sim_scheduler_now (d->sched);
  SimTime want = resolve (&ev->time.start, base);
  SimTime lo;
  SimTime hi;
  DrillCaptured *burst[64];
  DrillCaptured *first;
  guint n;
  char when[SIM_TIME_FORMAT_BYTES];

  if (ev->time.start.kind == DRILL_TIME_ANY)
    {
      lo = 0;
      hi = MAX (now, base) + DRILL_ANY_TIME_WAIT_NS;
    }
  else if (ev->time.shape == DRILL_TIME_RANGE)
    {
      lo = want - d->tolerance_ns;
      hi = resolve (&ev->time.end, base) + d->tolerance_ns;
    }
  else
    {
      lo = want - d->tolerance_ns;
      hi = want + d->tolerance_ns;
    }
  if (g_queue_is_empty (&d->captured) && hi > now)
    {
      d->stop_on_capture = TRUE;
      run_to (d, hi);
      d->stop_on_capture = FALSE;
      if (d->error != NULL)
        return FALSE;
    }
  if (g_queue_is_empty (&d->captured))
    {
      char by[SIM_TIME_FORMAT_BYTES];

      drill_format_time (want, when);
      drill_format_time (hi, by);
      if (ev->time.start.kind == DRILL_TIME_ANY)
        return drill_fail (d, ev, DRILL_ERROR_FAILED, "expected an outbound "
                           "packet at any time, but the host sent nothing "
                           "by %s s", by);
      return drill_fail (d, ev, DRILL_ERROR_FAILED, "expected an outbound "
                         "packet at %s s, but the host sent nothing by %s s",
                         when, by);
    }
  first = g_queue_peek_head (&d->captured);
  burst[0] = first;
  n = 1;
  if (p->len_bytes > first->seg.len_bytes && first->seg.len_bytes > 0)
    {
      /* The rest of a burst may still be on its way within this
       * instant. */
      if (sim_scheduler_now (d->sched) == first->at_ns)
        sim_scheduler_run_until (d->sched, first->at_ns);
      n = gather_burst (d, burst, G_N_ELEMENTS (burst), p->len_bytes);
    }
  if (!drill_packet_match (d, ev, burst, n))
    return FALSE;
  if (first->at_ns < lo || first->at_ns > hi)
    {
      char got[SIM_TIME_FORMAT_BYTES];
      g_autofree char *what = drill_captured_describe (burst, n);

      drill_format_time (want, when);
      drill_format_time (first->at_ns, got);
      if (ev->time.shape == DRILL_TIME_RANGE)
        {
          char until[SIM_TIME_FORMAT_BYTES];

          drill_format_time (resolve (&ev->time.end, base), until);
          return drill_fail (d, ev, DRILL_ERROR_FAILED, "outbound packet "
                             "%s: expected between %s s and %s s, actual %s "
                             "s", what, when, until, got);
        }
      return drill_fail (d, ev, DRILL_ERROR_FAILED, "outbound packet %s: "
                         "expected at %s s, actual %s s (tolerance %"
                         G_GINT64_FORMAT " us)", what, when, got,
                         d->tolerance_ns / SIM_US (1));
    }
  if (d->opts->log != NULL)
    {
      g_autofree char *what = drill_captured_describe (burst, n);

      drill_format_time (first->at_ns, when);
      drill_log (d, "%s:%u: %s > %s%s", d->script->file, ev->loc.line, when,
                 what, n > 1 ? " (several segments taken as one)" : "");
    }
  d->last_event_ns = first->at_ns;
  for (guint i = 0; i < n; i++)
    drill_captured_free (g_queue_pop_head (&d->captured));
  return TRUE;
}

static gboolean
finish_checks (Drill *d)
{
  const DrillEvent *last;

  if (d->script->events->len == 0)
    return TRUE;
  last = g_ptr_array_index (d->script->events, d->script->events->len - 1);
  /* Let the last instant finish: what the host does in reaction to the
   * last event counts. */
  sim_scheduler_run_until (d->sched, sim_scheduler_now (d->sched));
  if (d->error != NULL)
    return FALSE;
  if (d->pending != NULL)
    {
      char want[SIM_TIME_FORMAT_BYTES];

      drill_format_time (d->pending->end_ns, want);
      return drill_fail (d, d->pending->ev, DRILL_ERROR_FAILED, "%s(): "
                         "expected to return at %s s, still blocked when "
                         "the script ends", d->pending->ev->call.name, want);
    }
  return check_unexpected (d, last, SIM_TIME_NEVER);
}

gboolean
drill_run (const DrillScript *script, const DrillOptions *opts,
           GError **error)
{
  g_autoptr (Drill) d = NULL;
  DrillOptions defaults;

  g_return_val_if_fail (script != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (opts == NULL)
    {
      drill_options_init (&defaults);
      opts = &defaults;
    }
  d = drill_new (script, opts, error);
  if (d == NULL)
    return FALSE;
  drill_log (d, "%s: profile %s, tolerance %" G_GINT64_FORMAT " us",
             script->file, opts->profile != NULL ? opts->profile : "rfc",
             d->tolerance_ns / SIM_US (1));
  for (guint i = 0; i < script->option_notes->len; i++)
    drill_log (d, "%s", (const char *) g_ptr_array_index (script->option_notes,
                                                         i));
  for (guint i = 0; i < script->events->len && d->error == NULL; i++)
    {
      const DrillEvent *ev = g_ptr_array_index (script->events, i);

      switch (ev->kind)
        {
        case DRILL_EVENT_SHELL:
          run_shell (d, ev);
          break;
        case DRILL_EVENT_PACKET:
          if (ev->packet.inbound)
            run_inbound (d, ev);
          else
            expect_outbound (d, ev);
          break;
        case DRILL_EVENT_SYSCALL:
          run_syscall (d, ev);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  if (d->error == NULL)
    finish_checks (d);
  if (d->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&d->error));
      return FALSE;
    }
  return TRUE;
}
