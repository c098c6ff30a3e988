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
/* Arrays up to this long, of elements up to SMALL_ELEM bytes, are sorted
 * by insertion: the mentions of one document, in most. */
#define SMALL_SORT 64
#define SMALL_ELEM 64

/* Sorts the n elements of elem bytes at v by cmp, as qsort does; most
 * arrays sorted per document hold a few dozen at most, which an insertion
 * sort orders before qsort has set itself up.  v may be NULL when n is
 * 0.  Inline: where cmp is a known function, its comparisons are inlined
 * too, and the moves are of a known size. */
static inline void vec_sort(void *v, size_t n, size_t elem,
                            int (*cmp)(const void *, const void *))
{
    if (n < 2)
        return;
    if (n > SMALL_SORT || elem > SMALL_ELEM) {
        qsort(v, n, elem, cmp);
        return;
    }
    unsigned char *b = v, held[SMALL_ELEM];
    for (size_t i = 1; i < n; i++) {
        if (cmp(b + (i - 1) * elem, b + i * elem) <= 0)
            continue;   /* in place already */
        /* where element i goes: after every one not above it, found by
         * halves among the i sorted before it */
        size_t lo = 0, hi = i - 1;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cmp(b + mid * elem, b + i * elem) > 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        size_t j = lo;
        memcpy(held, b + i * elem, elem);
        memmove(b + (j + 1) * elem, b + j * elem, (i - j) * elem);
        memcpy(b + j * elem, held, elem);
    }
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
