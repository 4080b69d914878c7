/* heap.h: an intrusive 4-ary min-heap ordered by (at_ns, seq).
 *
 * The node lives inside its owner (a timer, a link direction), so pushing
 * and removing allocate nothing once the array has grown.  Each node knows
 * its slot, which makes removal and key changes O(log n).  A node's key is
 * read when it is pushed or updated; change it only through
 * sim_heap_update().
 *
 * Hand-written rather than GLib's GSequence/GQueue: the scheduler spends
 * most of its time here, and an array of pointers with a fan-out of four
 * touches far fewer cache lines per operation than a balanced tree.
 */
#pragma once

#include "sim/clock.h"

G_BEGIN_DECLS

typedef struct {
  SimTime at_ns;
  guint64 seq;                  /* tie-break: scheduling order */
  guint slot;                   /* index + 1 in the heap; 0 when outside */
} SimHeapNode;

typedef struct SimHeapEntry SimHeapEntry;

typedef struct {
  SimHeapEntry *entries;        /* private: key copies + node pointers */
  guint len;
  guint cap;
} SimHeap;

void sim_heap_init (SimHeap *heap);
void sim_heap_clear (SimHeap *heap);

static inline gboolean
sim_heap_node_before (const SimHeapNode *a, const SimHeapNode *b)
{
  return a->at_ns < b->at_ns || (a->at_ns == b->at_ns && a->seq < b->seq);
}

static inline gboolean
sim_heap_node_linked (const SimHeapNode *node)
{
  return node->slot != 0;
}

/* Returns: (transfer none) (nullable): the smallest node, still linked. */
SimHeapNode *sim_heap_peek (const SimHeap *heap);
/* Returns: (transfer none): the node in array slot @i (< len), for tests
 * that check the heap property. */
SimHeapNode *sim_heap_nth (const SimHeap *heap, guint i);
/* The key of the smallest node, or SIM_TIME_NEVER when empty. */
SimTime sim_heap_peek_at_ns (const SimHeap *heap);

static inline guint
sim_heap_len (const SimHeap *heap)
{
  return heap->len;
}

/* @node must not be in a heap. */
void sim_heap_push (SimHeap *heap, SimHeapNode *node);
/* Returns: (transfer none) (nullable): the smallest node, now unlinked. */
SimHeapNode *sim_heap_pop (SimHeap *heap);
/* @node must be in @heap. */
void sim_heap_remove (SimHeap *heap, SimHeapNode *node);
/* Restores order after @node's key changed in either direction. */
void sim_heap_update (SimHeap *heap, SimHeapNode *node);

G_END_DECLS
