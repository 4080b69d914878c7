/* heap.c: the 4-ary intrusive min-heap behind the scheduler.
 *
 * Children of slot i are 4i+1 .. 4i+4.  Each array entry carries a copy of
 * its node's (at_ns, seq) key, so comparisons read only the array and never
 * follow a pointer into the timer that owns the node: that is most of the
 * scheduler's cache traffic.  sift_up() and sift_down() move a hole rather
 * than swapping, writing each displaced entry once.
 */
#include "sim/heap.h"

#define FANOUT 4u

struct SimHeapEntry {
  SimTime at_ns;
  guint64 seq;
  SimHeapNode *node;
};

void
sim_heap_init (SimHeap *heap)
{
  heap->entries = NULL;
  heap->len = 0;
  heap->cap = 0;
}

void
sim_heap_clear (SimHeap *heap)
{
  for (guint i = 0; i < heap->len; i++)
    heap->entries[i].node->slot = 0;
  g_clear_pointer (&heap->entries, g_free);
  heap->len = 0;
  heap->cap = 0;
}

static inline gboolean
entry_before (const SimHeapEntry *a, const SimHeapEntry *b)
{
  return a->at_ns < b->at_ns || (a->at_ns == b->at_ns && a->seq < b->seq);
}

static inline void
place (SimHeap *heap, guint i, const SimHeapEntry *e)
{
  heap->entries[i] = *e;
  e->node->slot = i + 1;
}

static void
sift_up (SimHeap *heap, guint i, const SimHeapEntry *e)
{
  while (i > 0)
    {
      guint parent = (i - 1) / FANOUT;

      if (!entry_before (e, &heap->entries[parent]))
        break;
      place (heap, i, &heap->entries[parent]);
      i = parent;
    }
  place (heap, i, e);
}

static void
sift_down (SimHeap *heap, guint i, const SimHeapEntry *e)
{
  guint len = heap->len;

  for (;;)
    {
      guint first = i * FANOUT + 1;
      guint best;
      const SimHeapEntry *c;

      if (first >= len)
        break;
      c = heap->entries;
      best = first;
      if (first + FANOUT <= len)
        {
          /* All four children: a tournament of two pairs, which the
           * compiler turns into conditional moves. */
          guint a = entry_before (&c[first + 1], &c[first]) ? first + 1 : first;
          guint b = entry_before (&c[first + 3], &c[first + 2])
                    ? first + 3 : first + 2;

          best = entry_before (&c[b], &c[a]) ? b : a;
        }
      else
        for (guint k = first + 1; k < len; k++)
          if (entry_before (&c[k], &c[best]))
            best = k;
      if (!entry_before (&c[best], e))
        break;
      place (heap, i, &c[best]);
      i = best;
    }
  place (heap, i, e);
}

static SimHeapEntry
entry_of (SimHeapNode *node)
{
  SimHeapEntry e = { node->at_ns, node->seq, node };

  return e;
}

void
sim_heap_push (SimHeap *heap, SimHeapNode *node)
{
  SimHeapEntry e = entry_of (node);

  g_assert (node->slot == 0);
  if (heap->len == heap->cap)
    {
      heap->cap = heap->cap ? heap->cap * 2 : 64;
      heap->entries = g_renew (SimHeapEntry, heap->entries, heap->cap);
    }
  heap->len++;
  sift_up (heap, heap->len - 1, &e);
}

SimHeapNode *
sim_heap_pop (SimHeap *heap)
{
  SimHeapNode *top;

  if (heap->len == 0)
    return NULL;
  top = heap->entries[0].node;
  top->slot = 0;
  heap->len--;
  if (heap->len > 0)
    {
      SimHeapEntry last = heap->entries[heap->len];

      sift_down (heap, 0, &last);
    }
  return top;
}

void
sim_heap_remove (SimHeap *heap, SimHeapNode *node)
{
  guint i;
  SimHeapEntry last;

  g_assert (node->slot != 0 && node->slot <= heap->len);
  g_assert (heap->entries[node->slot - 1].node == node);
  i = node->slot - 1;
  node->slot = 0;
  heap->len--;
  if (i == heap->len)
    return;
  last = heap->entries[heap->len];
  if (i > 0 && entry_before (&last, &heap->entries[(i - 1) / FANOUT]))
    sift_up (heap, i, &last);
  else
    sift_down (heap, i, &last);
}

void
sim_heap_update (SimHeap *heap, SimHeapNode *node)
{
  guint i;
  SimHeapEntry e = entry_of (node);

  g_assert (node->slot != 0);
  i = node->slot - 1;
  if (i > 0 && entry_before (&e, &heap->entries[(i - 1) / FANOUT]))
    sift_up (heap, i, &e);
  else
    sift_down (heap, i, &e);
}

SimHeapNode *
sim_heap_peek (const SimHeap *heap)
{
  return heap->len ? heap->entries[0].node : NULL;
}

SimTime
sim_heap_peek_at_ns (const SimHeap *heap)
{
  return heap->len ? heap->entries[0].at_ns : SIM_TIME_NEVER;
}

SimHeapNode *
sim_heap_nth (const SimHeap *heap, guint i)
{
  g_return_val_if_fail (i < heap->len, NULL);
  return heap->entries[i].node;
}
