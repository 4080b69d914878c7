/* sweep_json.c: the two files that describe a sweep, grid.json (the
 * grid) and variant.json (one run's result), written and read back.
 *
 * sweep_grid_to_json() writes grid.json field by field, so that its bytes
 * are a function of the grid alone, and takes their SHA-256 as the grid
 * id -> sweep_result_to_json() writes a run's variant.json with that id,
 * its figures for people and its raw counts for sweep_report.c ->
 * sweep_grid_from_json() and sweep_result_from_json() read them back
 * with json-glib, refusing files of another grid, another run or another
 * format.  Reals are written with %.17g where they are read back, so that
 * a result read from a file is the same, to the last bit, as the one
 * that was written.
 */
#include "cli/sweep.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "scenarios/scn_diag.h"

#define GRID_FORMAT "tcpsim-compare-grid/1"
#define RUN_FORMAT "tcpsim-compare-run/1"

/* Grid ids are this many hex digits of the SHA-256 of grid.json. */
#define GRID_ID_CHARS 16

/* grid.json: written by hand, field by field, so that its bytes (and
 * so the grid id) are fixed. */
static void
append_string_array (GString *out, GPtrArray *items)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      sim_json_append_escaped (out, items->pdata[i]);
    }
  g_string_append_c (out, ']');
}

char *
sweep_grid_to_json (SweepGrid *grid)
{
  GString *out = g_string_new ("{\n");
  g_autofree char *sha = NULL;

  g_return_val_if_fail (grid != NULL, NULL);

  g_string_append (out, "  \"format\": \"" GRID_FORMAT "\",\n");
  g_string_append (out, "  \"scenario\": ");
  sim_json_append_escaped (out, grid->scenario);
  g_string_append (out, ",\n  \"scenario_sha256\": ");
  if (grid->scenario_sha256 != NULL)
    sim_json_append_escaped (out, grid->scenario_sha256);
  else
    g_string_append (out, "null");
  g_string_append (out, ",\n  \"sets\": ");
  append_string_array (out, grid->sets);
  if (grid->has_seed)
    g_string_append_printf (out, ",\n  \"seed\": %" G_GUINT64_FORMAT,
                            grid->seed);
  else
    g_string_append (out, ",\n  \"seed\": null");
  if (grid->n_seeds > 0)
    g_string_append_printf (out, ",\n  \"seeds\": %u", grid->n_seeds);
  else
    g_string_append (out, ",\n  \"seeds\": null");
  g_string_append_printf (out, ",\n  \"traces\": %s",
                          grid->traces ? "true" : "false");
  g_string_append (out, ",\n  \"axes\": [");
  for (guint i = 0; i < grid->axes->len; i++)
    {
      const SweepAxis *axis = grid->axes->pdata[i];

      g_string_append (out, i > 0 ? ",\n    {\"key\": " : "\n    {\"key\": ");
      sim_json_append_escaped (out, axis->key);
      g_string_append (out, ", \"values\": ");
      append_string_array (out, axis->values);
      g_string_append_c (out, '}');
    }
  g_string_append (out, grid->axes->len > 0 ? "\n  ],\n" : "],\n");
  g_string_append (out, "  \"runs\": [");
  for (guint i = 0; i < grid->runs->len; i++)
    {
      const SweepRun *run = grid->runs->pdata[i];

      g_string_append (out, i > 0 ? ",\n    " : "\n    ");
      sim_json_append_escaped (out, run->name);
    }
  g_string_append (out, grid->runs->len > 0 ? "\n  ]\n}\n" : "]\n}\n");

  sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, out->str,
                                       (gssize) out->len);
  g_free (grid->id);
  grid->id = g_strndup (sha, GRID_ID_CHARS);
  return g_string_free (out, FALSE);
}

/* JSON reading helpers: every problem names the file and the member. */
static gboolean
format_error (GError **error, const char *file, const char *what)
{
  g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_FORMAT, "%s: %s", file, what);
  return FALSE;
}

static JsonNode *
member (JsonObject *obj, const char *name)
{
  return json_object_has_member (obj, name)
           ? json_object_get_member (obj, name) : NULL;
}

static gboolean
get_string (JsonObject *obj, const char *name, const char *file,
            const char **out, GError **error)
{
  JsonNode *node = member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *what = g_strdup_printf ("\"%s\" must be a string",
                                               name);

      return format_error (error, file, what);
    }
  *out = json_node_get_string (node);
  return TRUE;
}

/* An integer member; @has_out (nullable) accepts null as "absent". */
static gboolean
get_int (JsonObject *obj, const char *name, const char *file,
         gboolean *has_out, gint64 *out, GError **error)
{
  JsonNode *node = member (obj, name);

  if (has_out != NULL)
    *has_out = FALSE;
  if (node != NULL && JSON_NODE_HOLDS_NULL (node) && has_out != NULL)
    return TRUE;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_autofree char *what = g_strdup_printf ("\"%s\" must be an integer%s",
                                               name, has_out != NULL
                                               ? " or null" : "");

      return format_error (error, file, what);
    }
  *out = json_node_get_int (node);
  if (has_out != NULL)
    *has_out = TRUE;
  return TRUE;
}

static gboolean
get_uint (JsonObject *obj, const char *name, const char *file,
          guint64 *out, GError **error)
{
  gint64 v;

  if (!get_int (obj, name, file, NULL, &v, error))
    return FALSE;
  if (v < 0)
    {
      g_autofree char *what = g_strdup_printf ("\"%s\" must not be negative",
                                               name);

      return format_error (error, file, what);
    }
  *out = (guint64) v;
  return TRUE;
}

static gboolean
get_string_array (JsonObject *obj, const char *name, const char *file,
                  JsonArray **out, GError **error)
{
  JsonNode *node = member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *what = g_strdup_printf ("\"%s\" must be an array",
                                               name);

      return format_error (error, file, what);
    }
  *out = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (*out); i++)
    {
      JsonNode *item = json_array_get_element (*out, i);

      if (!JSON_NODE_HOLDS_VALUE (item)
          || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          g_autofree char *what = g_strdup_printf (
            "\"%s\" must hold strings only", name);

          return format_error (error, file, what);
        }
    }
  return TRUE;
}

static JsonObject *
parse_object (const char *text, const char *file, const char *format,
              JsonParser *parser, GError **error)
{
  g_autoptr (GError) local = NULL;
  JsonNode *root;
  JsonObject *obj;
  const char *fmt = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &local))
    {
      format_error (error, file, local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      format_error (error, file, "not a JSON object");
      return NULL;
    }
  obj = json_node_get_object (root);
  if (!get_string (obj, "format", file, &fmt, error))
    return NULL;
  if (strcmp (fmt, format) != 0)
    {
      g_autofree char *what = g_strdup_printf (
        "format '%s' is not '%s' (written by another version of tcpsim?)",
        fmt, format);

      format_error (error, file, what);
      return NULL;
    }
  return obj;
}

SweepGrid *
sweep_grid_from_json (const char *text, const char *file, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (SweepGrid) grid = NULL;
  g_autofree char *again = NULL;
  JsonObject *obj;
  JsonNode *node;
  JsonArray *arr;
  JsonArray *runs;
  const char *scenario;
  gboolean has = FALSE;
  gint64 v = 0;

  g_return_val_if_fail (text != NULL && file != NULL, NULL);

  obj = parse_object (text, file, GRID_FORMAT, parser, error);
  if (obj == NULL)
    return NULL;
  if (!get_string (obj, "scenario", file, &scenario, error))
    return NULL;
  grid = sweep_grid_new (scenario);
  node = member (obj, "scenario_sha256");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      const char *sha;

      if (!get_string (obj, "scenario_sha256", file, &sha, error))
        return NULL;
      grid->scenario_sha256 = g_strdup (sha);
    }
  if (!get_string_array (obj, "sets", file, &arr, error))
    return NULL;
  for (guint i = 0; i < json_array_get_length (arr); i++)
    g_ptr_array_add (grid->sets,
                     g_strdup (json_array_get_string_element (arr, i)));
  if (!get_int (obj, "seed", file, &has, &v, error))
    return NULL;
  grid->has_seed = has;
  grid->seed = (guint64) v;
  if (!get_int (obj, "seeds", file, &has, &v, error))
    return NULL;
  if (has && (v < 1 || v > SWEEP_MAX_RUNS))
    {
      format_error (error, file, "\"seeds\" out of range");
      return NULL;
    }
  grid->n_seeds = has ? (guint) v : 0;
  node = member (obj, "traces");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      format_error (error, file, "\"traces\" must be true or false");
      return NULL;
    }
  grid->traces = json_node_get_boolean (node);
  node = member (obj, "axes");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      format_error (error, file, "\"axes\" must be an array");
      return NULL;
    }
  arr = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      JsonNode *item = json_array_get_element (arr, i);
      g_autofree const char **values = NULL;
      JsonArray *varr;
      const char *key;
      guint n;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          format_error (error, file, "\"axes\" must hold objects");
          return NULL;
        }
      if (!get_string (json_node_get_object (item), "key", file, &key, error)
          || !get_string_array (json_node_get_object (item), "values", file,
                                &varr, error))
        return NULL;
      n = json_array_get_length (varr);
      values = g_new0 (const char *, n + 1);
      for (guint j = 0; j < n; j++)
        values[j] = json_array_get_string_element (varr, j);
      if (!sweep_grid_set_axis (grid, key, values, n, error))
        {
          g_prefix_error (error, "%s: ", file);
          return NULL;
        }
    }
  if (!get_string_array (obj, "runs", file, &runs, error))
    return NULL;
  if (!sweep_grid_expand (grid, NULL, error))
    {
      g_prefix_error (error, "%s: ", file);
      return NULL;
    }
  /* The run names must be what this version of tcpsim would call them,
   * or merged results would land in other directories. */
  if (json_array_get_length (runs) != grid->runs->len)
    {
      format_error (error, file, "\"runs\" does not match the axes");
      return NULL;
    }
  for (guint i = 0; i < grid->runs->len; i++)
    {
      const SweepRun *run = grid->runs->pdata[i];

      if (strcmp (run->name, json_array_get_string_element (runs, i)) != 0)
        {
          format_error (error, file, "\"runs\" does not match the axes");
          return NULL;
        }
    }
  again = sweep_grid_to_json (grid);
  if (strcmp (again, text) != 0)
    {
      format_error (error, file, "not as tcpsim writes it (edited by hand?)");
      return NULL;
    }
  return g_steal_pointer (&grid);
}

/* variant.json */

/* Quotes @word for a POSIX shell only when it needs it. */
static void
append_shell_word (GString *out, const char *word)
{
  gboolean plain = word[0] != '\0';

  for (const char *p = word; *p != '\0' && plain; p++)
    plain = g_ascii_isalnum (*p) || strchr ("._-+=,/:@%", *p) != NULL;
  g_string_append_c (out, ' ');
  if (plain)
    g_string_append (out, word);
  else
    {
      g_autofree char *q = g_shell_quote (word);

      g_string_append (out, q);
    }
}

static char *
rerun_command (const SweepGrid *grid, const SweepRun *run)
{
  GString *out = g_string_new ("tcpsim run");
  g_auto (GStrv) sets = sweep_run_sets (grid, run);

  append_shell_word (out, grid->scenario);
  if (run->has_seed)
    g_string_append_printf (out, " --seed %" G_GUINT64_FORMAT, run->seed);
  for (guint i = 0; sets[i] != NULL; i++)
    {
      g_string_append (out, " --set");
      append_shell_word (out, sets[i]);
    }
  return g_string_free (out, FALSE);
}

/* As the summaries print figures: whole ones as integers, the rest with
 * three decimals. */
static void
append_figure (GString *out, gboolean integer, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buf, sizeof buf,
                                         integer ? "%.0f" : "%.3f", v));
}

static void
append_counts (GString *out, const CompareFigures *f)
{
  g_string_append_printf (out,
    "  \"counts\": {\n"
    "    \"n_conns\": %u,\n"
    "    \"bytes_delivered\": %" G_GUINT64_FORMAT ",\n"
    "    \"first_open_ns\": %" G_GINT64_FORMAT ",\n"
    "    \"first_recv_open_ns\": %" G_GINT64_FORMAT ",\n"
    "    \"last_delivery_ns\": %" G_GINT64_FORMAT ",\n"
    "    \"retransmits\": %" G_GUINT64_FORMAT ",\n"
    "    \"timeouts\": %" G_GUINT64_FORMAT ",\n"
    "    \"fast_retransmits\": %" G_GUINT64_FORMAT ",\n"
    "    \"rtt_samples\": %" G_GUINT64_FORMAT ",\n"
    "    \"rtt_sum_ns\": %" G_GUINT64_FORMAT ",\n"
    "    \"rtt_max_ns\": %" G_GINT64_FORMAT ",\n",
    f->n_conns, f->bytes_delivered, f->first_open_ns, f->first_recv_open_ns,
    f->last_delivery_ns, f->retransmits, f->timeouts, f->fast_retransmits,
    f->rtt_samples, f->rtt_sum_ns, f->rtt_max_ns);
  /* %.17g: read back, the double is the same to the last bit. */
  {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    g_string_append_printf (out, "    \"cwnd_byte_ns\": %s,\n",
                            g_ascii_formatd (buf, sizeof buf, "%.17g",
                                             f->cwnd_byte_ns));
  }
  g_string_append_printf (out,
    "    \"cwnd_span_ns\": %" G_GINT64_FORMAT ",\n"
    "    \"drops\": %" G_GUINT64_FORMAT "\n"
    "  }\n",
    f->cwnd_span_ns, f->drops);
}

char *
sweep_result_to_json (const SweepGrid *grid, const SweepRun *run,
                      const SweepResult *r)
{
  GString *out = g_string_new ("{\n");
  g_autofree char *rerun = NULL;

  g_return_val_if_fail (grid != NULL && grid->id != NULL, NULL);
  g_return_val_if_fail (run != NULL && r != NULL, NULL);

  g_string_append (out, "  \"format\": \"" RUN_FORMAT "\",\n");
  g_string_append_printf (out, "  \"grid\": \"%s\",\n", grid->id);
  g_string_append (out, "  \"name\": ");
  sim_json_append_escaped (out, run->name);
  g_string_append_printf (out, ",\n  \"index\": %u,\n  \"params\": {",
                          run->index);
  for (guint i = 0; i < grid->axes->len; i++)
    {
      const SweepAxis *axis = grid->axes->pdata[i];

      g_string_append (out, i > 0 ? ", " : "");
      sim_json_append_escaped (out, axis->key);
      g_string_append (out, ": ");
      sim_json_append_escaped (out, run->values[i]);
    }
  g_string_append (out, "},\n");
  if (r->has_seed)
    g_string_append_printf (out, "  \"seed\": %" G_GUINT64_FORMAT ",\n",
                            r->seed);
  else
    g_string_append (out, "  \"seed\": null,\n");
  g_string_append_printf (out, "  \"status\": \"%s\",\n",
                          r->status == SWEEP_STATUS_OK ? "ok" : "error");
  if (r->status != SWEEP_STATUS_OK)
    {
      g_autofree char *valid = g_utf8_make_valid (r->error != NULL
                                                  ? r->error : "", -1);

      g_string_append (out, "  \"error\": ");
      sim_json_append_escaped (out, valid);
      g_string_append (out, ",\n");
    }
  rerun = rerun_command (grid, run);
  {
    g_autofree char *valid = g_utf8_make_valid (rerun, -1);

    g_string_append (out, "  \"rerun\": ");
    sim_json_append_escaped (out, valid);
  }
  g_string_append_printf (out, ",\n  \"events\": %" G_GUINT64_FORMAT
                          ",\n  \"end_ns\": %" G_GINT64_FORMAT ",\n",
                          r->events, r->end_ns);
  g_string_append (out, "  \"figures\": {");
  for (guint i = 0; i < COMPARE_N_FIGURES; i++)
    {
      const CompareFigureInfo *info = compare_figure_info (i);
      double v;

      g_string_append_printf (out, "%s\"%s\": ", i > 0 ? ", " : "",
                              info->column);
      if (r->status == SWEEP_STATUS_OK
          && compare_figure_value (&r->figures, i, &v))
        append_figure (out, info->integer, v);
      else
        g_string_append (out, "null");
    }
  g_string_append (out, "},\n");
  append_counts (out, &r->figures);
  g_string_append (out, "}\n");
  return g_string_free (out, FALSE);
}

static gboolean
get_counts (JsonObject *obj, const char *file, CompareFigures *f,
            GError **error)
{
  JsonNode *node = member (obj, "counts");
  JsonObject *c;
  JsonNode *cwnd;
  guint64 n_conns;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return format_error (error, file, "\"counts\" must be an object");
  c = json_node_get_object (node);
  if (!get_uint (c, "n_conns", file, &n_conns, error)
      || !get_uint (c, "bytes_delivered", file, &f->bytes_delivered, error)
      || !get_int (c, "first_open_ns", file, NULL, &f->first_open_ns, error)
      || !get_int (c, "first_recv_open_ns", file, NULL,
                   &f->first_recv_open_ns, error)
      || !get_int (c, "last_delivery_ns", file, NULL, &f->last_delivery_ns,
                   error)
      || !get_uint (c, "retransmits", file, &f->retransmits, error)
      || !get_uint (c, "timeouts", file, &f->timeouts, error)
      || !get_uint (c, "fast_retransmits", file, &f->fast_retransmits, error)
      || !get_uint (c, "rtt_samples", file, &f->rtt_samples, error)
      || !get_uint (c, "rtt_sum_ns", file, &f->rtt_sum_ns, error)
      || !get_int (c, "rtt_max_ns", file, NULL, &f->rtt_max_ns, error)
      || !get_int (c, "cwnd_span_ns", file, NULL, &f->cwnd_span_ns, error)
      || !get_uint (c, "drops", file, &f->drops, error))
    return FALSE;
  f->n_conns = (guint) MIN (n_conns, G_MAXUINT);
  cwnd = member (c, "cwnd_byte_ns");
  if (cwnd == NULL || !JSON_NODE_HOLDS_VALUE (cwnd)
      || (json_node_get_value_type (cwnd) != G_TYPE_DOUBLE
          && json_node_get_value_type (cwnd) != G_TYPE_INT64))
    return format_error (error, file, "\"cwnd_byte_ns\" must be a number");
  f->cwnd_byte_ns = json_node_get_double (cwnd);
  return TRUE;
}

gboolean
sweep_result_from_json (const SweepGrid *grid, const SweepRun *run,
                        const char *text, const char *file,
                        SweepResult *r, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *obj;
  const char *s;
  gboolean has = FALSE;
  gint64 v = 0;

  g_return_val_if_fail (grid != NULL && grid->id != NULL, FALSE);
  g_return_val_if_fail (run != NULL && text != NULL && r != NULL, FALSE);

  sweep_result_clear (r);
  obj = parse_object (text, file, RUN_FORMAT, parser, error);
  if (obj == NULL)
    return FALSE;
  if (!get_string (obj, "grid", file, &s, error))
    return FALSE;
  if (strcmp (s, grid->id) != 0)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_MISMATCH,
                   "%s: belongs to another sweep (grid %s, not %s)", file, s,
                   grid->id);
      return FALSE;
    }
  if (!get_string (obj, "name", file, &s, error))
    return FALSE;
  if (strcmp (s, run->name) != 0)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_MISMATCH,
                   "%s: holds run '%s', not '%s'", file, s, run->name);
      return FALSE;
    }
  if (!get_int (obj, "seed", file, &has, &v, error))
    return FALSE;
  r->has_seed = has;
  r->seed = (guint64) v;
  if (!get_string (obj, "status", file, &s, error))
    return FALSE;
  if (strcmp (s, "ok") == 0)
    r->status = SWEEP_STATUS_OK;
  else if (strcmp (s, "error") == 0)
    {
      const char *message;

      r->status = SWEEP_STATUS_ERROR;
      if (!get_string (obj, "error", file, &message, error))
        return FALSE;
      r->error = g_strdup (message);
    }
  else
    return format_error (error, file, "\"status\" must be \"ok\" or "
                         "\"error\"");
  if (!get_uint (obj, "events", file, &r->events, error)
      || !get_int (obj, "end_ns", file, NULL, &r->end_ns, error)
      || !get_counts (obj, file, &r->figures, error))
    return FALSE;
  return TRUE;
}

gboolean
sweep_read_file (const char *path, char **text_out, GError **error)
{
  g_autoptr (GError) local = NULL;

  if (g_file_get_contents (path, text_out, NULL, &local))
    return TRUE;
  g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_MISSING, "%s", local->message);
  return FALSE;
}
