/* test_vec.c - the typed arrays' shared helpers: growth and vec_sort.
 *
 * vec_sort orders runs of an array by insertion and merges them, and
 * hands larger elements to qsort: either way the result must be qsort's
 * order under a comparison that leaves no ties, and, with ties, keep
 * equal elements in their order (stable). */
#include "testutil.h"
#include "util/vec.h"

#include <string.h>

#define expect(cond, ...)                 \
    do {                                  \
        if (!(cond))                      \
            ck_abort_msg(__VA_ARGS__);    \
    } while (0)

typedef struct item {
    uint32_t key, index;
} item;

/* By key, then index: a total order over items with distinct indices. */
static int by_key_then_index(const void *x, const void *y)
{
    const item *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* An element too large for the insertion sort's buffer. */
typedef struct wide_item {
    item it;
    char pad[100];
} wide_item;

static int wide_by_key_then_index(const void *x, const void *y)
{
    return by_key_then_index(&((const wide_item *)x)->it,
                             &((const wide_item *)y)->it);
}

static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 16;
}

START_TEST(sorts_as_qsort_at_every_length)
{
    uint32_t state = 7;
    for (size_t n = 0; n <= 100; n++)
        for (int round = 0; round < 20; round++) {
            item a[100], b[100];
            for (size_t i = 0; i < n; i++) {
                /* few keys: many equal keys, told apart by index */
                a[i] = (item){ next_random(&state) % 5, (uint32_t)i };
                b[i] = a[i];
            }
            vec_sort(n ? a : NULL, n, sizeof *a, by_key_then_index);
            qsort(b, n, sizeof *b, by_key_then_index);
            expect(!memcmp(a, b, n * sizeof *a),
                   "length %zu, round %d: not qsort's order", n, round);
        }
}
END_TEST

static int by_key(const void *x, const void *y)
{
    const item *a = x, *b = y;
    return a->key < b->key ? -1 : a->key > b->key;
}

/* Lengths past one run of insertion: one merge, several, a last run cut
 * short, a length of many merges. */
START_TEST(long_arrays_are_merged_in_order_and_stable)
{
    static const size_t lengths[] = { 64, 65, 127, 128, 129, 200, 256, 257,
                                      1000, 4099 };
    uint32_t state = 11;
    for (size_t l = 0; l < sizeof lengths / sizeof *lengths; l++) {
        size_t n = lengths[l];
        item *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
        ck_assert_ptr_nonnull(a);
        ck_assert_ptr_nonnull(b);
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] = (item){ next_random(&state) % 17, (uint32_t)i };
        vec_sort(a, n, sizeof *a, by_key_then_index);
        qsort(b, n, sizeof *b, by_key_then_index);
        expect(!memcmp(a, b, n * sizeof *a), "length %zu: not qsort's order",
               n);
        for (size_t i = 0; i < n; i++)   /* new keys: sorted by them only */
            a[i] = (item){ next_random(&state) % 17, (uint32_t)i };
        vec_sort(a, n, sizeof *a, by_key);
        for (size_t i = 1; i < n; i++)
            expect(a[i - 1].key < a[i].key || (a[i - 1].key == a[i].key &&
                                               a[i - 1].index < a[i].index),
                   "length %zu: at %zu, not in order or not stable", n, i);
        free(a);
        free(b);
    }
}
END_TEST

START_TEST(large_elements_are_sorted_too)
{
    wide_item a[10];
    memset(a, 0, sizeof a);
    for (uint32_t i = 0; i < 10; i++) {
        a[i].it = (item){ 9 - i, i };
        a[i].pad[0] = (char)('a' + i);
    }
    vec_sort(a, 10, sizeof *a, wide_by_key_then_index);
    for (uint32_t i = 0; i < 10; i++) {
        ck_assert_uint_eq(a[i].it.key, i);
        ck_assert_int_eq(a[i].pad[0], 'a' + 9 - (int)i);
    }
}
END_TEST

START_TEST(growth_keeps_the_elements)
{
    item *v = NULL;
    size_t cap = 0;
    for (uint32_t need = 1; need <= 1000; need++) {
        ck_assert_int_eq(vec_grow((void **)&v, &cap, need, sizeof *v), 0);
        ck_assert_uint_ge(cap, need);
        v[need - 1] = (item){ need, need };
    }
    for (uint32_t i = 0; i < 1000; i++)
        ck_assert_uint_eq(v[i].key, i + 1);
    size_t before = cap;
    ck_assert_int_eq(vec_grow((void **)&v, &cap, SIZE_MAX, sizeof *v), -1);
    ck_assert_uint_eq(cap, before);
    free(v);
}
END_TEST

static Suite *vec_suite(void)
{
    Suite *s = suite_create("vec");
    TCase *tc = tcase_create("helpers");
    tcase_add_test(tc, sorts_as_qsort_at_every_length);
    tcase_add_test(tc, long_arrays_are_merged_in_order_and_stable);
    tcase_add_test(tc, large_elements_are_sorted_too);
    tcase_add_test(tc, growth_keeps_the_elements);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run(vec_suite());
}
