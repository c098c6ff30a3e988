/* vec.c - growth policy shared by every typed array of vec.h. */
#include "util/vec.h"

#include <string.h>

int vec_grow(void **v, size_t *cap, size_t need, size_t elem)
{
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return -1;
        n *= 2;
    }
    if (n > SIZE_MAX / elem)
        return -1;
    void *p = realloc(*v, n * elem);
    if (!p)
        return -1;
    *v = p;
    *cap = n;
    return 0;
}

/* Arrays up to this long, of elements up to SMALL_ELEM bytes, are sorted
 * by insertion: the mentions of one document, in most. */
#define SMALL_SORT 64
#define SMALL_ELEM 64

void vec_sort(void *v, size_t n, size_t elem,
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
        size_t j = i;   /* where element i goes: after every one not above */
        while (j > 0 && cmp(b + (j - 1) * elem, b + i * elem) > 0)
            j--;
        if (j == i)
            continue;
        memcpy(held, b + i * elem, elem);
        memmove(b + (j + 1) * elem, b + j * elem, (i - j) * elem);
        memcpy(b + j * elem, held, elem);
    }
}
