/* strtab.c - string interning with open addressing. */
#include "util/strtab.h"

#include <stdlib.h>
#include <string.h>

/* The tag of a string of hash h and length n: what its slot keeps of
 * both. */
static uint32_t tag_of(uint64_t h, size_t n)
{
    uint32_t len = n < 255 ? (uint32_t)n : 255;
    return ((uint32_t)(h >> 32) & ~0xFFu) | len;
}

/* The first min(n, 8) bytes of s, zero-padded; wide: the 8 bytes at s
 * may be read. */
static inline uint64_t head_of(const char *p, size_t n, int wide)
{
    const unsigned char *s = (const unsigned char *)p;
    uint64_t w;
    if (n < 8)
        return wide ? strtab_tail_word_wide(s, n) : strtab_tail_word(s, n);
    memcpy(&w, s, 8);
    return w;
}

/* Are a[0..n) and b[0..n) the same bytes?  Eight at a time, inline: a
 * call to memcmp cost more than the comparison on this path. */
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

/* The look-up of s[0..n), of hash h: inline in each way to call it, wide
 * a constant. */
static inline uint32_t find(const strtab *t, const char *s, size_t n,
                            int wide, uint64_t h)
{
    if (!t->nslots)
        return STRTAB_NONE;
    uint64_t head = head_of(s, n, wide);
    uint32_t tag = tag_of(h, n);
    size_t mask = t->nslots - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        const strtab_slot *sl = &t->slots[i];
        if (!sl->id1)
            return STRTAB_NONE;
        if (sl->tag != tag || sl->head != head)
            continue;
        uint32_t id = sl->id1 - 1;
        if (n <= 8)
            return id;      /* the length and every byte matched */
        const strtab_entry *e = &t->entries[id];
        if (e->length == n && same_bytes(t->pool + e->offset + 8, s + 8,
                                         n - 8))
            return id;
    }
}

uint32_t strtab_find(const strtab *t, const char *s, size_t n)
{
    return find(t, s, n, 0, hash_bytes_of(s, n, 0));
}

uint32_t strtab_find_in_text(const strtab *t, const char *s, size_t n)
{
    return find(t, s, n, 1, hash_bytes_of(s, n, 1));
}

uint32_t strtab_find_hashed_in_text(const strtab *t, const char *s, size_t n,
                                    uint64_t h)
{
    return find(t, s, n, 1, h);
}

/* Puts id, the id of s[0..n), in the first free slot of its probe. */
static void place(strtab_slot *slots, size_t nslots, const char *s,
                  size_t n, uint32_t id)
{
    uint64_t h = hash_bytes(s, n);
    size_t i = (size_t)h & (nslots - 1);
    while (slots[i].id1)
        i = (i + 1) & (nslots - 1);
    slots[i] = (strtab_slot){ head_of(s, n, 0), tag_of(h, n), id + 1 };
}

static int rehash(strtab *t, size_t nslots)
{
    strtab_slot *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t id = 0; id < t->count; id++) {
        const strtab_entry *e = &t->entries[id];
        place(slots, nslots, t->pool + e->offset, e->length, (uint32_t)id);
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
    place(t->slots, t->nslots, s, n, id);
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
           t->nslots * sizeof(strtab_slot);
}

/* Past this many slots (16 bytes each), a table is freed, not emptied:
 * one large document must not hold its memory for every later one. */
#define CLEAR_KEEPS_SLOTS ((size_t)1 << 16)

/* Empties the slot of each string of t: fewer writes than clearing every
 * slot when most are empty (a large table, a small document). */
static void clear_used_slots(strtab *t)
{
    size_t mask = t->nslots - 1;
    for (size_t id = 0; id < t->count; id++) {
        const strtab_entry *e = &t->entries[id];
        size_t i = (size_t)hash_bytes(t->pool + e->offset, e->length) & mask;
        while (t->slots[i].id1 != id + 1)
            i = (i + 1) & mask;
        t->slots[i].id1 = 0;
    }
}

void strtab_clear(strtab *t)
{
    if (t->nslots > CLEAR_KEEPS_SLOTS) {
        strtab_free(t);
        return;
    }
    if (t->count * 8 < t->nslots)
        clear_used_slots(t);
    else if (t->slots)
        memset(t->slots, 0, t->nslots * sizeof *t->slots);
    t->count = 0;
    t->pool_len = 0;
}

void strtab_free(strtab *t)
{
    free(t->pool);
    free(t->entries);
    free(t->slots);
    memset(t, 0, sizeof *t);
}
