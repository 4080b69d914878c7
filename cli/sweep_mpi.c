/* sweep_mpi.c: a sweep over the ranks of an MPI job (-Dmpi=enabled).
 *
 * sweep_mpi_init() -> (each rank runs its share) -> sweep_mpi_gather():
 * ranks other than 0 send one message per run, in run order (pack_run());
 * rank 0 receives them rank by rank, in the same order (MPI keeps the
 * order of messages between two ranks), and writes the files
 * (unpack_run()) -> sweep_mpi_finalize().
 *
 * A message is: "TSR1", the run index, the number of files, then per
 * file its name length, name, byte count and bytes; integers little
 * endian, 32 bits but the byte count (64).  A rank that cannot read one
 * of its files still sends the message, with fewer files, so that rank 0
 * never waits for a message that will not come; the run then shows as
 * missing or failed in the report.
 */
#include "cli/sweep_mpi.h"

#include <errno.h>
#include <string.h>

#include <mpi.h>

#define MESSAGE_TAG 7
#define MESSAGE_MAGIC "TSR1"

/* The files rank 0 needs to report and plot, and that make up a run's
 * directory without --traces. */
static const char *const shipped_files[] = {
  "variant.json", "summary.json", "seq.dat", "cwnd.dat",
};

static gboolean
mpi_failed (int code, const char *what, GError **error)
{
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;

  if (code == MPI_SUCCESS)
    return FALSE;
  MPI_Error_string (code, text, &len);
  g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_MISSING, "MPI: %s: %.*s",
               what, len, text);
  return TRUE;
}

gboolean
sweep_mpi_init (int *rank_out, int *size_out, GError **error)
{
  int provided = 0;

  if (mpi_failed (MPI_Init_thread (NULL, NULL, MPI_THREAD_FUNNELED,
                                   &provided), "MPI_Init_thread", error))
    return FALSE;
  /* Errors come back as codes, to be reported as GErrors. */
  MPI_Comm_set_errhandler (MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  if (provided < MPI_THREAD_FUNNELED)
    {
      g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_USAGE,
                   "MPI: this MPI library cannot be used from a program "
                   "with threads (MPI_THREAD_FUNNELED)");
      MPI_Finalize ();
      return FALSE;
    }
  MPI_Comm_rank (MPI_COMM_WORLD, rank_out);
  MPI_Comm_size (MPI_COMM_WORLD, size_out);
  return TRUE;
}

void
sweep_mpi_finalize (void)
{
  MPI_Finalize ();
}

void
sweep_mpi_abort (int status)
{
  MPI_Abort (MPI_COMM_WORLD, status);
}

static void
put_u32 (GByteArray *b, guint32 v)
{
  guint32 le = GUINT32_TO_LE (v);

  g_byte_array_append (b, (const guint8 *) &le, sizeof le);
}

static void
put_u64 (GByteArray *b, guint64 v)
{
  guint64 le = GUINT64_TO_LE (v);

  g_byte_array_append (b, (const guint8 *) &le, sizeof le);
}

static GByteArray *
pack_run (const char *outdir, const SweepRun *run)
{
  GByteArray *b = g_byte_array_new ();
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autoptr (GPtrArray) contents = g_ptr_array_new_with_free_func (
    (GDestroyNotify) g_bytes_unref);

  for (gsize i = 0; i < G_N_ELEMENTS (shipped_files); i++)
    {
      g_autofree char *path = g_build_filename (outdir, run->name,
                                                shipped_files[i], NULL);
      char *text = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &text, &len, NULL))
        continue;
      g_ptr_array_add (names, (gpointer) shipped_files[i]);
      g_ptr_array_add (contents, g_bytes_new_take (text, len));
    }
  g_byte_array_append (b, (const guint8 *) MESSAGE_MAGIC, 4);
  put_u32 (b, run->index);
  put_u32 (b, names->len);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      gsize len = 0;
      gconstpointer data = g_bytes_get_data (contents->pdata[i], &len);

      put_u32 (b, (guint32) strlen (name));
      g_byte_array_append (b, (const guint8 *) name, (guint) strlen (name));
      put_u64 (b, len);
      g_byte_array_append (b, data, (guint) len);
    }
  return b;
}

typedef struct {
  const guint8 *p;
  gsize left;
} Reader;

static gboolean
take (Reader *r, void *out, gsize n)
{
  if (r->left < n)
    return FALSE;
  memcpy (out, r->p, n);
  r->p += n;
  r->left -= n;
  return TRUE;
}

static gboolean
unpack_run (const char *outdir, const SweepRun *run, const guint8 *msg,
            gsize len, GError **error)
{
  Reader r = { msg, len };
  char magic[4];
  guint32 index, n_files;
  g_autofree char *dir = g_build_filename (outdir, run->name, NULL);

  if (!take (&r, magic, 4) || memcmp (magic, MESSAGE_MAGIC, 4) != 0
      || !take (&r, &index, 4) || !take (&r, &n_files, 4)
      || GUINT32_FROM_LE (index) != run->index)
    goto bad;
  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "cannot create directory %s: %s", dir,
                   g_strerror (saved_errno));
      return FALSE;
    }
  for (guint32 i = 0; i < GUINT32_FROM_LE (n_files); i++)
    {
      guint32 name_len;
      guint64 size;
      char name[64];
      g_autofree char *path = NULL;
      gboolean known = FALSE;

      if (!take (&r, &name_len, 4))
        goto bad;
      name_len = GUINT32_FROM_LE (name_len);
      if (name_len >= sizeof name || !take (&r, name, name_len))
        goto bad;
      name[name_len] = '\0';
      if (!take (&r, &size, 8))
        goto bad;
      size = GUINT64_FROM_LE (size);
      /* Only the files we ship, so that no message writes elsewhere. */
      for (gsize k = 0; k < G_N_ELEMENTS (shipped_files); k++)
        known = known || strcmp (name, shipped_files[k]) == 0;
      if (!known || size > r.left)
        goto bad;
      path = g_build_filename (dir, name, NULL);
      if (!g_file_set_contents (path, (const char *) r.p, (gssize) size,
                                error))
        return FALSE;
      r.p += size;
      r.left -= size;
    }
  return TRUE;

bad:
  g_set_error (error, SWEEP_ERROR, SWEEP_ERROR_FORMAT,
               "MPI: malformed results for run %s", run->name);
  return FALSE;
}

gboolean
sweep_mpi_gather (const SweepGrid *grid, const char *outdir, int rank,
                  int size, GError **error)
{
  g_return_val_if_fail (grid != NULL && outdir != NULL, FALSE);
  g_return_val_if_fail (size >= 1 && rank >= 0 && rank < size, FALSE);

  if (rank != 0)
    {
      for (guint i = 0; i < grid->runs->len; i++)
        {
          g_autoptr (GByteArray) msg = NULL;

          if (i % (guint) size != (guint) rank)
            continue;
          msg = pack_run (outdir, grid->runs->pdata[i]);
          if (msg->len > G_MAXINT)
            {
              /* Too big for one message: send none of its files, and let
               * the report say the run is missing. */
              g_byte_array_set_size (msg, 8);
              put_u32 (msg, 0);
            }
          if (mpi_failed (MPI_Send (msg->data, (int) msg->len, MPI_BYTE, 0,
                                    MESSAGE_TAG, MPI_COMM_WORLD),
                          "MPI_Send", error))
            return FALSE;
        }
      return TRUE;
    }

  for (int from = 1; from < size; from++)
    for (guint i = (guint) from; i < grid->runs->len; i += (guint) size)
      {
        g_autofree guint8 *buf = NULL;
        MPI_Status status;
        int count = 0;

        if (mpi_failed (MPI_Probe (from, MESSAGE_TAG, MPI_COMM_WORLD,
                                   &status), "MPI_Probe", error)
            || mpi_failed (MPI_Get_count (&status, MPI_BYTE, &count),
                           "MPI_Get_count", error))
          return FALSE;
        buf = g_malloc (MAX (count, 1));
        if (mpi_failed (MPI_Recv (buf, count, MPI_BYTE, from, MESSAGE_TAG,
                                  MPI_COMM_WORLD, MPI_STATUS_IGNORE),
                        "MPI_Recv", error))
          return FALSE;
        if (!unpack_run (outdir, grid->runs->pdata[i], buf, (gsize) count,
                         error))
          return FALSE;
      }
  return TRUE;
}
