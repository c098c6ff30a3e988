/* strtab.c - string interning with open addressing. */
#include "util/strtab.h"

#include <stdlib.h>
#include <string.h>

static size_t probe_start(const strtab *t, const char *s, size_t n)
{
    return (size_t)hash_bytes(s, n) & (t->nslots - 1);
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
    for (size_t i = probe_start(t, s, n);; i = (i + 1) & (t->nslots - 1)) {
        uint32_t slot = t->slots[i];
        if (!slot)
            return STRTAB_NONE;
        uint32_t id = slot - 1;
        if (t->lengths[id] == n && same_bytes(t->pool + t->offsets[id], s, n))
            return id;
    }
}

static int rehash(strtab *t, size_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t id = 0; id < t->count; id++) {
        const char *s = t->pool + t->offsets[id];
        size_t i = (size_t)hash_bytes(s, t->lengths[id]) & (nslots - 1);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = (uint32_t)id + 1;
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
        uint32_t *off = realloc(t->offsets, cap * sizeof *off);
        if (!off)
            return -1;
        t->offsets = off;
        uint32_t *len = realloc(t->lengths, cap * sizeof *len);
        if (!len)
            return -1;
        t->lengths = len;
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
    t->offsets[id] = (uint32_t)t->pool_len;
    t->lengths[id] = (uint32_t)n;
    if (n)
        memcpy(t->pool + t->pool_len, s, n);
    t->pool[t->pool_len + n] = '\0';
    t->pool_len += n + 1;
    size_t i = probe_start(t, s, n);
    while (t->slots[i])
        i = (i + 1) & (t->nslots - 1);
    t->slots[i] = id + 1;
    return id;
}

const char *strtab_get(const strtab *t, uint32_t id)
{
    return id < t->count ? t->pool + t->offsets[id] : NULL;
}

uint32_t strtab_len(const strtab *t, uint32_t id)
{
    return id < t->count ? t->lengths[id] : 0;
}

size_t strtab_memory(const strtab *t)
{
    return t->pool_cap + t->cap * 2 * sizeof(uint32_t) +
           t->nslots * sizeof(uint32_t);
}

void strtab_free(strtab *t)
{
    free(t->pool);
    free(t->offsets);
    free(t->lengths);
    free(t->slots);
    memset(t, 0, sizeof *t);
}
