/* scn_build.c: the meaning of the scenario language's declarations, and
 * the building of the world.
 *
 * Call order: scn_load_text() -> scn_parse() -> scn__expand_topologies()
 * (scn_topology.c: chain, dumbbell and star become host, router and link
 * statements) -> register_names() (every declared name, even from broken
 * statements, so one typo does not cascade) -> scn__apply_overrides()
 * (scn_override.c: each --set item replaces or adds a key=value in the
 * tree, so it meets exactly the checks a file value meets) ->
 * check_script(): the check function of each statement, in passes so
 * that references find checked declarations (seed, tcp, host, router,
 * run, routing; link; drop and its kin, route, app; at, when, compare),
 * then check_references() and scn__check_trigger_cycles() -> only if no
 * error so far: build_world(): nodes, links, rules, routes, the path of
 * every app (scn__check_paths()), the apps, and the runtime that carries
 * out the timeline and the triggers (scn_runtime.c).
 *
 * Statement keys are described by ScnKeyInfo tables: name, type, default
 * (written as a user would write it and parsed by the same code), range,
 * and the word that means "no limit".  scn__collect_keys() walks a
 * statement's pairs against its tables; scn__parse_value()
 * (scn_values.c) turns one text into a typed ScnValue.  The TCP keys come
 * from the model's own table, tcp_param_table(), and the link keys from
 * link_param_table(), so this file names few of them.
 */
#include "scenarios/scn_private.h"

#include <string.h>

#include "models/host.h"
#include "models/node.h"
#include "models/router.h"

static const char *const scn_keywords[] = {
  "seed", "tcp", "host", "router", "link", "chain", "dumbbell", "star",
  "route", "routing", "drop", "corrupt", "duplicate", "hold", "app", "at",
  "when", "compare", "run", NULL
};

const char *const scn__name_kind_names[] = { "host", "link", "app", "router" };

/* ------------------------------------------------------------------ */
/* Key tables                                                          */

enum { RUN_UNTIL, N_RUN_KEYS };
static const ScnKeyInfo run_keys[N_RUN_KEYS] = {
  [RUN_UNTIL] = { .name = "until", .type = SCN_KEY_TIME, .default_text = "60s",
                  .min = 1, .max = SCN_MAX_TIME_NS,
                  .example = "until=60s" },
};

enum { HOST_ADDR, N_HOST_KEYS };
static const ScnKeyInfo host_keys[N_HOST_KEYS] = {
  [HOST_ADDR] = { .name = "addr", .type = SCN_KEY_ADDR,
                  .example = "addr=10.0.0.1" },
};

/* What the language adds to a field of the link model's table: the word
 * for "no limit", a stricter minimum, a default, an example.  Fields not
 * listed are optional, range-checked by the model's table, and off (0)
 * when not given. */
typedef struct {
  const char *name;
  const char *unlimited;
  gboolean has_min;
  guint64 min;
  gboolean required;
  const char *default_text;
  const char *example;
} LinkKeyOverlay;

static const LinkKeyOverlay link_overlays[] = {
  { "rate", "unlimited", TRUE, 1, TRUE, NULL, "rate=10Mbps" },
  { "delay", NULL, FALSE, 0, TRUE, NULL, "delay=5ms" },
  { "queue", "unlimited", TRUE, 1, FALSE, "100", "queue=100" },
  { "loss", NULL, FALSE, 0, FALSE, "0%", "loss=1%" },
  { "queue_bytes", "unlimited", TRUE, 1, FALSE, NULL, "queue_bytes=64KB" },
  /* RFC 791: every IPv4 link carries 68-byte datagrams. */
  { "mtu", NULL, TRUE, 68, FALSE, NULL, "mtu=1500B" },
  { "corrupt_bits", NULL, TRUE, 1, FALSE, NULL, "corrupt_bits=1" },
  { "reorder_gap", NULL, TRUE, 1, FALSE, NULL, "reorder_gap=3" },
  { "qdisc", NULL, FALSE, 0, FALSE, NULL, "qdisc=red" },
  { "loss_model", NULL, FALSE, 0, FALSE, NULL, "loss_model=gilbert" },
};

static ScnKeyType
link_key_type (LinkParamType type)
{
  switch (type)
    {
    case LINK_PARAM_RATE: return SCN_KEY_RATE;
    case LINK_PARAM_TIME: return SCN_KEY_TIME;
    case LINK_PARAM_BYTES: return SCN_KEY_SIZE;
    case LINK_PARAM_COUNT: return SCN_KEY_COUNT;
    case LINK_PARAM_PROB: return SCN_KEY_PROB;
    case LINK_PARAM_REAL: return SCN_KEY_REAL;
    case LINK_PARAM_BOOL: return SCN_KEY_BOOL;
    case LINK_PARAM_CHOICE: return SCN_KEY_CHOICE;
    default: g_assert_not_reached ();
    }
}

const ScnKeyInfo *
scn__link_keys (guint *n_out)
{
  static ScnKeyInfo *keys;
  static guint n_keys;

  if (g_once_init_enter (&keys))
    {
      guint n;
      const LinkParamInfo *table = link_param_table (&n);
      ScnKeyInfo *k = g_new0 (ScnKeyInfo, n);

      for (guint i = 0; i < n; i++)
        {
          const LinkParamInfo *p = &table[i];

          k[i].name = p->name;
          k[i].type = link_key_type (p->type);
          k[i].min = p->min;
          k[i].max = p->max;
          k[i].choices = p->choices;
          k[i].link = p;
          k[i].optional = TRUE;
          for (gsize o = 0; o < G_N_ELEMENTS (link_overlays); o++)
            {
              const LinkKeyOverlay *ov = &link_overlays[o];

              if (strcmp (ov->name, p->name) != 0)
                continue;
              k[i].unlimited = ov->unlimited;
              if (ov->has_min)
                k[i].min = ov->min;
              k[i].optional = !ov->required && ov->default_text == NULL;
              k[i].default_text = ov->default_text;
              k[i].example = ov->example;
            }
          if (k[i].example == NULL)
            k[i].example = g_strdup_printf ("%s=...", p->name);
        }
      n_keys = n;
      g_once_init_leave (&keys, k);
    }
  *n_out = n_keys;
  return keys;
}

static guint
link_key_index (const char *name)
{
  guint n;
  const ScnKeyInfo *keys = scn__link_keys (&n);

  for (guint i = 0; i < n; i++)
    if (strcmp (keys[i].name, name) == 0)
      return i;
  g_assert_not_reached ();
}

enum { RULE_NTH, RULE_FROM, RULE_UNTIL, N_RULE_FORM_KEYS };
static const ScnKeyInfo rule_form_keys[N_RULE_FORM_KEYS] = {
  [RULE_NTH] = { .name = "nth", .type = SCN_KEY_SPAN, .optional = TRUE,
                 .min = 1, .max = G_MAXUINT64, .example = "nth=3" },
  [RULE_FROM] = { .name = "from", .type = SCN_KEY_TIME, .optional = TRUE,
                  .max = SCN_MAX_TIME_NS, .example = "from=2s" },
  [RULE_UNTIL] = { .name = "until", .type = SCN_KEY_TIME, .optional = TRUE,
                   .min = 1, .max = SCN_MAX_TIME_NS, .example = "until=3s" },
};

enum { MATCH_FLAGS, MATCH_SEQ, MATCH_LEN, MATCH_COUNT, N_MATCH_KEYS };
static const ScnKeyInfo rule_match_keys[N_MATCH_KEYS] = {
  [MATCH_FLAGS] = { .name = "flags", .type = SCN_KEY_FLAGS, .optional = TRUE,
                    .example = "flags=SA" },
  [MATCH_SEQ] = { .name = "seq", .type = SCN_KEY_COUNT, .optional = TRUE,
                  .min = 0, .max = G_MAXUINT32, .example = "seq=1" },
  [MATCH_LEN] = { .name = "len", .type = SCN_KEY_SIZE, .optional = TRUE,
                  .min = 0, .max = 65535, .example = "len=159B" },
  [MATCH_COUNT] = { .name = "count", .type = SCN_KEY_COUNT, .default_text = "1",
                    .min = 1, .max = G_MAXUINT32, .unlimited = "all",
                    .example = "count=1" },
};

enum { RULE_FOR, N_RULE_TIMED_KEYS };
static const ScnKeyInfo rule_timed_keys[N_RULE_TIMED_KEYS] = {
  [RULE_FOR] = { .name = "for", .type = SCN_KEY_TIME, .optional = TRUE,
                 .min = 1, .max = SCN_MAX_TIME_NS, .example = "for=500ms" },
};

/* What each kind of rule does, and its own keys. */
enum { ACT_BITS, ACT_BY, ACT_BEHIND, N_ACT_KEYS };
static const ScnKeyInfo rule_action_keys[N_ACT_KEYS] = {
  [ACT_BITS] = { .name = "bits", .type = SCN_KEY_COUNT, .default_text = "1",
                 .min = 1, .max = LINK_MAX_CORRUPT_BITS,
                 .example = "bits=1" },
  [ACT_BY] = { .name = "by", .type = SCN_KEY_TIME, .optional = TRUE,
               .min = 1, .max = SCN_MAX_TIME_NS, .example = "by=20ms" },
  [ACT_BEHIND] = { .name = "behind", .type = SCN_KEY_COUNT, .optional = TRUE,
                   .min = 1, .max = 1000000, .example = "behind=3" },
};

static const struct {
  const char *keyword;
  LinkRuleAction action;
  guint first_key;              /* into rule_action_keys */
  guint n_keys;
  const char *keys_text;        /* for messages */
} rule_kinds[] = {
  { "drop", LINK_RULE_DROP, 0, 0, "" },
  { "corrupt", LINK_RULE_CORRUPT, ACT_BITS, 1, ", bits" },
  { "duplicate", LINK_RULE_DUPLICATE, 0, 0, "" },
  { "hold", LINK_RULE_HOLD, ACT_BY, 2, ", by and behind" },
};

/* ------------------------------------------------------------------ */
/* The checked scenario                                                */

static void
host_spec_free (gpointer p)
{
  ScnHostSpec *h = p;

  scn__tcp_keys_clear (&h->tcp);
  g_free (h);
}

static void
app_spec_free (gpointer p)
{
  ScnAppSpec *a = p;

  scn__tcp_keys_clear (&a->side_tcp[0]);
  scn__tcp_keys_clear (&a->side_tcp[1]);
  g_free (a);
}

static void
grid_spec_free (gpointer p)
{
  ScnGridSpec *g = p;

  g_ptr_array_unref (g->values);
  g_free (g);
}

static void
checker_init (ScnChecker *c, ScnScript *script, ScnDiag *diag,
              const char *text, gsize len_bytes)
{
  memset (c, 0, sizeof *c);
  c->script = script;
  c->diag = diag;
  c->text = text;
  c->len_bytes = len_bytes;
  c->names = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  c->name_order = g_ptr_array_new ();
  c->hosts = g_ptr_array_new_with_free_func (host_spec_free);
  c->links = g_ptr_array_new_with_free_func (g_free);
  c->drops = g_ptr_array_new_with_free_func (g_free);
  c->apps = g_ptr_array_new_with_free_func (app_spec_free);
  c->routes = g_ptr_array_new_with_free_func (g_free);
  c->ats = g_ptr_array_new_with_free_func (g_free);
  c->whens = g_ptr_array_new_with_free_func (g_free);
  c->grid = g_ptr_array_new_with_free_func (grid_spec_free);
  c->seed = SCN_DEFAULT_SEED;
  c->end_ns = SCN_DEFAULT_END_NS;
  c->metric = ROUTING_METRIC_HOPS;
  scn__tcp_keys_init (&c->tcp);
}

static void
checker_clear (ScnChecker *c)
{
  g_clear_pointer (&c->name_order, g_ptr_array_unref);
  g_clear_pointer (&c->names, g_hash_table_unref);
  g_clear_pointer (&c->grid, g_ptr_array_unref);
  g_clear_pointer (&c->whens, g_ptr_array_unref);
  g_clear_pointer (&c->ats, g_ptr_array_unref);
  g_clear_pointer (&c->routes, g_ptr_array_unref);
  g_clear_pointer (&c->apps, g_ptr_array_unref);
  g_clear_pointer (&c->drops, g_ptr_array_unref);
  g_clear_pointer (&c->links, g_ptr_array_unref);
  g_clear_pointer (&c->hosts, g_ptr_array_unref);
  scn__tcp_keys_clear (&c->tcp);
}

static guint
error_count (const ScnChecker *c)
{
  return scn_diag_count (c->diag);
}

/* ------------------------------------------------------------------ */
/* Names                                                               */

static void
register_names (ScnChecker *c)
{
  for (guint i = 0; i < c->script->stmts->len; i++)
    {
      ScnStmt *stmt = g_ptr_array_index (c->script->stmts, i);
      const ScnArg *arg;
      ScnNameEntry *entry;
      ScnNameEntry *prev;
      ScnNameKind kind;

      if (strcmp (stmt->keyword, "host") == 0)
        kind = SCN_NAME_HOST;
      else if (strcmp (stmt->keyword, "router") == 0)
        kind = SCN_NAME_ROUTER;
      else if (strcmp (stmt->keyword, "link") == 0)
        kind = SCN_NAME_LINK;
      else if (strcmp (stmt->keyword, "app") == 0)
        kind = SCN_NAME_APP;
      else
        continue;
      if (stmt->args->len == 0)
        continue;               /* the statement's check says what is
                                 * missing */
      arg = g_ptr_array_index (stmt->args, 0);
      if (arg->kind != SCN_ARG_WORD || !scn_is_name (arg->text))
        {
          g_autofree char *q = scn_quote (arg->text, SCN_QUOTE_MAX_CHARS);

          if (!stmt->broken)
            scn_diag_add (c->diag, &arg->loc, SCN_ERROR_SYNTAX,
                          "invalid %s name '%s': a name starts with a "
                          "letter or '_' and holds letters, digits, '_' and "
                          "'-', at most %u of them", stmt->keyword, q,
                          SCN_NAME_MAX_BYTES);
          continue;
        }
      prev = g_hash_table_lookup (c->names, arg->text);
      if (prev != NULL)
        {
          scn_diag_add (c->diag, &arg->loc, SCN_ERROR_DUPLICATE,
                        "duplicate name '%s': already names the %s at "
                        "line %u", arg->text,
                        scn__name_kind_names[prev->kind],
                        prev->stmt->loc.line);
          continue;
        }
      entry = g_new0 (ScnNameEntry, 1);
      entry->kind = kind;
      entry->stmt = stmt;
      entry->name = arg->text;
      g_hash_table_insert (c->names, (gpointer) entry->name, entry);
      g_ptr_array_add (c->name_order, entry);
    }
}

static GPtrArray *
names_of_kinds (const ScnChecker *c, guint kinds_mask)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < c->name_order->len; i++)
    {
      const ScnNameEntry *e = g_ptr_array_index (c->name_order, i);

      if (kinds_mask & (1u << e->kind))
        g_ptr_array_add (out, (gpointer) e->name);
    }
  return out;
}

ScnNameEntry *
scn__resolve_name (ScnChecker *c, const char *name, guint kinds_mask,
                   const ScnLoc *loc, const char *what, const char *kind_text)
{
  ScnNameEntry *e = g_hash_table_lookup (c->names, name);
  g_autofree char *q = scn_quote (name, SCN_QUOTE_MAX_CHARS);

  if (e != NULL && (kinds_mask & (1u << e->kind)))
    return e;
  if (e != NULL)
    {
      const char *kind = scn__name_kind_names[e->kind];

      scn_diag_add (c->diag, loc, SCN_ERROR_UNKNOWN,
                    "%s: '%s' is %s %s, not %s %s", what, q,
                    strchr ("aeiou", kind[0]) != NULL ? "an" : "a", kind,
                    strchr ("aeiou", kind_text[0]) != NULL ? "an" : "a",
                    kind_text);
      return NULL;
    }
  {
    g_autoptr (GPtrArray) known = names_of_kinds (c, kinds_mask);
    g_autofree char *hint = scn_hint (name, (const char *const *) known->pdata,
                                      known->len);

    scn_diag_add (c->diag, loc, SCN_ERROR_UNKNOWN, "%s names unknown %s "
                  "'%s'%s", what, kind_text, q, hint);
  }
  return NULL;
}

ScnHostSpec *
scn__resolve_host (ScnChecker *c, const char *name, const ScnLoc *loc,
                   const char *what, gboolean *known)
{
  ScnNameEntry *e = scn__resolve_name (c, name, 1u << SCN_NAME_HOST, loc,
                                       what, "host");

  if (known != NULL)
    *known = e != NULL;
  return e != NULL ? e->spec : NULL;
}

/* ------------------------------------------------------------------ */
/* Keys of one statement                                               */

static void
add_group_candidates (GPtrArray *out, const ScnKeyGroup *groups,
                      guint n_groups)
{
  for (guint g = 0; g < n_groups; g++)
    for (guint k = 0; k < groups[g].n_keys; k++)
      g_ptr_array_add (out, g_strconcat (groups[g].prefix,
                                         groups[g].keys[k].name, NULL));
}

/* Reports a bad value; a --set item already names its key, so only a
 * file location gets the key as a prefix. */
static void
value_error (ScnChecker *c, const ScnKv *kv, const char *key,
             const GError *err)
{
  scn_diag_add_error (c->diag, &kv->value_loc, SCN_ERROR_VALUE,
                      kv->value_loc.line != 0 ? key : NULL, err);
}

/* Parses one "<prefix>profile" or "<prefix><param>" pair into @tcp. */
static void
collect_tcp_key (ScnChecker *c, const ScnKv *kv, const char *param,
                 ScnTcpKeys *tcp)
{
  g_autoptr (GError) err = NULL;
  const TcpParamInfo *info;
  ScnTcpSet set = { 0 };

  if (strcmp (param, "profile") == 0)
    {
      guint64 index;

      if (scn__parse_choice (kv->value, tcp_profile_names, &index, &err))
        tcp->profile = kv;
      else
        value_error (c, kv, param, err);
      return;
    }
  info = tcp_param_lookup (param);
  g_assert (info != NULL);
  if (!scn__parse_tcp_value (info, kv->value, &set, &err))
    {
      value_error (c, kv, param, err);
      return;
    }
  set.kv = kv;
  g_array_append_val (tcp->sets, set);
}

void
scn__collect_keys (ScnChecker *c, const ScnStmt *stmt, ScnKeyGroup *groups,
                   guint n_groups, ScnTcpGroup *tcp, guint n_tcp,
                   const char *what, const char *expected,
                   gboolean (*skip) (const char *key))
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < stmt->kvs->len; i++)
    {
      const ScnKv *kv = g_ptr_array_index (stmt->kvs, i);
      const ScnKv *first = g_hash_table_lookup (seen, kv->key);
      gboolean known = FALSE;

      if (first != NULL)
        {
          g_autofree char *q = scn_quote (kv->key, SCN_QUOTE_MAX_CHARS);

          scn_diag_add (c->diag, &kv->key_loc, SCN_ERROR_DUPLICATE,
                        "key '%s' is given twice (first at column %u)", q,
                        first->key_loc.col);
          continue;
        }
      g_hash_table_insert (seen, kv->key, (gpointer) kv);
      if (skip != NULL && skip (kv->key))
        continue;
      for (guint t = 0; t < n_tcp && !known; t++)
        if (g_str_has_prefix (kv->key, tcp[t].prefix)
            && scn__is_tcp_key (kv->key + strlen (tcp[t].prefix)))
          {
            collect_tcp_key (c, kv, kv->key + strlen (tcp[t].prefix),
                             tcp[t].keys);
            known = TRUE;
          }
      for (guint g = 0; g < n_groups && !known; g++)
        {
          const char *sub;

          if (!g_str_has_prefix (kv->key, groups[g].prefix))
            continue;
          sub = kv->key + strlen (groups[g].prefix);
          for (guint k = 0; k < groups[g].n_keys; k++)
            {
              ScnValue *v = &groups[g].values[k];
              g_autoptr (GError) err = NULL;

              if (strcmp (sub, groups[g].keys[k].name) != 0)
                continue;
              known = TRUE;
              v->given = TRUE;
              v->loc = kv->value_loc;
              if (!scn__parse_value (&groups[g].keys[k], kv->value, v, &err))
                {
                  v->bad = TRUE;
                  value_error (c, kv, kv->key, err);
                }
              break;
            }
        }
      if (!known)
        {
          g_autoptr (GPtrArray) cands = g_ptr_array_new_with_free_func (g_free);
          g_autofree char *q = scn_quote (kv->key, SCN_QUOTE_MAX_CHARS);
          g_autofree char *hint = NULL;

          add_group_candidates (cands, groups, n_groups);
          for (guint t = 0; t < n_tcp; t++)
            scn__add_tcp_candidates (cands, tcp[t].prefix);
          hint = scn_hint (kv->key, (const char *const *) cands->pdata,
                           cands->len);
          scn_diag_add (c->diag, &kv->key_loc, SCN_ERROR_UNKNOWN,
                        "unknown key '%s'%s: %s takes %s", q, hint, what,
                        expected);
        }
    }

  for (guint g = 0; g < n_groups; g++)
    for (guint k = 0; k < groups[g].n_keys; k++)
      {
        const ScnKeyInfo *info = &groups[g].keys[k];
        ScnValue *v = &groups[g].values[k];

        if (v->given || !groups[g].use_defaults || info->optional)
          continue;
        v->loc = stmt->loc;
        if (info->default_text == NULL)
          {
            scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_MISSING,
                          "%s needs %s%s= (for example %s%s)", what,
                          groups[g].prefix, info->name, groups[g].prefix,
                          info->example);
            v->bad = TRUE;
            continue;
          }
        if (!scn__parse_value (info, info->default_text, v, NULL))
          g_assert_not_reached ();
        v->defaulted = TRUE;
      }
}

gboolean
scn__check_arg_count (ScnChecker *c, const ScnStmt *stmt, guint n_args,
                      const char *usage)
{
  if (stmt->args->len == n_args)
    return TRUE;
  if (stmt->args->len > n_args)
    {
      const ScnArg *extra = g_ptr_array_index (stmt->args, n_args);
      g_autofree char *q = scn_quote (extra->text, SCN_QUOTE_MAX_CHARS);

      scn_diag_add (c->diag, &extra->loc, SCN_ERROR_SYNTAX,
                    "unexpected argument '%s': expected %s", q, usage);
    }
  else
    scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_SYNTAX,
                  "missing arguments: expected %s", usage);
  return FALSE;
}

ScnNameEntry *
scn__own_entry (ScnChecker *c, const ScnStmt *stmt)
{
  const char *name = scn_stmt_word (stmt, 0);
  ScnNameEntry *e;

  if (name == NULL)
    return NULL;
  e = g_hash_table_lookup (c->names, name);
  return e != NULL && e->stmt == stmt ? e : NULL;
}

/* ------------------------------------------------------------------ */
/* Statements                                                          */

static void
check_seed (ScnChecker *c, const ScnStmt *stmt)
{
  g_autoptr (GError) err = NULL;
  const ScnArg *arg;
  guint64 seed;

  scn__collect_keys (c, stmt, NULL, 0, NULL, 0, "seed", "no keys", NULL);
  if (!scn__check_arg_count (c, stmt, 1, "seed NUMBER"))
    return;
  if (c->seed_stmt != NULL)
    {
      scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_DUPLICATE,
                    "seed is already set at line %u", c->seed_stmt->loc.line);
      return;
    }
  c->seed_stmt = stmt;
  arg = g_ptr_array_index (stmt->args, 0);
  if (!scn_parse_count (arg->text, &seed, &err))
    {
      scn_diag_add_error (c->diag, &arg->loc, SCN_ERROR_VALUE,
                          arg->loc.line != 0 ? "seed" : NULL, err);
      return;
    }
  c->seed = seed;
}

static void
check_run (ScnChecker *c, const ScnStmt *stmt)
{
  ScnValue values[N_RUN_KEYS] = { { 0 } };
  ScnKeyGroup group = { "", run_keys, N_RUN_KEYS, values, TRUE };
  guint before = error_count (c);

  scn__check_arg_count (c, stmt, 0, "run until=TIME");
  scn__collect_keys (c, stmt, &group, 1, NULL, 0, "run", "until", NULL);
  if (c->run_stmt != NULL)
    {
      scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_DUPLICATE,
                    "run is already set at line %u", c->run_stmt->loc.line);
      return;
    }
  c->run_stmt = stmt;
  if (error_count (c) == before)
    c->end_ns = (SimTime) values[RUN_UNTIL].u;
}

void
scn__merge_tcp_keys (ScnChecker *c, ScnTcpKeys *into, const ScnTcpKeys *from)
{
  if (from->profile != NULL)
    {
      if (into->profile != NULL)
        scn_diag_add (c->diag, &from->profile->key_loc, SCN_ERROR_DUPLICATE,
                      "tcp key 'profile' is already set at line %u",
                      into->profile->key_loc.line);
      else
        into->profile = from->profile;
    }
  for (guint i = 0; i < from->sets->len; i++)
    {
      const ScnTcpSet *set = &g_array_index (from->sets, ScnTcpSet, i);
      gboolean dup = FALSE;

      for (guint j = 0; j < into->sets->len && !dup; j++)
        {
          const ScnTcpSet *old = &g_array_index (into->sets, ScnTcpSet, j);

          if (old->info == set->info)
            {
              scn_diag_add (c->diag, &set->kv->key_loc, SCN_ERROR_DUPLICATE,
                            "tcp key '%s' is already set at line %u",
                            set->info->name, old->kv->key_loc.line);
              dup = TRUE;
            }
        }
      if (!dup)
        g_array_append_val (into->sets, *set);
    }
}

static void
check_tcp (ScnChecker *c, const ScnStmt *stmt)
{
  ScnTcpKeys keys;
  ScnTcpGroup tcp = { "", &keys };

  scn__tcp_keys_init (&keys);
  scn__check_arg_count (c, stmt, 0, "tcp KEY=VALUE...");
  scn__collect_keys (c, stmt, NULL, 0, &tcp, 1, "tcp",
                     "profile or a TCP parameter (see "
                     "docs/scenario-language.md)", NULL);
  scn__merge_tcp_keys (c, &c->tcp, &keys);
  scn__tcp_keys_clear (&keys);
}

static gboolean
is_unicast_host_addr (Ipv4Addr a)
{
  guint first = a >> 24;

  /* 0/8 "this network", 127/8 loopback, 224/4 multicast, 240/4 reserved
   * and the broadcast address. */
  return first != 0 && first != 127 && first < 224;
}

/* host and router: a node with an address (and, for a host, TCP keys). */
static void
check_node (ScnChecker *c, const ScnStmt *stmt, gboolean router)
{
  ScnValue values[N_HOST_KEYS] = { { 0 } };
  ScnKeyGroup group = { "", host_keys, N_HOST_KEYS, values, TRUE };
  ScnNameEntry *entry = scn__own_entry (c, stmt);
  g_autofree char *what = NULL;
  guint before = error_count (c);
  ScnHostSpec *h = g_new0 (ScnHostSpec, 1);
  ScnTcpGroup tcp = { "tcp.", &h->tcp };

  scn__tcp_keys_init (&h->tcp);
  scn__check_arg_count (c, stmt, 1, router ? "router NAME addr=A.B.C.D"
                        : "host NAME addr=A.B.C.D [tcp.KEY=VALUE]...");
  what = entry != NULL ? g_strdup_printf ("%s '%s'", stmt->keyword,
                                          entry->name)
                       : g_strdup (stmt->keyword);
  if (router)
    scn__collect_keys (c, stmt, &group, 1, NULL, 0, what, "addr", NULL);
  else
    scn__collect_keys (c, stmt, &group, 1, &tcp, 1, what,
                       "addr, tcp.profile or tcp.KEY (a TCP parameter)",
                       NULL);
  if (!values[HOST_ADDR].bad && values[HOST_ADDR].given
      && !is_unicast_host_addr ((Ipv4Addr) values[HOST_ADDR].u))
    {
      const ScnKv *kv = scn_stmt_find_kv (stmt, "addr");
      g_autofree char *q = scn_quote (kv->value, SCN_QUOTE_MAX_CHARS);

      scn_diag_add (c->diag, &values[HOST_ADDR].loc, SCN_ERROR_VALUE,
                    "addr: %s is not a unicast host address", q);
    }
  if (entry == NULL || error_count (c) != before)
    {
      host_spec_free (h);
      return;
    }
  h->stmt = stmt;
  h->name = entry->name;
  h->router = router;
  h->addr = (Ipv4Addr) values[HOST_ADDR].u;
  h->addr_loc = values[HOST_ADDR].loc;
  entry->spec = h;
  g_ptr_array_add (c->hosts, h);
}

static void
check_host (ScnChecker *c, const ScnStmt *stmt)
{
  check_node (c, stmt, FALSE);
}

void
scn__check_router (ScnChecker *c, const ScnStmt *stmt)
{
  check_node (c, stmt, TRUE);
}

void
scn__link_values_apply (const ScnValue *values, LinkDirParams *p,
                        guint64 *fields)
{
  guint n;
  const ScnKeyInfo *keys = scn__link_keys (&n);

  for (guint k = 0; k < n; k++)
    {
      const ScnValue *v = &values[k];
      const LinkParamInfo *info = keys[k].link;
      gboolean ok;

      if (!v->given && !v->defaulted)
        continue;
      if (keys[k].type == SCN_KEY_PROB || keys[k].type == SCN_KEY_REAL)
        ok = link_param_set_double (p, info, v->prob, NULL);
      else
        ok = link_param_set_uint (p, info, v->unlimited ? 0 : v->u, NULL);
      /* The language's ranges are within the model's. */
      g_assert (ok);
      if (fields != NULL)
        *fields |= info->field_bit;
    }
}

/* One direction's values: its own where given, else those for both. */
static void
link_dir_from_values (const ScnValue *both, const ScnValue *dir,
                      ScnValue *merged, LinkDirParams *p)
{
  guint n;

  scn__link_keys (&n);
  for (guint k = 0; k < n; k++)
    merged[k] = dir[k].given ? dir[k] : both[k];
  memset (p, 0, sizeof *p);
  scn__link_values_apply (merged, p, NULL);
  /* Simple Gilbert (Gilbert 1960): every packet is lost in the bad
   * state, unless the file says otherwise. */
  if (p->loss_model == LOSS_MODEL_GILBERT
      && !merged[link_key_index ("ge_loss_bad")].given)
    p->gilbert.bad_loss_prob = 1.0;
}

/* The rules that tie a direction's keys together: a key that belongs to
 * a model the direction does not use is a mistake, not a no-op. */
static void
check_link_dir (ScnChecker *c, const ScnStmt *stmt, const char *what,
                const char *label, const ScnValue *v, const LinkDirParams *p)
{
  static const struct {
    const char *prefix;
    const char *needs_key;
    const char *needs_value;
  } families[] = {
    { "red_", "qdisc", "red" },
    { "codel_", "qdisc", "codel" },
    { "ge_", "loss_model", "gilbert" },
  };
  guint n;
  const ScnKeyInfo *keys = scn__link_keys (&n);
  const ScnValue *loss = &v[link_key_index ("loss")];

  for (guint k = 0; k < n; k++)
    for (gsize f = 0; f < G_N_ELEMENTS (families); f++)
      {
        guint64 want;

        if (!v[k].given || !g_str_has_prefix (keys[k].name,
                                              families[f].prefix))
          continue;
        want = strcmp (families[f].needs_value, "red") == 0 ? QUEUE_RED
               : strcmp (families[f].needs_value, "codel") == 0 ? QUEUE_CODEL
               : LOSS_MODEL_GILBERT;
        if ((strcmp (families[f].needs_key, "qdisc") == 0
             ? (guint64) p->queue_kind : (guint64) p->loss_model) != want)
          scn_diag_add (c->diag, &v[k].loc, SCN_ERROR_VALUE,
                        "%s: %s%s applies only with %s=%s", what, label,
                        keys[k].name, families[f].needs_key,
                        families[f].needs_value);
      }
  if (p->queue_kind == QUEUE_RED)
    {
      const ScnValue *min_th = &v[link_key_index ("red_min_th")];
      const ScnValue *max_th = &v[link_key_index ("red_max_th")];

      if (!min_th->given || !max_th->given)
        scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_MISSING,
                      "%s: %sqdisc=red needs red_min_th= and red_max_th= "
                      "(for example red_min_th=5 red_max_th=15)", what, label);
      else if (!(p->red.min_th_pkts < p->red.max_th_pkts))
        scn_diag_add (c->diag, &max_th->loc, SCN_ERROR_VALUE,
                      "%s: %sred_max_th must be above red_min_th", what,
                      label);
    }
  if (p->loss_model == LOSS_MODEL_GILBERT)
    {
      if (loss->given)
        scn_diag_add (c->diag, &loss->loc, SCN_ERROR_VALUE,
                      "%s: %sloss is the Bernoulli model's probability; "
                      "with loss_model=gilbert give ge_p, ge_r, "
                      "ge_loss_good and ge_loss_bad", what, label);
      if (!v[link_key_index ("ge_p")].given
          || !v[link_key_index ("ge_r")].given)
        scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_MISSING,
                      "%s: %sloss_model=gilbert needs ge_p= and ge_r= (for "
                      "example ge_p=1%% ge_r=30%%)", what, label);
    }
  if (p->reorder_prob > 0 && p->reorder_delay_ns == 0
      && p->reorder_gap_pkts == 0)
    scn_diag_add (c->diag, &v[link_key_index ("reorder")].loc,
                  SCN_ERROR_MISSING,
                  "%s: %sreorder needs reorder_delay= or reorder_gap= (how "
                  "long a packet is held back)", what, label);
}

static void
check_link (ScnChecker *c, const ScnStmt *stmt)
{
  static const char usage[] =
    "link NAME A <-> B rate=RATE delay=TIME [KEY=VALUE]...";
  guint n_keys;
  const ScnKeyInfo *keys = scn__link_keys (&n_keys);
  g_autofree ScnValue *both = g_new0 (ScnValue, n_keys);
  g_autofree ScnValue *dirv = g_new0 (ScnValue, 2 * n_keys);
  g_autofree ScnValue *merged = g_new0 (ScnValue, n_keys);
  g_autofree char *prefix_ab = NULL;
  g_autofree char *prefix_ba = NULL;
  g_autofree char *what = NULL;
  g_autofree char *expected = NULL;
  ScnNameEntry *entry = scn__own_entry (c, stmt);
  guint before = error_count (c);
  const char *a = scn_stmt_word (stmt, 1);
  const char *b = scn_stmt_word (stmt, 3);
  const ScnArg *arrow = stmt->args->len > 2
                        ? g_ptr_array_index (stmt->args, 2) : NULL;
  ScnHostSpec *ha = NULL;
  ScnHostSpec *hb = NULL;
  ScnLinkSpec *l;
  const guint node_kinds = (1u << SCN_NAME_HOST) | (1u << SCN_NAME_ROUTER);

  what = entry != NULL ? g_strdup_printf ("link '%s'", entry->name)
                       : g_strdup ("link");
  if (stmt->args->len == 3 && a != NULL && arrow != NULL
      && arrow->kind == SCN_ARG_WORD)
    scn_diag_add (c->diag, &arrow->loc, SCN_ERROR_SYNTAX,
                  "expected '<->' between the two nodes: %s", usage);
  else if (scn__check_arg_count (c, stmt, 4, usage))
    {
      if (a == NULL || b == NULL || arrow->kind != SCN_ARG_ARROW)
        scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_SYNTAX,
                      "expected %s", usage);
      else
        {
          const ScnArg *arg_a = g_ptr_array_index (stmt->args, 1);
          const ScnArg *arg_b = g_ptr_array_index (stmt->args, 3);
          ScnNameEntry *ea = scn__resolve_name (c, a, node_kinds, &arg_a->loc,
                                                what, "host");
          ScnNameEntry *eb = scn__resolve_name (c, b, node_kinds, &arg_b->loc,
                                                what, "host");

          ha = ea != NULL ? ea->spec : NULL;
          hb = eb != NULL ? eb->spec : NULL;
          if (strcmp (a, b) == 0)
            scn_diag_add (c->diag, &arg_b->loc, SCN_ERROR_VALUE,
                          "%s joins '%s' to itself: a link needs two "
                          "different nodes", what, a);
        }
    }
  prefix_ab = g_strdup_printf ("%s>%s.", a != NULL ? a : "A",
                               b != NULL ? b : "B");
  prefix_ba = g_strdup_printf ("%s>%s.", b != NULL ? b : "B",
                               a != NULL ? a : "A");
  {
    ScnKeyGroup groups[3] = {
      { "", keys, n_keys, both, TRUE },
      { prefix_ab, keys, n_keys, dirv, FALSE },
      { prefix_ba, keys, n_keys, dirv + n_keys, FALSE },
    };

    expected = g_strdup_printf ("rate, delay, queue, loss and the other "
                                "link parameters, or one direction's as "
                                "%srate", prefix_ab);
    scn__collect_keys (c, stmt, groups, 3, NULL, 0, what, expected, NULL);
  }
  if (entry == NULL || ha == NULL || hb == NULL
      || error_count (c) != before)
    {
      c->links_incomplete = TRUE;
      return;
    }
  l = g_new0 (ScnLinkSpec, 1);
  l->stmt = stmt;
  l->name = entry->name;
  l->end[LINK_DIR_AB] = ha;
  l->end[LINK_DIR_BA] = hb;
  for (guint d = 0; d < 2; d++)
    {
      g_autofree char *label = g_strdup (d == LINK_DIR_AB ? prefix_ab
                                                          : prefix_ba);

      link_dir_from_values (both, dirv + d * n_keys, merged, &l->dir[d]);
      /* A mistake in the keys for both directions is reported once. */
      if (d == LINK_DIR_BA && error_count (c) != before)
        break;
      check_link_dir (c, stmt, what, "", merged, &l->dir[d]);
    }
  if (error_count (c) != before)
    {
      c->links_incomplete = TRUE;
      g_free (l);
      return;
    }
  entry->spec = l;
  g_ptr_array_add (c->links, l);
}

gboolean
scn__parse_link_dir (ScnChecker *c, const ScnLinkSpec *l, const ScnArg *arg,
                     LinkDir *dir)
{
  g_autofree char *ab = g_strdup_printf ("%s>%s", l->end[0]->name,
                                         l->end[1]->name);
  g_autofree char *ba = g_strdup_printf ("%s>%s", l->end[1]->name,
                                         l->end[0]->name);

  if (arg->kind == SCN_ARG_WORD && strcmp (arg->text, ab) == 0)
    *dir = LINK_DIR_AB;
  else if (arg->kind == SCN_ARG_WORD && strcmp (arg->text, ba) == 0)
    *dir = LINK_DIR_BA;
  else
    {
      g_autofree char *q = scn_quote (arg->text, SCN_QUOTE_MAX_CHARS);

      scn_diag_add (c->diag, &arg->loc, SCN_ERROR_VALUE,
                    "expected a direction of link '%s' (%s or %s), got '%s'",
                    l->name, ab, ba, q);
      return FALSE;
    }
  return TRUE;
}

gboolean
scn__check_rule (ScnChecker *c, const ScnStmt *stmt, guint first_arg,
                 gboolean timed, ScnLinkSpec **link_out, LinkDir *dir_out,
                 LinkDropRule *rule, SimTime *for_ns)
{
  guint before = error_count (c);
  const char *verb = first_arg == 0 ? stmt->keyword
                     : scn_stmt_word (stmt, first_arg - 1);
  const char *link_name = scn_stmt_word (stmt, first_arg);
  const char *dir_text = scn_stmt_word (stmt, first_arg + 1);
  const char *form = scn_stmt_word (stmt, first_arg + 2);
  gboolean match = form != NULL && strcmp (form, "match") == 0;
  gboolean time_form = FALSE;
  g_autofree char *usage = NULL;
  g_autofree char *what = NULL;
  ScnValue form_values[N_RULE_FORM_KEYS] = { { 0 } };
  ScnValue match_values[N_MATCH_KEYS] = { { 0 } };
  ScnValue timed_values[N_RULE_TIMED_KEYS] = { { 0 } };
  ScnValue act_values[N_ACT_KEYS] = { { 0 } };
  ScnKeyGroup groups[3];
  guint n_groups = 0;
  gsize kind = 0;
  ScnLinkSpec *l = NULL;
  LinkDir dir = LINK_DIR_AB;
  g_autoptr (GString) expected = g_string_new (NULL);

  for (gsize k = 0; k < G_N_ELEMENTS (rule_kinds); k++)
    if (verb != NULL && strcmp (verb, rule_kinds[k].keyword) == 0)
      kind = k;
  if (timed)
    usage = g_strdup_printf ("%s LINK FROM>TO match [flags=F] [seq=N] "
                             "[len=SIZE] [count=K], or %s LINK FROM>TO "
                             "for=TIME", verb, verb);
  else
    usage = g_strdup_printf ("%s LINK FROM>TO nth=N[..M], %s LINK FROM>TO "
                             "from=TIME [until=TIME], or %s LINK FROM>TO "
                             "match [flags=F] [seq=N] [len=SIZE] [count=K]",
                             verb, verb, verb);
  what = g_strdup_printf ("%s%s", verb, match ? " ... match" : "");
  for (guint i = 0; i < stmt->kvs->len && !match; i++)
    {
      const ScnKv *kv = g_ptr_array_index (stmt->kvs, i);

      time_form = time_form || strcmp (kv->key, "from") == 0
                  || strcmp (kv->key, "until") == 0;
    }
  if (stmt->args->len == first_arg + 3 && !match)
    {
      const ScnArg *arg = g_ptr_array_index (stmt->args, first_arg + 2);
      g_autofree char *q = scn_quote (arg->text, SCN_QUOTE_MAX_CHARS);

      /* Without the form, the keys cannot be judged. */
      scn_diag_add (c->diag, &arg->loc, SCN_ERROR_SYNTAX,
                    "expected 'match' or key=value after the direction, "
                    "got '%s'", q);
      return FALSE;
    }
  if (scn__check_arg_count (c, stmt, first_arg + (match ? 3 : 2), usage))
    {
      const ScnArg *arg_link = g_ptr_array_index (stmt->args, first_arg);
      const ScnArg *arg_dir = g_ptr_array_index (stmt->args, first_arg + 1);
      ScnNameEntry *e = NULL;

      if (link_name == NULL || dir_text == NULL)
        scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_SYNTAX, "expected %s",
                      usage);
      else
        e = scn__resolve_name (c, link_name, 1u << SCN_NAME_LINK,
                               &arg_link->loc, verb, "link");
      l = e != NULL ? e->spec : NULL;
      if (l != NULL && !scn__parse_link_dir (c, l, arg_dir, &dir))
        l = NULL;
    }
  if (match)
    {
      groups[n_groups++] = (ScnKeyGroup) { "", rule_match_keys, N_MATCH_KEYS,
                                           match_values, TRUE };
      g_string_append (expected, "flags, seq, len and count");
    }
  else if (timed)
    {
      groups[n_groups++] = (ScnKeyGroup) { "", rule_timed_keys,
                                           N_RULE_TIMED_KEYS, timed_values,
                                           TRUE };
      g_string_append (expected, "for (or write 'match' for flags, seq, "
                       "len and count)");
    }
  else
    {
      groups[n_groups++] = (ScnKeyGroup) { "", rule_form_keys,
                                           N_RULE_FORM_KEYS, form_values,
                                           TRUE };
      g_string_append (expected, "nth, or from and until (or write "
                       "'match' for flags, seq, len and count)");
    }
  if (rule_kinds[kind].n_keys > 0)
    {
      groups[n_groups++] = (ScnKeyGroup) {
        "", rule_action_keys + rule_kinds[kind].first_key,
        rule_kinds[kind].n_keys, act_values + rule_kinds[kind].first_key,
        TRUE };
      g_string_append (expected, rule_kinds[kind].keys_text);
    }
  scn__collect_keys (c, stmt, groups, n_groups, NULL, 0, what,
                     expected->str, NULL);
  if (match && !match_values[MATCH_FLAGS].given
      && !match_values[MATCH_SEQ].given && !match_values[MATCH_LEN].given)
    scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_MISSING,
                  "%s ... match needs at least one of flags=, seq= or len=",
                  verb);
  if (!match && timed && (scn_stmt_find_kv (stmt, "nth") != NULL
                          || scn_stmt_find_kv (stmt, "from") != NULL
                          || scn_stmt_find_kv (stmt, "until") != NULL))
    scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_VALUE,
                  "%s: nth=, from= and until= place a rule in the whole "
                  "run; in the timeline write for= (from this moment on) or "
                  "'match' and the segments to %s", verb, verb);
  else if (!match && timed && !timed_values[RULE_FOR].given)
    scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_MISSING,
                  "%s needs for= (how long it lasts, for example for=500ms) "
                  "or 'match' and the segments to %s", verb, verb);
  if (!match && !timed && !time_form && !form_values[RULE_NTH].given
      && !form_values[RULE_NTH].bad)
    scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_MISSING,
                  "%s needs nth= (for example nth=3), from= and until=, or "
                  "'match' and the segments to %s", verb, verb);
  if (!match && !timed && time_form && form_values[RULE_NTH].given)
    scn_diag_add (c->diag, &form_values[RULE_NTH].loc, SCN_ERROR_VALUE,
                  "%s: nth= picks packets by number and from=/until= by "
                  "time: give one or the other", verb);
  if (!match && !timed && time_form && form_values[RULE_FROM].given
      && form_values[RULE_UNTIL].given
      && form_values[RULE_UNTIL].u <= form_values[RULE_FROM].u)
    scn_diag_add (c->diag, &form_values[RULE_UNTIL].loc, SCN_ERROR_VALUE,
                  "until: must be after from=");
  if (kind < G_N_ELEMENTS (rule_kinds)
      && rule_kinds[kind].action == LINK_RULE_HOLD
      && !act_values[ACT_BY].given && !act_values[ACT_BEHIND].given)
    scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_MISSING,
                  "hold needs by= (a delay, for example by=20ms) or "
                  "behind= (packets to let go ahead, for example behind=3)");
  if (l == NULL || error_count (c) != before)
    return FALSE;

  memset (rule, 0, sizeof *rule);
  *for_ns = 0;
  rule->action = rule_kinds[kind].action;
  if (rule->action == LINK_RULE_CORRUPT)
    rule->corrupt_bits = (guint32) act_values[ACT_BITS].u;
  if (rule->action == LINK_RULE_HOLD)
    {
      rule->hold_ns = (SimTime) act_values[ACT_BY].u;
      rule->hold_pkts = (guint32) act_values[ACT_BEHIND].u;
    }
  if (match)
    {
      const ScnValue *v = match_values;

      rule->kind = LINK_DROP_MATCH;
      if (v[MATCH_FLAGS].given)
        {
          rule->flags_mask = v[MATCH_FLAGS].flags_mask;
          rule->flags_value = v[MATCH_FLAGS].flags_value;
        }
      rule->match_seq = v[MATCH_SEQ].given;
      rule->rel_seq = (guint32) v[MATCH_SEQ].u;
      rule->match_len = v[MATCH_LEN].given;
      rule->len_bytes = (guint32) v[MATCH_LEN].u;
      rule->count = v[MATCH_COUNT].unlimited ? 0
                    : (guint32) v[MATCH_COUNT].u;
    }
  else if (timed)
    {
      rule->kind = LINK_DROP_TIME;
      *for_ns = (SimTime) timed_values[RULE_FOR].u;
    }
  else if (time_form)
    {
      rule->kind = LINK_DROP_TIME;
      rule->from_ns = (SimTime) form_values[RULE_FROM].u;
      rule->until_ns = (SimTime) form_values[RULE_UNTIL].u;
    }
  else
    {
      rule->kind = LINK_DROP_NTH;
      rule->nth = form_values[RULE_NTH].u;
      rule->nth_last = form_values[RULE_NTH].u_last;
    }
  *link_out = l;
  *dir_out = dir;
  return TRUE;
}

static void
check_rule_stmt (ScnChecker *c, const ScnStmt *stmt)
{
  ScnDropSpec *d = g_new0 (ScnDropSpec, 1);
  SimTime for_ns;

  if (!scn__check_rule (c, stmt, 0, FALSE, &d->link, &d->dir, &d->rule,
                        &for_ns))
    {
      g_free (d);
      return;
    }
  d->stmt = stmt;
  g_ptr_array_add (c->drops, d);
}

typedef void (*CheckFn) (ScnChecker *c, const ScnStmt *stmt);

typedef struct {
  const char *keyword;
  guint pass;                   /* statements run in pass order, so that
                                 * references find checked declarations */
  CheckFn check;
} StatementInfo;

static const StatementInfo statements[] = {
  { "seed", 0, check_seed },
  { "tcp", 0, check_tcp },
  { "host", 0, check_host },
  { "router", 0, scn__check_router },
  { "routing", 0, scn__check_routing },
  { "run", 0, check_run },
  { "link", 1, check_link },
  { "drop", 2, check_rule_stmt },
  { "corrupt", 2, check_rule_stmt },
  { "duplicate", 2, check_rule_stmt },
  { "hold", 2, check_rule_stmt },
  { "route", 2, scn__check_route },
  { "app", 2, scn__check_app },
  { "at", 3, scn__check_at },
  { "when", 3, scn__check_when },
  { "compare", 3, scn__check_compare },
};
#define N_PASSES 4u

/* Cross-statement rules: unique addresses, one app per listening port. */
static void
check_references (ScnChecker *c)
{
  for (guint i = 0; i < c->hosts->len; i++)
    {
      const ScnHostSpec *h = g_ptr_array_index (c->hosts, i);

      for (guint j = 0; j < i; j++)
        {
          const ScnHostSpec *o = g_ptr_array_index (c->hosts, j);

          if (o->addr == h->addr)
            {
              char text[IPV4_ADDR_STR_BYTES];

              ipv4_addr_format (h->addr, text);
              scn_diag_add (c->diag, &h->addr_loc, SCN_ERROR_DUPLICATE,
                            "addr: %s is already the address of %s '%s' "
                            "(line %u)", text, o->router ? "router" : "host",
                            o->name, o->stmt->loc.line);
              break;
            }
        }
    }
  for (guint i = 0; i < c->apps->len; i++)
    {
      const ScnAppSpec *app = g_ptr_array_index (c->apps, i);

      /* A listening host whose own statement failed (a host without
       * addr=) has been reported already; its apps have nothing more to
       * check, and no name to print. */
      if (app->host[SCN_SIDE_PASSIVE] == NULL)
        continue;
      for (guint j = 0; j < i; j++)
        {
          const ScnAppSpec *o = g_ptr_array_index (c->apps, j);

          if (o->host[SCN_SIDE_PASSIVE] == NULL)
            continue;
          if (o->host[SCN_SIDE_PASSIVE] == app->host[SCN_SIDE_PASSIVE]
              && o->port == app->port
              /* An on-off sender connects to another app's listener. */
              && app->kind != SCN_APP_KIND_ONOFF
              && o->kind != SCN_APP_KIND_ONOFF)
            {
              scn_diag_add (c->diag, &app->port_loc, SCN_ERROR_DUPLICATE,
                            "app '%s': port %u on host '%s' is already "
                            "used by app '%s' (line %u)", app->name,
                            app->port, app->host[SCN_SIDE_PASSIVE]->name,
                            o->name, o->stmt->loc.line);
              break;
            }
        }
      if (app->kind == SCN_APP_KIND_ONOFF)
        {
          gboolean listened = FALSE;

          for (guint j = 0; j < c->apps->len && !listened; j++)
            {
              const ScnAppSpec *o = g_ptr_array_index (c->apps, j);

              listened = o->kind != SCN_APP_KIND_ONOFF
                         && o->host[SCN_SIDE_PASSIVE]
                            == app->host[SCN_SIDE_PASSIVE]
                         && o->port == app->port;
            }
          if (!listened && !c->apps_incomplete)
            scn_diag_add (c->diag, &app->port_loc, SCN_ERROR_VALUE,
                          "app '%s': nothing listens on port %u of host "
                          "'%s' (add, for example, app rx sink "
                          "listen=%s:%u)", app->name, app->port,
                          app->host[SCN_SIDE_PASSIVE]->name,
                          app->host[SCN_SIDE_PASSIVE]->name, app->port);
        }
    }
}

static void
check_script (ScnChecker *c)
{
  g_autoptr (GString) list = g_string_new (NULL);

  for (guint k = 0; scn_keywords[k] != NULL; k++)
    g_string_append_printf (list, "%s%s", k == 0 ? ""
                            : scn_keywords[k + 1] == NULL ? " or " : ", ",
                            scn_keywords[k]);
  for (guint pass = 0; pass < N_PASSES; pass++)
    for (guint i = 0; i < c->script->stmts->len; i++)
      {
        const ScnStmt *stmt = g_ptr_array_index (c->script->stmts, i);
        const StatementInfo *info = NULL;

        for (gsize k = 0; k < G_N_ELEMENTS (statements); k++)
          if (strcmp (stmt->keyword, statements[k].keyword) == 0)
            info = &statements[k];
        if (info == NULL)
          {
            /* A broken statement's keyword may be cut short by its
             * syntax error ("h\xC3\xB4st"); that error says enough.  The
             * topology statements were expanded before. */
            if (pass == 0 && !stmt->broken
                && strcmp (stmt->keyword, "chain") != 0
                && strcmp (stmt->keyword, "dumbbell") != 0
                && strcmp (stmt->keyword, "star") != 0)
              {
                g_autofree char *q = scn_quote (stmt->keyword,
                                                SCN_QUOTE_MAX_CHARS);
                g_autofree char *hint = scn_hint (stmt->keyword,
                                                  scn_keywords, -1);

                scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_UNKNOWN,
                              "unknown statement '%s'%s: expected %s", q,
                              hint, list->str);
              }
            continue;
          }
        /* A broken statement's syntax error is reported; its keys would
         * only add noise. */
        if (info->pass == pass && !stmt->broken)
          info->check (c, stmt);
      }
  check_references (c);
  scn__check_timeline_starts (c);
  scn__check_trigger_cycles (c);
}

/* ------------------------------------------------------------------ */
/* Building                                                            */

void
scn__host_tcp_params (const ScnChecker *c, const ScnHostSpec *h,
                      const ScnTcpKeys *side, TcpParams *params)
{
  const ScnKv *profile = side != NULL && side->profile != NULL
                         ? side->profile
                         : h->tcp.profile != NULL ? h->tcp.profile
                         : c->tcp.profile;

  /* The profile first, whatever the order of the keys, so that it is a
   * starting point that single keys refine. */
  tcp_params_init (params);
  if (profile != NULL && !tcp_params_apply_profile (params, profile->value,
                                                    NULL))
    g_assert_not_reached ();
  for (guint i = 0; i < c->tcp.sets->len; i++)
    scn__apply_tcp_set (params, &g_array_index (c->tcp.sets, ScnTcpSet, i));
  for (guint i = 0; i < h->tcp.sets->len; i++)
    scn__apply_tcp_set (params, &g_array_index (h->tcp.sets, ScnTcpSet, i));
  for (guint i = 0; side != NULL && i < side->sets->len; i++)
    scn__apply_tcp_set (params, &g_array_index (side->sets, ScnTcpSet, i));
}

static Iface *
iface_of_link (Node *node, Link *link)
{
  for (guint i = 0; i < node_n_ifaces (node); i++)
    {
      Iface *iface = node_iface (node, i);

      if (iface->link == link)
        return iface;
    }
  return NULL;
}

static void
build_routes (ScnChecker *c, Network *net)
{
  g_autoptr (GHashTable) n_links = g_hash_table_new (NULL, NULL);

  if (!c->static_routing)
    {
      g_autoptr (GError) err = NULL;
      ScnLoc loc = { c->script->file, 1, 1 };

      /* Addresses were checked unique, so this should not fail. */
      if (c->routing_stmt != NULL)
        loc = c->routing_stmt->loc;
      if (!routing_install (net, c->metric, &err))
        scn_diag_add (c->diag, &loc, SCN_ERROR_BUILD, "routing: %s",
                      err->message);
    }
  else
    {
      /* Connected routes: a node with several links reaches each
       * neighbour through the link that joins them. */
      for (guint i = 0; i < c->links->len; i++)
        {
          ScnLinkSpec *l = g_ptr_array_index (c->links, i);

          for (guint e = 0; e < 2; e++)
            {
              guint n = GPOINTER_TO_UINT (g_hash_table_lookup (n_links,
                                                               l->end[e]));

              g_hash_table_insert (n_links, l->end[e],
                                   GUINT_TO_POINTER (n + 1));
            }
        }
      for (guint i = 0; i < c->links->len; i++)
        {
          ScnLinkSpec *l = g_ptr_array_index (c->links, i);

          for (guint e = 0; e < 2; e++)
            {
              ScnHostSpec *self = l->end[e];
              ScnHostSpec *peer = l->end[1 - e];
              Iface *iface = iface_of_link (self->node, l->link);

              if (GPOINTER_TO_UINT (g_hash_table_lookup (n_links, self)) > 1
                  && iface != NULL)
                node_add_route (self->node, peer->addr, 32, iface);
            }
        }
    }
  for (guint i = 0; i < c->routes->len; i++)
    {
      ScnRouteSpec *r = g_ptr_array_index (c->routes, i);
      Iface *iface = iface_of_link (r->node->node, r->via->link);

      g_assert (iface != NULL);
      node_add_route (r->node->node, r->prefix, r->prefix_len, iface);
    }
}

/* Returns: (transfer full) (nullable): the world, or NULL after adding
 * the models' own refusals to the diagnostics. */
static SimWorld *
build_world (ScnChecker *c, const ScnOverrides *overrides, ScnRun *run_info)
{
  guint64 seed = overrides != NULL && overrides->has_seed ? overrides->seed
                                                          : c->seed;
  g_autoptr (SimWorld) world = sim_world_new (seed);
  Network *net = network_new (world);
  g_autoptr (GPtrArray) models = NULL;

  for (guint i = 0; i < c->hosts->len; i++)
    {
      ScnHostSpec *h = g_ptr_array_index (c->hosts, i);
      TcpParams params;

      if (h->router)
        {
          h->node = router_new (net, h->name, h->addr);
          continue;
        }
      scn__host_tcp_params (c, h, NULL, &params);
      h->node = host_new (net, h->name, h->addr, &params);
    }
  for (guint i = 0; i < c->links->len; i++)
    {
      ScnLinkSpec *l = g_ptr_array_index (c->links, i);

      l->link = link_new (net, l->name, l->end[0]->node, l->end[1]->node,
                          &l->dir[LINK_DIR_AB], &l->dir[LINK_DIR_BA]);
    }
  build_routes (c, net);
  scn__check_paths (c);
  for (guint i = 0; i < c->drops->len; i++)
    {
      ScnDropSpec *d = g_ptr_array_index (c->drops, i);

      link_add_drop_rule (d->link->link, d->dir, &d->rule);
    }
  models = g_ptr_array_new_with_free_func (scn__app_model_free);
  for (guint i = 0; i < c->apps->len && scn_diag_count (c->diag) == 0; i++)
    {
      ScnAppSpec *a = g_ptr_array_index (c->apps, i);
      ScnAppModel *m = scn__app_model_new (c, a);
      g_autoptr (GError) err = NULL;

      a->model = m;
      g_ptr_array_add (models, m);
      if (m->deferred)
        continue;
      if (!scn__app_model_create (m, net, &err))
        {
          g_autofree char *prefix = g_strdup_printf ("app '%s'", a->name);

          scn_diag_add_error (c->diag, &a->stmt->loc, SCN_ERROR_BUILD,
                              prefix, err);
        }
    }
  if (scn_diag_count (c->diag) != 0)
    return NULL;
  /* The runtime takes the app models over (the timeline starts some of
   * them later); without one they are done with. */
  scn__runtime_new (c, net, g_steal_pointer (&models));
  if (run_info != NULL)
    {
      run_info->end_ns = c->end_ns;
      run_info->seed = seed;
      run_info->network = net;
    }
  return g_steal_pointer (&world);
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */

/* Parses and checks @text; with @build, builds the world too and returns
 * it; with @grid_out, returns the checked grid there.  @nested: checking
 * one grid value, so the grid's own checks are off. */
static SimWorld *
load (const char *display_name, const char *text, gsize len_bytes,
      const ScnOverrides *overrides, gboolean build, ScnRun *run_info,
      gboolean nested, ScnGrid **grid_out, GError **error)
{
  g_autoptr (ScnDiag) diag = NULL;
  g_autoptr (ScnScript) script = NULL;
  g_autoptr (SimWorld) world = NULL;
  ScnChecker c;

  diag = scn_diag_new (SCN_DIAG_DEFAULT_MAX_ERRORS);
  script = scn_parse (display_name, text, len_bytes, diag);
  checker_init (&c, script, diag, text, len_bytes);
  c.nested = nested;
  scn__expand_topologies (&c);
  register_names (&c);
  if (overrides != NULL)
    scn__apply_overrides (&c, overrides->sets);
  check_script (&c);
  if (build && scn_diag_count (diag) == 0)
    world = build_world (&c, overrides, run_info);
  if (grid_out != NULL && scn_diag_count (diag) == 0)
    *grid_out = scn__grid_from_checker (&c);
  checker_clear (&c);
  if (!scn_diag_propagate (diag, error))
    return NULL;
  return build ? g_steal_pointer (&world) : NULL;
}

SimWorld *
scn_load_text (const char *display_name, const char *text, gssize len_bytes,
               const ScnOverrides *overrides, ScnRun *run_info,
               GError **error)
{
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (text != NULL || len_bytes == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len_bytes < 0)
    len_bytes = (gssize) strlen (text);
  return load (display_name, text, (gsize) len_bytes, overrides, TRUE,
               run_info, FALSE, NULL, error);
}

gboolean
scn__check_text (const char *display_name, const char *text,
                 gsize len_bytes, const char *const *sets, GError **error)
{
  ScnOverrides overrides = { FALSE, 0, sets };
  GError *local = NULL;

  load (display_name, text, len_bytes, &overrides, FALSE, NULL, TRUE, NULL,
        &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

static char *
read_scenario (const char *path, gsize *len_bytes, GError **error)
{
  char *text = NULL;

  if (!g_file_get_contents (path, &text, len_bytes, error))
    return NULL;
  if (*len_bytes > G_MAXSSIZE)
    {
      g_set_error (error, SCN_ERROR, SCN_ERROR_VALUE, "%s: file too large",
                   path);
      g_free (text);
      return NULL;
    }
  return text;
}

SimWorld *
scn_load_file (const char *path, const ScnOverrides *overrides,
               ScnRun *run_info, GError **error)
{
  g_autofree char *text = NULL;
  gsize len_bytes;

  g_return_val_if_fail (path != NULL, NULL);

  text = read_scenario (path, &len_bytes, error);
  if (text == NULL)
    return NULL;
  return scn_load_text (path, text, (gssize) len_bytes, overrides, run_info,
                        error);
}

ScnGrid *
scn_load_grid_text (const char *display_name, const char *text,
                    gssize len_bytes, GError **error)
{
  ScnGrid *grid = NULL;
  GError *local = NULL;

  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (text != NULL || len_bytes == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len_bytes < 0)
    len_bytes = (gssize) strlen (text);
  load (display_name, text, (gsize) len_bytes, NULL, FALSE, NULL, FALSE,
        &grid, &local);
  if (local != NULL)
    {
      g_clear_pointer (&grid, scn_grid_free);
      g_propagate_error (error, local);
      return NULL;
    }
  return grid;
}

ScnGrid *
scn_load_grid (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len_bytes;

  g_return_val_if_fail (path != NULL, NULL);

  text = read_scenario (path, &len_bytes, error);
  if (text == NULL)
    return NULL;
  return scn_load_grid_text (path, text, (gssize) len_bytes, error);
}

GStrv
scn_list_parameters (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len_bytes;
  g_autoptr (ScnDiag) diag = NULL;
  g_autoptr (ScnScript) script = NULL;
  g_autoptr (GPtrArray) names = NULL;
  ScnChecker c;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &text, &len_bytes, error))
    return NULL;
  diag = scn_diag_new (SCN_DIAG_DEFAULT_MAX_ERRORS);
  script = scn_parse (path, text, len_bytes, diag);
  checker_init (&c, script, diag, text, len_bytes);
  scn__expand_topologies (&c);
  register_names (&c);
  names = scn__list_parameters (&c);
  checker_clear (&c);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_steal (names, NULL);
}
