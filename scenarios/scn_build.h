/* scn_build.h: scenario file -> a wired, not yet running, SimWorld.
 *
 * The loader never runs the world: only cli/ calls sim_world_run().
 * Loading is all or nothing.  The file is parsed, the --set overrides are
 * applied to the tree, every statement is checked (names, units, ranges,
 * references), and only when the whole file and every override are
 * valid is anything built.  Every error found is reported, sorted by
 * position, one "FILE:LINE:COL: message" per line of one GError in the
 * SCN_ERROR domain (or G_FILE_ERROR when the file cannot be read).
 *
 * Call order: scn_load_file() (scn_parse() -> apply_overrides() ->
 * check_script() -> build_world()) -> the caller subscribes tracers and
 * runs the world -> sim_world_free().
 *
 * A scenario may also declare the grid `tcpsim compare` runs it over
 * (`compare tcp.rcvbuf=16KB,64KB,256KB`): scn_load_grid() checks the file
 * and returns that grid, whose every value has met the checks of the
 * parameter it sets.  A variant is then scn_load_file() with one
 * "KEY=VALUE" item per axis in ScnOverrides.sets.
 */
#pragma once

#include "scenarios/scn_diag.h"
#include "sim/world.h"
#include "models/network.h"

G_BEGIN_DECLS

/* Defaults when the file says nothing. */
#define SCN_DEFAULT_SEED G_GUINT64_CONSTANT (1)
#define SCN_DEFAULT_END_NS SIM_S (60)

/* What the command line changes.  Everything is borrowed for the call. */
typedef struct {
  gboolean has_seed;            /* --seed: wins over the file's seed */
  guint64 seed;
  /* (nullable) (array zero-terminated=1): "KEY=VALUE" items of --set, in
   * command-line order; a later item for the same KEY wins. */
  const char *const *sets;
} ScnOverrides;

/* What the caller needs to run the world it got. */
typedef struct {
  SimTime end_ns;               /* run until=, or SCN_DEFAULT_END_NS */
  guint64 seed;                 /* the seed the world was created with */
  Network *network;             /* (transfer none): owned by the world */
} ScnRun;

/* Reads and loads the scenario at @path; messages name the file as
 * @path is written.  @overrides (nullable): none.  @run_info (nullable):
 * filled on success only.
 *
 * Returns: (transfer full) (nullable): the built world, or NULL with
 * @error set. */
SimWorld *scn_load_file (const char *path, const ScnOverrides *overrides,
                         ScnRun *run_info, GError **error);

/* As scn_load_file() for text in memory: @len_bytes -1 means
 * NUL-terminated; otherwise the text may hold any bytes, NULs included.
 * @display_name is what messages call the file. */
SimWorld *scn_load_text (const char *display_name, const char *text,
                         gssize len_bytes, const ScnOverrides *overrides,
                         ScnRun *run_info, GError **error);

/* One axis of a comparison grid: a name --set accepts, and its values as
 * written, each of which passed that parameter's checks. */
typedef struct {
  char *key;                    /* (owned) "tcp.rcvbuf" */
  GStrv values;                 /* (owned) "16KB", "64KB", "256KB" */
  char *where;                  /* (owned) "FILE:LINE:COL" of the axis */
} ScnGridAxis;

typedef struct {
  GPtrArray *axes;              /* (element-type ScnGridAxis) file order */
} ScnGrid;

/* Reads, checks and loads (without building) the scenario at @path, and
 * returns its comparison grid: the `compare` statements' axes, in file
 * order, each key once.  A scenario without `compare` gives an empty
 * grid.  Errors are those of scn_load_file().
 *
 * Returns: (transfer full) (nullable): the grid, or NULL with @error. */
ScnGrid *scn_load_grid (const char *path, GError **error);
/* As scn_load_grid() for text in memory (see scn_load_text()). */
ScnGrid *scn_load_grid_text (const char *display_name, const char *text,
                             gssize len_bytes, GError **error);
void scn_grid_free (ScnGrid *grid);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScnGrid, scn_grid_free)
/* The number of variants: the product of the axes' lengths (1 for an
 * empty grid), or G_MAXUINT64 when it would overflow. */
guint64 scn_grid_n_variants (const ScnGrid *grid);
/* Returns: (transfer full): the --set items of variant @index (0 to
 * n_variants - 1; the last axis varies fastest), NULL-terminated, ready
 * for ScnOverrides.sets. */
GStrv scn_grid_variant_sets (const ScnGrid *grid, guint64 index);

/* Returns: (transfer full): every name --set accepts for the scenario at
 * @path, in file order ("seed", "run.until", "tcp.mss", "link.l1.rate",
 * ...), or NULL with @error set when the file cannot be read.  Syntax
 * errors are ignored: the names of what could be parsed are listed. */
GStrv scn_list_parameters (const char *path, GError **error);

G_END_DECLS
