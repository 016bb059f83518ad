// A plain C interface to PP-OCR detection and recognition on OpenCV's DNN module.
// Every function catches what OpenCV throws and reports it through `error`; no C++
// exception crosses this boundary. Handles are not thread-safe: one per worker.
#ifndef CLAIMEYE_PPOCR_H
#define CLAIMEYE_PPOCR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A detected text region: four corners clockwise from the top left, in page pixels,
/// and the detector's mean probability inside it.
typedef struct {
    float x[4];
    float y[4];
    float score;
} ppocr_quad;

typedef struct ppocr_detector ppocr_detector;
typedef struct ppocr_recognizer ppocr_recognizer;

/// The version of the OpenCV library in use ("4.6.0").
const char *ppocr_opencv_version(void);

/// Sets the number of threads OpenCV's DNN module uses in this process (0: OpenCV's
/// choice). Only the first call counts: the count is the process's.
void ppocr_set_threads(int threads);

/// Loads a detection network with a fixed square input of `side` pixels. Returns NULL and
/// fills `error` when it cannot.
ppocr_detector *ppocr_detector_create(const char *model_path, int side, char *error, size_t error_size);
void ppocr_detector_free(ppocr_detector *detector);

/// Finds text regions on an 8-bit grey page (`stride` bytes per row), scaled by `scale`
/// (0 or less: shrunk to fit the network's square). A page larger than the square once
/// scaled is read in overlapping tiles whose probability maps are joined. Writes at most
/// `capacity` regions, top to bottom, and returns how many there are (which may exceed
/// `capacity`), or -1 with `error` filled.
int ppocr_detect(ppocr_detector *detector, const uint8_t *grey, int width, int height, int stride, double scale,
                 ppocr_quad *regions, int capacity, char *error, size_t error_size);

/// Loads one recognition network per input width (height 48), widths ascending.
ppocr_recognizer *ppocr_recognizer_create(const char *const *model_paths, const int *widths, int count,
                                          char *error, size_t error_size);
void ppocr_recognizer_free(ppocr_recognizer *recognizer);

/// The largest difference between the output of the network at `model_path` with
/// OpenCV's own depthwise convolution and with claimeye's (see depthwise.cpp), on a fixed
/// pseudo-random 1×3×height×width input; -1 and a message on error. For tests; call
/// `ppocr_set_threads` first, as before any network runs.
double ppocr_depthwise_difference(const char *model_path, int width, int height, char *error, size_t error_size);

/// Reads the text in `region` of an 8-bit grey page (a line wider than the widest network
/// in pieces cut at gaps between glyphs). Writes per character (at most
/// `capacity`): its class (1-based index into the dictionary; 0, the CTC blank, never
/// appears), its probability, and where it starts and ends along the region's width
/// (0…1). Returns the number of characters, 0 for a region too small to read, or -1
/// with `error` filled.
int ppocr_recognize(ppocr_recognizer *recognizer, const uint8_t *grey, int width, int height, int stride,
                    const ppocr_quad *region, int32_t *classes, float *probabilities, float *starts,
                    float *ends, int capacity, char *error, size_t error_size);

typedef struct ppocr_classifier ppocr_classifier;

/// As `ppocr_recognize`, but a line wider than the widest network is squeezed into it,
/// as the original model's reference reading does: the recogniser's parity check.
int ppocr_recognize_whole(ppocr_recognizer *recognizer, const uint8_t *grey, int width, int height, int stride,
                          const ppocr_quad *region, int32_t *classes, float *probabilities, float *starts,
                          float *ends, int capacity, char *error, size_t error_size);

/// Loads the 180° line classifier (input 48 × 192).
ppocr_classifier *ppocr_classifier_create(const char *model_path, char *error, size_t error_size);
void ppocr_classifier_free(ppocr_classifier *classifier);

/// The probability that the text in `region`, read from its first corner, is upside
/// down (0…1), or -1 with `error` filled. A region too small to read gives 0.5.
float ppocr_upside_down(ppocr_classifier *classifier, const uint8_t *grey, int width, int height, int stride,
                        const ppocr_quad *region, char *error, size_t error_size);

/// Finds a photographed document: the largest four-cornered bright region that covers
/// between a quarter and 95% of the page and is clearly lighter than what surrounds it.
/// Returns 1 and fills `document` (corners clockwise from the top left) when there is
/// one, 0 when there is none (a scan), -1 with `error` filled.
int ppocr_find_document(const uint8_t *grey, int width, int height, int stride, ppocr_quad *document,
                        char *error, size_t error_size);

/// Warps `document` flat into `output` (`output_width` × `output_height`, 8-bit grey,
/// `output_stride` bytes per row). Returns 0, or -1 with `error` filled.
int ppocr_warp(const uint8_t *grey, int width, int height, int stride, const ppocr_quad *document,
               uint8_t *output, int output_width, int output_height, int output_stride, char *error,
               size_t error_size);

#ifdef __cplusplus
}
#endif

#endif
