#ifndef MEDVAULT_CVIPS_SHIM_H
#define MEDVAULT_CVIPS_SHIM_H

#include <vips/vips.h>

/* libvips' calls take NULL-terminated option lists (C varargs) and VIPS_INIT is a macro; Swift can call neither,
 * so these inline wrappers fix the options medvault uses and expose plain signatures. */

/* Starts libvips for the process (VIPS_INIT) and switches its operation cache off: every preview reads a different
 * document once, so a cache would reuse nothing, only hold memory and references to input buffers already freed. */
static inline int medvault_vips_start(void) {
    if (VIPS_INIT("medvault")) return -1;
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    return 0;
}

/* Reads only the header of the image in `buffer`: the loader libvips would pick (a static string, or NULL when none
 * recognises the bytes) and the size in pixels of the first image or page. Returns 0 on success. */
static inline int medvault_vips_probe(const void *buffer, size_t length, const char **loader, int *width, int *height) {
    *loader = vips_foreign_find_load_buffer(buffer, length);
    if (*loader == NULL) { vips_error_clear(); return -1; }
    VipsImage *image = vips_image_new_from_buffer(buffer, length, "", NULL);
    if (image == NULL) { vips_error_clear(); return -1; }
    *width = vips_image_get_width(image);
    *height = vips_image_get_height(image);
    g_object_unref(image);
    return 0;
}

/* Shrinks the first image or page in `buffer` to fit a `box`-pixel square (never enlarging it unless `render_to_box`,
 * for a PDF page, which is drawn at the box's size rather than scaled from 72 dpi), turned upright from
 * its orientation tag, flattened on white when it has alpha, and saves it as a baseline JPEG of `quality` with every
 * metadata block stripped. On success (0) `*output` holds `*output_length` bytes to free with g_free. */
static inline int medvault_vips_thumbnail_jpeg(
    const void *buffer, size_t length, int box, int render_to_box, int quality,
    void **output, size_t *output_length, int *width, int *height
) {
    VipsImage *thumbnail = NULL;
    if (vips_thumbnail_buffer((void *)buffer, length, &thumbnail, box, "height", box, "size", render_to_box ? VIPS_SIZE_BOTH : VIPS_SIZE_DOWN, NULL)) {
        vips_error_clear();
        return -1;
    }
    VipsImage *opaque = thumbnail;
    if (vips_image_hasalpha(thumbnail)) {
        VipsArrayDouble *white = vips_array_double_newv(1, 255.0);
        int failed = vips_flatten(thumbnail, &opaque, "background", white, NULL);
        vips_area_unref(VIPS_AREA(white));
        g_object_unref(thumbnail);
        if (failed) { vips_error_clear(); return -1; }
    }
    VipsImage *srgb = NULL;
    int failed = vips_colourspace(opaque, &srgb, vips_image_get_bands(opaque) < 3 ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB, NULL);
    g_object_unref(opaque);
    if (failed) { vips_error_clear(); return -1; }
    *width = vips_image_get_width(srgb);
    *height = vips_image_get_height(srgb);
    failed = vips_jpegsave_buffer(srgb, output, output_length, "Q", quality, "strip", TRUE, "optimize_coding", TRUE, NULL);
    g_object_unref(srgb);
    if (failed) { vips_error_clear(); return -1; }
    return 0;
}

/* Frees what medvault_vips_thumbnail_jpeg returned. */
static inline void medvault_vips_free(void *pointer) { g_free(pointer); }

#endif
