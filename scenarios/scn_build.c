/* scn_build.c: the meaning of the scenario language, version 1.
 *
 * Call order: scn_load_text() -> scn_parse() -> register_names() (every
 * declared name, even from broken statements, so one typo does not
 * cascade) -> scn__apply_overrides() (scn_override.c: each --set item
 * replaces or adds a key=value in the tree, so it meets exactly the
 * checks a file value meets) -> check_script(): the check_*() function
 * of each statement (check_seed(), check_run(), check_tcp(),
 * check_host(), check_link(), check_drop(), check_app()), then
 * check_references() -> only if no error so far: build_world().
 *
 * Statement keys are described by ScnKeyInfo tables: name, type, default
 * (written as a user would write it and parsed by the same code), range,
 * and the word that means "no limit".  collect_keys() walks a
 * statement's pairs against its tables; scn__parse_value() (scn_values.c)
 * turns one text into a typed ScnValue.  The TCP keys come from the
 * model's own table, tcp_param_table(), so this file names none of them.
 */
#include "scenarios/scn_private.h"

#include <string.h>

#include "models/host.h"
#include "models/node.h"

static const char *const scn_keywords[] = {
  "seed", "tcp", "host", "link", "drop", "app", "run", NULL
};

static const char *const name_kind_names[] = { "host", "link", "app" };

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

enum { LINK_RATE, LINK_DELAY, LINK_QUEUE, LINK_LOSS, N_LINK_KEYS };
const ScnKeyInfo scn__link_keys[N_LINK_KEYS] = {
  [LINK_RATE] = { .name = "rate", .type = SCN_KEY_RATE, .min = 1,
                  .max = SCN_MAX_RATE_BPS, .unlimited = "unlimited",
                  .example = "rate=10Mbps" },
  [LINK_DELAY] = { .name = "delay", .type = SCN_KEY_TIME, .min = 0,
                   .max = SCN_MAX_TIME_NS, .example = "delay=5ms" },
  [LINK_QUEUE] = { .name = "queue", .type = SCN_KEY_COUNT,
                   .default_text = "100",
                   .min = 1, .max = G_MAXUINT32, .unlimited = "unlimited",
                   .example = "queue=100" },
  [LINK_LOSS] = { .name = "loss", .type = SCN_KEY_PROB, .default_text = "0%",
                  .example = "loss=1%" },
};

enum { DROP_NTH, N_DROP_NTH_KEYS };
static const ScnKeyInfo drop_nth_keys[N_DROP_NTH_KEYS] = {
  [DROP_NTH] = { .name = "nth", .type = SCN_KEY_COUNT, .min = 1,
                 .max = G_MAXUINT64, .example = "nth=3" },
};

enum { MATCH_FLAGS, MATCH_SEQ, MATCH_LEN, MATCH_COUNT, N_MATCH_KEYS };
static const ScnKeyInfo drop_match_keys[N_MATCH_KEYS] = {
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

static const char *const app_kinds[] = { "reqresp", "bulk", NULL };
static const char *const closer_names[] = { "client", "server", "both", NULL };

enum {
  RR_CLIENT, RR_SERVER, RR_REQUEST, RR_RESPONSE, RR_CLOSER, RR_CLOSE_DELAY,
  RR_PEER_CLOSE_DELAY, RR_HALF_CLOSE, RR_START, RR_COUNT, RR_INTERVAL,
  RR_STOP, N_RR_KEYS
};
const ScnKeyInfo scn__reqresp_keys[N_RR_KEYS] = {
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
const ScnKeyInfo scn__bulk_keys[N_BULK_KEYS] = {
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

const guint scn__n_link_keys = N_LINK_KEYS;
const guint scn__n_reqresp_keys = N_RR_KEYS;
const guint scn__n_bulk_keys = N_BULK_KEYS;

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
checker_init (ScnChecker *c, ScnScript *script, ScnDiag *diag)
{
  memset (c, 0, sizeof *c);
  c->script = script;
  c->diag = diag;
  c->names = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  c->name_order = g_ptr_array_new ();
  c->hosts = g_ptr_array_new_with_free_func (host_spec_free);
  c->links = g_ptr_array_new_with_free_func (g_free);
  c->drops = g_ptr_array_new_with_free_func (g_free);
  c->apps = g_ptr_array_new_with_free_func (g_free);
  c->seed = SCN_DEFAULT_SEED;
  c->end_ns = SCN_DEFAULT_END_NS;
  scn__tcp_keys_init (&c->tcp);
}

static void
checker_clear (ScnChecker *c)
{
  g_clear_pointer (&c->name_order, g_ptr_array_unref);
  g_clear_pointer (&c->names, g_hash_table_unref);
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
      else if (strcmp (stmt->keyword, "link") == 0)
        kind = SCN_NAME_LINK;
      else if (strcmp (stmt->keyword, "app") == 0)
        kind = SCN_NAME_APP;
      else
        continue;
      if (stmt->args->len == 0)
        continue;               /* check_statement() says what is missing */
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
                        "line %u", arg->text, name_kind_names[prev->kind],
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
names_of_kind (const ScnChecker *c, ScnNameKind kind)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < c->name_order->len; i++)
    {
      const ScnNameEntry *e = g_ptr_array_index (c->name_order, i);

      if (e->kind == kind)
        g_ptr_array_add (out, (gpointer) e->name);
    }
  return out;
}

/* Returns: (nullable): the entry for @name when it is a @kind; reports
 * an error at @loc otherwise.  @what says who refers ("link 'l1'"). */
static ScnNameEntry *
resolve_name (ScnChecker *c, const char *name, ScnNameKind kind,
              const ScnLoc *loc, const char *what)
{
  ScnNameEntry *e = g_hash_table_lookup (c->names, name);
  g_autofree char *q = scn_quote (name, SCN_QUOTE_MAX_CHARS);

  if (e != NULL && e->kind == kind)
    return e;
  if (e != NULL)
    {
      scn_diag_add (c->diag, loc, SCN_ERROR_UNKNOWN,
                    "%s: '%s' is a %s, not a %s", what, q,
                    name_kind_names[e->kind], name_kind_names[kind]);
      return NULL;
    }
  {
    g_autoptr (GPtrArray) known = names_of_kind (c, kind);
    g_autofree char *hint = scn_hint (name, (const char *const *) known->pdata,
                                      known->len);

    scn_diag_add (c->diag, loc, SCN_ERROR_UNKNOWN, "%s names unknown %s "
                  "'%s'%s", what, name_kind_names[kind], q, hint);
  }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Keys of one statement                                               */

/* One set of keys a statement accepts, under a prefix: "" for plain
 * keys, "a>b." for one direction of a link. */
typedef struct {
  const char *prefix;
  const ScnKeyInfo *keys;
  guint n_keys;
  ScnValue *values;             /* n_keys of them */
  gboolean use_defaults;        /* FALSE: missing keys stay !given */
} KeyGroup;

static void
add_group_candidates (GPtrArray *out, const KeyGroup *groups, guint n_groups)
{
  for (guint g = 0; g < n_groups; g++)
    for (guint k = 0; k < groups[g].n_keys; k++)
      g_ptr_array_add (out, g_strconcat (groups[g].prefix,
                                         groups[g].keys[k].name, NULL));
}

/* Reports a bad value; a --set item already names its key, so only a
 * file location gets the key as a prefix. */
static void
value_error (ScnChecker *c, const ScnKv *kv, const GError *err)
{
  scn_diag_add_error (c->diag, &kv->value_loc, SCN_ERROR_VALUE,
                      kv->value_loc.line != 0 ? kv->key : NULL, err);
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
        value_error (c, kv, err);
      return;
    }
  info = tcp_param_lookup (param);
  g_assert (info != NULL);
  if (!scn__parse_tcp_value (info, kv->value, &set, &err))
    {
      value_error (c, kv, err);
      return;
    }
  set.kv = kv;
  g_array_append_val (tcp->sets, set);
}

/* Walks @stmt's pairs: each must belong to one of @groups or, when
 * @tcp_prefix is not NULL, be "<tcp_prefix>profile" or
 * "<tcp_prefix><param>" (parsed into @tcp).  Reports unknown and repeated
 * keys and bad values, then the required keys that are missing (@what
 * names the statement: "host 'a'"), and fills the defaults.  @expected
 * lists the keys for the unknown-key message. */
static void
collect_keys (ScnChecker *c, const ScnStmt *stmt, KeyGroup *groups,
              guint n_groups, const char *tcp_prefix, ScnTcpKeys *tcp,
              const char *what, const char *expected)
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
      if (tcp_prefix != NULL && g_str_has_prefix (kv->key, tcp_prefix)
          && scn__is_tcp_key (kv->key + strlen (tcp_prefix)))
        {
          collect_tcp_key (c, kv, kv->key + strlen (tcp_prefix), tcp);
          continue;
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
                  value_error (c, kv, err);
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
          if (tcp_prefix != NULL)
            scn__add_tcp_candidates (cands, tcp_prefix);
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
                          "%s needs %s%s= (for example %s)", what,
                          groups[g].prefix, info->name, info->example);
            v->bad = TRUE;
            continue;
          }
        if (!scn__parse_value (info, info->default_text, v, NULL))
          g_assert_not_reached ();
      }
}

/* Checks that @stmt has exactly @n_args positional arguments; otherwise
 * reports "expected: @usage". */
static gboolean
check_arg_count (ScnChecker *c, const ScnStmt *stmt, guint n_args,
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

/* The name entry whose declaration is @stmt, or NULL when its name was
 * invalid or taken (already reported). */
static ScnNameEntry *
own_entry (ScnChecker *c, const ScnStmt *stmt)
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

  collect_keys (c, stmt, NULL, 0, NULL, NULL, "seed", "no keys");
  if (!check_arg_count (c, stmt, 1, "seed NUMBER"))
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
  KeyGroup group = { "", run_keys, N_RUN_KEYS, values, TRUE };
  guint before = error_count (c);

  check_arg_count (c, stmt, 0, "run until=TIME");
  collect_keys (c, stmt, &group, 1, NULL, NULL, "run", "until");
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

/* Adds one statement's or override's TCP keys to @into; a key already
 * there is an error (a --set item replaces instead, in the tree). */
static void
merge_tcp_keys (ScnChecker *c, ScnTcpKeys *into, const ScnTcpKeys *from)
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

  scn__tcp_keys_init (&keys);
  check_arg_count (c, stmt, 0, "tcp KEY=VALUE...");
  collect_keys (c, stmt, NULL, 0, "", &keys, "tcp",
                "profile or a TCP parameter (see docs/scenario-language.md)");
  merge_tcp_keys (c, &c->tcp, &keys);
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

static void
check_host (ScnChecker *c, const ScnStmt *stmt)
{
  ScnValue values[N_HOST_KEYS] = { { 0 } };
  KeyGroup group = { "", host_keys, N_HOST_KEYS, values, TRUE };
  ScnNameEntry *entry = own_entry (c, stmt);
  g_autofree char *what = NULL;
  guint before = error_count (c);
  ScnHostSpec *h = g_new0 (ScnHostSpec, 1);

  scn__tcp_keys_init (&h->tcp);
  check_arg_count (c, stmt, 1, "host NAME addr=A.B.C.D [tcp.KEY=VALUE]...");
  what = entry != NULL ? g_strdup_printf ("host '%s'", entry->name)
                       : g_strdup ("host");
  collect_keys (c, stmt, &group, 1, "tcp.", &h->tcp, what,
                "addr, tcp.profile or tcp.KEY (a TCP parameter)");
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
  h->addr = (Ipv4Addr) values[HOST_ADDR].u;
  h->addr_loc = values[HOST_ADDR].loc;
  entry->spec = h;
  g_ptr_array_add (c->hosts, h);
}

/* Returns: (nullable): the checked host @name refers to; reports unknown
 * names and names of other kinds. */
static ScnHostSpec *
resolve_host (ScnChecker *c, const char *name, const ScnLoc *loc,
              const char *what, gboolean *known)
{
  ScnNameEntry *e = resolve_name (c, name, SCN_NAME_HOST, loc, what);

  if (known != NULL)
    *known = e != NULL;
  return e != NULL ? e->spec : NULL;
}

static void
link_dir_from_values (const ScnValue *both, const ScnValue *dir,
                      LinkDirParams *p)
{
  const ScnValue *v[N_LINK_KEYS];

  for (guint k = 0; k < N_LINK_KEYS; k++)
    v[k] = dir[k].given ? &dir[k] : &both[k];
  p->rate_bps = v[LINK_RATE]->unlimited ? 0 : v[LINK_RATE]->u;
  p->delay_ns = (SimTime) v[LINK_DELAY]->u;
  p->queue_limit_pkts = v[LINK_QUEUE]->unlimited ? 0
                        : (guint32) v[LINK_QUEUE]->u;
  p->loss_prob = v[LINK_LOSS]->prob;
}

static void
check_link (ScnChecker *c, const ScnStmt *stmt)
{
  static const char usage[] =
    "link NAME A <-> B rate=RATE delay=TIME [queue=N] [loss=P]";
  ScnValue both[N_LINK_KEYS] = { { 0 } };
  ScnValue dirv[2][N_LINK_KEYS] = { { { 0 } } };
  g_autofree char *prefix_ab = NULL;
  g_autofree char *prefix_ba = NULL;
  g_autofree char *what = NULL;
  g_autofree char *expected = NULL;
  ScnNameEntry *entry = own_entry (c, stmt);
  guint before = error_count (c);
  const char *a = scn_stmt_word (stmt, 1);
  const char *b = scn_stmt_word (stmt, 3);
  const ScnArg *arrow = stmt->args->len > 2
                        ? g_ptr_array_index (stmt->args, 2) : NULL;
  ScnHostSpec *ha = NULL;
  ScnHostSpec *hb = NULL;
  ScnLinkSpec *l;

  what = entry != NULL ? g_strdup_printf ("link '%s'", entry->name)
                       : g_strdup ("link");
  if (stmt->args->len == 3 && a != NULL && arrow != NULL
      && arrow->kind == SCN_ARG_WORD)
    scn_diag_add (c->diag, &arrow->loc, SCN_ERROR_SYNTAX,
                  "expected '<->' between the two hosts: %s", usage);
  else if (check_arg_count (c, stmt, 4, usage))
    {
      if (a == NULL || b == NULL || arrow->kind != SCN_ARG_ARROW)
        scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_SYNTAX,
                      "expected %s", usage);
      else
        {
          const ScnArg *arg_a = g_ptr_array_index (stmt->args, 1);
          const ScnArg *arg_b = g_ptr_array_index (stmt->args, 3);

          ha = resolve_host (c, a, &arg_a->loc, what, NULL);
          hb = resolve_host (c, b, &arg_b->loc, what, NULL);
          if (strcmp (a, b) == 0)
            scn_diag_add (c->diag, &arg_b->loc, SCN_ERROR_VALUE,
                          "%s joins '%s' to itself: a link needs two "
                          "different hosts", what, a);
        }
    }
  prefix_ab = g_strdup_printf ("%s>%s.", a != NULL ? a : "A",
                               b != NULL ? b : "B");
  prefix_ba = g_strdup_printf ("%s>%s.", b != NULL ? b : "B",
                               a != NULL ? a : "A");
  {
    KeyGroup groups[3] = {
      { "", scn__link_keys, N_LINK_KEYS, both, TRUE },
      { prefix_ab, scn__link_keys, N_LINK_KEYS, dirv[LINK_DIR_AB], FALSE },
      { prefix_ba, scn__link_keys, N_LINK_KEYS, dirv[LINK_DIR_BA], FALSE },
    };

    expected = g_strdup_printf ("rate, delay, queue and loss, or one "
                                "direction's as %srate", prefix_ab);
    collect_keys (c, stmt, groups, 3, NULL, NULL, what, expected);
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
  link_dir_from_values (both, dirv[LINK_DIR_AB], &l->dir[LINK_DIR_AB]);
  link_dir_from_values (both, dirv[LINK_DIR_BA], &l->dir[LINK_DIR_BA]);
  entry->spec = l;
  g_ptr_array_add (c->links, l);
}

static void
check_drop (ScnChecker *c, const ScnStmt *stmt)
{
  static const char usage[] =
    "drop LINK FROM>TO nth=N, or drop LINK FROM>TO match "
    "[flags=F] [seq=N] [len=SIZE] [count=K]";
  ScnValue nth_values[N_DROP_NTH_KEYS] = { { 0 } };
  ScnValue match_values[N_MATCH_KEYS] = { { 0 } };
  guint before = error_count (c);
  const char *link_name = scn_stmt_word (stmt, 0);
  const char *dir_text = scn_stmt_word (stmt, 1);
  const char *form = scn_stmt_word (stmt, 2);
  gboolean match = form != NULL && strcmp (form, "match") == 0;
  ScnLinkSpec *l = NULL;
  LinkDir dir = LINK_DIR_AB;
  ScnDropSpec *d;

  if (stmt->args->len == 3 && !match)
    {
      const ScnArg *arg = g_ptr_array_index (stmt->args, 2);
      g_autofree char *q = scn_quote (arg->text, SCN_QUOTE_MAX_CHARS);

      /* Without the form, the keys cannot be judged. */
      scn_diag_add (c->diag, &arg->loc, SCN_ERROR_SYNTAX,
                    "expected 'match' or key=value after the direction, "
                    "got '%s'", q);
      return;
    }
  if (check_arg_count (c, stmt, match ? 3 : 2, usage))
    {
      const ScnArg *arg_link = g_ptr_array_index (stmt->args, 0);
      const ScnArg *arg_dir = g_ptr_array_index (stmt->args, 1);
      ScnNameEntry *e = NULL;

      if (link_name == NULL || dir_text == NULL)
        scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_SYNTAX, "expected %s",
                      usage);
      else
        e = resolve_name (c, link_name, SCN_NAME_LINK, &arg_link->loc, "drop");
      l = e != NULL ? e->spec : NULL;
      if (l != NULL)
        {
          g_autofree char *ab = g_strdup_printf ("%s>%s", l->end[0]->name,
                                                 l->end[1]->name);
          g_autofree char *ba = g_strdup_printf ("%s>%s", l->end[1]->name,
                                                 l->end[0]->name);

          if (strcmp (dir_text, ab) == 0)
            dir = LINK_DIR_AB;
          else if (strcmp (dir_text, ba) == 0)
            dir = LINK_DIR_BA;
          else
            {
              g_autofree char *q = scn_quote (dir_text, SCN_QUOTE_MAX_CHARS);

              scn_diag_add (c->diag, &arg_dir->loc, SCN_ERROR_VALUE,
                            "expected a direction of link '%s' (%s or %s), "
                            "got '%s'", l->name, ab, ba, q);
            }
        }
    }
  if (match)
    {
      KeyGroup group = { "", drop_match_keys, N_MATCH_KEYS, match_values,
                         TRUE };

      collect_keys (c, stmt, &group, 1, NULL, NULL, "drop ... match",
                    "flags, seq, len and count");
      if (!match_values[MATCH_FLAGS].given && !match_values[MATCH_SEQ].given
          && !match_values[MATCH_LEN].given)
        scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_MISSING,
                      "drop ... match needs at least one of flags=, seq= "
                      "or len=");
    }
  else
    {
      KeyGroup group = { "", drop_nth_keys, N_DROP_NTH_KEYS, nth_values,
                         TRUE };

      collect_keys (c, stmt, &group, 1, NULL, NULL, "drop",
                    "nth (or write 'match' for flags, seq, len and count)");
    }
  if (l == NULL || error_count (c) != before)
    return;
  d = g_new0 (ScnDropSpec, 1);
  d->stmt = stmt;
  d->link = l;
  d->dir = dir;
  if (match)
    {
      const ScnValue *v = match_values;

      d->rule.kind = LINK_DROP_MATCH;
      if (v[MATCH_FLAGS].given)
        {
          d->rule.flags_mask = v[MATCH_FLAGS].flags_mask;
          d->rule.flags_value = v[MATCH_FLAGS].flags_value;
        }
      d->rule.match_seq = v[MATCH_SEQ].given;
      d->rule.rel_seq = (guint32) v[MATCH_SEQ].u;
      d->rule.match_len = v[MATCH_LEN].given;
      d->rule.len_bytes = (guint32) v[MATCH_LEN].u;
      d->rule.count = v[MATCH_COUNT].unlimited ? 0
                      : (guint32) v[MATCH_COUNT].u;
    }
  else
    {
      d->rule.kind = LINK_DROP_NTH;
      d->rule.nth = nth_values[DROP_NTH].u;
    }
  g_ptr_array_add (c->drops, d);
}

G_STATIC_ASSERT (APP_CLOSER_CLIENT == 0 && APP_CLOSER_SERVER == 1
                 && APP_CLOSER_BOTH == 2);

static void
check_app (ScnChecker *c, const ScnStmt *stmt)
{
  static const char usage[] =
    "app NAME reqresp client=HOST server=HOST:PORT ..., "
    "or app NAME bulk from=HOST to=HOST:PORT ...";
  ScnValue values[MAX ((guint) N_RR_KEYS, (guint) N_BULK_KEYS)] = { { 0 } };
  ScnNameEntry *entry = own_entry (c, stmt);
  guint before = error_count (c);
  const char *kind_text = scn_stmt_word (stmt, 1);
  g_autofree char *what = NULL;
  guint64 kind_index = 0;
  gboolean kind_ok = FALSE;
  KeyGroup group = { 0 };
  const ScnValue *vc;
  const ScnValue *vs;
  g_autofree char *server_name = NULL;
  ScnHostSpec *client;
  ScnHostSpec *server;
  ScnAppSpec *app;

  what = entry != NULL ? g_strdup_printf ("app '%s'", entry->name)
                       : g_strdup ("app");
  if (check_arg_count (c, stmt, 2, usage))
    {
      const ScnArg *arg = g_ptr_array_index (stmt->args, 1);
      g_autoptr (GError) err = NULL;

      if (kind_text != NULL
          && scn__parse_choice (kind_text, app_kinds, &kind_index, &err))
        kind_ok = TRUE;
      else if (err != NULL)
        scn_diag_add_error (c->diag, &arg->loc, SCN_ERROR_UNKNOWN,
                            "app kind", err);
      else
        scn_diag_add (c->diag, &arg->loc, SCN_ERROR_SYNTAX, "expected %s",
                      usage);
    }
  if (!kind_ok)
    return;                     /* its keys mean nothing without a kind */
  group.prefix = "";
  group.values = values;
  group.use_defaults = TRUE;
  if (kind_index == SCN_APP_KIND_REQRESP)
    {
      group.keys = scn__reqresp_keys;
      group.n_keys = N_RR_KEYS;
      collect_keys (c, stmt, &group, 1, NULL, NULL, what,
                    "client, server, request, response, closer, "
                    "close_delay, peer_close_delay, half_close, start, "
                    "count, interval and stop_when_done");
      vc = &values[RR_CLIENT];
      vs = &values[RR_SERVER];
    }
  else
    {
      group.keys = scn__bulk_keys;
      group.n_keys = N_BULK_KEYS;
      collect_keys (c, stmt, &group, 1, NULL, NULL, what,
                    "from, to, bytes, start and stop_when_done");
      vc = &values[BULK_FROM];
      vs = &values[BULK_TO];
    }
  if (vc->bad || vs->bad)
    return;
  server_name = scn__hostport_host (vs);
  {
    gboolean client_known;
    gboolean server_known;

    client = resolve_host (c, vc->host, &vc->loc, what, &client_known);
    server = resolve_host (c, server_name, &vs->loc, what, &server_known);
    if (client_known && server_known && strcmp (vc->host, server_name) == 0)
      scn_diag_add (c->diag, &vs->loc, SCN_ERROR_VALUE,
                    "%s has '%s' at both ends: an app needs two different "
                    "hosts", what, server_name);
  }
  if (kind_index == SCN_APP_KIND_REQRESP && !values[RR_COUNT].bad
      && !values[RR_INTERVAL].bad && !values[RR_START].bad)
    {
      guint64 count = values[RR_COUNT].u;
      guint64 interval_ns = values[RR_INTERVAL].u;

      if (count > 1 && interval_ns == 0)
        scn_diag_add (c->diag, &values[RR_INTERVAL].loc, SCN_ERROR_VALUE,
                      "interval: must be more than 0s when count is above 1");
      else if (count > 1
               && (interval_ns > (guint64) SCN_MAX_TIME_NS / (count - 1)
                   || values[RR_START].u + interval_ns * (count - 1)
                      > (guint64) SCN_MAX_TIME_NS))
        scn_diag_add (c->diag, &values[RR_COUNT].loc, SCN_ERROR_VALUE,
                      "count: the last of %" G_GUINT64_FORMAT " connections "
                      "would start after %" G_GINT64_FORMAT "s, the largest "
                      "time a scenario may use", count,
                      SCN_MAX_TIME_NS / SIM_S (1));
    }
  if (entry == NULL || client == NULL || server == NULL
      || error_count (c) != before)
    return;

  app = g_new0 (ScnAppSpec, 1);
  app->stmt = stmt;
  app->name = entry->name;
  app->kind = (ScnAppKind) kind_index;
  app->client = client;
  app->server = server;
  app->port = vs->port;
  app->port_loc = vs->loc;
  if (app->kind == SCN_APP_KIND_REQRESP)
    {
      AppReqRespConfig *rr = &app->reqresp;

      rr->port = vs->port;
      rr->request_bytes = values[RR_REQUEST].u;
      rr->response_bytes = values[RR_RESPONSE].u;
      rr->start_ns = (SimTime) values[RR_START].u;
      rr->closer = (AppCloser) values[RR_CLOSER].u;
      rr->close_delay_ns = (SimTime) values[RR_CLOSE_DELAY].u;
      rr->peer_close_delay_ns = (SimTime) values[RR_PEER_CLOSE_DELAY].u;
      rr->half_close = values[RR_HALF_CLOSE].u != 0;
      rr->count = values[RR_COUNT].u;
      rr->interval_ns = (SimTime) values[RR_INTERVAL].u;
      rr->stop_when_done = values[RR_STOP].u != 0;
    }
  else
    {
      AppBulkConfig *bk = &app->bulk;

      bk->port = vs->port;
      bk->bytes = values[BULK_BYTES].unlimited ? 0 : values[BULK_BYTES].u;
      bk->start_ns = (SimTime) values[BULK_START].u;
      bk->stop_when_done = values[BULK_STOP].u != 0;
    }
  entry->spec = app;
  g_ptr_array_add (c->apps, app);
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
  { "run", 0, check_run },
  { "link", 1, check_link },
  { "drop", 2, check_drop },
  { "app", 2, check_app },
};
#define N_PASSES 3u

/* Cross-statement rules: unique addresses, apps over a link, one app per
 * listening port. */
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
              const ScnKv *kv = scn_stmt_find_kv (h->stmt, "addr");

              scn_diag_add (c->diag, &h->addr_loc, SCN_ERROR_DUPLICATE,
                            "addr: %s is already the address of host '%s' "
                            "(line %u)", kv->value, o->name,
                            o->stmt->loc.line);
              break;
            }
        }
    }
  for (guint i = 0; i < c->apps->len; i++)
    {
      const ScnAppSpec *app = g_ptr_array_index (c->apps, i);
      gboolean linked = FALSE;

      for (guint j = 0; j < c->links->len && !linked; j++)
        {
          const ScnLinkSpec *l = g_ptr_array_index (c->links, j);

          linked = (l->end[0] == app->client && l->end[1] == app->server)
                   || (l->end[1] == app->client && l->end[0] == app->server);
        }
      /* This version has no routers: the hosts of an app must share a
       * link.  After a broken link statement, say nothing more. */
      if (!linked && !c->links_incomplete)
        scn_diag_add (c->diag, &app->stmt->loc, SCN_ERROR_VALUE,
                      "app '%s': no link joins hosts '%s' and '%s'",
                      app->name, app->client->name, app->server->name);
      for (guint j = 0; j < i; j++)
        {
          const ScnAppSpec *o = g_ptr_array_index (c->apps, j);

          if (o->server == app->server && o->port == app->port)
            {
              scn_diag_add (c->diag, &app->port_loc, SCN_ERROR_DUPLICATE,
                            "app '%s': port %u on host '%s' is already "
                            "used by app '%s' (line %u)", app->name,
                            app->port, app->server->name, o->name,
                            o->stmt->loc.line);
              break;
            }
        }
    }
}

static void
check_script (ScnChecker *c)
{
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
             * syntax error ("h\xC3\xB4st"); that error says enough. */
            if (pass == 0 && !stmt->broken)
              {
                g_autofree char *q = scn_quote (stmt->keyword,
                                                SCN_QUOTE_MAX_CHARS);
                g_autofree char *hint = scn_hint (stmt->keyword,
                                                  scn_keywords, -1);

                scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_UNKNOWN,
                              "unknown statement '%s'%s: expected seed, "
                              "tcp, host, link, drop, app or run", q, hint);
              }
            continue;
          }
        /* A broken statement's syntax error is reported; its keys would
         * only add noise. */
        if (info->pass == pass && !stmt->broken)
          info->check (c, stmt);
      }
  check_references (c);
}

/* ------------------------------------------------------------------ */
/* Building                                                            */

static void
host_tcp_params (const ScnChecker *c, const ScnHostSpec *h, TcpParams *params)
{
  const ScnKv *profile = h->tcp.profile != NULL ? h->tcp.profile
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

/* Returns: (transfer full) (nullable): the world, or NULL after adding
 * the models' own refusals to the diagnostics. */
static SimWorld *
build_world (ScnChecker *c, const ScnOverrides *overrides, ScnRun *run_info)
{
  guint64 seed = overrides != NULL && overrides->has_seed ? overrides->seed
                                                          : c->seed;
  g_autoptr (SimWorld) world = sim_world_new (seed);
  Network *net = network_new (world);
  g_autoptr (GHashTable) n_links = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < c->hosts->len; i++)
    {
      ScnHostSpec *h = g_ptr_array_index (c->hosts, i);
      TcpParams params;

      host_tcp_params (c, h, &params);
      h->node = host_new (net, h->name, h->addr, &params);
    }
  for (guint i = 0; i < c->links->len; i++)
    {
      ScnLinkSpec *l = g_ptr_array_index (c->links, i);

      l->link = link_new (net, l->name, l->end[0]->node, l->end[1]->node,
                          &l->dir[LINK_DIR_AB], &l->dir[LINK_DIR_BA]);
      for (guint e = 0; e < 2; e++)
        {
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (n_links,
                                                           l->end[e]));

          g_hash_table_insert (n_links, l->end[e], GUINT_TO_POINTER (n + 1));
        }
    }
  /* A host with one link sends everything through it; a host with more
   * needs a route to each neighbour. */
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
  for (guint i = 0; i < c->drops->len; i++)
    {
      ScnDropSpec *d = g_ptr_array_index (c->drops, i);

      link_add_drop_rule (d->link->link, d->dir, &d->rule);
    }
  for (guint i = 0; i < c->apps->len; i++)
    {
      ScnAppSpec *a = g_ptr_array_index (c->apps, i);
      g_autoptr (GError) err = NULL;
      App *app;

      if (a->kind == SCN_APP_KIND_REQRESP)
        {
          a->reqresp.client = a->client->node;
          a->reqresp.server = a->server->node;
          app = app_reqresp_new (net, a->name, &a->reqresp, &err);
        }
      else
        {
          a->bulk.sender = a->client->node;
          a->bulk.receiver = a->server->node;
          app = app_bulk_new (net, a->name, &a->bulk, &err);
        }
      if (app == NULL)
        {
          g_autofree char *prefix = g_strdup_printf ("app '%s'", a->name);

          if (err != NULL)
            scn_diag_add_error (c->diag, &a->stmt->loc, SCN_ERROR_BUILD,
                                prefix, err);
          else
            scn_diag_add (c->diag, &a->stmt->loc, SCN_ERROR_BUILD,
                          "%s: the model refused it", prefix);
        }
    }
  if (scn_diag_count (c->diag) != 0)
    return NULL;
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

SimWorld *
scn_load_text (const char *display_name, const char *text, gssize len_bytes,
               const ScnOverrides *overrides, ScnRun *run_info,
               GError **error)
{
  g_autoptr (ScnDiag) diag = NULL;
  g_autoptr (ScnScript) script = NULL;
  g_autoptr (SimWorld) world = NULL;
  ScnChecker c;

  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (text != NULL || len_bytes == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len_bytes < 0)
    len_bytes = (gssize) strlen (text);
  diag = scn_diag_new (SCN_DIAG_DEFAULT_MAX_ERRORS);
  script = scn_parse (display_name, text, (gsize) len_bytes, diag);
  checker_init (&c, script, diag);
  register_names (&c);
  if (overrides != NULL)
    scn__apply_overrides (&c, overrides->sets);
  check_script (&c);
  if (scn_diag_count (diag) == 0)
    world = build_world (&c, overrides, run_info);
  checker_clear (&c);
  if (!scn_diag_propagate (diag, error))
    return NULL;
  return g_steal_pointer (&world);
}

SimWorld *
scn_load_file (const char *path, const ScnOverrides *overrides,
               ScnRun *run_info, GError **error)
{
  g_autofree char *text = NULL;
  gsize len_bytes;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &text, &len_bytes, error))
    return NULL;
  if (len_bytes > G_MAXSSIZE)
    {
      g_set_error (error, SCN_ERROR, SCN_ERROR_VALUE, "%s: file too large",
                   path);
      return NULL;
    }
  return scn_load_text (path, text, (gssize) len_bytes, overrides, run_info,
                        error);
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
  checker_init (&c, script, diag);
  register_names (&c);
  names = scn__list_parameters (&c);
  checker_clear (&c);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_steal (names, NULL);
}

