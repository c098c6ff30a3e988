/* strtab.h - string interning: each distinct byte string gets a small id.
 *
 * Strings are copied into one pool; ids are dense (0, 1, 2, …) in order of
 * first insertion, so other tables can be indexed by them.  Lookups never
 * allocate, so a table filled at load time can be read by many threads. */
#ifndef NERTAG_STRTAB_H
#define NERTAG_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#define STRTAB_NONE UINT32_MAX

typedef struct strtab {
    char *pool;          /* the strings, each followed by a NUL */
    size_t pool_len, pool_cap;
    uint32_t *offsets;   /* id -> offset in pool */
    uint32_t *lengths;   /* id -> length */
    size_t count, cap;
    uint32_t *slots;     /* open addressing: id + 1, or 0 when empty */
    size_t nslots;       /* a power of two */
} strtab;

/* Returns the id of s[0..n), adding it when new; STRTAB_NONE when out of
 * memory. */
uint32_t strtab_intern(strtab *t, const char *s, size_t n);
/* Returns the id of s[0..n) or STRTAB_NONE when absent. */
uint32_t strtab_find(const strtab *t, const char *s, size_t n);
/* The NUL-terminated string of an id. */
const char *strtab_get(const strtab *t, uint32_t id);
uint32_t strtab_len(const strtab *t, uint32_t id);
size_t strtab_memory(const strtab *t);
void strtab_free(strtab *t);

/* FNV-1a, also used for other hash tables. */
uint64_t hash_bytes(const void *p, size_t n);

#endif
