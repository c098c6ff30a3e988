/*
 * cldr-names: print the CLDR display names that ICU ships, as TAB-separated
 * lines on standard output, for scripts/import-geo.py.
 *
 *   territory <TAB> lang <TAB> code <TAB> kind <TAB> name
 *       every entry of the "Countries" tables (ISO 3166-1 alpha-2 codes and
 *       UN M49 region codes such as 001, 150, 419); kind is "name", "short"
 *       or "variant" (CLDR alt="short" / alt="variant")
 *   display <TAB> lang <TAB> code <TAB> name
 *       uloc_getDisplayCountry() for every ISO 3166-1 code ICU knows
 *   zone <TAB> code <TAB> tzid
 *       canonical location time zones of each territory
 *   city <TAB> lang <TAB> tzid <TAB> name
 *       exemplar city of a time zone where the locale gives one
 *
 * Build: cc -o cldr-names cldr-names.c $(pkg-config --cflags --libs icu-uc icu-i18n)
 * Languages: the arguments (default: en fr).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uloc.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>
#include <unicode/ucal.h>
#include <unicode/uenum.h>
#include <unicode/udata.h>

static void die(const char *what, UErrorCode st)
{
    fprintf(stderr, "cldr-names: %s: %s\n", what, u_errorName(st));
    exit(1);
}

static const char *utf8(const UChar *s, int32_t len)
{
    static char buf[4096];
    UErrorCode st = U_ZERO_ERROR;
    u_strToUTF8(buf, sizeof buf, NULL, s, len, &st);
    if (U_FAILURE(st))
        die("u_strToUTF8", st);
    return buf;
}

static void print_table(const char *lang, UResourceBundle *rb, const char *table)
{
    UErrorCode st = U_ZERO_ERROR;
    const char *kind = "name";
    UResourceBundle *t = ures_getByKey(rb, table, NULL, &st);
    if (U_FAILURE(st))
        return;
    if (strchr(table, '%'))
        kind = strchr(table, '%') + 1;
    int32_t n = ures_getSize(t);
    for (int32_t i = 0; i < n; i++) {
        UErrorCode e = U_ZERO_ERROR;
        const char *key = NULL;
        int32_t len = 0;
        const UChar *s = ures_getStringByIndex(t, i, &len, &e);
        UResourceBundle *item = ures_getByIndex(t, i, NULL, &e);
        if (U_FAILURE(e))
            die("ures_getByIndex", e);
        key = ures_getKey(item);
        printf("territory\t%s\t%s\t%s\t%s\n", lang, key, kind, utf8(s, len));
        ures_close(item);
    }
    ures_close(t);
}

static void print_zone_cities(const char *lang)
{
    UErrorCode st = U_ZERO_ERROR;
    UResourceBundle *rb = ures_open(U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "zone", lang, &st);
    if (U_FAILURE(st))
        die("ures_open zone", st);
    UResourceBundle *zs = ures_getByKey(rb, "zoneStrings", NULL, &st);
    if (U_FAILURE(st))
        die("zoneStrings", st);
    int32_t n = ures_getSize(zs);
    for (int32_t i = 0; i < n; i++) {
        UErrorCode e = U_ZERO_ERROR;
        UResourceBundle *z = ures_getByIndex(zs, i, NULL, &e);
        if (U_FAILURE(e) || ures_getType(z) != URES_TABLE) {
            ures_close(z);
            continue;
        }
        int32_t len = 0;
        const UChar *ec = ures_getStringByKey(z, "ec", &len, &e);
        if (U_SUCCESS(e)) {
            char tz[256];
            snprintf(tz, sizeof tz, "%s", ures_getKey(z));
            for (char *p = tz; *p; p++)
                if (*p == ':')
                    *p = '/';
            printf("city\t%s\t%s\t%s\n", lang, tz, utf8(ec, len));
        }
        ures_close(z);
    }
    ures_close(zs);
    ures_close(rb);
}

int main(int argc, char **argv)
{
    const char *deflangs[] = {"en", "fr"};
    const char **langs = deflangs;
    int nlangs = 2;
    if (argc > 1) {
        langs = (const char **)(argv + 1);
        nlangs = argc - 1;
    }
    const char *const *codes = uloc_getISOCountries();
    for (int l = 0; l < nlangs; l++) {
        UErrorCode st = U_ZERO_ERROR;
        UResourceBundle *rb = ures_open(U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "region", langs[l], &st);
        if (U_FAILURE(st))
            die("ures_open region", st);
        print_table(langs[l], rb, "Countries");
        print_table(langs[l], rb, "Countries%short");
        print_table(langs[l], rb, "Countries%variant");
        ures_close(rb);
        for (const char *const *c = codes; *c; c++) {
            char loc[16];
            UChar name[512];
            UErrorCode e = U_ZERO_ERROR;
            snprintf(loc, sizeof loc, "und_%s", *c);
            int32_t len = uloc_getDisplayCountry(loc, langs[l], name, 512, &e);
            if (U_FAILURE(e))
                die("uloc_getDisplayCountry", e);
            printf("display\t%s\t%s\t%s\n", langs[l], *c, utf8(name, len));
        }
        print_zone_cities(langs[l]);
    }
    for (const char *const *c = codes; *c; c++) {
        UErrorCode e = U_ZERO_ERROR;
        UEnumeration *en = ucal_openTimeZoneIDEnumeration(UCAL_ZONE_TYPE_CANONICAL_LOCATION, *c, NULL, &e);
        if (U_FAILURE(e))
            die("ucal_openTimeZoneIDEnumeration", e);
        const char *id;
        while ((id = uenum_next(en, NULL, &e)) != NULL && U_SUCCESS(e))
            printf("zone\t%s\t%s\n", *c, id);
        uenum_close(en);
    }
    return 0;
}
