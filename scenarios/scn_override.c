/* scn_override.c: --set KEY=VALUE items, applied to the tree.
 *
 * Call order: scn__apply_overrides() -> apply_override() per item, which
 * finds the statement the KEY names ("link.cable.rate" -> the link
 * statement named cable) and replaces or adds the pair there
 * (override_kv()), so that the value then meets the very checks a file
 * value meets.  An unknown KEY is answered with the nearest of
 * scn__list_parameters().
 */
#include "scenarios/scn_private.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Overrides                                                           */

/* Every name --set accepts, in file order. */
GPtrArray *
scn__list_parameters (const ScnChecker *c)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (out, g_strdup ("seed"));
  g_ptr_array_add (out, g_strdup ("run.until"));
  scn__add_tcp_candidates (out, "tcp.");
  for (guint i = 0; i < c->name_order->len; i++)
    {
      const ScnNameEntry *e = g_ptr_array_index (c->name_order, i);
      g_autofree char *prefix = NULL;

      switch (e->kind)
        {
        case SCN_NAME_HOST:
          prefix = g_strdup_printf ("host.%s.", e->name);
          g_ptr_array_add (out, g_strconcat (prefix, "addr", NULL));
          {
            g_autofree char *tcp_prefix = g_strconcat (prefix, "tcp.", NULL);

            scn__add_tcp_candidates (out, tcp_prefix);
          }
          break;
        case SCN_NAME_ROUTER:
          prefix = g_strdup_printf ("router.%s.", e->name);
          g_ptr_array_add (out, g_strconcat (prefix, "addr", NULL));
          break;
        case SCN_NAME_LINK:
          {
            const char *a = scn_stmt_word (e->stmt, 1);
            const char *b = scn_stmt_word (e->stmt, 3);
            guint n;
            const ScnKeyInfo *keys = scn__link_keys (&n);

            prefix = g_strdup_printf ("link.%s.", e->name);
            for (guint k = 0; k < n; k++)
              g_ptr_array_add (out, g_strconcat (prefix, keys[k].name, NULL));
            if (a != NULL && b != NULL)
              for (guint k = 0; k < n; k++)
                {
                  const char *key = keys[k].name;

                  g_ptr_array_add (out, g_strdup_printf ("%s%s>%s.%s", prefix,
                                                         a, b, key));
                  g_ptr_array_add (out, g_strdup_printf ("%s%s>%s.%s", prefix,
                                                         b, a, key));
                }
          }
          break;
        case SCN_NAME_APP:
          {
            guint64 kind;
            const char *kind_text = scn_stmt_word (e->stmt, 1);
            guint n;
            const ScnKeyInfo *keys;

            if (kind_text == NULL
                || !scn__parse_choice (kind_text, scn__app_kind_names, &kind,
                                       NULL))
              break;
            keys = scn__app_keys ((ScnAppKind) kind, &n);
            prefix = g_strdup_printf ("app.%s.", e->name);
            for (guint k = 0; k < n; k++)
              g_ptr_array_add (out, g_strconcat (prefix, keys[k].name, NULL));
            for (guint s = 0; s < 2; s++)
              {
                const char *side = scn__app_side_name ((ScnAppKind) kind, s);
                g_autofree char *tcp_prefix = NULL;

                if (side == NULL)
                  continue;
                tcp_prefix = g_strdup_printf ("%s%s.tcp.", prefix, side);
                scn__add_tcp_candidates (out, tcp_prefix);
              }
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return out;
}

static ScnStmt *
find_stmt (ScnScript *script, const char *keyword)
{
  for (guint i = 0; i < script->stmts->len; i++)
    {
      ScnStmt *stmt = g_ptr_array_index (script->stmts, i);

      if (strcmp (stmt->keyword, keyword) == 0)
        return stmt;
    }
  return NULL;
}

/* Replaces the value of @key in @stmt, or adds the pair. */
static void
override_kv (ScnStmt *stmt, const char *key, const char *value,
             const ScnLoc *loc)
{
  ScnKv *kv = scn_stmt_find_kv (stmt, key);

  if (kv == NULL)
    kv = scn_stmt_add_kv (stmt, key, loc, value, loc);
  else
    {
      g_free (kv->value);
      kv->value = g_strdup (value);
      kv->value_loc = *loc;
      kv->value_quoted = FALSE;
    }
  kv->overridden = TRUE;
}

/* Returns TRUE when @key (without the "link.NAME." part) is a key of the
 * link declared by @stmt. */
static gboolean
is_link_key (const ScnStmt *stmt, const char *key)
{
  const char *a = scn_stmt_word (stmt, 1);
  const char *b = scn_stmt_word (stmt, 3);
  const char *dot = strrchr (key, '.');
  const char *sub = dot != NULL ? dot + 1 : key;
  gboolean found = FALSE;
  guint n;
  const ScnKeyInfo *keys = scn__link_keys (&n);

  for (guint k = 0; k < n; k++)
    found = found || strcmp (sub, keys[k].name) == 0;
  if (!found)
    return FALSE;
  if (dot == NULL)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  {
    g_autofree char *ab = g_strdup_printf ("%s>%s.", a, b);
    g_autofree char *ba = g_strdup_printf ("%s>%s.", b, a);
    gsize len = (gsize) (dot - key) + 1;

    return (strlen (ab) == len && strncmp (key, ab, len) == 0)
           || (strlen (ba) == len && strncmp (key, ba, len) == 0);
  }
}

static gboolean
is_app_key (const ScnStmt *stmt, const char *key)
{
  const char *kind_text = scn_stmt_word (stmt, 1);
  guint64 kind;
  guint n;
  const ScnKeyInfo *keys;

  if (kind_text == NULL
      || !scn__parse_choice (kind_text, scn__app_kind_names, &kind, NULL))
    return FALSE;
  keys = scn__app_keys ((ScnAppKind) kind, &n);
  for (guint k = 0; k < n; k++)
    if (strcmp (key, keys[k].name) == 0)
      return TRUE;
  for (guint s = 0; s < 2; s++)
    {
      const char *side = scn__app_side_name ((ScnAppKind) kind, s);

      if (side != NULL && g_str_has_prefix (key, side)
          && g_str_has_prefix (key + strlen (side), ".tcp.")
          && scn__is_tcp_key (key + strlen (side) + strlen (".tcp.")))
        return TRUE;
    }
  return FALSE;
}

/* Applies one "KEY=VALUE" item; returns FALSE when KEY names nothing. */
static gboolean
apply_override (ScnChecker *c, const char *key, const char *value,
                const ScnLoc *loc)
{
  ScnStmt *stmt;

  if (strcmp (key, "seed") == 0)
    {
      stmt = find_stmt (c->script, "seed");
      if (stmt == NULL)
        stmt = scn_script_add_stmt (c->script, "seed", loc);
      if (stmt->args->len == 0)
        scn_stmt_add_arg (stmt, SCN_ARG_WORD, value, loc);
      else
        {
          ScnArg *arg = g_ptr_array_index (stmt->args, 0);

          g_free (arg->text);
          arg->text = g_strdup (value);
          arg->kind = SCN_ARG_WORD;
          arg->loc = *loc;
        }
      return TRUE;
    }
  if (strcmp (key, "run.until") == 0)
    {
      stmt = find_stmt (c->script, "run");
      if (stmt == NULL)
        stmt = scn_script_add_stmt (c->script, "run", loc);
      override_kv (stmt, "until", value, loc);
      return TRUE;
    }
  if (g_str_has_prefix (key, "tcp."))
    {
      const char *param = key + strlen ("tcp.");
      ScnStmt *first = NULL;

      if (!scn__is_tcp_key (param))
        return FALSE;
      for (guint i = 0; i < c->script->stmts->len; i++)
        {
          stmt = g_ptr_array_index (c->script->stmts, i);
          if (strcmp (stmt->keyword, "tcp") != 0)
            continue;
          if (first == NULL)
            first = stmt;
          if (scn_stmt_find_kv (stmt, param) != NULL)
            {
              override_kv (stmt, param, value, loc);
              return TRUE;
            }
        }
      if (first == NULL)
        first = scn_script_add_stmt (c->script, "tcp", loc);
      override_kv (first, param, value, loc);
      return TRUE;
    }
  {
    static const struct {
      const char *prefix;
      ScnNameKind kind;
    } kinds[] = {
      { "host.", SCN_NAME_HOST },
      { "router.", SCN_NAME_ROUTER },
      { "link.", SCN_NAME_LINK },
      { "app.", SCN_NAME_APP },
    };

    for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        const char *rest;
        const char *dot;
        g_autofree char *name = NULL;
        ScnNameEntry *e;

        if (!g_str_has_prefix (key, kinds[k].prefix))
          continue;
        rest = key + strlen (kinds[k].prefix);
        dot = strchr (rest, '.');
        if (dot == NULL)
          return FALSE;
        name = g_strndup (rest, (gsize) (dot - rest));
        e = g_hash_table_lookup (c->names, name);
        if (e == NULL || e->kind != kinds[k].kind)
          return FALSE;
        rest = dot + 1;
        switch (e->kind)
          {
          case SCN_NAME_HOST:
            if (strcmp (rest, "addr") != 0
                && !(g_str_has_prefix (rest, "tcp.")
                     && scn__is_tcp_key (rest + strlen ("tcp."))))
              return FALSE;
            break;
          case SCN_NAME_ROUTER:
            if (strcmp (rest, "addr") != 0)
              return FALSE;
            break;
          case SCN_NAME_LINK:
            if (!is_link_key (e->stmt, rest))
              return FALSE;
            break;
          case SCN_NAME_APP:
            if (!is_app_key (e->stmt, rest))
              return FALSE;
            break;
          default:
            g_assert_not_reached ();
          }
        override_kv (e->stmt, rest, value, loc);
        return TRUE;
      }
  }
  return FALSE;
}

void
scn__apply_overrides (ScnChecker *c, const char *const *sets)
{
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      g_autofree char *q = scn_quote (sets[i], 200);
      g_autofree char *origin_text = g_strdup_printf ("--set %s", q);
      /* Line 0 marks a location outside the file; the column keeps the
       * messages in command-line order. */
      ScnLoc loc = { scn_script_intern (c->script, origin_text), 0, i + 1 };
      const char *eq = strchr (sets[i], '=');
      g_autofree char *key = NULL;

      if (eq == NULL || eq == sets[i])
        {
          scn_diag_add (c->diag, &loc, SCN_ERROR_SYNTAX,
                        "expected KEY=VALUE, such as link.l1.loss=1%%");
          continue;
        }
      key = g_strndup (sets[i], (gsize) (eq - sets[i]));
      if (!apply_override (c, key, eq + 1, &loc))
        {
          g_autoptr (GPtrArray) known = scn__list_parameters (c);
          g_autofree char *qk = scn_quote (key, SCN_QUOTE_MAX_CHARS);
          g_autofree char *hint = scn_hint (key,
                                            (const char *const *) known->pdata,
                                            known->len);

          scn_diag_add (c->diag, &loc, SCN_ERROR_UNKNOWN,
                        "unknown parameter '%s'%s", qk, hint);
        }
    }
}

