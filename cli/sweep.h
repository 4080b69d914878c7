/* sweep.h: a grid of runs of one scenario, what tcpsim compare and tcpsim
 * merge share.
 *
 * A grid is a scenario, the --set items every run gets, and axes: a
 * --set name and the values it takes.  Its runs are the cross product of
 * the axes (the first axis varies slowest), times the seeds when --seeds
 * is given.  A *variant* is one combination of axis values; a *run* is a
 * variant with one seed, and has a directory of its own, OUTDIR/<name>/,
 * named after its values: "tcp.rcvbuf=64KB,seed=2".
 *
 * Call order: sweep_grid_new() -> sweep_grid_set_axis()... ->
 * sweep_grid_expand() -> sweep_grid_to_json() (OUTDIR/grid.json) ->
 * sweep_run() (runs the selected runs on a thread pool; each writes
 * OUTDIR/<name>/variant.json) -> sweep_report_write() (reads grid.json
 * and every variant.json back, and writes summary.csv, stats.csv,
 * summary.json and the plots).  Reading everything back from the files,
 * even in a single process, is what makes a sweep merged from shards or
 * gathered under MPI byte-identical to one run in one process.
 *
 * Worlds are independent: a world is single-threaded and owns all its
 * state, so runs go to worker threads as they are, and no run's outputs
 * depend on which thread, process or machine ran it.
 */
#pragma once

#include <stdio.h>

#include <glib.h>

#include "plots/compare_figures.h"

G_BEGIN_DECLS

#define SWEEP_ERROR (sweep_error_quark ())
GQuark sweep_error_quark (void);

typedef enum {
  SWEEP_ERROR_USAGE,            /* a bad --vary, --seeds or grid */
  SWEEP_ERROR_FORMAT,           /* grid.json or variant.json unreadable */
  SWEEP_ERROR_MISMATCH,         /* files of a different sweep */
  SWEEP_ERROR_MISSING,          /* runs without results */
} SweepErrorCode;

/* Larger grids are refused: past this, a typo in --vary would fill the
 * disk before anyone noticed. */
#define SWEEP_MAX_RUNS 1000000u
/* Longer run names are cut and end in "~" and a hash of the whole name,
 * so that they stay under every file system's 255-byte limit. */
#define SWEEP_MAX_NAME_BYTES 200u

typedef struct {
  char *key;                    /* a --set name: "tcp.rcvbuf" */
  GPtrArray *values;            /* (element-type utf8): as given */
} SweepAxis;

typedef struct {
  guint index;                  /* position in the grid, from 0 */
  guint variant;                /* index of its combination of values */
  guint seed_index;             /* 0 without --seeds */
  char *name;                   /* its directory: "tcp.rcvbuf=64KB,seed=2" */
  char *label;                  /* its values, unescaped: "tcp.rcvbuf=64KB";
                                 * "" when the grid has no axis */
  GStrv values;                 /* one per axis */
  gboolean has_seed;            /* FALSE: the scenario's own seed */
  guint64 seed;
} SweepRun;

typedef struct {
  char *scenario;               /* the path as given */
  char *scenario_sha256;        /* of its contents, when it was read */
  GPtrArray *sets;              /* (element-type utf8): --set, every run */
  gboolean has_seed;            /* --seed: the first seed */
  guint64 seed;
  guint n_seeds;                /* --seeds; 0: one run per variant */
  gboolean traces;              /* runs write trace.jsonl, pcaps, diagram */
  GPtrArray *axes;              /* (element-type SweepAxis) */
  GPtrArray *runs;              /* (element-type SweepRun): after expand */
  guint n_variants;             /* after expand */
  char *id;                     /* after sweep_grid_to_json(): a hash of
                                 * grid.json, repeated in every run's
                                 * variant.json */
} SweepGrid;

/* Returns: (transfer full): a grid over @scenario with no axis. */
SweepGrid *sweep_grid_new (const char *scenario);
void sweep_grid_free (SweepGrid *grid);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SweepGrid, sweep_grid_free)

/* Parses "KEY=V1,V2,..." (a --vary item) and sets that axis.  An axis
 * for a KEY already in the grid takes its values and keeps its place;
 * a new KEY is added last.  Empty and repeated values are errors. */
gboolean sweep_grid_add_vary (SweepGrid *grid, const char *spec,
                              GError **error);
/* Sets the axis @key to @values (n_values of them); as
 * sweep_grid_add_vary(). */
gboolean sweep_grid_set_axis (SweepGrid *grid, const char *key,
                              const char *const *values, guint n_values,
                              GError **error);

/* Checks that every axis names a parameter of the scenario
 * (@known_names: what --set accepts, NULL-terminated; NULL skips the
 * check) and that "seed" is not both an axis and --seeds, then builds
 * the runs and their names. */
gboolean sweep_grid_expand (SweepGrid *grid, const char *const *known_names,
                            GError **error);

/* Returns: (transfer full): a run's directory name for @n_axes pairs of
 * @keys and @values, and the seed when @has_seed; not yet made unique.
 * Bytes other than letters, digits and ._-+=,@ become readable ASCII:
 * '%' is "pct", '>' is "_to_", anything else '_'. */
char *sweep_run_name (const char *const *keys, const char *const *values,
                      guint n_axes, gboolean has_seed, guint64 seed);

/* Returns: (transfer full): the --set items of @run, the grid's own
 * first, then one per axis; NULL-terminated. */
GStrv sweep_run_sets (const SweepGrid *grid, const SweepRun *run);

/* Returns: (transfer full): OUTDIR/grid.json's text; sets grid->id. */
char *sweep_grid_to_json (SweepGrid *grid);
/* Returns: (transfer full) (nullable): the expanded grid described by
 * grid.json text, or NULL with @error set. */
SweepGrid *sweep_grid_from_json (const char *text, const char *display_name,
                                 GError **error);

typedef enum {
  SWEEP_STATUS_OK,
  SWEEP_STATUS_ERROR,           /* the scenario did not load, or an output
                                 * failed */
} SweepStatus;

typedef struct {
  SweepStatus status;
  char *error;                  /* (nullable): why, when ERROR */
  gboolean has_seed;            /* FALSE only when it failed to load
                                 * without a seed being asked for */
  guint64 seed;                 /* the seed the world ran with */
  guint64 events;
  SimTime end_ns;               /* simulated time at the end */
  CompareFigures figures;
} SweepResult;

void sweep_result_clear (SweepResult *result);

/* Returns: (transfer full): the text of OUTDIR/<name>/variant.json. */
char *sweep_result_to_json (const SweepGrid *grid, const SweepRun *run,
                            const SweepResult *result);
/* Reads variant.json text back into @result (cleared first); fails when
 * it belongs to another grid or run. */
gboolean sweep_result_from_json (const SweepGrid *grid, const SweepRun *run,
                                 const char *text, const char *display_name,
                                 SweepResult *result, GError **error);

/* Which runs a process takes: those with index % stride == offset. */
typedef struct {
  guint offset;
  guint stride;                 /* 1: every run */
} SweepSelect;

static inline gboolean
sweep_select_has (const SweepSelect *select, guint index)
{
  return index % select->stride == select->offset;
}

/* Runs the selected runs of @grid, @jobs at a time, each into
 * @outdir/<name>/ (which must exist), and writes each one's
 * variant.json.  A run that fails does not stop the others: it is
 * reported in its variant.json and counted in @n_failed_out.  With
 * @progress, a one-line progress display goes to stderr when it is a
 * terminal and the sweep takes more than a second.  Returns FALSE with
 * @error set only when the sweep itself could not run (no thread pool).
 *
 * @results_out: (nullable) (out) (transfer full): the results, indexed
 * like grid->runs (runs not selected are left zeroed); free with
 * sweep_results_free(). */
gboolean sweep_run (const SweepGrid *grid, const char *outdir, guint jobs,
                    const SweepSelect *select, gboolean progress,
                    guint *n_failed_out, SweepResult **results_out,
                    GError **error);
void sweep_results_free (SweepResult *results, guint n);

/* Prints "tcpsim: run NAME failed: MESSAGE" for every failed run of
 * @results, in grid order. */
void sweep_print_failures (const SweepGrid *grid, const SweepResult *results,
                           const SweepSelect *select);

/* Reads @path into a new string; the error names the path. */
gboolean sweep_read_file (const char *path, char **text_out, GError **error);

/* sweep_report.c: what a finished sweep shows. */

/* The two-sided 95% quantile of Student's t with @df degrees of freedom
 * (df >= 1), from a table exact to six decimals: the same digits on
 * every machine. */
double sweep_student_t975 (guint df);
/* Mean and half-width of the 95% confidence interval of the mean of
 * @n values (Student t, sample standard deviation).  Returns FALSE when
 * n < 2 (then only @mean_out is set, if n == 1). */
gboolean sweep_mean_ci95 (const double *values, guint n, double *mean_out,
                          double *ci95_out);

typedef struct {
  CompareFigureId figure;       /* the figure plotted against the axis */
  gboolean plots;               /* write and render the gnuplot plots */
  FILE *table_out;              /* (nullable): where the table prints */
  gboolean print_failures;      /* sweep_print_failures() on stderr */
} SweepReportOptions;

/* Reads @outdir/grid.json and every run's variant.json, and writes
 * summary.csv, stats.csv (with --seeds), summary.json and the plots into
 * @outdir.  @n_failed_out: runs that failed.  Returns FALSE with @error
 * set when a file is missing or cannot be read or written. */
gboolean sweep_report_write (const char *outdir,
                             const SweepReportOptions *options,
                             guint *n_failed_out, GError **error);

G_END_DECLS
