#include "cpdf.h"

#include <cairo.h>
#include <glib.h>
#include <poppler.h>
#include <stdlib.h>
#include <string.h>

struct cpdf_document {
    PopplerDocument *document;
};

cpdf_document *cpdf_open(const char *path, int *status, char *message, size_t message_size) {
    GError *error = NULL;
    gchar *absolute = g_canonicalize_filename(path, NULL);
    gchar *uri = g_filename_to_uri(absolute, NULL, &error);
    g_free(absolute);
    if (uri == NULL) {
        *status = CPDF_UNREADABLE;
        if (message_size > 0) g_strlcpy(message, error ? error->message : "no path", message_size);
        g_clear_error(&error);
        return NULL;
    }
    PopplerDocument *document = poppler_document_new_from_file(uri, NULL, &error);
    g_free(uri);
    if (document == NULL) {
        if (error && error->domain == POPPLER_ERROR && error->code == POPPLER_ERROR_ENCRYPTED) {
            *status = CPDF_ENCRYPTED;
        } else if (error && error->domain == G_FILE_ERROR) {
            *status = CPDF_UNREADABLE;
        } else {
            *status = CPDF_DAMAGED;
        }
        if (message_size > 0) g_strlcpy(message, error ? error->message : "unknown error", message_size);
        g_clear_error(&error);
        return NULL;
    }
    cpdf_document *handle = malloc(sizeof *handle);
    handle->document = document;
    *status = CPDF_OK;
    return handle;
}

void cpdf_close(cpdf_document *document) {
    if (document == NULL) return;
    g_object_unref(document->document);
    free(document);
}

int cpdf_page_count(const cpdf_document *document) {
    return poppler_document_get_n_pages(document->document);
}

int cpdf_page_size(const cpdf_document *document, int index, double *width, double *height) {
    PopplerPage *page = poppler_document_get_page(document->document, index);
    if (page == NULL) return 0;
    poppler_page_get_size(page, width, height);
    g_object_unref(page);
    return 1;
}

double cpdf_image_coverage(const cpdf_document *document, int index) {
    PopplerPage *page = poppler_document_get_page(document->document, index);
    if (page == NULL) return 0;
    double width = 0, height = 0;
    poppler_page_get_size(page, &width, &height);
    double covered = 0;
    GList *images = poppler_page_get_image_mapping(page);
    for (GList *item = images; item != NULL; item = item->next) {
        PopplerImageMapping *mapping = item->data;
        double x1 = MAX(0, MIN(mapping->area.x1, mapping->area.x2)), x2 = MIN(width, MAX(mapping->area.x1, mapping->area.x2));
        double y1 = MAX(0, MIN(mapping->area.y1, mapping->area.y2)), y2 = MIN(height, MAX(mapping->area.y1, mapping->area.y2));
        if (x2 > x1 && y2 > y1) covered += (x2 - x1) * (y2 - y1);
    }
    poppler_page_free_image_mapping(images);
    g_object_unref(page);
    if (width <= 0 || height <= 0) return 0;
    return MIN(1.0, covered / (width * height));
}

int cpdf_page_text(const cpdf_document *document, int index, char **text, double **boxes, int *count) {
    *text = NULL;
    *boxes = NULL;
    *count = 0;
    PopplerPage *page = poppler_document_get_page(document->document, index);
    if (page == NULL) return 0;
    PopplerRectangle *rectangles = NULL;
    guint n = 0;
    gchar *content = poppler_page_get_text(page);
    int found = content != NULL && content[0] != 0 && poppler_page_get_text_layout(page, &rectangles, &n) && n > 0;
    if (found) {
        *text = strdup(content);
        *boxes = malloc(sizeof(double) * 4 * n);
        for (guint i = 0; i < n; i++) {
            (*boxes)[4 * i] = rectangles[i].x1;
            (*boxes)[4 * i + 1] = rectangles[i].y1;
            (*boxes)[4 * i + 2] = rectangles[i].x2;
            (*boxes)[4 * i + 3] = rectangles[i].y2;
        }
        *count = (int)n;
    }
    g_free(rectangles);
    g_free(content);
    g_object_unref(page);
    return found;
}

int cpdf_render_rgb(const cpdf_document *document, int index, double dpi, uint32_t **pixels, int *width, int *height) {
    *pixels = NULL;
    PopplerPage *page = poppler_document_get_page(document->document, index);
    if (page == NULL) return 0;
    double points_wide = 0, points_high = 0;
    poppler_page_get_size(page, &points_wide, &points_high);
    double scale = dpi / 72.0;
    int w = (int)(points_wide * scale + 0.5), h = (int)(points_high * scale + 0.5);
    if (w <= 0 || h <= 0) {
        g_object_unref(page);
        return 0;
    }
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        g_object_unref(page);
        return 0;
    }
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render_for_printing(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    const unsigned char *data = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    uint32_t *words = malloc(sizeof(uint32_t) * (size_t)w * (size_t)h);
    if (words == NULL) {
        cairo_surface_destroy(surface);
        g_object_unref(page);
        return 0;
    }
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(data + (size_t)y * (size_t)stride);
        /* cairo: 0x00RRGGBB; Leptonica: 0xRRGGBB00. */
        for (int x = 0; x < w; x++) words[(size_t)y * (size_t)w + (size_t)x] = row[x] << 8;
    }
    cairo_surface_destroy(surface);
    g_object_unref(page);
    *pixels = words;
    *width = w;
    *height = h;
    return 1;
}

void cpdf_free(void *pointer) { free(pointer); }
