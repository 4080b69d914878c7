/* scn_grid.c: the comparison grid a scenario declares for `tcpsim
 * compare`, and the API that hands it over.
 *
 *   compare tcp.rcvbuf=16KB,64KB,256KB link.wan.loss=0%,1%
 *
 * Each pair is one axis: a name that --set accepts and the values to run
 * the scenario with; `tcpsim compare` runs the cross product.  A plain
 * `tcpsim run` ignores the statement and runs the file as written.
 *
 * Call order: scn__check_compare() (pass 3 of check_script(): the names
 * are known by then) -> for each value, scn__check_text() loads the file
 * again with that one --set item, so that a value meets exactly the
 * checks a --set item meets, and its errors are told at the value ->
 * scn__grid_from_checker() when the caller asked for the grid
 * (scn_load_grid()) -> scn_grid_variant_sets() per variant.
 */
#include "scenarios/scn_private.h"

#include <string.h>

/* At most this many values are checked by loading the file again: a
 * malformed file must not cost minutes. */
#define MAX_CHECKED_VALUES 1000u

static const ScnGridSpec *
find_axis (const ScnChecker *c, const char *key)
{
  for (guint i = 0; i < c->grid->len; i++)
    {
      const ScnGridSpec *g = g_ptr_array_index (c->grid, i);

      if (strcmp (g->kv->key, key) == 0)
        return g;
    }
  return NULL;
}

/* Checks "KEY=VALUE" by loading the file with it as a --set item; the
 * item's own messages are told at @loc. */
static void
check_value (ScnChecker *c, const ScnKv *kv, const char *value,
             const ScnLoc *loc)
{
  g_autofree char *item = g_strdup_printf ("%s=%s", kv->key, value);
  g_autofree char *quoted = scn_quote (item, 200);
  g_autofree char *prefix = g_strdup_printf ("--set %s: ", quoted);
  const char *const sets[] = { item, NULL };
  g_autoptr (GError) err = NULL;
  g_auto (GStrv) lines = NULL;

  if (scn__check_text (c->script->file, c->text, c->len_bytes, sets, &err))
    return;
  lines = g_strsplit (err->message, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      scn_diag_add (c->diag, loc, SCN_ERROR_VALUE, "compare %s: %s", quoted,
                    lines[i] + strlen (prefix));
}

void
scn__check_compare (ScnChecker *c, const ScnStmt *stmt)
{
  g_autoptr (GPtrArray) known = NULL;

  scn__check_arg_count (c, stmt, 0, "compare KEY=V1,V2,...");
  if (stmt->kvs->len == 0)
    {
      scn_diag_add (c->diag, &stmt->loc, SCN_ERROR_MISSING,
                    "compare needs at least one KEY=V1,V2,... (for example "
                    "compare tcp.rcvbuf=16KB,64KB,256KB)");
      return;
    }
  if (c->nested)
    return;
  known = scn__list_parameters (c);
  for (guint i = 0; i < stmt->kvs->len; i++)
    {
      const ScnKv *kv = g_ptr_array_index (stmt->kvs, i);
      const ScnGridSpec *prev = find_axis (c, kv->key);
      g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
      gboolean ok = TRUE;
      gboolean is_known = FALSE;
      const char *p = kv->value;
      ScnGridSpec *g;

      for (guint k = 0; k < known->len && !is_known; k++)
        is_known = strcmp (g_ptr_array_index (known, k), kv->key) == 0;
      if (!is_known)
        {
          g_autofree char *q = scn_quote (kv->key, SCN_QUOTE_MAX_CHARS);
          g_autofree char *hint = scn_hint (kv->key,
                                            (const char *const *) known->pdata,
                                            known->len);

          scn_diag_add (c->diag, &kv->key_loc, SCN_ERROR_UNKNOWN,
                        "compare: unknown parameter '%s'%s: a grid varies "
                        "what --set sets (tcpsim check --params lists the "
                        "names)", q, hint);
          continue;
        }
      if (prev != NULL)
        {
          scn_diag_add (c->diag, &kv->key_loc, SCN_ERROR_DUPLICATE,
                        "compare: '%s' is already varied at line %u",
                        kv->key, prev->kv->key_loc.line);
          continue;
        }
      /* V1,V2,...: each value at its own column. */
      for (;;)
        {
          const char *comma = strchr (p, ',');
          gsize n = comma != NULL ? (gsize) (comma - p) : strlen (p);
          g_autofree char *value = g_strndup (p, n);
          ScnLoc loc = kv->value_loc;

          if (loc.line != 0)
            loc.col += (guint) (p - kv->value);
          if (n == 0)
            {
              scn_diag_add (c->diag, &loc, SCN_ERROR_VALUE,
                            "compare %s: empty value: write the values "
                            "apart by single commas", kv->key);
              ok = FALSE;
            }
          else
            {
              for (guint k = 0; k < values->len; k++)
                if (strcmp (g_ptr_array_index (values, k), value) == 0)
                  {
                    scn_diag_add (c->diag, &loc, SCN_ERROR_DUPLICATE,
                                  "compare %s: value '%s' is listed twice",
                                  kv->key, value);
                    ok = FALSE;
                    break;
                  }
              if (c->grid_values_checked < MAX_CHECKED_VALUES)
                {
                  guint before = scn_diag_count (c->diag);

                  c->grid_values_checked++;
                  check_value (c, kv, value, &loc);
                  ok = ok && scn_diag_count (c->diag) == before;
                }
              g_ptr_array_add (values, g_steal_pointer (&value));
            }
          if (comma == NULL)
            break;
          p = comma + 1;
        }
      if (ok && values->len < 2)
        {
          scn_diag_add (c->diag, &kv->value_loc, SCN_ERROR_VALUE,
                        "compare %s: a comparison needs at least two "
                        "values, apart by commas", kv->key);
          ok = FALSE;
        }
      g = g_new0 (ScnGridSpec, 1);
      g->stmt = stmt;
      g->kv = kv;
      g->values = g_steal_pointer (&values);
      g_ptr_array_add (c->grid, g);
    }
}

/* ------------------------------------------------------------------ */
/* The public grid                                                     */

ScnGrid *
scn__grid_from_checker (const ScnChecker *c)
{
  ScnGrid *grid = g_new0 (ScnGrid, 1);

  grid->axes = g_ptr_array_new ();
  for (guint i = 0; i < c->grid->len; i++)
    {
      const ScnGridSpec *g = g_ptr_array_index (c->grid, i);
      ScnGridAxis *axis = g_new0 (ScnGridAxis, 1);

      axis->key = g_strdup (g->kv->key);
      axis->values = g_new0 (char *, g->values->len + 1);
      for (guint k = 0; k < g->values->len; k++)
        axis->values[k] = g_strdup (g_ptr_array_index (g->values, k));
      axis->where = g_strdup_printf ("%s:%u:%u", g->kv->key_loc.file,
                                     g->kv->key_loc.line,
                                     g->kv->key_loc.col);
      g_ptr_array_add (grid->axes, axis);
    }
  return grid;
}

void
scn_grid_free (ScnGrid *grid)
{
  if (grid == NULL)
    return;
  for (guint i = 0; i < grid->axes->len; i++)
    {
      ScnGridAxis *axis = g_ptr_array_index (grid->axes, i);

      g_free (axis->key);
      g_strfreev (axis->values);
      g_free (axis->where);
      g_free (axis);
    }
  g_ptr_array_unref (grid->axes);
  g_free (grid);
}

guint64
scn_grid_n_variants (const ScnGrid *grid)
{
  guint64 n = 1;

  g_return_val_if_fail (grid != NULL, 0);
  for (guint i = 0; i < grid->axes->len; i++)
    {
      const ScnGridAxis *axis = g_ptr_array_index (grid->axes, i);
      guint64 len = g_strv_length (axis->values);

      if (len != 0 && n > G_MAXUINT64 / len)
        return G_MAXUINT64;
      n *= len;
    }
  return n;
}

GStrv
scn_grid_variant_sets (const ScnGrid *grid, guint64 index)
{
  guint n_axes;
  char **sets;

  g_return_val_if_fail (grid != NULL, NULL);
  g_return_val_if_fail (index < scn_grid_n_variants (grid), NULL);

  n_axes = grid->axes->len;
  sets = g_new0 (char *, n_axes + 1);
  /* Mixed radix, the last axis varying fastest. */
  for (guint i = n_axes; i > 0; i--)
    {
      const ScnGridAxis *axis = g_ptr_array_index (grid->axes, i - 1);
      guint64 len = g_strv_length (axis->values);

      sets[i - 1] = g_strdup_printf ("%s=%s", axis->key,
                                     axis->values[index % len]);
      index /= len;
    }
  return sets;
}
