// PP-OCR detection (DB) and recognition (SVTR with CTC) on OpenCV's DNN module, as
// PaddleOCR describes its pre- and post-processing. See ppocr.h.
#include "ppocr.h"

#include "depthwise.h"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <vector>

namespace {

// DB post-processing, PaddleOCR's defaults: a pixel is text above 0.3; a region is kept
// when its mean probability is 0.5 or more and its short side 3 px or more; regions
// grow by area × 1.6 / perimeter each way (the network predicts shrunk regions).
constexpr float kBinaryThreshold = 0.3f;
constexpr float kBoxThreshold = 0.5f;
constexpr float kUnclipRatio = 1.6f;
constexpr float kMinSide = 3.0f;
constexpr int kMaxCandidates = 3000;
constexpr int kRecognitionHeight = 48;

void fail(char *error, size_t size, const std::string &message) {
    if (error == nullptr || size == 0) return;
    std::strncpy(error, message.c_str(), size - 1);
    error[size - 1] = '\0';
}

/// Runs `body`, turning any exception into `fallback` and a message.
template <typename Result, typename Body>
Result guarded(char *error, size_t size, Result fallback, Body body) {
    try {
        return body();
    } catch (const cv::Exception &e) {
        fail(error, size, std::string("OpenCV: ") + e.what());
    } catch (const std::exception &e) {
        fail(error, size, e.what());
    } catch (...) {
        fail(error, size, "unknown error");
    }
    return fallback;
}

cv::Mat wrapGrey(const uint8_t *grey, int width, int height, int stride) {
    if (grey == nullptr || width <= 0 || height <= 0 || stride < width) {
        throw std::invalid_argument("empty or malformed page");
    }
    return cv::Mat(height, width, CV_8UC1, const_cast<uint8_t *>(grey), static_cast<size_t>(stride));
}

/// A rotated rectangle's corners clockwise from the top left.
std::vector<cv::Point2f> orderedCorners(const cv::RotatedRect &rect) {
    cv::Point2f points[4];
    rect.points(points);
    std::vector<cv::Point2f> p(points, points + 4);
    std::sort(p.begin(), p.end(), [](const cv::Point2f &a, const cv::Point2f &b) { return a.x < b.x; });
    // Of the two leftmost, the upper is the top left; of the two rightmost, likewise.
    cv::Point2f topLeft = p[0].y <= p[1].y ? p[0] : p[1];
    cv::Point2f bottomLeft = p[0].y <= p[1].y ? p[1] : p[0];
    cv::Point2f topRight = p[2].y <= p[3].y ? p[2] : p[3];
    cv::Point2f bottomRight = p[2].y <= p[3].y ? p[3] : p[2];
    return {topLeft, topRight, bottomRight, bottomLeft};
}

/// Where tiles of `side` start along `length` so that they cover it and neighbours
/// overlap by at least `overlap`.
std::vector<int> tileStarts(int length, int side, int overlap) {
    if (length <= side) return {0};
    const int count = (length - overlap + (side - overlap) - 1) / (side - overlap);
    std::vector<int> starts;
    for (int i = 0; i < count; i++) {
        starts.push_back(static_cast<int>(std::lround(static_cast<double>(i) * (length - side) / (count - 1))));
    }
    return starts;
}

/// The mean probability inside a polygon.
float meanInside(const cv::Mat &probability, const std::vector<cv::Point2f> &corners) {
    cv::Rect bounds = cv::boundingRect(corners) & cv::Rect(0, 0, probability.cols, probability.rows);
    if (bounds.empty()) return 0;
    cv::Mat mask = cv::Mat::zeros(bounds.size(), CV_8UC1);
    std::vector<cv::Point> shifted;
    for (const auto &c : corners) {
        shifted.emplace_back(cvRound(c.x) - bounds.x, cvRound(c.y) - bounds.y);
    }
    cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{shifted}, cv::Scalar(1));
    return static_cast<float>(cv::mean(probability(bounds), mask)[0]);
}

/// Crops a region upright: a perspective warp of its quadrilateral to a rectangle as
/// wide and tall as its longer opposite sides.
cv::Mat cropUpright(const cv::Mat &page, const ppocr_quad &region) {
    std::vector<cv::Point2f> corners;
    for (int i = 0; i < 4; i++) corners.emplace_back(region.x[i], region.y[i]);
    auto distance = [](cv::Point2f a, cv::Point2f b) { return std::hypot(a.x - b.x, a.y - b.y); };
    int width = static_cast<int>(std::max(distance(corners[0], corners[1]), distance(corners[3], corners[2])));
    int height = static_cast<int>(std::max(distance(corners[0], corners[3]), distance(corners[1], corners[2])));
    if (width < 2 || height < 2) return cv::Mat();
    std::vector<cv::Point2f> target = {
        {0, 0}, {static_cast<float>(width), 0}, {static_cast<float>(width), static_cast<float>(height)},
        {0, static_cast<float>(height)}};
    cv::Mat transform = cv::getPerspectiveTransform(corners, target);
    cv::Mat crop;
    cv::warpPerspective(page, crop, transform, cv::Size(width, height), cv::INTER_CUBIC, cv::BORDER_REPLICATE);
    return crop;
}

/// A line crop as the recognition and classification networks take it: height 48, the
/// width its aspect ratio gives (at most `networkWidth`), values scaled to −1…1, the rest
/// of the network's width zero. Returns the blob and the text's width in it.
std::pair<cv::Mat, int> lineBlob(const cv::Mat &crop, int wanted, int networkWidth) {
    const int textWidth = std::clamp(wanted, 1, networkWidth);
    cv::Mat resized;
    cv::resize(crop, resized, cv::Size(textWidth, kRecognitionHeight), 0, 0, cv::INTER_LINEAR);
    int sizes[4] = {1, 3, kRecognitionHeight, networkWidth};
    cv::Mat blob(4, sizes, CV_32F, cv::Scalar(0));
    for (int channel = 0; channel < 3; channel++) {
        cv::Mat plane(kRecognitionHeight, networkWidth, CV_32F, blob.ptr<float>(0, channel));
        cv::Mat area = plane(cv::Rect(0, 0, textWidth, kRecognitionHeight));
        resized.convertTo(area, CV_32F, 2.0 / 255.0, -1.0);
    }
    return {blob, textWidth};
}

int wantedWidth(const cv::Mat &crop) {
    return static_cast<int>(std::ceil(kRecognitionHeight * static_cast<double>(crop.cols) / crop.rows));
}

/// Reads one line crop with the narrowest network that holds it (squeezed into the
/// widest otherwise): greedy CTC, the best class per step; repeats collapse, blanks (0)
/// separate. A character's probability is its first step's, as PaddleOCR reports it;
/// its start and end are fractions of the crop's width. Returns the characters written.
int readLine(ppocr_recognizer &recognizer, const cv::Mat &crop, int32_t *classes, float *probabilities, float *starts,
             float *ends, int capacity);

}  // namespace

struct ppocr_detector {
    cv::dnn::Net net;
    int side;
};

struct ppocr_classifier {
    cv::dnn::Net net;
};

struct ppocr_recognizer {
    std::vector<cv::dnn::Net> nets;
    std::vector<int> widths;
};

namespace {

int readLine(ppocr_recognizer &recognizer, const cv::Mat &crop, int32_t *classes, float *probabilities, float *starts,
             float *ends, int capacity) {
    if (crop.rows < 4 || crop.cols < 4 || capacity <= 0) return 0;
    const int wanted = wantedWidth(crop);
    size_t bucket = 0;
    while (bucket + 1 < recognizer.widths.size() && recognizer.widths[bucket] < wanted) bucket++;
    const int networkWidth = recognizer.widths[bucket];
    auto [blob, textWidth] = lineBlob(crop, wanted, networkWidth);
    cv::dnn::Net &net = recognizer.nets[bucket];
    net.setInput(blob);
    cv::Mat output = net.forward();
    if (output.dims != 3) throw std::runtime_error("recogniser output is not 1×T×C");
    const int steps = output.size[1];
    const int classCount = output.size[2];
    const double textSteps = std::max(1.0, textWidth * static_cast<double>(steps) / networkWidth);
    int count = 0;
    int previous = 0;
    for (int t = 0; t < steps; t++) {
        const float *row = output.ptr<float>(0, t);
        int best = static_cast<int>(std::max_element(row, row + classCount) - row);
        if (best != 0 && best == previous && count > 0 && count <= capacity) {
            ends[count - 1] = static_cast<float>(std::min(1.0, (t + 1) / textSteps));
        } else if (best != 0) {
            if (count < capacity) {
                classes[count] = best;
                probabilities[count] = row[best];
                starts[count] = static_cast<float>(std::min(1.0, t / textSteps));
                ends[count] = static_cast<float>(std::min(1.0, (t + 1) / textSteps));
            }
            count++;
        }
        previous = best;
    }
    return std::min(count, capacity);
}

}  // namespace

extern "C" {

const char *ppocr_opencv_version(void) {
    static const std::string version = cv::getVersionString();
    return version.c_str();
}

void ppocr_set_threads(int threads) {
    // OpenCV's thread count is the process's; changing it while another worker's network
    // runs is not safe, so the first call decides it.
    static std::once_flag once;
    std::call_once(once, [threads] {
        try {
            cv::setNumThreads(threads > 0 ? threads : -1);
        } catch (...) {
        }
    });
}

ppocr_detector *ppocr_detector_create(const char *model_path, int side, char *error, size_t error_size) {
    return guarded<ppocr_detector *>(error, error_size, nullptr, [&]() -> ppocr_detector * {
        if (side < 32 || side % 32 != 0) throw std::invalid_argument("detector side must be a multiple of 32");
        ppocr::useDepthwiseConvolution();
        auto detector = new ppocr_detector{cv::dnn::readNetFromONNX(model_path), side};
        if (detector->net.empty()) {
            delete detector;
            throw std::runtime_error(std::string(model_path) + ": not a network");
        }
        detector->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        return detector;
    });
}

void ppocr_detector_free(ppocr_detector *detector) { delete detector; }

int ppocr_detect(ppocr_detector *detector, const uint8_t *grey, int width, int height, int stride, double scale,
                 ppocr_quad *regions, int capacity, char *error, size_t error_size) {
    return guarded<int>(error, error_size, -1, [&]() -> int {
        cv::Mat page = wrapGrey(grey, width, height, stride);
        const int side = detector->side;
        if (scale <= 0) scale = std::min(1.0, std::min(static_cast<double>(side) / width, static_cast<double>(side) / height));
        if (!(scale <= 4.0)) throw std::invalid_argument("detection scale above 4");
        int scaledWidth = std::max(1, static_cast<int>(std::lround(width * scale)));
        int scaledHeight = std::max(1, static_cast<int>(std::lround(height * scale)));
        cv::Mat scaled;
        cv::resize(page, scaled, cv::Size(scaledWidth, scaledHeight), 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
        // ImageNet normalisation; the grey page stands for all three channels.
        const float mean[3] = {0.485f, 0.456f, 0.406f};
        const float deviation[3] = {0.229f, 0.224f, 0.225f};
        cv::Mat probability(scaledHeight, scaledWidth, CV_32F, cv::Scalar(0));
        // Tiles overlap by an eighth of their side, more than a line of text is tall, so
        // every line lies whole in some tile; where tiles overlap the higher value counts.
        const int overlap = side / 8;
        for (int top : tileStarts(scaledHeight, side, overlap)) {
            for (int left : tileStarts(scaledWidth, side, overlap)) {
                cv::Rect tile(left, top, std::min(side, scaledWidth - left), std::min(side, scaledHeight - top));
                int sizes[4] = {1, 3, side, side};
                cv::Mat blob(4, sizes, CV_32F, cv::Scalar(0));
                cv::Mat unit;
                scaled(tile).convertTo(unit, CV_32F, 1.0 / 255.0);
                for (int channel = 0; channel < 3; channel++) {
                    cv::Mat plane(side, side, CV_32F, blob.ptr<float>(0, channel));
                    cv::Mat area = plane(cv::Rect(0, 0, tile.width, tile.height));
                    unit.convertTo(area, CV_32F, 1.0 / deviation[channel], -mean[channel] / deviation[channel]);
                }
                detector->net.setInput(blob);
                cv::Mat output = detector->net.forward();
                if (output.dims != 4 || output.size[2] != side || output.size[3] != side) {
                    throw std::runtime_error("detector output is not 1×1×side×side");
                }
                cv::Mat map(side, side, CV_32F, output.ptr<float>());
                cv::Mat target = probability(tile);
                cv::max(target, map(cv::Rect(0, 0, tile.width, tile.height)), target);
            }
        }
        cv::Mat bitmap = probability > kBinaryThreshold;
        std::vector<std::vector<cv::Point>> contours;
        cv::findContours(bitmap, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
        std::vector<ppocr_quad> found;
        const size_t candidates = std::min(contours.size(), static_cast<size_t>(kMaxCandidates));
        for (size_t i = 0; i < candidates; i++) {
            cv::RotatedRect rect = cv::minAreaRect(contours[i]);
            if (std::min(rect.size.width, rect.size.height) < kMinSide) continue;
            float score = meanInside(probability, orderedCorners(rect));
            if (score < kBoxThreshold) continue;
            float area = rect.size.width * rect.size.height;
            float perimeter = 2 * (rect.size.width + rect.size.height);
            float grow = area * kUnclipRatio / perimeter;
            cv::RotatedRect grown(rect.center, cv::Size2f(rect.size.width + 2 * grow, rect.size.height + 2 * grow), rect.angle);
            if (std::min(grown.size.width, grown.size.height) < kMinSide + 2) continue;
            ppocr_quad quad{};
            auto corners = orderedCorners(grown);
            for (int k = 0; k < 4; k++) {
                quad.x[k] = std::clamp(static_cast<float>(corners[k].x / scale), 0.0f, static_cast<float>(width));
                quad.y[k] = std::clamp(static_cast<float>(corners[k].y / scale), 0.0f, static_cast<float>(height));
            }
            quad.score = score;
            found.push_back(quad);
        }
        std::sort(found.begin(), found.end(), [](const ppocr_quad &a, const ppocr_quad &b) {
            return a.y[0] != b.y[0] ? a.y[0] < b.y[0] : a.x[0] < b.x[0];
        });
        for (size_t i = 0; i < found.size() && static_cast<int>(i) < capacity; i++) regions[i] = found[i];
        return static_cast<int>(found.size());
    });
}

ppocr_recognizer *ppocr_recognizer_create(const char *const *model_paths, const int *widths, int count,
                                          char *error, size_t error_size) {
    return guarded<ppocr_recognizer *>(error, error_size, nullptr, [&]() -> ppocr_recognizer * {
        if (count <= 0) throw std::invalid_argument("no recognition network");
        ppocr::useDepthwiseConvolution();
        auto recognizer = new ppocr_recognizer();
        for (int i = 0; i < count; i++) {
            cv::dnn::Net net;
            try {
                net = cv::dnn::readNetFromONNX(model_paths[i]);
            } catch (...) {
                delete recognizer;
                throw;
            }
            if (net.empty() || (i > 0 && widths[i] <= widths[i - 1])) {
                delete recognizer;
                throw std::runtime_error(std::string(model_paths[i]) + ": not a network, or widths not ascending");
            }
            net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
            recognizer->nets.push_back(net);
            recognizer->widths.push_back(widths[i]);
        }
        return recognizer;
    });
}

void ppocr_recognizer_free(ppocr_recognizer *recognizer) { delete recognizer; }

double ppocr_depthwise_difference(const char *model_path, int width, int height, char *error, size_t error_size) {
    return guarded<double>(error, error_size, -1.0, [&]() -> double {
        if (width < 1 || height < 1) throw std::invalid_argument("input size below 1");
        return ppocr::depthwiseDifference(model_path, width, height);
    });
}

int ppocr_recognize(ppocr_recognizer *recognizer, const uint8_t *grey, int width, int height, int stride,
                    const ppocr_quad *region, int32_t *classes, float *probabilities, float *starts,
                    float *ends, int capacity, char *error, size_t error_size) {
    return guarded<int>(error, error_size, -1, [&]() -> int {
        cv::Mat page = wrapGrey(grey, width, height, stride);
        cv::Mat crop = cropUpright(page, *region);
        if (crop.empty() || crop.rows < 4 || crop.cols < 4) return 0;
        // A line wider than the widest network is read in pieces, cut at the brightest
        // column (a gap between glyphs) near each even division, rather than squeezed:
        // squeezed, its glyphs lose the width the network needs (`…(AP` for `…(APTT)`).
        const int widest = recognizer->widths.back();
        const int pieces = std::min(64, (wantedWidth(crop) + widest - 1) / widest);
        std::vector<int> cuts = {0};
        if (pieces > 1) {
            cv::Mat columns;
            cv::reduce(crop, columns, 0, cv::REDUCE_SUM, CV_32S);
            for (int k = 1; k < pieces; k++) {
                const int nominal = crop.cols * k / pieces;
                const int reach = crop.cols / pieces / 10;
                int best = nominal;
                for (int x = std::max(cuts.back() + 1, nominal - reach); x <= std::min(crop.cols - 2, nominal + reach); x++) {
                    if (columns.at<int>(0, x) > columns.at<int>(0, best)) best = x;
                }
                cuts.push_back(best);
            }
        }
        cuts.push_back(crop.cols);
        int count = 0;
        for (size_t k = 0; k + 1 < cuts.size() && count < capacity; k++) {
            cv::Mat piece = crop(cv::Rect(cuts[k], 0, cuts[k + 1] - cuts[k], crop.rows));
            const int read = readLine(*recognizer, piece, classes + count, probabilities + count, starts + count,
                                      ends + count, capacity - count);
            // Positions along the piece become positions along the whole crop.
            const float offset = static_cast<float>(cuts[k]) / crop.cols;
            const float share = static_cast<float>(piece.cols) / crop.cols;
            for (int i = count; i < count + read; i++) {
                starts[i] = offset + starts[i] * share;
                ends[i] = offset + ends[i] * share;
            }
            count += read;
        }
        return count;
    });
}

int ppocr_recognize_whole(ppocr_recognizer *recognizer, const uint8_t *grey, int width, int height, int stride,
                          const ppocr_quad *region, int32_t *classes, float *probabilities, float *starts,
                          float *ends, int capacity, char *error, size_t error_size) {
    return guarded<int>(error, error_size, -1, [&]() -> int {
        cv::Mat crop = cropUpright(wrapGrey(grey, width, height, stride), *region);
        if (crop.empty()) return 0;
        return readLine(*recognizer, crop, classes, probabilities, starts, ends, capacity);
    });
}

ppocr_classifier *ppocr_classifier_create(const char *model_path, char *error, size_t error_size) {
    return guarded<ppocr_classifier *>(error, error_size, nullptr, [&]() -> ppocr_classifier * {
        ppocr::useDepthwiseConvolution();
        auto classifier = new ppocr_classifier{cv::dnn::readNetFromONNX(model_path)};
        if (classifier->net.empty()) {
            delete classifier;
            throw std::runtime_error(std::string(model_path) + ": not a network");
        }
        classifier->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        return classifier;
    });
}

void ppocr_classifier_free(ppocr_classifier *classifier) { delete classifier; }

float ppocr_upside_down(ppocr_classifier *classifier, const uint8_t *grey, int width, int height, int stride,
                        const ppocr_quad *region, char *error, size_t error_size) {
    return guarded<float>(error, error_size, -1.0f, [&]() -> float {
        cv::Mat crop = cropUpright(wrapGrey(grey, width, height, stride), *region);
        if (crop.empty() || crop.rows < 4 || crop.cols < 4) return 0.5f;
        constexpr int kClassifierWidth = 192;
        auto blob = lineBlob(crop, wantedWidth(crop), kClassifierWidth).first;
        classifier->net.setInput(blob);
        cv::Mat output = classifier->net.forward();
        if (output.total() != 2) throw std::runtime_error("classifier output is not 1×2");
        return output.ptr<float>()[1];
    });
}

int ppocr_find_document(const uint8_t *grey, int width, int height, int stride, ppocr_quad *document,
                        char *error, size_t error_size) {
    return guarded<int>(error, error_size, -1, [&]() -> int {
        cv::Mat page = wrapGrey(grey, width, height, stride);
        // The search runs on a copy at most 800 px a side: the outline of a page does
        // not need more, and it keeps the search to milliseconds.
        double scale = std::min(1.0, 800.0 / std::max(width, height));
        cv::Mat small;
        cv::resize(page, small, cv::Size(), scale, scale, cv::INTER_AREA);
        cv::GaussianBlur(small, small, cv::Size(5, 5), 0);
        cv::Mat paper;
        cv::threshold(small, paper, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
        // Closing joins the paper across its print and rules; opening cuts thin bridges
        // to bright things on the desk.
        cv::Mat brick = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(9, 9));
        cv::morphologyEx(paper, paper, cv::MORPH_CLOSE, brick);
        cv::morphologyEx(paper, paper, cv::MORPH_OPEN, brick);
        std::vector<std::vector<cv::Point>> contours;
        cv::findContours(paper, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
        if (contours.empty()) return 0;
        auto largest = std::max_element(contours.begin(), contours.end(), [](const auto &a, const auto &b) {
            return cv::contourArea(a) < cv::contourArea(b);
        });
        const double imageArea = static_cast<double>(small.cols) * small.rows;
        const double area = cv::contourArea(*largest);
        if (area < 0.25 * imageArea || area > 0.95 * imageArea) return 0;
        std::vector<cv::Point> hull;
        cv::convexHull(*largest, hull);
        std::vector<cv::Point> corners;
        const double perimeter = cv::arcLength(hull, true);
        // The tolerance grows until the outline has four corners (a curled page or a
        // torn corner needs more than the first 2%).
        for (double tolerance = 0.02; tolerance <= 0.1 && corners.size() != 4; tolerance += 0.01) {
            cv::approxPolyDP(hull, corners, tolerance * perimeter, true);
        }
        if (corners.size() != 4 || cv::contourArea(corners) < 0.8 * area) return 0;
        // The paper must be clearly lighter than the surface around it.
        cv::Mat inside = cv::Mat::zeros(small.size(), CV_8UC1);
        cv::fillConvexPoly(inside, corners, cv::Scalar(255));
        cv::Mat outside;
        cv::bitwise_not(inside, outside);
        if (cv::mean(small, inside)[0] < cv::mean(small, outside)[0] + 40) return 0;
        std::vector<cv::Point2f> scaled;
        for (const auto &c : corners) scaled.emplace_back(static_cast<float>(c.x / scale), static_cast<float>(c.y / scale));
        // Clockwise from the top left: the corner with the smallest x + y first.
        cv::Point2f centre(0, 0);
        for (const auto &c : scaled) centre += c * 0.25f;
        std::sort(scaled.begin(), scaled.end(), [&](const cv::Point2f &a, const cv::Point2f &b) {
            return std::atan2(a.y - centre.y, a.x - centre.x) < std::atan2(b.y - centre.y, b.x - centre.x);
        });
        auto first = std::min_element(scaled.begin(), scaled.end(), [](const cv::Point2f &a, const cv::Point2f &b) {
            return a.x + a.y < b.x + b.y;
        });
        std::rotate(scaled.begin(), first, scaled.end());
        for (int k = 0; k < 4; k++) {
            document->x[k] = scaled[k].x;
            document->y[k] = scaled[k].y;
        }
        document->score = static_cast<float>(area / imageArea);
        return 1;
    });
}

int ppocr_warp(const uint8_t *grey, int width, int height, int stride, const ppocr_quad *document,
               uint8_t *output, int output_width, int output_height, int output_stride, char *error,
               size_t error_size) {
    return guarded<int>(error, error_size, -1, [&]() -> int {
        cv::Mat page = wrapGrey(grey, width, height, stride);
        cv::Mat target = wrapGrey(output, output_width, output_height, output_stride);
        std::vector<cv::Point2f> corners;
        for (int i = 0; i < 4; i++) corners.emplace_back(document->x[i], document->y[i]);
        std::vector<cv::Point2f> flat = {
            {0, 0}, {static_cast<float>(output_width), 0},
            {static_cast<float>(output_width), static_cast<float>(output_height)},
            {0, static_cast<float>(output_height)}};
        cv::Mat transform = cv::getPerspectiveTransform(corners, flat);
        cv::warpPerspective(page, target, transform, target.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        return 0;
    });
}

}  // extern "C"
