/* seqdiag_replay.h: fills a SeqDiag from trace.jsonl records, as
 * seqdiag_collect.c fills it from a live run.
 *
 * The diagram is the same one, byte for byte once rendered: the first
 * connection of the run (the one whose SYN without ACK enters a link
 * first), its client on the left.  What the live collector asks the
 * network (which node owns an address) the replay learns from the trace
 * itself, so it keeps the connection's records and builds the model when
 * asked for it.
 *
 * Call order: seqdiag_replay_new() -> seqdiag_replay_record() as a
 * TraceReader sink, for every record -> seqdiag_replay_finish() ->
 * seqdiag_replay_free().
 */
#pragma once

#include "plots/seqdiag.h"
#include "plots/trace_reader.h"

G_BEGIN_DECLS

typedef struct SeqDiagReplay SeqDiagReplay;

/* Returns: (transfer full): a replay that has seen nothing. */
SeqDiagReplay *seqdiag_replay_new (void);
void seqdiag_replay_free (SeqDiagReplay *replay);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SeqDiagReplay, seqdiag_replay_free)

/* A TraceRecordFn; @data is the replay. */
void seqdiag_replay_record (const TraceRecord *rec, void *data);

/* Returns: (transfer none): the model of every record seen, built on the
 * first call; later records are ignored.  Without any connection it has
 * no ends and no events. */
const SeqDiag *seqdiag_replay_finish (SeqDiagReplay *replay);

G_END_DECLS
