/* vec.h - typed growable arrays.
 *
 * VEC_DECLARE(name, T) declares `typedef struct { T *v; size_t n, cap; } name`
 * with static inline helpers name_push (returns 0, or -1 when out of memory),
 * name_reserve, name_free.  The array owns v. */
#ifndef NERTAG_VEC_H
#define NERTAG_VEC_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int vec_grow(void **v, size_t *cap, size_t need, size_t elem);
/* Runs of up to this many elements, of up to SMALL_ELEM bytes, are sorted
 * by insertion: the mentions of one document, in most; longer arrays are
 * such runs merged. */
#define SMALL_SORT 64
#define SMALL_ELEM 64

/* Sorts the n elements of b by insertion, finding each one's place by
 * halves among those before it; stable. */
static inline void vec_sort_run(unsigned char *b, size_t n, size_t elem,
                                int (*cmp)(const void *, const void *))
{
    unsigned char held[SMALL_ELEM];
    for (size_t i = 1; i < n; i++) {
        if (cmp(b + (i - 1) * elem, b + i * elem) <= 0)
            continue;   /* in place already */
        size_t lo = 0, hi = i - 1;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cmp(b + mid * elem, b + i * elem) > 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        memcpy(held, b + i * elem, elem);
        memmove(b + (lo + 1) * elem, b + lo * elem, (i - lo) * elem);
        memcpy(b + lo * elem, held, elem);
    }
}

/* Merges the sorted runs of `run` elements of from[0..n) in pairs into
 * to; stable. */
static inline void vec_merge_runs(const unsigned char *from, unsigned char *to,
                                  size_t n, size_t run, size_t elem,
                                  int (*cmp)(const void *, const void *))
{
    for (size_t lo = 0; lo < n; lo += 2 * run) {
        size_t mid = lo + run < n ? lo + run : n;
        size_t hi = lo + 2 * run < n ? lo + 2 * run : n;
        size_t i = lo, j = mid, k = lo;
        while (i < mid && j < hi) {
            if (cmp(from + j * elem, from + i * elem) < 0)
                memcpy(to + k++ * elem, from + j++ * elem, elem);
            else
                memcpy(to + k++ * elem, from + i++ * elem, elem);
        }
        memcpy(to + k * elem, from + i * elem, (mid - i) * elem);
        memcpy(to + (k + mid - i) * elem, from + j * elem, (hi - j) * elem);
    }
}

/* Sorts the n elements of elem bytes at v by cmp, as qsort does, and
 * stable (but elements over SMALL_ELEM bytes, or when no memory is left
 * to merge: qsort sorts those in place); v may be NULL when n is 0.
 * Inline: where cmp is a known function, its comparisons are inlined too,
 * and the moves are of a known size (qsort calls cmp through a pointer,
 * and the mentions of a long document number thousands). */
static inline void vec_sort(void *v, size_t n, size_t elem,
                            int (*cmp)(const void *, const void *))
{
    if (n < 2)
        return;
    unsigned char *b = v, *tmp = NULL;
    if (elem > SMALL_ELEM || (n > SMALL_SORT && !(tmp = malloc(n * elem)))) {
        qsort(v, n, elem, cmp);   /* no room to merge: in place */
        return;
    }
    for (size_t lo = 0; lo < n; lo += SMALL_SORT)
        vec_sort_run(b + lo * elem, n - lo < SMALL_SORT ? n - lo : SMALL_SORT,
                     elem, cmp);
    if (n <= SMALL_SORT)
        return;
    unsigned char *from = b, *to = tmp;
    for (size_t run = SMALL_SORT; run < n; run *= 2) {
        vec_merge_runs(from, to, n, run, elem, cmp);
        unsigned char *swap = from;
        from = to;
        to = swap;
    }
    if (from != b)
        memcpy(b, from, n * elem);
    free(tmp);
}

#define VEC_DECLARE(name, T)                                              \
    typedef struct name { T *v; size_t n, cap; } name;                    \
    static inline int name##_reserve(name *a, size_t need)                \
    {                                                                     \
        return need <= a->cap ? 0                                         \
            : vec_grow((void **)&a->v, &a->cap, need, sizeof(T));         \
    }                                                                     \
    static inline int name##_push(name *a, T x)                           \
    {                                                                     \
        if (a->n == a->cap && name##_reserve(a, a->n + 1) != 0)           \
            return -1;                                                    \
        a->v[a->n++] = x;                                                 \
        return 0;                                                         \
    }                                                                     \
    static inline void name##_free(name *a)                               \
    {                                                                     \
        free(a->v);                                                       \
        a->v = NULL;                                                      \
        a->n = a->cap = 0;                                                \
    }

#endif
