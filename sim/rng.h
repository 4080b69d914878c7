/* rng.h: seeded, named random streams.
 *
 * Every consumer of randomness (a link's loss model, a host's initial
 * sequence numbers) owns one stream, seeded by a fixed function of the
 * run seed and the stream's name, so adding a consumer shifts no other
 * stream.  The generator is xoshiro256** and the seeding is splitmix64
 * over an FNV-1a hash of the name: both fixed in-tree and pinned by test
 * vectors, so outputs match on every machine and GLib version.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint64 s[4];
} SimRng;

void sim_rng_seed (SimRng *rng, guint64 run_seed, const char *stream_name);

guint64 sim_rng_next_u64 (SimRng *rng);
/* Uniform in [0, 1), with 53 random bits. */
double sim_rng_uniform (SimRng *rng);
/* Uniform in [0, bound) without modulo bias; @bound > 0. */
guint64 sim_rng_below (SimRng *rng, guint64 bound);
/* TRUE with probability @p (clamped to [0, 1]); draws exactly once. */
gboolean sim_rng_bernoulli (SimRng *rng, double p);

/* The 64-bit FNV-1a hash used to turn stream names into seeds. */
guint64 sim_rng_hash_name (const char *name);

G_END_DECLS
