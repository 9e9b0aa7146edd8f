/* A small table of the buffers the kernel holds per allow slot (see allow_cache.h for why a hit is exact). */
#include "allow_cache.h"

#define ALLOW_CACHE_SLOTS 16

struct held {
  uint32_t class_id, driver, allow;
  uintptr_t ptr;
  size_t size;
  bool valid;
};

static struct held held[ALLOW_CACHE_SLOTS];
static unsigned next_victim; /* round robin: a miss costs only the trap it would have cost anyway */

static struct held* find(uint32_t class_id, uint32_t driver, uint32_t allow)
{
  for (unsigned i = 0; i < ALLOW_CACHE_SLOTS; i++)
    if (held[i].valid && held[i].class_id == class_id && held[i].driver == driver && held[i].allow == allow)
      return &held[i];
  return NULL;
}

bool tock_allow_cache_holds(uint32_t class_id, uint32_t driver, uint32_t allow, uintptr_t ptr, size_t size)
{
  const struct held* h = find(class_id, driver, allow);

  return h && h->ptr == ptr && h->size == size;
}

void tock_allow_cache_store(uint32_t class_id, uint32_t driver, uint32_t allow, uintptr_t ptr, size_t size)
{
  struct held* h = find(class_id, driver, allow);

  if (!h) {
    h = &held[next_victim];
    next_victim = (next_victim + 1) % ALLOW_CACHE_SLOTS;
  }
  *h = (struct held){ class_id, driver, allow, ptr, size, true };
}

void tock_allow_cache_forget(uint32_t class_id, uint32_t driver, uint32_t allow)
{
  struct held* h = find(class_id, driver, allow);

  if (h)
    h->valid = false;
}

void tock_allow_cache_clear(void)
{
  for (unsigned i = 0; i < ALLOW_CACHE_SLOTS; i++)
    held[i].valid = false;
}
