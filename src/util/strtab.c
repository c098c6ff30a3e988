/* strtab.c - string interning with open addressing. */
#include "util/strtab.h"

#include <stdlib.h>
#include <string.h>

#define HASH_TAG 0xFFFFFFFF00000000ULL   /* the hash bits a slot keeps */

/* A slot holding id, for a string of hash h. */
static uint64_t slot_of(uint64_t h, uint32_t id)
{
    return (h & HASH_TAG) | ((uint64_t)id + 1);
}

/* Are a[0..n) and b[0..n) the same bytes?  Eight at a time, inline: the
 * strings looked up (words, 8-byte keys) are short, and a call to memcmp
 * cost more than the comparison on this path, taken for every token. */
static int same_bytes(const char *a, const char *b, size_t n)
{
    for (; n >= 8; a += 8, b += 8, n -= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return 0;
    }
    for (; n; a++, b++, n--)
        if (*a != *b)
            return 0;
    return 1;
}

uint32_t strtab_find(const strtab *t, const char *s, size_t n)
{
    if (!t->nslots)
        return STRTAB_NONE;
    uint64_t h = hash_bytes(s, n);
    size_t mask = t->nslots - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        uint64_t slot = t->slots[i];
        if (!slot)
            return STRTAB_NONE;
        if ((slot & HASH_TAG) != (h & HASH_TAG))
            continue;
        uint32_t id = (uint32_t)slot - 1;
        const strtab_entry *e = &t->entries[id];
        if (e->length == n && same_bytes(t->pool + e->offset, s, n))
            return id;
    }
}

/* Puts id, of hash h, in the first free slot of its probe. */
static void place(uint64_t *slots, size_t nslots, uint64_t h, uint32_t id)
{
    size_t i = (size_t)h & (nslots - 1);
    while (slots[i])
        i = (i + 1) & (nslots - 1);
    slots[i] = slot_of(h, id);
}

static int rehash(strtab *t, size_t nslots)
{
    uint64_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t id = 0; id < t->count; id++) {
        const strtab_entry *e = &t->entries[id];
        place(slots, nslots, hash_bytes(t->pool + e->offset, e->length),
              (uint32_t)id);
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    return 0;
}

static int grow_arrays(strtab *t, size_t n)
{
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        strtab_entry *e = realloc(t->entries, cap * sizeof *e);
        if (!e)
            return -1;
        t->entries = e;
        t->cap = cap;
    }
    if (t->pool_len + n + 1 > t->pool_cap) {
        size_t cap = t->pool_cap ? t->pool_cap : 1024;
        while (cap < t->pool_len + n + 1)
            cap *= 2;
        char *pool = realloc(t->pool, cap);
        if (!pool)
            return -1;
        t->pool = pool;
        t->pool_cap = cap;
    }
    return 0;
}

uint32_t strtab_intern(strtab *t, const char *s, size_t n)
{
    uint32_t id = strtab_find(t, s, n);
    if (id != STRTAB_NONE)
        return id;
    if (n >= UINT32_MAX / 2 || t->pool_len + n + 1 >= UINT32_MAX ||
        t->count >= UINT32_MAX - 1)
        return STRTAB_NONE;
    /* keep the load factor under one half */
    if ((t->count + 1) * 2 > t->nslots &&
        rehash(t, t->nslots ? t->nslots * 2 : 64) != 0)
        return STRTAB_NONE;
    if (grow_arrays(t, n) != 0)
        return STRTAB_NONE;
    id = (uint32_t)t->count++;
    t->entries[id] = (strtab_entry){ (uint32_t)t->pool_len, (uint32_t)n };
    if (n)
        memcpy(t->pool + t->pool_len, s, n);
    t->pool[t->pool_len + n] = '\0';
    t->pool_len += n + 1;
    place(t->slots, t->nslots, hash_bytes(s, n), id);
    return id;
}

const char *strtab_get(const strtab *t, uint32_t id)
{
    return id < t->count ? t->pool + t->entries[id].offset : NULL;
}

uint32_t strtab_len(const strtab *t, uint32_t id)
{
    return id < t->count ? t->entries[id].length : 0;
}

size_t strtab_memory(const strtab *t)
{
    return t->pool_cap + t->cap * sizeof(strtab_entry) +
           t->nslots * sizeof(uint64_t);
}

void strtab_free(strtab *t)
{
    free(t->pool);
    free(t->entries);
    free(t->slots);
    memset(t, 0, sizeof *t);
}
