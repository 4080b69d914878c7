/* seqdiag_collect.h: fills a SeqDiag from a live run's trace bus.
 *
 * The diagram shows the first connection of the run: the one whose SYN
 * (without ACK) enters a link first.  Its sender is the client.
 */
#pragma once

#include "sim/trace.h"
#include "models/network.h"
#include "plots/seqdiag.h"

G_BEGIN_DECLS

typedef struct SeqDiagCollector SeqDiagCollector;

/* Returns: (transfer full): a collector reading @net's records.  Subscribe
 * seqdiag_collector_record() with it as data. */
SeqDiagCollector *seqdiag_collector_new (Network *net);
void seqdiag_collector_free (SeqDiagCollector *collector);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SeqDiagCollector, seqdiag_collector_free)

/* A SimTraceFn; @data is the collector. */
void seqdiag_collector_record (const SimTraceRecord *rec, void *data);

/* Returns: (transfer none): the model built so far. */
const SeqDiag *seqdiag_collector_model (const SeqDiagCollector *collector);

G_END_DECLS
