/* heap.c: the 4-ary intrusive min-heap behind the scheduler.
 *
 * Children of slot i are 4i+1 .. 4i+4.  sift_up() and sift_down() move a
 * hole rather than swapping, writing each displaced node once.
 */
#include "sim/heap.h"

#define FANOUT 4u

void
sim_heap_init (SimHeap *heap)
{
  heap->nodes = NULL;
  heap->len = 0;
  heap->cap = 0;
}

void
sim_heap_clear (SimHeap *heap)
{
  for (guint i = 0; i < heap->len; i++)
    heap->nodes[i]->slot = 0;
  g_clear_pointer (&heap->nodes, g_free);
  heap->len = 0;
  heap->cap = 0;
}

static inline void
place (SimHeap *heap, guint i, SimHeapNode *node)
{
  heap->nodes[i] = node;
  node->slot = i + 1;
}

static void
sift_up (SimHeap *heap, guint i, SimHeapNode *node)
{
  while (i > 0)
    {
      guint parent = (i - 1) / FANOUT;
      SimHeapNode *p = heap->nodes[parent];

      if (!sim_heap_node_before (node, p))
        break;
      place (heap, i, p);
      i = parent;
    }
  place (heap, i, node);
}

static void
sift_down (SimHeap *heap, guint i, SimHeapNode *node)
{
  guint len = heap->len;

  for (;;)
    {
      guint first = i * FANOUT + 1;
      guint last;
      guint best;

      if (first >= len)
        break;
      last = MIN (first + FANOUT, len);
      best = first;
      for (guint c = first + 1; c < last; c++)
        if (sim_heap_node_before (heap->nodes[c], heap->nodes[best]))
          best = c;
      if (!sim_heap_node_before (heap->nodes[best], node))
        break;
      place (heap, i, heap->nodes[best]);
      i = best;
    }
  place (heap, i, node);
}

void
sim_heap_push (SimHeap *heap, SimHeapNode *node)
{
  g_assert (node->slot == 0);
  if (heap->len == heap->cap)
    {
      heap->cap = heap->cap ? heap->cap * 2 : 64;
      heap->nodes = g_renew (SimHeapNode *, heap->nodes, heap->cap);
    }
  heap->len++;
  sift_up (heap, heap->len - 1, node);
}

SimHeapNode *
sim_heap_pop (SimHeap *heap)
{
  SimHeapNode *top;
  SimHeapNode *last;

  if (heap->len == 0)
    return NULL;
  top = heap->nodes[0];
  top->slot = 0;
  heap->len--;
  if (heap->len > 0)
    {
      last = heap->nodes[heap->len];
      sift_down (heap, 0, last);
    }
  return top;
}

void
sim_heap_remove (SimHeap *heap, SimHeapNode *node)
{
  guint i;
  SimHeapNode *last;

  g_assert (node->slot != 0 && node->slot <= heap->len);
  g_assert (heap->nodes[node->slot - 1] == node);
  i = node->slot - 1;
  node->slot = 0;
  heap->len--;
  if (i == heap->len)
    return;
  last = heap->nodes[heap->len];
  if (i > 0 && sim_heap_node_before (last, heap->nodes[(i - 1) / FANOUT]))
    sift_up (heap, i, last);
  else
    sift_down (heap, i, last);
}

void
sim_heap_update (SimHeap *heap, SimHeapNode *node)
{
  guint i;

  g_assert (node->slot != 0);
  i = node->slot - 1;
  if (i > 0 && sim_heap_node_before (node, heap->nodes[(i - 1) / FANOUT]))
    sift_up (heap, i, node);
  else
    sift_down (heap, i, node);
}
