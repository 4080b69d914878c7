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

/* Returns: (transfer full): every name --set accepts for the scenario at
 * @path, in file order ("seed", "run.until", "tcp.mss", "link.l1.rate",
 * ...), or NULL with @error set when the file cannot be read.  Syntax
 * errors are ignored: the names of what could be parsed are listed. */
GStrv scn_list_parameters (const char *path, GError **error);

G_END_DECLS
