/* sweep.c: grids, run names, and running the runs of a grid on a thread
 * pool (grid.json and variant.json are sweep_json.c's).
 *
 * Call order: sweep_grid_new() -> sweep_grid_add_vary()... ->
 * sweep_grid_expand() (the cross product, then unique_run_name()) ->
 * sweep_grid_to_json() -> sweep_run() (a
 * GThreadPool of run_one(): scn_load_file() -> tracers_open() + a
 * CompareCollector -> sim_world_run() -> the run's files and its
 * variant.json; the calling thread waits, drawing the progress line) ->
 * sweep_report_write() in sweep_report.c.
 *
 * Every file written here is a pure function of the grid and the run:
 * nothing depends on the thread, the order in which runs finish, the
 * output directory or the clock.
 */
#include "cli/sweep.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "cli/progress.h"
#include "plots/summary.h"
#include "plots/tracers.h"
#include "scenarios/scn_build.h"
#include "scenarios/scn_diag.h"

G_DEFINE_QUARK (tcpsim-sweep-error-quark, sweep_error)

static void
sweep_axis_free (gpointer p)
{
  SweepAxis *axis = p;

  g_free (axis->key);
  g_ptr_array_unref (axis->values);
  g_free (axis);
}

static void
sweep_run_free (gpointer p)
{
  SweepRun *run = p;

  g_free (run->name);
  g_free (run->label);
  g_strfreev (run->values);
  g_free (run);
}

SweepGrid *
sweep_grid_new (const char *scenario)
{
  SweepGrid *grid;

  g_return_val_if_fail (scenario != NULL, NULL);

  grid = g_new0 (SweepGrid, 1);
  grid->scenario = g_strdup (scenario);
  grid->sets = g_ptr_array_new_with_free_func (g_free);
  grid->axes = g_ptr_array_new_with_free_func (sweep_axis_free);
  grid->runs = g_ptr_array_new_with_free_func (sweep_run_free);
  return grid;
}

void
sweep_grid_free (SweepGrid *grid)
{
  if (grid == NULL)
    return;
  g_free (grid->scenario);
  g_free (grid->scenario_sha256);
  g_ptr_array_unref (grid->sets);
  g_ptr_array_unref (grid->axes);
  g_ptr_array_unref (grid->runs);
  g_free (grid->id);
  g_free (grid);
}

/* A key is what --set accepts on its left: printable ASCII without
 * blanks, '=' or ','. */
static gboolean
key_is_valid (const char *key)
{
  if (key[0] == '\0')
    return FALSE;
  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_isgraph (*p) || *p == '=' || *p == ',')
      return FALSE;
  return TRUE;
}

gboolean
sweep_grid_set_axis (SweepGrid *grid, const char *key,
                     const char *const *values, guint n_values,
                     GError **error)
{
  g_autoptr (GPtrArray) copy = NULL;
  g_autofree char *qkey = NULL;
  SweepAxis *axis;

  g_return_val_if_fail (grid != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (values != NULL || n_values == 0, FALSE);

  qkey = scn_quote (key, SCN_QUOTE_MAX_CHARS);
  if (!key_is_valid (key))
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_USAGE,
                   "'%s' is not a parameter name (expected KEY=V1,V2,...)",
                   qkey);
      return FALSE;
    }
  if (n_values == 0)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_USAGE,
                   "%s: no values to vary (expected %s=V1,V2,...)", qkey,
                   qkey);
      return FALSE;
    }
  copy = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_values; i++)
    {
      g_autofree char *qvalue = scn_quote (values[i], SCN_QUOTE_MAX_CHARS);

      if (values[i][0] == '\0')
        {
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_USAGE,
                       "%s: value %u is empty", qkey, i + 1);
          return FALSE;
        }
      for (guint j = 0; j < i; j++)
        if (strcmp (values[i], values[j]) == 0)
          {
            g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_USAGE,
                         "%s: value '%s' is given twice", qkey, qvalue);
            return FALSE;
          }
      g_ptr_array_add (copy, g_strdup (values[i]));
    }

  for (guint i = 0; i < grid->axes->len; i++)
    {
      axis = grid->axes->pdata[i];
      if (strcmp (axis->key, key) != 0)
        continue;
      g_ptr_array_unref (axis->values);
      axis->values = g_steal_pointer (&copy);
      return TRUE;
    }
  axis = g_new0 (SweepAxis, 1);
  axis->key = g_strdup (key);
  axis->values = g_steal_pointer (&copy);
  g_ptr_array_add (grid->axes, axis);
  return TRUE;
}

gboolean
sweep_grid_add_vary (SweepGrid *grid, const char *spec, GError **error)
{
  const char *eq;
  g_autofree char *key = NULL;
  g_auto (GStrv) values = NULL;

  g_return_val_if_fail (grid != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  eq = strchr (spec, '=');
  if (eq == NULL)
    {
      g_autofree char *q = scn_quote (spec, SCN_QUOTE_MAX_CHARS);

      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_USAGE,
                   "'%s': expected KEY=V1,V2,... (for example "
                   "tcp.rcvbuf=16KB,64KB)", q);
      return FALSE;
    }
  key = g_strndup (spec, (gsize) (eq - spec));
  values = g_strsplit (eq + 1, ",", -1);
  return sweep_grid_set_axis (grid, key, (const char *const *) values,
                              eq[1] == '\0' ? 0 : g_strv_length (values),
                              error);
}

/* Run names.  A name must be a single, portable file name: letters,
 * digits and a few punctuation marks are kept; the rest is spelt out so
 * that "1%" and "client>server" stay readable. */
static void
append_name_part (GString *out, const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      char ch = *p;

      if (g_ascii_isalnum (ch) || strchr ("._-+=,@", ch) != NULL)
        g_string_append_c (out, ch);
      else if (ch == '%')
        g_string_append (out, "pct");
      else if (ch == '>')
        g_string_append (out, "_to_");
      else
        g_string_append_c (out, '_');
    }
}

char *
sweep_run_name (const char *const *keys, const char *const *values,
                guint n_axes, gboolean has_seed, guint64 seed)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n_axes; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_name_part (out, keys[i]);
      g_string_append_c (out, '=');
      append_name_part (out, values[i]);
    }
  if (has_seed)
    g_string_append_printf (out, "%sseed=%" G_GUINT64_FORMAT,
                            n_axes > 0 ? "," : "", seed);
  /* "." and ".." are not directories of our own. */
  if (strcmp (out->str, ".") == 0 || strcmp (out->str, "..") == 0
      || out->len == 0)
    g_string_prepend_c (out, '_');
  return g_string_free (out, FALSE);
}

/* FNV-1a, 32 bits: short, and the same everywhere. */
static guint32
name_hash (const char *text)
{
  guint32 h = 2166136261u;

  for (const char *p = text; *p != '\0'; p++)
    {
      h ^= (guint8) *p;
      h *= 16777619u;
    }
  return h;
}

/* Cuts names that would be too long, and tells apart names that came out
 * the same (values equal but for the characters spelt out). */
static char *
unique_run_name (char *name, GHashTable *used)
{
  g_autofree char *base = name;
  char *candidate;

  if (strlen (base) > SWEEP_MAX_NAME_BYTES)
    {
      guint32 h = name_hash (base);

      base[SWEEP_MAX_NAME_BYTES - 9] = '\0';
      candidate = g_strdup_printf ("%s~%08x", base, h);
      g_free (base);
      base = candidate;
    }
  candidate = g_strdup (base);
  for (guint n = 2; g_hash_table_contains (used, candidate); n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s~%u", base, n);
    }
  g_hash_table_add (used, candidate);
  return g_strdup (candidate);
}

static gboolean
check_keys (const SweepGrid *grid, const char *const *known_names,
            GError **error)
{
  for (guint i = 0; i < grid->axes->len; i++)
    {
      const SweepAxis *axis = grid->axes->pdata[i];
      g_autofree char *qkey = scn_quote (axis->key, SCN_QUOTE_MAX_CHARS);

      if (strcmp (axis->key, "seed") == 0 && grid->n_seeds > 0)
        {
          g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_USAGE,
                       "--vary seed=... and --seeds both choose the seeds; "
                       "give one of them");
          return FALSE;
        }
      if (known_names == NULL || g_strv_contains (known_names, axis->key))
        continue;
      {
        g_autofree char *hint = scn_hint (axis->key, known_names, -1);

        g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_USAGE,
                     "--vary: unknown parameter '%s'%s; 'tcpsim check "
                     "--params %s' lists them", qkey, hint, grid->scenario);
      }
      return FALSE;
    }
  return TRUE;
}

gboolean
sweep_grid_expand (SweepGrid *grid, const char *const *known_names,
                   GError **error)
{
  guint n_axes;
  guint64 n_variants = 1;
  guint64 n_runs;
  guint n_seeds;
  g_autoptr (GHashTable) used = NULL;
  g_autofree const char **keys = NULL;
  g_autofree guint *pos = NULL;

  g_return_val_if_fail (grid != NULL, FALSE);

  if (!check_keys (grid, known_names, error))
    return FALSE;
  n_axes = grid->axes->len;
  if (n_axes == 0 && grid->n_seeds == 0)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_USAGE,
                   "nothing to compare: give --vary KEY=V1,V2,... or "
                   "--seeds N, or declare a grid in the scenario");
      return FALSE;
    }
  n_seeds = MAX (grid->n_seeds, 1u);
  for (guint i = 0; i < n_axes; i++)
    {
      const SweepAxis *axis = grid->axes->pdata[i];

      n_variants *= axis->values->len;
      if (n_variants > SWEEP_MAX_RUNS)
        break;
    }
  n_runs = n_variants * n_seeds;
  if (n_variants > SWEEP_MAX_RUNS || n_runs > SWEEP_MAX_RUNS)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_USAGE,
                   "the grid has more than %u runs; split it into several "
                   "sweeps", SWEEP_MAX_RUNS);
      return FALSE;
    }
  if (grid->has_seed && grid->n_seeds > 0
      && grid->seed > G_MAXUINT64 - grid->n_seeds)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_USAGE,
                   "--seed %" G_GUINT64_FORMAT " + --seeds %u goes past the "
                   "largest seed", grid->seed, grid->n_seeds);
      return FALSE;
    }

  g_ptr_array_set_size (grid->runs, 0);
  grid->n_variants = (guint) n_variants;
  used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  keys = g_new0 (const char *, n_axes + 1);
  pos = g_new0 (guint, n_axes + 1);
  for (guint i = 0; i < n_axes; i++)
    keys[i] = ((SweepAxis *) grid->axes->pdata[i])->key;

  for (guint v = 0; v < grid->n_variants; v++)
    {
      g_autoptr (GString) label = g_string_new (NULL);
      g_autoptr (GStrvBuilder) values = g_strv_builder_new ();
      g_auto (GStrv) vals = NULL;
      guint rest = v;

      /* The first axis varies slowest: digits of v, last axis lowest. */
      for (guint i = n_axes; i-- > 0;)
        {
          const SweepAxis *axis = grid->axes->pdata[i];

          pos[i] = rest % axis->values->len;
          rest /= axis->values->len;
        }
      for (guint i = 0; i < n_axes; i++)
        {
          const SweepAxis *axis = grid->axes->pdata[i];
          const char *value = axis->values->pdata[pos[i]];

          g_strv_builder_add (values, value);
          g_string_append_printf (label, "%s%s=%s", i > 0 ? "," : "",
                                  axis->key, value);
        }
      vals = g_strv_builder_end (values);
      for (guint s = 0; s < n_seeds; s++)
        {
          SweepRun *run = g_new0 (SweepRun, 1);

          run->index = grid->runs->len;
          run->variant = v;
          run->seed_index = s;
          run->values = g_strdupv (vals);
          run->label = g_strdup (label->str);
          if (grid->n_seeds > 0)
            {
              run->has_seed = TRUE;
              run->seed = (grid->has_seed ? grid->seed : 1) + s;
            }
          else if (grid->has_seed)
            {
              run->has_seed = TRUE;
              run->seed = grid->seed;
            }
          run->name = unique_run_name (
            sweep_run_name (keys, (const char *const *) vals, n_axes,
                            grid->n_seeds > 0, run->seed),
            used);
          g_ptr_array_add (grid->runs, run);
        }
    }
  return TRUE;
}

GStrv
sweep_run_sets (const SweepGrid *grid, const SweepRun *run)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

  g_return_val_if_fail (grid != NULL && run != NULL, NULL);

  for (guint i = 0; i < grid->sets->len; i++)
    g_strv_builder_add (b, grid->sets->pdata[i]);
  for (guint i = 0; i < grid->axes->len; i++)
    {
      const SweepAxis *axis = grid->axes->pdata[i];
      g_autofree char *item = g_strdup_printf ("%s=%s", axis->key,
                                               run->values[i]);

      g_strv_builder_add (b, item);
    }
  return g_strv_builder_end (b);
}

void
sweep_result_clear (SweepResult *result)
{
  if (result == NULL)
    return;
  g_free (result->error);
  memset (result, 0, sizeof *result);
}

void
sweep_results_free (SweepResult *results, guint n)
{
  if (results == NULL)
    return;
  for (guint i = 0; i < n; i++)
    sweep_result_clear (&results[i]);
  g_free (results);
}

/* Running.  Each run's progress is a pair of atomics its worker writes
 * and the waiting thread reads; everything else a worker touches is its
 * own run's. */
typedef enum {
  LIVE_WAITING,
  LIVE_RUNNING,
  LIVE_DONE,
} LiveState;

typedef struct {
  _Atomic int state;            /* LiveState */
  _Atomic gint64 now_ns;        /* time of the last trace record */
  _Atomic gint64 end_ns;        /* the run's end, once loaded */
} RunLive;

typedef struct {
  const SweepGrid *grid;
  const char *outdir;
  SweepResult *results;
  RunLive *live;
  GMutex lock;
  GCond done;
  guint n_done;                 /* under lock */
  guint n_failed;               /* under lock */
} SweepJob;

static void
live_record (const SimTraceRecord *rec, void *data)
{
  RunLive *live = data;

  atomic_store_explicit (&live->now_ns, rec->at_ns, memory_order_relaxed);
}

static void
keep_first_error (GError **first, GError *error)
{
  if (error == NULL)
    return;
  if (*first == NULL)
    *first = error;
  else
    g_error_free (error);
}

/* Runs a loaded world with the tracers and the collector, then writes
 * the run's files.  The order of teardown is cmd_run.c's. */
static gboolean
execute_world (const SweepGrid *grid, SimWorld *world, const ScnRun *info,
               const char *dir, RunLive *live, SweepResult *r,
               GError **error)
{
  g_autoptr (Tracers) tracers = NULL;
  g_autoptr (CompareCollector) collector = NULL;
  GError *first = NULL;
  GError *local = NULL;
  TracersConfig config;
  SimTraceBus *bus = sim_world_trace (world);
  FILE *null_out;

  null_out = fopen ("/dev/null", "w");
  if (null_out == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "cannot open /dev/null: %s", g_strerror (saved_errno));
      return FALSE;
    }
  tracers_config_init (&config);
  config.outdir = dir;
  config.jsonl = grid->traces;
  config.pcap = grid->traces;
  config.diagram = grid->traces;
  config.report = grid->traces;
  config.summary = TRUE;
  config.out = null_out;
  tracers = tracers_open (info->network, &config, error);
  if (tracers == NULL)
    {
      fclose (null_out);
      return FALSE;
    }
  collector = compare_collector_new (info->network);
  sim_trace_subscribe (bus, compare_collector_record, collector);
  sim_trace_subscribe (bus, live_record, live);

  r->events = sim_world_run (world, info->end_ns);
  r->end_ns = sim_world_now (world);

  if (!tracers_close (tracers, &local))
    keep_first_error (&first, g_steal_pointer (&local));
  compare_collector_finish (collector);
  r->figures = *compare_collector_figures (collector);
  if (!compare_collector_write_series (collector, dir, &local))
    keep_first_error (&first, g_steal_pointer (&local));
  /* As in cmd_run.c: nobody may listen while the world is freed. */
  sim_trace_bus_clear (bus);
  g_clear_pointer (&tracers, tracers_free);
  fclose (null_out);
  if (first != NULL)
    {
      g_propagate_error (error, first);
      return FALSE;
    }
  return TRUE;
}

static void
run_one (SweepJob *job, guint index)
{
  const SweepRun *run = job->grid->runs->pdata[index];
  SweepResult *r = &job->results[index];
  RunLive *live = &job->live[index];
  g_autofree char *dir = g_build_filename (job->outdir, run->name, NULL);
  g_autofree char *json = NULL;
  g_autofree char *json_path = NULL;
  g_auto (GStrv) sets = sweep_run_sets (job->grid, run);
  g_autoptr (GError) err = NULL;
  ScnOverrides overrides = { 0 };
  ScnRun info = { 0 };

  atomic_store (&live->state, LIVE_RUNNING);
  memset (r, 0, sizeof *r);
  r->has_seed = run->has_seed;
  r->seed = run->seed;
  r->figures.first_open_ns = -1;
  r->figures.first_recv_open_ns = -1;
  r->figures.last_delivery_ns = -1;
  r->figures.rtt_max_ns = -1;
  overrides.has_seed = run->has_seed;
  overrides.seed = run->seed;
  overrides.sets = (const char *const *) sets;

  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      int saved_errno = errno;

      g_set_error (&err, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "cannot create directory %s: %s", dir,
                   g_strerror (saved_errno));
    }
  else
    {
      g_autoptr (SimWorld) world = scn_load_file (job->grid->scenario,
                                                  &overrides, &info, &err);

      if (world != NULL)
        {
          r->has_seed = TRUE;
          r->seed = info.seed;
          atomic_store_explicit (&live->end_ns, info.end_ns,
                                 memory_order_relaxed);
          execute_world (job->grid, world, &info, dir, live, r, &err);
        }
    }
  if (err != NULL)
    {
      r->status = SWEEP_STATUS_ERROR;
      r->error = g_strdup (err->message);
      g_clear_error (&err);
    }

  json = sweep_result_to_json (job->grid, run, r);
  json_path = g_build_filename (dir, "variant.json", NULL);
  if (!g_file_set_contents (json_path, json, -1, &err))
    {
      /* Without its variant.json the run counts as missing; say why. */
      if (r->status == SWEEP_STATUS_OK)
        {
          r->status = SWEEP_STATUS_ERROR;
          r->error = g_strdup (err->message);
        }
    }

  atomic_store (&live->state, LIVE_DONE);
  g_mutex_lock (&job->lock);
  job->n_done++;
  if (r->status != SWEEP_STATUS_OK)
    job->n_failed++;
  g_cond_signal (&job->done);
  g_mutex_unlock (&job->lock);
}

static void
worker (gpointer data, gpointer user_data)
{
  run_one (user_data, GPOINTER_TO_UINT (data) - 1);
}

static char *
progress_text (const SweepJob *job, const SweepSelect *select,
               guint n_selected, guint n_done, guint n_failed,
               double elapsed_s)
{
  char sim[SUMMARY_STR_BYTES];
  char eta[16];
  SimTime sim_ns = 0;
  double done = 0.0;

  for (guint i = 0; i < job->grid->runs->len; i++)
    {
      const RunLive *live = &job->live[i];
      int state;
      gint64 now_ns, end_ns;

      if (!sweep_select_has (select, i))
        continue;
      state = atomic_load (&live->state);
      now_ns = atomic_load_explicit (&live->now_ns, memory_order_relaxed);
      end_ns = atomic_load_explicit (&live->end_ns, memory_order_relaxed);
      sim_ns += now_ns;
      if (state == LIVE_DONE)
        done += 1.0;
      else if (state == LIVE_RUNNING && end_ns > 0)
        done += MIN (1.0, (double) now_ns / (double) end_ns);
    }
  summary_format_duration (sim_ns, sim);
  cli_progress_format_eta (done > 0.0
                           ? elapsed_s * ((double) n_selected - done) / done
                           : -1.0, eta);
  if (n_failed > 0)
    return g_strdup_printf ("compare: %u/%u runs, %u failed, %s simulated, "
                            "ETA %s", n_done, n_selected, n_failed, sim, eta);
  return g_strdup_printf ("compare: %u/%u runs, %s simulated, ETA %s",
                          n_done, n_selected, sim, eta);
}

gboolean
sweep_run (const SweepGrid *grid, const char *outdir, guint jobs,
           const SweepSelect *select, gboolean progress,
           guint *n_failed_out, SweepResult **results_out, GError **error)
{
  g_autoptr (CliProgress) display = NULL;
  GThreadPool *pool;
  SweepJob job = { 0 };
  guint n_runs;
  guint n_selected = 0;

  g_return_val_if_fail (grid != NULL && outdir != NULL, FALSE);
  g_return_val_if_fail (select != NULL && select->stride > 0, FALSE);

  n_runs = grid->runs->len;
  for (guint i = 0; i < n_runs; i++)
    if (sweep_select_has (select, i))
      n_selected++;
  job.grid = grid;
  job.outdir = outdir;
  job.results = g_new0 (SweepResult, MAX (n_runs, 1u));
  job.live = g_new0 (RunLive, MAX (n_runs, 1u));
  g_mutex_init (&job.lock);
  g_cond_init (&job.done);

  if (n_selected > 0)
    {
      pool = g_thread_pool_new (worker, &job,
                                (gint) MAX (1u, MIN (jobs, n_selected)),
                                FALSE, error);
      if (pool == NULL)
        {
          sweep_results_free (job.results, n_runs);
          g_free (job.live);
          g_mutex_clear (&job.lock);
          g_cond_clear (&job.done);
          return FALSE;
        }
      /* Pushing fails only for exclusive pools, whose threads are made
       * at push time; this one is not exclusive. */
      for (guint i = 0; i < n_runs; i++)
        if (sweep_select_has (select, i))
          g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);

      if (progress)
        display = cli_progress_new (stderr);
      g_mutex_lock (&job.lock);
      while (job.n_done < n_selected)
        {
          if (!cli_progress_active (display))
            {
              g_cond_wait (&job.done, &job.lock);
              continue;
            }
          g_cond_wait_until (&job.done, &job.lock,
                             g_get_monotonic_time ()
                             + G_USEC_PER_SEC / 10);
          {
            guint n_done = job.n_done;
            guint n_failed = job.n_failed;
            g_autofree char *text = NULL;

            g_mutex_unlock (&job.lock);
            text = progress_text (&job, select, n_selected, n_done, n_failed,
                                  cli_progress_elapsed_s (display));
            cli_progress_update (display, text);
            g_mutex_lock (&job.lock);
          }
        }
      g_mutex_unlock (&job.lock);
      g_thread_pool_free (pool, FALSE, TRUE);
    }

  if (n_failed_out != NULL)
    *n_failed_out = job.n_failed;
  if (results_out != NULL)
    *results_out = job.results;
  else
    sweep_results_free (job.results, n_runs);
  g_free (job.live);
  g_mutex_clear (&job.lock);
  g_cond_clear (&job.done);
  return TRUE;
}

void
sweep_print_failures (const SweepGrid *grid, const SweepResult *results,
                      const SweepSelect *select)
{
  for (guint i = 0; i < grid->runs->len; i++)
    {
      const SweepRun *run = grid->runs->pdata[i];
      g_auto (GStrv) lines = NULL;

      if ((select != NULL && !sweep_select_has (select, i))
          || results[i].status == SWEEP_STATUS_OK)
        continue;
      /* Raw bytes, as cli_error() writes them: one prefix per line. */
      lines = g_strsplit (results[i].error != NULL ? results[i].error
                                                   : "failed", "\n", -1);
      fprintf (stderr, "tcpsim: run %s failed: %s\n", run->name, lines[0]);
      for (guint j = 1; lines[j] != NULL; j++)
        fprintf (stderr, "tcpsim: %s\n", lines[j]);
    }
}
