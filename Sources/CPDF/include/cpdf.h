#ifndef CPDF_H
#define CPDF_H

#include <stddef.h>
#include <stdint.h>

/* A PDF read through poppler's GLib interface, behind plain C types: the pages' sizes,
   their text with a box per character, how much of a page its images cover, and a page
   rendered to pixels. One document per thread. */

typedef struct cpdf_document cpdf_document;

enum cpdf_status {
    CPDF_OK = 0,
    /* Not a PDF, or one poppler cannot parse (truncated, malformed). */
    CPDF_DAMAGED = 1,
    /* Encrypted, and the empty password does not open it. */
    CPDF_ENCRYPTED = 2,
    /* The file cannot be opened at all. */
    CPDF_UNREADABLE = 3
};

/* Opens `path`; on failure returns NULL with `status` set and poppler's message in
   `message` (cut to `message_size`). */
cpdf_document *cpdf_open(const char *path, int *status, char *message, size_t message_size);
void cpdf_close(cpdf_document *document);

int cpdf_page_count(const cpdf_document *document);

/* The page's size in points (1/72 inch); 0 when the page cannot be loaded. */
int cpdf_page_size(const cpdf_document *document, int index, double *width, double *height);

/* The share of the page's area (0…1) covered by its images, counting overlaps once per
   image and capped at 1. */
double cpdf_image_coverage(const cpdf_document *document, int index);

/* The page's text (UTF-8) and one box per character of it (x1, y1, x2, y2 in points,
   from the top left), `count` boxes. Returns 0 when the page has no text. Free both with
   cpdf_free. */
int cpdf_page_text(const cpdf_document *document, int index, char **text, double **boxes, int *count);

/* Renders the page at `dpi` onto white: `width` × `height` pixels, row after row, each
   a 32-bit word 0xRRGGBB00 (Leptonica's order). Returns 0 when the page cannot be
   rendered. Free with cpdf_free. */
int cpdf_render_rgb(const cpdf_document *document, int index, double dpi, uint32_t **pixels, int *width, int *height);

void cpdf_free(void *pointer);

#endif
