/* test_sweep.c: the sweep engine of tcpsim compare without running a
 * world: --vary parsing, grid expansion and its order, run names,
 * grid.json and variant.json round trips, the figures, and Student-t
 * confidence intervals on known cases.  Paths: /compare/...
 */
#include <math.h>
#include <string.h>

#include "cli/sweep.h"

static SweepGrid *
grid_with (const char *const *varies, guint n_seeds)
{
  SweepGrid *grid = sweep_grid_new ("scenarios/x.scn");
  g_autoptr (GError) err = NULL;

  for (guint i = 0; varies[i] != NULL; i++)
    {
      sweep_grid_add_vary (grid, varies[i], &err);
      g_assert_no_error (err);
    }
  grid->n_seeds = n_seeds;
  sweep_grid_expand (grid, NULL, &err);
  g_assert_no_error (err);
  return grid;
}

static const char *
run_name (const SweepGrid *grid, guint i)
{
  return ((const SweepRun *) grid->runs->pdata[i])->name;
}

/* The first --vary varies slowest, seeds fastest. */
static void
test_expand_order (void)
{
  static const char *const varies[] = {
    "tcp.rcvbuf=16KB,64KB", "tcp.cc=newreno,reno,cubic", NULL,
  };
  g_autoptr (SweepGrid) grid = grid_with (varies, 2);
  const SweepRun *run;

  g_assert_cmpuint (grid->n_variants, ==, 6);
  g_assert_cmpuint (grid->runs->len, ==, 12);
  g_assert_cmpstr (run_name (grid, 0), ==,
                   "tcp.rcvbuf=16KB,tcp.cc=newreno,seed=1");
  g_assert_cmpstr (run_name (grid, 1), ==,
                   "tcp.rcvbuf=16KB,tcp.cc=newreno,seed=2");
  g_assert_cmpstr (run_name (grid, 2), ==,
                   "tcp.rcvbuf=16KB,tcp.cc=reno,seed=1");
  g_assert_cmpstr (run_name (grid, 11), ==,
                   "tcp.rcvbuf=64KB,tcp.cc=cubic,seed=2");
  run = grid->runs->pdata[7];
  g_assert_cmpuint (run->index, ==, 7);
  g_assert_cmpuint (run->variant, ==, 3);
  g_assert_cmpuint (run->seed_index, ==, 1);
  g_assert_true (run->has_seed);
  g_assert_cmpuint (run->seed, ==, 2);
  g_assert_cmpstr (run->label, ==, "tcp.rcvbuf=64KB,tcp.cc=newreno");
  g_assert_cmpstr (run->values[0], ==, "64KB");
  g_assert_cmpstr (run->values[1], ==, "newreno");
}

static void
test_expand_seeds (void)
{
  static const char *const none[] = { NULL };
  static const char *const one[] = { "link.l.loss=1%", NULL };
  g_autoptr (SweepGrid) seeds_only = grid_with (none, 3);
  g_autoptr (SweepGrid) no_seeds = grid_with (one, 0);
  g_autoptr (SweepGrid) first = sweep_grid_new ("x.scn");
  g_autoptr (SweepGrid) nothing = sweep_grid_new ("x.scn");
  g_autoptr (GError) err = NULL;

  g_assert_cmpuint (seeds_only->runs->len, ==, 3);
  g_assert_cmpstr (run_name (seeds_only, 0), ==, "seed=1");
  g_assert_cmpstr (run_name (seeds_only, 2), ==, "seed=3");
  g_assert_cmpstr (((SweepRun *) seeds_only->runs->pdata[0])->label, ==, "");

  /* Without --seeds, a run keeps the scenario's seed and its name has
   * none. */
  g_assert_cmpuint (no_seeds->runs->len, ==, 1);
  g_assert_cmpstr (run_name (no_seeds, 0), ==, "link.l.loss=1pct");
  g_assert_false (((SweepRun *) no_seeds->runs->pdata[0])->has_seed);

  /* --seed N --seeds 2: seeds N and N+1. */
  first->has_seed = TRUE;
  first->seed = 41;
  first->n_seeds = 2;
  g_assert_true (sweep_grid_expand (first, NULL, &err));
  g_assert_cmpstr (run_name (first, 1), ==, "seed=42");

  g_assert_false (sweep_grid_expand (nothing, NULL, &err));
  g_assert_error (err, SWEEP_ERROR, SWEEP_ERROR_USAGE);
  g_assert_nonnull (strstr (err->message, "nothing to compare"));
}

typedef struct {
  const char *key;
  const char *value;
  const char *name;
} NameCase;

static const NameCase name_cases[] = {
  { "tcp.rcvbuf", "64KB", "tcp.rcvbuf=64KB" },
  { "link.wan.loss", "0.5%", "link.wan.loss=0.5pct" },
  { "link.wan.client>server.rate", "1Mbps",
    "link.wan.client_to_server.rate=1Mbps" },
  { "app.a.bytes", "a/b c:d", "app.a.bytes=a_b_c_d" },
  { "host.h.addr", "10.0.0.1", "host.h.addr=10.0.0.1" },
  { "x", "caf\xc3\xa9", "x=caf__" },
};

static void
test_name_case (gconstpointer data)
{
  const NameCase *c = data;
  const char *keys[] = { c->key };
  const char *values[] = { c->value };
  g_autofree char *name = sweep_run_name (keys, values, 1, FALSE, 0);

  g_assert_cmpstr (name, ==, c->name);
}

/* Values that differ only in characters spelt out still get names of
 * their own; overlong names are cut, with a hash, under the limit. */
static void
test_names_unique_and_short (void)
{
  static const char *const clash[] = { "x=a/b,a_b,a:b", NULL };
  g_autoptr (SweepGrid) grid = grid_with (clash, 0);
  g_autoptr (SweepGrid) long_grid = sweep_grid_new ("x.scn");
  g_autoptr (GError) err = NULL;
  g_autofree char *long_a = g_strnfill (300, 'a');
  g_autofree char *spec = g_strdup_printf ("k=%sX,%sY", long_a, long_a);
  const char *n0, *n1;

  g_assert_cmpstr (run_name (grid, 0), ==, "x=a_b");
  g_assert_cmpstr (run_name (grid, 1), ==, "x=a_b~2");
  g_assert_cmpstr (run_name (grid, 2), ==, "x=a_b~3");

  g_assert_true (sweep_grid_add_vary (long_grid, spec, &err));
  g_assert_true (sweep_grid_expand (long_grid, NULL, &err));
  n0 = run_name (long_grid, 0);
  n1 = run_name (long_grid, 1);
  g_assert_cmpuint (strlen (n0), <=, SWEEP_MAX_NAME_BYTES);
  g_assert_cmpuint (strlen (n1), <=, SWEEP_MAX_NAME_BYTES);
  g_assert_cmpstr (n0, !=, n1);
  g_assert_nonnull (strchr (n0, '~'));
}

typedef struct {
  const char *spec;
  const char *message;          /* a part of the error */
} VaryError;

static const VaryError vary_errors[] = {
  { "tcp.rcvbuf", "expected KEY=V1,V2" },
  { "=1KB,2KB", "not a parameter name" },
  { "tcp.rcvbuf=", "no values" },
  { "tcp.rcvbuf=1KB,,2KB", "value 2 is empty" },
  { "tcp.rcvbuf=1KB,2KB,1KB", "'1KB' is given twice" },
  { "tcp rcvbuf=1KB", "not a parameter name" },
};

static void
test_vary_error (gconstpointer data)
{
  const VaryError *c = data;
  g_autoptr (SweepGrid) grid = sweep_grid_new ("x.scn");
  g_autoptr (GError) err = NULL;

  g_assert_false (sweep_grid_add_vary (grid, c->spec, &err));
  g_assert_error (err, SWEEP_ERROR, SWEEP_ERROR_USAGE);
  if (strstr (err->message, c->message) == NULL)
    g_error ("'%s': message '%s' lacks '%s'", c->spec, err->message,
             c->message);
}

/* A later --vary of the same key replaces its values in place, as a
 * command-line --vary overrides an axis the scenario declares. */
static void
test_vary_override (void)
{
  static const char *const varies[] = {
    "a=1,2", "b=x,y", "a=3,4,5", NULL,
  };
  g_autoptr (SweepGrid) grid = grid_with (varies, 0);

  g_assert_cmpuint (grid->axes->len, ==, 2);
  g_assert_cmpstr (((SweepAxis *) grid->axes->pdata[0])->key, ==, "a");
  g_assert_cmpuint (grid->runs->len, ==, 6);
  g_assert_cmpstr (run_name (grid, 0), ==, "a=3,b=x");
}

static void
test_unknown_key (void)
{
  static const char *const known[] = { "seed", "tcp.rcvbuf", "tcp.mss",
                                       NULL };
  g_autoptr (SweepGrid) grid = sweep_grid_new ("x.scn");
  g_autoptr (SweepGrid) seeds = sweep_grid_new ("x.scn");
  g_autoptr (GError) err = NULL;

  g_assert_true (sweep_grid_add_vary (grid, "tcp.rcvbuff=1KB", &err));
  g_assert_false (sweep_grid_expand (grid, known, &err));
  g_assert_error (err, SWEEP_ERROR, SWEEP_ERROR_USAGE);
  g_assert_nonnull (strstr (err->message, "did you mean 'tcp.rcvbuf'"));
  g_clear_error (&err);

  g_assert_true (sweep_grid_add_vary (seeds, "seed=1,2", &err));
  seeds->n_seeds = 2;
  g_assert_false (sweep_grid_expand (seeds, known, &err));
  g_assert_error (err, SWEEP_ERROR, SWEEP_ERROR_USAGE);
}

static void
test_run_sets (void)
{
  static const char *const varies[] = { "tcp.rcvbuf=1KB,2KB", NULL };
  g_autoptr (SweepGrid) grid = grid_with (varies, 0);
  g_auto (GStrv) sets = NULL;

  g_ptr_array_add (grid->sets, g_strdup ("tcp.rcvbuf=9KB"));
  g_ptr_array_add (grid->sets, g_strdup ("tcp.sack=on"));
  sets = sweep_run_sets (grid, grid->runs->pdata[1]);
  g_assert_cmpuint (g_strv_length (sets), ==, 3);
  /* The axis comes last, so that it wins over a --set of its key. */
  g_assert_cmpstr (sets[0], ==, "tcp.rcvbuf=9KB");
  g_assert_cmpstr (sets[1], ==, "tcp.sack=on");
  g_assert_cmpstr (sets[2], ==, "tcp.rcvbuf=2KB");
}

static void
test_grid_json_round_trip (void)
{
  static const char *const varies[] = {
    "tcp.rcvbuf=16KB,64KB", "link.l.a>b.loss=1%,2%", NULL,
  };
  g_autoptr (SweepGrid) grid = grid_with (varies, 3);
  g_autoptr (SweepGrid) back = NULL;
  g_autoptr (GError) err = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  g_autofree char *edited = NULL;

  g_ptr_array_add (grid->sets, g_strdup ("tcp.sack=\"on\""));
  grid->scenario_sha256 = g_strdup ("abc");
  grid->traces = TRUE;
  text = sweep_grid_to_json (grid);
  back = sweep_grid_from_json (text, "grid.json", &err);
  g_assert_no_error (err);
  again = sweep_grid_to_json (back);
  g_assert_cmpstr (text, ==, again);
  g_assert_cmpstr (grid->id, ==, back->id);
  g_assert_cmpuint (strlen (grid->id), ==, 16);
  g_assert_cmpuint (back->runs->len, ==, 12);
  g_assert_cmpstr (run_name (back, 5), ==, run_name (grid, 5));

  /* An edited file is refused: its runs could be someone else's. */
  edited = g_strdup (text);
  *strstr (edited, "\"traces\": true") = ' ';
  g_assert_null (sweep_grid_from_json (edited, "grid.json", &err));
  g_assert_error (err, SWEEP_ERROR, SWEEP_ERROR_FORMAT);
}

static void
test_result_json_round_trip (void)
{
  static const char *const varies[] = { "tcp.rcvbuf=16KB,64KB", NULL };
  g_autoptr (SweepGrid) grid = grid_with (varies, 2);
  g_autofree char *grid_text = sweep_grid_to_json (grid);
  const SweepRun *run = grid->runs->pdata[3];
  SweepResult r = { 0 };
  SweepResult back = { 0 };
  SweepResult failed = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  g_autoptr (GError) err = NULL;

  r.status = SWEEP_STATUS_OK;
  r.has_seed = TRUE;
  r.seed = 2;
  r.events = 12345;
  r.end_ns = SIM_S (17);
  r.figures.n_conns = 2;
  r.figures.bytes_delivered = 4000000;
  r.figures.first_open_ns = 0;
  r.figures.first_recv_open_ns = SIM_MS (50);
  r.figures.last_delivery_ns = SIM_S (17) + 123;
  r.figures.retransmits = 3;
  r.figures.timeouts = 1;
  r.figures.rtt_samples = 7;
  r.figures.rtt_sum_ns = 700000001;
  r.figures.rtt_max_ns = 150000000;
  r.figures.cwnd_byte_ns = 0.1 + 1e12 / 3.0;   /* not a short decimal */
  r.figures.cwnd_span_ns = SIM_S (16);
  r.figures.drops = 4;
  text = sweep_result_to_json (grid, run, &r);
  g_assert_true (sweep_result_from_json (grid, run, text, "v.json", &back,
                                         &err));
  g_assert_no_error (err);
  g_assert_cmpmem (&r.figures, sizeof r.figures, &back.figures,
                   sizeof back.figures);
  g_assert_cmpuint (back.seed, ==, 2);
  g_assert_cmpuint (back.events, ==, 12345);
  again = sweep_result_to_json (grid, run, &back);
  g_assert_cmpstr (text, ==, again);
  g_assert_nonnull (strstr (text, "\"rerun\": \"tcpsim run scenarios/x.scn "
                                  "--seed 2 --set tcp.rcvbuf=64KB\""));

  /* Another run's file is refused. */
  g_assert_false (sweep_result_from_json (grid, grid->runs->pdata[0], text,
                                          "v.json", &back, &err));
  g_assert_error (err, SWEEP_ERROR, SWEEP_ERROR_MISMATCH);
  g_clear_error (&err);

  failed.status = SWEEP_STATUS_ERROR;
  failed.error = g_strdup ("--set tcp.rcvbuf=1XB: bad\nsecond line");
  g_clear_pointer (&text, g_free);
  text = sweep_result_to_json (grid, run, &failed);
  g_assert_true (sweep_result_from_json (grid, run, text, "v.json", &back,
                                         &err));
  g_assert_cmpint (back.status, ==, SWEEP_STATUS_ERROR);
  g_assert_cmpstr (back.error, ==, failed.error);
  sweep_result_clear (&back);
  sweep_result_clear (&failed);
}

static void
test_figures (void)
{
  CompareFigures f = { 0 };
  double v = 0.0;

  f.first_open_ns = -1;
  f.first_recv_open_ns = -1;
  f.last_delivery_ns = -1;
  f.rtt_max_ns = -1;
  g_assert_false (compare_figure_value (&f, COMPARE_FIGURE_GOODPUT, &v));
  g_assert_false (compare_figure_value (&f, COMPARE_FIGURE_RTT_MEAN, &v));
  g_assert_true (compare_figure_value (&f, COMPARE_FIGURE_DROPS, &v));
  g_assert_cmpfloat_with_epsilon (v, 0.0, 1e-12);

  f.bytes_delivered = 1000000;
  f.first_open_ns = 0;
  f.first_recv_open_ns = SIM_MS (50);
  f.last_delivery_ns = SIM_MS (50) + SIM_S (4);
  f.rtt_samples = 4;
  f.rtt_sum_ns = 400000002;
  f.rtt_max_ns = 200000000;
  f.cwnd_byte_ns = 3000.0 * 2e9 + 1000.0 * 2e9;
  f.cwnd_span_ns = SIM_S (4);
  g_assert_true (compare_figure_value (&f, COMPARE_FIGURE_GOODPUT, &v));
  g_assert_cmpfloat_with_epsilon (v, 2e6, 1e-6);     /* 8 Mbit in 4 s */
  g_assert_true (compare_figure_value (&f, COMPARE_FIGURE_COMPLETION, &v));
  g_assert_cmpfloat_with_epsilon (v, 4.05e9, 1e-3);
  g_assert_true (compare_figure_value (&f, COMPARE_FIGURE_RTT_MEAN, &v));
  g_assert_cmpfloat_with_epsilon (v, 100000000.5, 1e-6);
  g_assert_true (compare_figure_value (&f, COMPARE_FIGURE_CWND_MEAN, &v));
  g_assert_cmpfloat_with_epsilon (v, 2000.0, 1e-9);

  g_assert_cmpint (compare_figure_lookup ("goodput"), ==,
                   COMPARE_FIGURE_GOODPUT);
  g_assert_cmpint (compare_figure_lookup ("rtt_max_ns"), ==,
                   COMPARE_FIGURE_RTT_MAX);
  g_assert_cmpint (compare_figure_lookup ("speed"), ==, COMPARE_N_FIGURES);
}

/* Quantiles of Student's t against published tables (to 1e-6 where
 * tabulated, 1e-3 where interpolated). */
static void
test_student_t (void)
{
  g_assert_cmpfloat_with_epsilon (sweep_student_t975 (1), 12.706205, 1e-6);
  g_assert_cmpfloat_with_epsilon (sweep_student_t975 (2), 4.302653, 1e-6);
  g_assert_cmpfloat_with_epsilon (sweep_student_t975 (9), 2.262157, 1e-6);
  g_assert_cmpfloat_with_epsilon (sweep_student_t975 (30), 2.042272, 1e-6);
  g_assert_cmpfloat_with_epsilon (sweep_student_t975 (35), 2.030108, 1e-3);
  g_assert_cmpfloat_with_epsilon (sweep_student_t975 (99), 1.984217, 1e-3);
  g_assert_cmpfloat_with_epsilon (sweep_student_t975 (120), 1.979930, 1e-6);
  g_assert_cmpfloat_with_epsilon (sweep_student_t975 (1000), 1.962339, 1e-3);
  g_assert_cmpfloat_with_epsilon (sweep_student_t975 (1000000), 1.959966,
                                  1e-3);
}

static void
test_ci_known (void)
{
  const double five[] = { 1.0, 2.0, 3.0, 4.0, 5.0 };
  const double same[] = { 7.0, 7.0, 7.0 };
  const double two[] = { 10.0, 14.0 };
  double mean = -1.0, ci = -1.0;

  /* mean 3, s = sqrt(2.5), t(0.975, 4) = 2.776445:
   * 2.776445 x 1.5811388 / sqrt(5) = 1.963243. */
  g_assert_true (sweep_mean_ci95 (five, 5, &mean, &ci));
  g_assert_cmpfloat_with_epsilon (mean, 3.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (ci, 1.963243, 1e-6);

  g_assert_true (sweep_mean_ci95 (same, 3, &mean, &ci));
  g_assert_cmpfloat_with_epsilon (ci, 0.0, 1e-12);

  /* n = 2: s = 2.828427, t(0.975, 1) = 12.706205; ci = 12.706205 x 2 */
  g_assert_true (sweep_mean_ci95 (two, 2, &mean, &ci));
  g_assert_cmpfloat_with_epsilon (mean, 12.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (ci, 25.41241, 1e-5);

  ci = -1.0;
  g_assert_false (sweep_mean_ci95 (five, 1, &mean, &ci));
  g_assert_cmpfloat_with_epsilon (mean, 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (ci, -1.0, 1e-12);   /* untouched */
  g_assert_false (sweep_mean_ci95 (NULL, 0, &mean, &ci));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/compare/grid/expand-order", test_expand_order);
  g_test_add_func ("/compare/grid/expand-seeds", test_expand_seeds);
  for (gsize i = 0; i < G_N_ELEMENTS (name_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/compare/grid/name/%zu", i);

      g_test_add_data_func (path, &name_cases[i], test_name_case);
    }
  g_test_add_func ("/compare/grid/names-unique-short",
                   test_names_unique_and_short);
  for (gsize i = 0; i < G_N_ELEMENTS (vary_errors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/compare/grid/vary-error/%zu",
                                               i);

      g_test_add_data_func (path, &vary_errors[i], test_vary_error);
    }
  g_test_add_func ("/compare/grid/vary-override", test_vary_override);
  g_test_add_func ("/compare/grid/unknown-key", test_unknown_key);
  g_test_add_func ("/compare/grid/run-sets", test_run_sets);
  g_test_add_func ("/compare/grid/json-round-trip",
                   test_grid_json_round_trip);
  g_test_add_func ("/compare/result/json-round-trip",
                   test_result_json_round_trip);
  g_test_add_func ("/compare/figures/values", test_figures);
  g_test_add_func ("/compare/stats/student-t", test_student_t);
  g_test_add_func ("/compare/stats/ci-known", test_ci_known);
  return g_test_run ();
}
