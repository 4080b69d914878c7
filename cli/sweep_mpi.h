/* sweep_mpi.h: spreading a sweep over the processes of an MPI job.
 *
 * Built only with -Dmpi=enabled (TCPSIM_HAVE_MPI).  Every rank parses the
 * same command line and so builds the same grid; rank R runs the runs
 * whose index is R modulo the number of ranks, on its own thread pool;
 * then every other rank sends rank 0 the files of its runs (variant.json,
 * summary.json, seq.dat, cwnd.dat; traces stay where they were written),
 * and rank 0 writes them into OUTDIR and reports, exactly as a single
 * process would have.  Only the calling thread ever calls MPI.
 *
 * Call order: sweep_mpi_init() -> sweep_run() with the rank's selection
 * -> sweep_mpi_gather() -> (rank 0) sweep_report_write() ->
 * sweep_mpi_finalize().
 */
#pragma once

#include "cli/sweep.h"

G_BEGIN_DECLS

/* Initialises MPI (MPI_THREAD_FUNNELED) and returns this process's rank
 * and the number of ranks. */
gboolean sweep_mpi_init (int *rank_out, int *size_out, GError **error);
void sweep_mpi_finalize (void);
/* Ends every rank of the job, for a rank that cannot go on while others
 * wait for it. */
void sweep_mpi_abort (int status);

/* Sends the files of this rank's runs to rank 0, or (on rank 0) receives
 * every other rank's and writes them under @outdir.  Every rank must
 * call it, after its sweep_run(). */
gboolean sweep_mpi_gather (const SweepGrid *grid, const char *outdir,
                           int rank, int size, GError **error);

G_END_DECLS
