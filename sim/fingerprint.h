/* fingerprint.h: a tracer that hashes every trace record, for determinism
 * checks: two runs of the same scenario and seed must give the same
 * fingerprint (OMNeT++'s fingerprint option serves the same purpose). */
#pragma once

#include "sim/trace.h"

G_BEGIN_DECLS

typedef struct SimFingerprint SimFingerprint;

/* Returns: (transfer full): a fingerprint subscribed to @bus.  It must be
 * freed after the bus's last emit. */
SimFingerprint *sim_fingerprint_new (SimTraceBus *bus);
void sim_fingerprint_free (SimFingerprint *fp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimFingerprint, sim_fingerprint_free)

/* Returns: the number of records hashed so far. */
guint64 sim_fingerprint_count (const SimFingerprint *fp);
/* Returns: (transfer full): the SHA-256 of the records so far, in hex. */
char *sim_fingerprint_hex (const SimFingerprint *fp);

G_END_DECLS
