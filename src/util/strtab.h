/* strtab.h - string interning: each distinct byte string gets a small id.
 *
 * Strings are copied into one pool; ids are dense (0, 1, 2, …) in order of
 * first insertion, so other tables can be indexed by them.  Lookups never
 * allocate, so a table filled at load time can be read by many threads. */
#ifndef NERTAG_STRTAB_H
#define NERTAG_STRTAB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define STRTAB_NONE UINT32_MAX

/* Where the string of an id lies in the pool: side by side, so that a
 * look-up reads one record, not two arrays. */
typedef struct strtab_entry {
    uint32_t offset, length;
} strtab_entry;

/* A slot of the hash table.  It holds the first 8 bytes of its string,
 * with hash bits and the length beside them: a string of up to 8 bytes
 * (most words, every 8-byte key) is found or ruled out reading this slot
 * alone, without the entry and the pool, one cache miss instead of three;
 * a probe past another string is told apart without reading that string. */
typedef struct strtab_slot {
    uint64_t head;       /* the first min(length, 8) bytes, zero-padded */
    uint32_t tag;        /* high hash bits, the length (255: 255 or more)
                            in the low 8 */
    uint32_t id1;        /* id + 1, 0 when the slot is empty */
} strtab_slot;

typedef struct strtab {
    char *pool;          /* the strings, each followed by a NUL */
    size_t pool_len, pool_cap;
    strtab_entry *entries;   /* by id */
    size_t count, cap;
    strtab_slot *slots;  /* open addressing */
    size_t nslots;       /* a power of two */
} strtab;

/* Returns the id of s[0..n), adding it when new; STRTAB_NONE when out of
 * memory. */
uint32_t strtab_intern(strtab *t, const char *s, size_t n);
/* Returns the id of s[0..n) or STRTAB_NONE when absent. */
uint32_t strtab_find(const strtab *t, const char *s, size_t n);
/* The same for a string followed by at least 8 bytes that may be read (a
 * word inside a longer text): its last bytes are read as one word, with
 * no branch on its length, which varies from token to token. */
uint32_t strtab_find_in_text(const strtab *t, const char *s, size_t n);
/* strtab_find_in_text given h, strtab_hash_in_text(s, n). */
uint32_t strtab_find_hashed_in_text(const strtab *t, const char *s, size_t n,
                                    uint64_t h);
/* The NUL-terminated string of an id. */
const char *strtab_get(const strtab *t, uint32_t id);
uint32_t strtab_len(const strtab *t, uint32_t id);
size_t strtab_memory(const strtab *t);
/* Empties t, keeping its memory for the strings to come when it is small
 * (a table filled again for each document), freeing it when large. */
void strtab_clear(strtab *t);
void strtab_free(strtab *t);

/* The bytes s[0..n), n < 8, in one word, as memcpy into a zeroed word
 * would place them on a little-endian machine; in pieces of fixed size,
 * because a memcpy of variable length is a library call, on a path taken
 * for every token.  The hash's last word, and a string table slot's head. */
static inline uint64_t strtab_tail_word(const unsigned char *s, size_t n)
{
    uint64_t w = 0;
    unsigned shift = 0;
    if (n >= 4) {
        w = (uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 |
            (uint64_t)s[3] << 24;
        shift = 32;
        s += 4;
        n -= 4;
    }
    if (n >= 2) {
        w |= ((uint64_t)s[0] | (uint64_t)s[1] << 8) << shift;
        shift += 16;
        s += 2;
        n -= 2;
    }
    if (n)
        w |= (uint64_t)s[0] << shift;
    return w;
}

/* strtab_tail_word of s[0..n), n < 8, when the 8 bytes at s may be read:
 * one load and a mask.  Only where a word's first byte is its lowest
 * (little-endian), as strtab_tail_word places them. */
static inline uint64_t strtab_tail_word_wide(const unsigned char *s,
                                             size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t w;
    memcpy(&w, s, 8);
    return w & ~(~(uint64_t)0 << (8 * n));
#else
    return strtab_tail_word(s, n);
#endif
}

/* The hash of the tables of strings, and of other hash tables (some of
 * them saved in compiled models: it must not change).  Eight bytes at a
 * time, each word mixed by a multiplication; the final mix spreads every
 * input bit over the low bits that index the tables.  Inline: every token
 * makes look-ups.  wide: the 8 bytes after the last whole word may be read
 * (strtab_tail_word_wide); the hash is the same. */
static inline uint64_t hash_bytes_of(const void *p, size_t n, int wide)
{
    const unsigned char *s = p;
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
        s += 8;
        n -= 8;
    }
    uint64_t w = wide ? strtab_tail_word_wide(s, n) : strtab_tail_word(s, n);
    h = (h ^ w) * 0x94d049bb133111ebULL;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return h;
}

static inline uint64_t hash_bytes(const void *p, size_t n)
{
    return hash_bytes_of(p, n, 0);
}

/* The hash of s[0..n) under the condition of strtab_find_in_text, for
 * strtab_prefetch and strtab_find_hashed_in_text: a text's words can be
 * hashed a few words ahead of their look-ups. */
static inline uint64_t strtab_hash_in_text(const char *s, size_t n)
{
    return hash_bytes_of(s, n, 1);
}

/* Starts loading the slot where a string of hash h lies, or would lie: a
 * table of many words is larger than the caches, and the look-ups of a
 * text's words, one after the other, would each wait for memory. */
static inline void strtab_prefetch(const strtab *t, uint64_t h)
{
    if (t->nslots)
        __builtin_prefetch(&t->slots[h & (t->nslots - 1)]);
}

#endif
