#ifndef CUTROOM_CFONTCONFIG_SHIM_H
#define CUTROOM_CFONTCONFIG_SHIM_H

#include <fontconfig/fontconfig.h>
#include <fontconfig/fcfreetype.h>

// FcPatternAddString and friends take FcChar8 (unsigned char) strings; Swift passes char strings.
static inline FcBool cutroom_fc_add_string(FcPattern *p, const char *object, const char *value) {
    return FcPatternAddString(p, object, (const FcChar8 *)value);
}

// FcPatternGetString hands back an FcChar8 pointer owned by the pattern; expose it as char.
static inline const char *cutroom_fc_get_string(FcPattern *p, const char *object, int n) {
    FcChar8 *value = NULL;
    return FcPatternGetString(p, object, n, &value) == FcResultMatch ? (const char *)value : NULL;
}

// FcFreeTypeQuery takes an FcChar8 path; FcBlanks is deprecated and ignored, hence NULL.
static inline FcPattern *cutroom_fc_query_file(const char *path, int *count) {
    return FcFreeTypeQuery((const FcChar8 *)path, 0, NULL, count);
}

#endif
