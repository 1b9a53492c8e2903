#ifndef CUTROOM_CFREETYPE_SHIM_H
#define CUTROOM_CFREETYPE_SHIM_H

#include <ft2build.h>
#include FT_FREETYPE_H

// FT_HAS_KERNING is a macro over the face's flags; Swift imports no function-like macros.
static inline int cutroom_ft_has_kerning(FT_Face face) {
    return FT_HAS_KERNING(face) ? 1 : 0;
}

#endif
