/* scn_recorder.h: what a scenario run did, recorded off the trace bus,
 * for the gallery's tests.
 *
 *   ScnRecorder *r = scn_recorder_run (path_of_why_time_wait, NULL);
 *   ... r->segs, r->states, r->conns, scn_recorder_describe (r) ...
 *   scn_recorder_free (r);
 *
 * Every TCP segment that enters a link is a ScnRecSeg, in order, with
 * sequence and acknowledgement numbers relative to each direction's
 * initial sequence number (as packet analysers and the diagrams show
 * them), and marked when the link lost it; every state change is a
 * ScnRecState; the end-of-run connection summaries are kept as they are.
 */
#pragma once

#include "models/link.h"
#include "models/tcp/tcp.h"
#include "scenarios/scn_build.h"

G_BEGIN_DECLS

typedef struct {
  SimTime at_ns;
  char link[64];
  char dir[64];                 /* "client>server" */
  guint8 flags;
  guint32 seq;                  /* relative */
  guint32 ack;                  /* relative; 0 without ACK */
  guint32 abs_seq;              /* as on the wire */
  guint32 abs_ack;
  guint32 len_bytes;
  guint16 win;
  const char *lost;             /* (nullable) the drop reason */
} ScnRecSeg;

typedef struct {
  SimTime at_ns;
  char host[64];
  char conn[64];
  TcpState from;
  TcpState to;
} ScnRecState;

typedef struct {
  SimTime at_ns;
  char app[64];
  char side[16];
  char what[32];
  guint64 bytes;
} ScnRecAppEvent;

typedef struct {
  SimTime at_ns;
  char host[64];
  guint64 cwnd_bytes;
  guint64 ssthresh_bytes;
  guint64 flight_bytes;
  SimTime srtt_ns;
  SimTime rtt_sample_ns;        /* -1: not a new sample */
} ScnRecVars;

typedef struct {
  SimWorld *world;
  Network *net;
  ScnRun run;
  guint64 n_events;
  GArray *segs;                 /* (element-type ScnRecSeg) */
  GArray *states;               /* (element-type ScnRecState) */
  GArray *app_events;           /* (element-type ScnRecAppEvent) */
  GArray *vars;                 /* (element-type ScnRecVars) */
  GArray *conns;                /* (element-type TcpConnStats) copies */
  guint64 queue_drops;          /* packets refused by a queue */
  guint32 max_queue_pkts;       /* the largest queue seen on any link */
} ScnRecorder;

/* Loads the scenario at @path with @sets (nullable) and runs it to its
 * end, recording.  Fails the test on a load error. */
ScnRecorder *scn_recorder_run (const char *path, const char *const *sets);
/* As scn_recorder_run() for a scenario in memory, called @name. */
ScnRecorder *scn_recorder_run_text (const char *name, const char *text,
                                    const char *const *sets);
void scn_recorder_free (ScnRecorder *r);

/* One line per segment: "  3 0.010000000 client>server .  seq=1 ack=1
 * len=0 win=65535", and LOST where the link lost it. */
char *scn_recorder_describe (const ScnRecorder *r);
/* The states @host's connections entered, in order, "A,B,C". */
char *scn_recorder_state_path (const ScnRecorder *r, const char *host);
/* The number of segments on direction @dir ("a>b"; NULL: any) whose
 * flags are exactly @flags. */
guint scn_recorder_count (const ScnRecorder *r, const char *dir,
                          guint8 flags);
/* The summary of the first connection whose name contains @host_part on
 * @host; NULL when none. */
const TcpConnStats *scn_recorder_conn (const ScnRecorder *r,
                                       const char *host);

G_END_DECLS
