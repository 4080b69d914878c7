/* scn_timeline.c: the statements that act during the run.
 *
 *   at TIME ACTION
 *   when SUBJECT enters STATE [wait TIME] then ACTION
 *
 * where ACTION is one of
 *
 *   start APP | stop APP
 *   close [APP.SIDE] | abort [APP.SIDE]      (bare: the trigger's own)
 *   link LINK up | link LINK down | link LINK KEY=VALUE...
 *   drop|corrupt|duplicate|hold LINK FROM>TO match ... | ... for=TIME
 *   inject FROM>TO:PORT sport=N flags=F seq=N [ack=N] [win=N] [len=SIZE]
 *
 * Call order: scn__check_at() and scn__check_when() (pass 3 of
 * check_script(), once links and apps are checked) -> check_action() for
 * the ACTION part -> a ScnAtSpec or ScnWhenSpec; then, after every
 * statement, scn__check_trigger_cycles().  What the checked statements do
 * during the run is scn_runtime.c's.
 *
 * A cycle among triggers is a trigger whose action sets off, directly or
 * through other triggers, the event it waits for: "when a's client
 * enters ESTABLISHED, start b" and "when b's client enters ESTABLISHED,
 * start a" wait for each other for ever.  Only actions that make new
 * connections set off events at once (start, inject); close and abort
 * move a connection forward through states it never enters twice, and
 * link changes act on the network, not on endpoints, so they add no
 * edge.
 */
#include "scenarios/scn_private.h"

#include <string.h>

static const char *const action_verbs[] = {
  "start", "stop", "close", "abort", "link", "drop", "corrupt", "duplicate",
  "hold", "inject", NULL
};

/* ------------------------------------------------------------------ */
/* Subjects: HOST or APP.SIDE                                          */

/* Resolves "APP.SIDE" into @app and @side; reports otherwise. */
static gboolean
resolve_side (ScnChecker *c, const ScnArg *arg, const char *what,
              ScnAppSpec **app, guint *side)
{
  const char *dot = strrchr (arg->text, '.');
  g_autofree char *name = NULL;
  ScnNameEntry *e;
  ScnAppSpec *a;

  if (dot == NULL)
    {
      g_autofree char *q = scn_quote (arg->text, SCN_QUOTE_MAX_CHARS);
      ScnNameEntry *maybe = g_hash_table_lookup (c->names, arg->text);

      if (maybe != NULL && maybe->kind == SCN_NAME_APP
          && maybe->spec != NULL)
        {
          ScnAppSpec *ma = maybe->spec;
          const char *s0 = scn__app_side_name (ma->kind, 0);
          const char *s1 = scn__app_side_name (ma->kind, 1);

          scn_diag_add (c->diag, &arg->loc, SCN_ERROR_VALUE,
                        "%s: name one side of app '%s': %s%s%s%s%s.%s", what,
                        q, s0 != NULL ? q : "", s0 != NULL ? "." : "",
                        s0 != NULL ? s0 : "", s0 != NULL ? " or " : "", q,
                        s1);
        }
      else
        scn_diag_add (c->diag, &arg->loc, SCN_ERROR_VALUE,
                      "%s: expected APP.SIDE (such as exchange.server), "
                      "got '%s'", what, q);
      return FALSE;
    }
  name = g_strndup (arg->text, (gsize) (dot - arg->text));
  e = scn__resolve_name (c, name, 1u << SCN_NAME_APP, &arg->loc, what, "app");
  if (e == NULL || e->spec == NULL)
    return FALSE;
  a = e->spec;
  for (guint s = 0; s < 2; s++)
    {
      const char *sn = scn__app_side_name (a->kind, s);

      if (sn != NULL && strcmp (sn, dot + 1) == 0)
        {
          *app = a;
          *side = s;
          return TRUE;
        }
    }
  {
    const char *s0 = scn__app_side_name (a->kind, 0);
    const char *s1 = scn__app_side_name (a->kind, 1);
    const char *cands[] = { s0 != NULL ? s0 : s1, s1, NULL };
    g_autofree char *q = scn_quote (dot + 1, SCN_QUOTE_MAX_CHARS);
    g_autofree char *hint = scn_hint (dot + 1, cands, -1);

    scn_diag_add (c->diag, &arg->loc, SCN_ERROR_UNKNOWN,
                  "%s: app '%s' (%s) has no side '%s'%s: its sides are %s%s%s",
                  what, a->name, scn__app_kind_names[a->kind], q, hint,
                  s0 != NULL ? s0 : "", s0 != NULL ? " and " : "", s1);
  }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */

enum {
  INJ_SPORT, INJ_FLAGS, INJ_SEQ, INJ_ACK, INJ_WIN, INJ_LEN, INJ_MSS,
  N_INJ_KEYS
};
static const ScnKeyInfo inject_keys[N_INJ_KEYS] = {
  [INJ_SPORT] = { .name = "sport", .type = SCN_KEY_COUNT, .min = 1,
                  .max = 65535, .example = "sport=49152" },
  [INJ_FLAGS] = { .name = "flags", .type = SCN_KEY_FLAGS,
                  .example = "flags=S" },
  [INJ_SEQ] = { .name = "seq", .type = SCN_KEY_COUNT, .min = 0,
                .max = G_MAXUINT32, .example = "seq=90" },
  [INJ_ACK] = { .name = "ack", .type = SCN_KEY_COUNT, .optional = TRUE,
                .min = 0, .max = G_MAXUINT32, .example = "ack=1" },
  [INJ_WIN] = { .name = "win", .type = SCN_KEY_COUNT, .default_text = "65535",
                .min = 0, .max = 65535, .example = "win=65535" },
  [INJ_LEN] = { .name = "len", .type = SCN_KEY_SIZE, .default_text = "0B",
                .min = 0, .max = 1400, .example = "len=100B" },
  [INJ_MSS] = { .name = "mss", .type = SCN_KEY_BOOL, .default_text = "off",
                .example = "mss=on" },
};

static gboolean
check_inject (ScnChecker *c, const ScnStmt *stmt, guint first,
              ScnAction *act)
{
  static const char usage[] =
    "inject FROM>TO:PORT sport=N flags=F seq=N [ack=N] [win=N] [len=SIZE] "
    "[mss=on]";
  ScnValue values[N_INJ_KEYS] = { { 0 } };
  ScnKeyGroup group = { "", inject_keys, N_INJ_KEYS, values, TRUE };
  guint before = scn_diag_count (c->diag);
  ScnHostSpec *from = NULL;
  ScnHostSpec *to = NULL;
  guint16 port = 0;

  if (scn__check_arg_count (c, stmt, first + 2, usage))
    {
      const ScnArg *arg = g_ptr_array_index (stmt->args, first + 1);
      const char *gt = arg->kind == SCN_ARG_WORD ? strchr (arg->text, '>')
                                                 : NULL;
      const char *colon = gt != NULL ? strrchr (gt, ':') : NULL;
      g_autoptr (GError) err = NULL;

      if (gt == NULL || colon == NULL
          || !scn_parse_port (colon + 1, &port, &err))
        {
          g_autofree char *q = scn_quote (arg->text, SCN_QUOTE_MAX_CHARS);

          scn_diag_add (c->diag, &arg->loc, SCN_ERROR_VALUE,
                        "inject: expected FROM>TO:PORT (such as "
                        "client>server:8080), got '%s'", q);
        }
      else
        {
          g_autofree char *a = g_strndup (arg->text,
                                          (gsize) (gt - arg->text));
          g_autofree char *b = g_strndup (gt + 1, (gsize) (colon - gt - 1));

          from = scn__resolve_host (c, a, &arg->loc, "inject", NULL);
          to = scn__resolve_host (c, b, &arg->loc, "inject", NULL);
          if (from != NULL && from == to)
            scn_diag_add (c->diag, &arg->loc, SCN_ERROR_VALUE,
                          "inject: a segment from '%s' to itself never "
                          "enters a link", a);
        }
    }
  scn__collect_keys (c, stmt, &group, 1, NULL, 0, "inject",
                     "sport, flags, seq, ack, win, len and mss", NULL);
  if (!values[INJ_FLAGS].bad && values[INJ_FLAGS].given
      && (values[INJ_FLAGS].flags_value & TCP_ACK)
      && !values[INJ_ACK].given)
    scn_diag_add (c->diag, &values[INJ_FLAGS].loc, SCN_ERROR_MISSING,
                  "inject: flags with A need ack= (the acknowledgement "
                  "number)");
  if (!values[INJ_FLAGS].bad && values[INJ_FLAGS].given
      && values[INJ_FLAGS].flags_mask != 0xff)
    scn_diag_add (c->diag, &values[INJ_FLAGS].loc, SCN_ERROR_VALUE,
                  "inject: flags are the segment's own: write them without "
                  "'+'");
  if (from == NULL || to == NULL || scn_diag_count (c->diag) != before)
    return FALSE;
  act->kind = SCN_ACT_INJECT;
  act->from = from;
  act->to = to;
  act->seg.dport = port;
  act->seg.sport = (guint16) values[INJ_SPORT].u;
  act->seg.flags = values[INJ_FLAGS].flags_value;
  act->seg.seq = (guint32) values[INJ_SEQ].u;
  act->seg.ack = (guint32) values[INJ_ACK].u;
  act->seg.win = (guint16) values[INJ_WIN].u;
  act->seg.len_bytes = (guint32) values[INJ_LEN].u;
  act->seg.mss_option = values[INJ_MSS].u != 0;
  return TRUE;
}

static gboolean
check_link_action (ScnChecker *c, const ScnStmt *stmt, guint first,
                   ScnAction *act)
{
  static const char usage[] =
    "link LINK up, link LINK down, or link LINK KEY=VALUE...";
  guint before = scn_diag_count (c->diag);
  const char *name = scn_stmt_word (stmt, first + 1);
  const char *what_word = scn_stmt_word (stmt, first + 2);
  ScnNameEntry *e = NULL;
  ScnLinkSpec *l;

  if (stmt->args->len < first + 2 || name == NULL)
    {
      scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_SYNTAX,
                    "missing arguments: expected %s", usage);
      return FALSE;
    }
  e = scn__resolve_name (c, name, 1u << SCN_NAME_LINK,
                         &((const ScnArg *) g_ptr_array_index (stmt->args,
                                                               first + 1))->loc,
                         "link", "link");
  l = e != NULL ? e->spec : NULL;
  if (stmt->args->len == first + 3)
    {
      const ScnArg *arg = g_ptr_array_index (stmt->args, first + 2);

      if (what_word == NULL || (strcmp (what_word, "up") != 0
                                && strcmp (what_word, "down") != 0))
        {
          g_autofree char *q = scn_quote (arg->text, SCN_QUOTE_MAX_CHARS);

          scn_diag_add (c->diag, &arg->loc, SCN_ERROR_VALUE,
                        "expected up, down or KEY=VALUE after the link's "
                        "name, got '%s'", q);
          return FALSE;
        }
      scn__collect_keys (c, stmt, NULL, 0, NULL, 0, what_word,
                         "no keys (it acts on both directions)", NULL);
      if (l == NULL || scn_diag_count (c->diag) != before)
        return FALSE;
      act->kind = strcmp (what_word, "up") == 0 ? SCN_ACT_LINK_UP
                                                : SCN_ACT_LINK_DOWN;
      act->link = l;
      return TRUE;
    }
  if (!scn__check_arg_count (c, stmt, first + 2, usage))
    return FALSE;
  if (l == NULL)
    return FALSE;
  {
    guint n_keys;
    const ScnKeyInfo *keys = scn__link_keys (&n_keys);
    g_autofree ScnValue *v = g_new0 (ScnValue, 3 * n_keys);
    g_autofree char *prefix_ab = g_strdup_printf ("%s>%s.", l->end[0]->name,
                                                  l->end[1]->name);
    g_autofree char *prefix_ba = g_strdup_printf ("%s>%s.", l->end[1]->name,
                                                  l->end[0]->name);
    g_autofree char *expected = g_strdup_printf ("link parameters, or one "
                                                 "direction's as %srate",
                                                 prefix_ab);
    ScnKeyGroup groups[3] = {
      { "", keys, n_keys, v, FALSE },
      { prefix_ab, keys, n_keys, v + n_keys, FALSE },
      { prefix_ba, keys, n_keys, v + 2 * n_keys, FALSE },
    };

    scn__collect_keys (c, stmt, groups, 3, NULL, 0, "link", expected, NULL);
    if (stmt->kvs->len == 0)
      scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_MISSING,
                    "link: expected up, down or the parameters to change "
                    "(for example loss=5%%)");
    if (scn_diag_count (c->diag) != before)
      return FALSE;
    act->kind = SCN_ACT_LINK_SET;
    act->link = l;
    for (guint d = 0; d < 2; d++)
      {
        g_autofree ScnValue *merged = g_new0 (ScnValue, n_keys);

        for (guint k = 0; k < n_keys; k++)
          merged[k] = v[(d + 1) * n_keys + k].given ? v[(d + 1) * n_keys + k]
                                                    : v[k];
        act->values[d] = l->dir[d];
        scn__link_values_apply (merged, &act->values[d], &act->fields[d]);
      }
  }
  return TRUE;
}

/* Checks the ACTION that starts at argument @first of @stmt into @act.
 * @trigger: in a `when`, where close and abort may stand alone. */
static gboolean
check_action (ScnChecker *c, const ScnStmt *stmt, guint first,
              gboolean trigger, ScnAction *act)
{
  const char *verb = scn_stmt_word (stmt, first);
  guint before = scn_diag_count (c->diag);

  memset (act, 0, sizeof *act);
  act->stmt = stmt;
  act->side = -1;
  if (verb == NULL)
    {
      const ScnLoc *loc = stmt->args->len > first
                          ? &((const ScnArg *) g_ptr_array_index (stmt->args,
                                                                  first))->loc
                          : &stmt->loc;

      scn_diag_add (c->diag, loc, SCN_ERROR_SYNTAX,
                    "%s: expected an action: start, stop, close, abort, "
                    "link, drop, corrupt, duplicate, hold or inject",
                    stmt->keyword);
      return FALSE;
    }
  if (strcmp (verb, "start") == 0 || strcmp (verb, "stop") == 0)
    {
      gboolean start = verb[2] == 'a';
      g_autofree char *usage = g_strdup_printf ("%s APP", verb);
      ScnNameEntry *e = NULL;
      ScnAppSpec *app;

      scn__collect_keys (c, stmt, NULL, 0, NULL, 0, verb, "no keys", NULL);
      if (!scn__check_arg_count (c, stmt, first + 2, usage))
        return FALSE;
      {
        const ScnArg *arg = g_ptr_array_index (stmt->args, first + 1);

        if (arg->kind == SCN_ARG_WORD)
          e = scn__resolve_name (c, arg->text, 1u << SCN_NAME_APP, &arg->loc,
                                 verb, "app");
        if (e == NULL || e->spec == NULL || scn_diag_count (c->diag) != before)
          return FALSE;
        app = e->spec;
        if (!start && app->kind != SCN_APP_KIND_ONOFF
            && app->kind != SCN_APP_KIND_SINK)
          {
            scn_diag_add (c->diag, &arg->loc, SCN_ERROR_VALUE,
                          "stop: app '%s' is %s %s app, which cannot pause; "
                          "an onoff sender stops sending and a sink stops "
                          "reading (to end a connection, close it: close "
                          "%s.%s)", app->name,
                          app->kind == SCN_APP_KIND_ECHO ? "an" : "a",
                          scn__app_kind_names[app->kind], app->name,
                          scn__app_side_name (app->kind, 0));
            return FALSE;
          }
        app->has_stop = app->has_stop || !start;
      }
      act->kind = start ? SCN_ACT_START : SCN_ACT_STOP;
      act->app = app;
      return TRUE;
    }
  if (strcmp (verb, "close") == 0 || strcmp (verb, "abort") == 0)
    {
      g_autofree char *usage = g_strdup_printf (trigger ? "%s [APP.SIDE]"
                                                        : "%s APP.SIDE",
                                                verb);

      scn__collect_keys (c, stmt, NULL, 0, NULL, 0, verb, "no keys", NULL);
      act->kind = verb[0] == 'c' ? SCN_ACT_CLOSE : SCN_ACT_ABORT;
      if (trigger && stmt->args->len == first + 1)
        return scn_diag_count (c->diag) == before;
      if (!trigger && stmt->args->len == first + 1)
        {
          scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_MISSING,
                        "%s: name the connection's app and side, as in %s "
                        "exchange.client (alone, %s applies in a trigger, "
                        "to the connection that set it off)", verb, verb,
                        verb);
          return FALSE;
        }
      if (!scn__check_arg_count (c, stmt, first + 2, usage))
        return FALSE;
      {
        guint side;

        if (!resolve_side (c, g_ptr_array_index (stmt->args, first + 1), verb,
                           &act->app, &side))
          return FALSE;
        act->side = (gint) side;
      }
      return scn_diag_count (c->diag) == before;
    }
  if (strcmp (verb, "link") == 0)
    return check_link_action (c, stmt, first, act);
  if (strcmp (verb, "drop") == 0 || strcmp (verb, "corrupt") == 0
      || strcmp (verb, "duplicate") == 0 || strcmp (verb, "hold") == 0)
    {
      act->kind = SCN_ACT_RULE;
      return scn__check_rule (c, stmt, first + 1, TRUE, &act->link,
                              &act->dir, &act->rule, &act->for_ns);
    }
  if (strcmp (verb, "inject") == 0)
    return check_inject (c, stmt, first, act);
  {
    const ScnArg *arg = g_ptr_array_index (stmt->args, first);
    g_autofree char *q = scn_quote (verb, SCN_QUOTE_MAX_CHARS);
    g_autofree char *hint = scn_hint (verb, action_verbs, -1);

    scn_diag_add (c->diag, &arg->loc, SCN_ERROR_UNKNOWN,
                  "unknown action '%s'%s: expected start, stop, close, "
                  "abort, link, drop, corrupt, duplicate, hold or inject",
                  q, hint);
  }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* at and when                                                         */

void
scn__check_at (ScnChecker *c, const ScnStmt *stmt)
{
  static const ScnKeyInfo time_key = {
    .name = "at", .type = SCN_KEY_TIME, .max = SCN_MAX_TIME_NS,
    .example = "at 2s",
  };
  const char *time_text = scn_stmt_word (stmt, 0);
  ScnValue t = { 0 };
  ScnAtSpec *at;
  ScnAction act;
  gboolean time_ok = FALSE;

  if (time_text == NULL || stmt->args->len < 2)
    {
      scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_SYNTAX,
                    "missing arguments: expected at TIME ACTION, such as "
                    "at 2s link wan down");
      return;
    }
  {
    g_autoptr (GError) err = NULL;
    const ScnArg *arg = g_ptr_array_index (stmt->args, 0);

    if (scn__parse_value (&time_key, time_text, &t, &err))
      time_ok = TRUE;
    else
      scn_diag_add_error (c->diag, &arg->loc, SCN_ERROR_VALUE, "at", err);
  }
  if (!check_action (c, stmt, 1, FALSE, &act) || !time_ok)
    return;
  if (act.kind == SCN_ACT_CLOSE || act.kind == SCN_ACT_ABORT)
    g_assert (act.app != NULL);
  at = g_new0 (ScnAtSpec, 1);
  at->stmt = stmt;
  at->at_ns = (SimTime) t.u;
  at->action = act;
  g_ptr_array_add (c->ats, at);
}

void
scn__check_when (ScnChecker *c, const ScnStmt *stmt)
{
  static const char usage[] =
    "when SUBJECT enters STATE [wait TIME] then ACTION, such as when "
    "server enters CLOSE_WAIT wait 2s then close";
  static const ScnKeyInfo wait_key = {
    .name = "wait", .type = SCN_KEY_TIME, .max = SCN_MAX_TIME_NS,
    .example = "wait 2s",
  };
  guint before = scn_diag_count (c->diag);
  const char *enters = scn_stmt_word (stmt, 1);
  const char *state_text = scn_stmt_word (stmt, 2);
  const char *w3 = scn_stmt_word (stmt, 3);
  guint then_index = 3;
  ScnWhenSpec *when;
  ScnAction act;
  ScnHostSpec *host = NULL;
  ScnAppSpec *app = NULL;
  guint side = 0;
  TcpState state = TCP_STATE_CLOSED;
  SimTime wait_ns = 0;

  if (stmt->args->len < 5 || enters == NULL || state_text == NULL)
    {
      scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_SYNTAX,
                    "missing arguments: expected %s", usage);
      return;
    }
  if (strcmp (enters, "enters") != 0)
    {
      const ScnArg *arg = g_ptr_array_index (stmt->args, 1);
      g_autofree char *q = scn_quote (enters, SCN_QUOTE_MAX_CHARS);

      scn_diag_add (c->diag, &arg->loc, SCN_ERROR_SYNTAX,
                    "expected 'enters' after the subject, got '%s': %s", q,
                    usage);
      return;
    }
  /* The subject: a host (any of its connections) or one side of an app. */
  {
    const ScnArg *arg = g_ptr_array_index (stmt->args, 0);

    if (arg->kind == SCN_ARG_WORD && strchr (arg->text, '.') != NULL)
      resolve_side (c, arg, "when", &app, &side);
    else if (arg->kind == SCN_ARG_WORD)
      {
        ScnNameEntry *e = g_hash_table_lookup (c->names, arg->text);

        if (e != NULL && e->kind == SCN_NAME_APP)
          resolve_side (c, arg, "when", &app, &side);
        else
          host = scn__resolve_host (c, arg->text, &arg->loc, "when", NULL);
      }
  }
  {
    const ScnArg *arg = g_ptr_array_index (stmt->args, 2);

    if (!tcp_state_from_name (state_text, &state))
      {
        const char *names[TCP_N_STATES + 1];
        g_autofree char *q = scn_quote (state_text, SCN_QUOTE_MAX_CHARS);
        g_autofree char *hint = NULL;

        for (guint i = 0; i < TCP_N_STATES; i++)
          names[i] = tcp_state_name ((TcpState) i);
        names[TCP_N_STATES] = NULL;
        hint = scn_hint (state_text, names, -1);
        scn_diag_add (c->diag, &arg->loc, SCN_ERROR_UNKNOWN,
                      "unknown TCP state '%s'%s: expected a state of RFC "
                      "9293, such as SYN_SENT, ESTABLISHED, CLOSE_WAIT or "
                      "TIME_WAIT", q, hint);
      }
    else if (state == TCP_STATE_LISTEN)
      scn_diag_add (c->diag, &arg->loc, SCN_ERROR_VALUE,
                    "when: a connection never enters LISTEN (a listener "
                    "starts in it); wait for SYN_RECEIVED instead");
  }
  if (w3 != NULL && strcmp (w3, "wait") == 0)
    {
      const char *wait_text = scn_stmt_word (stmt, 4);
      const ScnArg *arg = stmt->args->len > 4
                          ? g_ptr_array_index (stmt->args, 4) : NULL;
      g_autoptr (GError) err = NULL;
      ScnValue v = { 0 };

      then_index = 5;
      if (wait_text == NULL)
        scn_diag_add (c->diag, arg != NULL ? &arg->loc : &stmt->loc,
                      SCN_ERROR_SYNTAX, "expected a time after 'wait': %s",
                      usage);
      else if (!scn__parse_value (&wait_key, wait_text, &v, &err))
        scn_diag_add_error (c->diag, &arg->loc, SCN_ERROR_VALUE, "wait",
                            err);
      else
        wait_ns = (SimTime) v.u;
    }
  {
    const char *then = scn_stmt_word (stmt, then_index);

    if (then == NULL || strcmp (then, "then") != 0)
      {
        const ScnLoc *loc = stmt->args->len > then_index
                            ? &((const ScnArg *)
                                g_ptr_array_index (stmt->args,
                                                   then_index))->loc
                            : &stmt->loc;
        g_autofree char *q = then != NULL
                             ? scn_quote (then, SCN_QUOTE_MAX_CHARS)
                             : g_strdup ("nothing");

        scn_diag_add (c->diag, loc, SCN_ERROR_SYNTAX,
                      "expected 'then' and an action, got '%s': %s", q,
                      usage);
        return;
      }
  }
  if (!check_action (c, stmt, then_index + 1, TRUE, &act)
      || scn_diag_count (c->diag) != before || (host == NULL && app == NULL))
    return;
  when = g_new0 (ScnWhenSpec, 1);
  when->stmt = stmt;
  when->host = host;
  when->app = app;
  when->side = side;
  when->state = state;
  when->wait_ns = wait_ns;
  when->action = act;
  g_ptr_array_add (c->whens, when);
}

/* Where the action @act of @stmt names its app. */
static const ScnLoc *
app_arg_loc (const ScnAction *act)
{
  for (guint i = 0; i < act->stmt->args->len; i++)
    {
      const ScnArg *arg = g_ptr_array_index (act->stmt->args, i);

      if (arg->kind == SCN_ARG_WORD && strcmp (arg->text, act->app->name) == 0
          && i > 0)
        return &arg->loc;
    }
  return &act->stmt->loc;
}

void
scn__check_timeline_starts (ScnChecker *c)
{
  for (guint i = 0; i < c->apps->len; i++)
    {
      ScnAppSpec *app = g_ptr_array_index (c->apps, i);
      gboolean pausable = app->kind == SCN_APP_KIND_ONOFF
                          || app->kind == SCN_APP_KIND_SINK;
      /* Bulk and reqresp apps can only be made before the run starts, so
       * the timeline starts them at a time known then. */
      gboolean build_only = app->kind == SCN_APP_KIND_BULK
                            || app->kind == SCN_APP_KIND_REQRESP;
      const ScnAtSpec *first_at = NULL;
      const ScnAtSpec *second_at = NULL;
      const ScnWhenSpec *first_when = NULL;
      const ScnAction *first = NULL;

      for (guint k = 0; k < c->ats->len; k++)
        {
          const ScnAtSpec *at = g_ptr_array_index (c->ats, k);

          if (at->action.kind != SCN_ACT_START || at->action.app != app)
            continue;
          if (first_at == NULL || at->at_ns < first_at->at_ns)
            {
              second_at = first_at;
              first_at = at;
            }
          else if (second_at == NULL)
            second_at = at;
        }
      for (guint k = 0; k < c->whens->len && first_when == NULL; k++)
        {
          const ScnWhenSpec *w = g_ptr_array_index (c->whens, k);

          if (w->action.kind == SCN_ACT_START && w->action.app == app)
            first_when = w;
        }
      if (first_at == NULL && first_when == NULL)
        continue;
      if (pausable && app->has_stop)
        continue;               /* it starts by itself; start resumes it */
      first = first_at != NULL ? &first_at->action : &first_when->action;
      if (app->start_kv != NULL)
        {
          scn_diag_add (c->diag, app_arg_loc (first), SCN_ERROR_VALUE,
                        "start: app '%s' has its own start= (line %u): an "
                        "app starts either at that time or when the "
                        "timeline starts it", app->name,
                        app->start_kv->key_loc.line);
          continue;
        }
      if (build_only && first_when != NULL)
        {
          scn_diag_add (c->diag, app_arg_loc (&first_when->action),
                        SCN_ERROR_VALUE,
                        "start: a trigger cannot start app '%s': %s apps "
                        "start at a time set before the run (start= or "
                        "at TIME start); an onoff sender with a sink, or "
                        "an echo app, can be started by a trigger",
                        app->name, scn__app_kind_names[app->kind]);
          continue;
        }
      if (build_only && second_at != NULL)
        {
          scn_diag_add (c->diag, app_arg_loc (&second_at->action),
                        SCN_ERROR_DUPLICATE,
                        "start: app '%s' is already started at line %u "
                        "(a %s app starts once)", app->name,
                        first_at->stmt->loc.line,
                        scn__app_kind_names[app->kind]);
          continue;
        }
      app->started_by = TRUE;
      if (build_only)
        {
          app->start_at_build = TRUE;
          app->reqresp.start_ns = first_at->at_ns;
          app->bulk.start_ns = first_at->at_ns;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Cycles                                                              */

static gboolean
app_on_host (const ScnAppSpec *app, const ScnHostSpec *h)
{
  return app->host[0] == h || app->host[1] == h;
}

/* TRUE when @from's action may set off @to's event at once. */
static gboolean
sets_off (const ScnWhenSpec *from, const ScnWhenSpec *to)
{
  const ScnAction *a = &from->action;

  switch (a->kind)
    {
    case SCN_ACT_START:
      /* Its connections go through every state, on both its hosts; an app
       * that the timeline only resumes makes no new connection. */
      if (!a->app->started_by || a->app->start_at_build)
        return FALSE;
      return (to->app != NULL && to->app == a->app)
             || (to->host != NULL && app_on_host (a->app, to->host));
    case SCN_ACT_INJECT:
      /* A crafted segment makes or resets connections at its ends. */
      return (to->host != NULL && (to->host == a->from || to->host == a->to))
             || (to->app != NULL && (app_on_host (to->app, a->to)
                                     || app_on_host (to->app, a->from)));
    case SCN_ACT_STOP:
    case SCN_ACT_CLOSE:
    case SCN_ACT_ABORT:
    case SCN_ACT_LINK_UP:
    case SCN_ACT_LINK_DOWN:
    case SCN_ACT_LINK_SET:
    case SCN_ACT_RULE:
      return FALSE;
    default:
      g_assert_not_reached ();
    }
}

enum { WHITE, GRAY, BLACK };

typedef struct {
  ScnChecker *c;
  guint n;
  guint8 *color;
  gboolean *reported;
  guint *pos;                   /* a GRAY trigger's place on the path */
  GArray *stack;                /* guint: the DFS path */
} CycleSearch;

static void
report_cycle (CycleSearch *cs, guint from_pos)
{
  GArray *st = cs->stack;
  g_autoptr (GString) path = g_string_new (NULL);
  guint lowest = from_pos;
  guint n;
  const ScnWhenSpec *w;

  for (guint i = from_pos; i < st->len; i++)
    {
      guint k = g_array_index (st, guint, i);

      if (cs->reported[k])
        return;                 /* part of a cycle already told */
      if (k < g_array_index (st, guint, lowest))
        lowest = i;
    }
  for (guint i = from_pos; i < st->len; i++)
    cs->reported[g_array_index (st, guint, i)] = TRUE;
  /* Told from the trigger written first, round to itself; a long cycle
   * is cut in the middle, so that the message stays a line. */
  n = st->len - from_pos;
  for (guint i = 0; i <= n; i++)
    {
      guint pos = from_pos + (lowest - from_pos + i) % n;
      const ScnWhenSpec *x = g_ptr_array_index (cs->c->whens,
                                                g_array_index (st, guint,
                                                               pos));

      if (n > 8 && i >= 3 && i < n - 2)
        {
          if (i == 3)
            g_string_append_printf (path, " -> ... (%u triggers in all)", n);
          continue;
        }
      g_string_append_printf (path, "%sline %u", i == 0 ? "" : " -> ",
                              x->stmt->loc.line);
    }
  w = g_ptr_array_index (cs->c->whens, g_array_index (st, guint, lowest));
  if (st->len - from_pos == 1)
    scn_diag_add (cs->c->diag, &w->stmt->loc, SCN_ERROR_VALUE,
                  "trigger sets itself off: its action leads back to the "
                  "event it waits for, without end");
  else
    scn_diag_add (cs->c->diag, &w->stmt->loc, SCN_ERROR_VALUE,
                  "triggers form a cycle (%s): each one's action sets off "
                  "the next, without end", path->str);
}

/* Depth-first search from @root, with an explicit stack (a file of
 * thousands of chained triggers must not exhaust the C stack): next[]
 * holds, for each trigger on the path, the next candidate to look at. */
static void
visit (CycleSearch *cs, guint root, guint *next)
{
  cs->color[root] = GRAY;
  next[root] = 0;
  cs->pos[root] = cs->stack->len;
  g_array_append_val (cs->stack, root);
  while (cs->stack->len > 0)
    {
      guint k = g_array_index (cs->stack, guint, cs->stack->len - 1);
      const ScnWhenSpec *w = g_ptr_array_index (cs->c->whens, k);
      gboolean descended = FALSE;

      /* Only actions that make connections have edges at all. */
      if (w->action.kind != SCN_ACT_START && w->action.kind != SCN_ACT_INJECT)
        next[k] = cs->n;
      while (next[k] < cs->n && !descended)
        {
          guint j = next[k]++;
          const ScnWhenSpec *x = g_ptr_array_index (cs->c->whens, j);

          if (!sets_off (w, x))
            continue;
          /* A trigger already in a reported cycle is not reported
           * again: one message per knot is enough, and it keeps a dense
           * file linear in its reports. */
          if (cs->color[j] == GRAY && !cs->reported[j] && !cs->reported[k])
            report_cycle (cs, cs->pos[j]);
          else if (cs->color[j] == WHITE)
            {
              cs->color[j] = GRAY;
              next[j] = 0;
              cs->pos[j] = cs->stack->len;
              g_array_append_val (cs->stack, j);
              descended = TRUE;
            }
        }
      if (!descended)
        {
          cs->color[k] = BLACK;
          g_array_set_size (cs->stack, cs->stack->len - 1);
        }
    }
}

void
scn__check_trigger_cycles (ScnChecker *c)
{
  CycleSearch cs = { 0 };
  guint *next;

  cs.c = c;
  cs.n = c->whens->len;
  if (cs.n == 0)
    return;
  cs.color = g_new0 (guint8, cs.n);
  cs.reported = g_new0 (gboolean, cs.n);
  cs.pos = g_new0 (guint, cs.n);
  cs.stack = g_array_new (FALSE, FALSE, sizeof (guint));
  next = g_new0 (guint, cs.n);
  for (guint k = 0; k < cs.n; k++)
    if (cs.color[k] == WHITE)
      visit (&cs, k, next);
  g_free (next);
  g_array_unref (cs.stack);
  g_free (cs.reported);
  g_free (cs.pos);
  g_free (cs.color);
}
