// A depthwise convolution for OpenCV's DNN module, for the kernels OpenCV 4.6 has no fast
// path for. PP-OCRv4's networks (PPLCNetV3) are built of 5×5 depthwise convolutions;
// OpenCV 4.6 computes a depthwise convolution fast only for 3×3 kernels, and runs a
// 5×5 one through its general path, one channel at a time: measured on the 320-wide
// recogniser on one thread, its 5×5 depthwise layers took 32 of 84 ms, against 0.6 ms
// for the 3×3 ones. See depthwise.h.
#include "depthwise.h"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/dnn/all_layers.hpp>
#include <opencv2/dnn/layer.details.hpp>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace ppocr {
namespace {

/// How many layers of this file's were made: the comparison test requires some.
std::atomic<int> constructed{0};

/// A parameter of one, two or four values (`pad` may give top, left, bottom, right),
/// read as OpenCV's importer writes it; `fallback` where it is absent.
std::vector<int> values(const cv::dnn::LayerParams &params, const char *name, int fallback) {
    if (!params.has(name)) return {fallback};
    const cv::dnn::DictValue &value = params.get(name);
    std::vector<int> result;
    for (int i = 0; i < value.size(); i++) result.push_back(value.get<int>(i));
    return result;
}

class DepthwiseConvolution final : public cv::dnn::Layer {
public:
    /// The layer for `params` when it is a depthwise convolution this file computes:
    /// one input channel per group, no dilation, a kernel other than 3×3, explicit padding.
    static bool handles(const cv::dnn::LayerParams &params) {
        if (params.blobs.empty() || params.blobs[0].dims != 4 || params.has("pad_mode")) return false;
        // Sizes given per axis under other names: OpenCV's own layer reads those.
        for (const char *key : {"kernel_h", "kernel_w", "stride_h", "stride_w", "pad_h", "pad_w", "pad_t", "pad_b",
                                "pad_l", "pad_r", "dilation_h", "dilation_w"}) {
            if (params.has(key)) return false;
        }
        const cv::Mat &weights = params.blobs[0];
        const int channels = weights.size[0];
        if (weights.type() != CV_32F || weights.size[1] != 1 || params.get<int>("group", 1) != channels) return false;
        if (params.blobs.size() > 2 || (params.blobs.size() == 2 && params.blobs[1].total() != static_cast<size_t>(channels))) {
            return false;
        }
        for (int d : values(params, "dilation", 1)) {
            if (d != 1) return false;
        }
        const auto kernel = values(params, "kernel_size", 0);
        const int kh = kernel.front(), kw = kernel.back();
        if (kh != weights.size[2] || kw != weights.size[3]) return false;
        const auto pad = values(params, "pad", 0);
        if (pad.size() != 1 && pad.size() != 2 && pad.size() != 4) return false;
        return !(kh == 3 && kw == 3);
    }

    explicit DepthwiseConvolution(const cv::dnn::LayerParams &params) {
        setParamsFrom(params);
        // A type name of its own: OpenCV takes a layer named `Convolution` for its own
        // convolution layer (from 4.7 it casts it unchecked to fuse an activation into it).
        type = "ClaimeyeDepthwiseConvolution";
        constructed.fetch_add(1);
        const cv::Mat &weights = params.blobs[0];
        channels_ = weights.size[0];
        kernelHeight_ = weights.size[2];
        kernelWidth_ = weights.size[3];
        weights_ = weights.reshape(1, channels_).clone();
        bias_.assign(channels_, 0.0f);
        if (params.blobs.size() > 1) {
            cv::Mat bias;
            params.blobs[1].reshape(1, 1).convertTo(bias, CV_32F);
            for (int c = 0; c < channels_; c++) bias_[c] = bias.at<float>(c);
        }
        const auto stride = values(params, "stride", 1);
        strideY_ = stride.front();
        strideX_ = stride.back();
        const auto pad = values(params, "pad", 0);
        if (pad.size() == 4) {
            top_ = pad[0], left_ = pad[1], bottom_ = pad[2], right_ = pad[3];
        } else {
            top_ = bottom_ = pad.front();
            left_ = right_ = pad.back();
        }
        if (strideY_ < 1 || strideX_ < 1) throw std::invalid_argument("depthwise convolution: stride below 1");
    }

    bool getMemoryShapes(const std::vector<cv::dnn::MatShape> &inputs, const int, std::vector<cv::dnn::MatShape> &outputs,
                         std::vector<cv::dnn::MatShape> &) const override {
        const cv::dnn::MatShape &in = inputs.at(0);
        if (in.size() != 4 || in[1] != channels_) throw std::runtime_error("depthwise convolution: input is not N×C×H×W");
        const int height = (in[2] + top_ + bottom_ - kernelHeight_) / strideY_ + 1;
        const int width = (in[3] + left_ + right_ - kernelWidth_) / strideX_ + 1;
        if (height < 1 || width < 1) throw std::runtime_error("depthwise convolution: input smaller than its kernel");
        outputs.assign(1, cv::dnn::MatShape{in[0], channels_, height, width});
        return false;
    }

    void forward(cv::InputArrayOfArrays inputArrays, cv::OutputArrayOfArrays outputArrays,
                 cv::OutputArrayOfArrays) override {
        std::vector<cv::Mat> inputs, outputs;
        inputArrays.getMatVector(inputs);
        outputArrays.getMatVector(outputs);
        const cv::Mat &in = inputs.at(0);
        cv::Mat &out = outputs.at(0);
        if (in.type() != CV_32F || !in.isContinuous() || !out.isContinuous()) {
            throw std::runtime_error("depthwise convolution: input or output is not packed 32-bit float");
        }
        const int planes = in.size[0] * channels_;
        const int height = in.size[2], width = in.size[3];
        const int outHeight = out.size[2], outWidth = out.size[3];
        const int paddedWidth = width + left_ + right_;
        const int paddedHeight = height + top_ + bottom_;
        const float *source = in.ptr<float>();
        float *target = out.ptr<float>();
        cv::parallel_for_(cv::Range(0, planes), [&](const cv::Range &range) {
            std::vector<float> padded(static_cast<size_t>(paddedHeight) * paddedWidth, 0.0f);
            for (int plane = range.start; plane < range.end; plane++) {
                const int c = plane % channels_;
                const float *from = source + static_cast<size_t>(plane) * height * width;
                for (int y = 0; y < height; y++) {
                    std::copy(from + y * width, from + (y + 1) * width,
                              padded.data() + static_cast<size_t>(y + top_) * paddedWidth + left_);
                }
                convolvePlane(padded.data(), paddedWidth, weights_.ptr<float>(c), bias_[c],
                              target + static_cast<size_t>(plane) * outHeight * outWidth, outHeight, outWidth);
            }
        });
    }

private:
    /// One channel: every output row starts at the bias and takes each kernel tap as a
    /// scaled row of the padded input (a loop the compiler vectorises at stride 1).
    void convolvePlane(const float *padded, int paddedWidth, const float *kernel, float bias, float *out, int outHeight,
                       int outWidth) const {
        for (int oy = 0; oy < outHeight; oy++) {
            float *row = out + static_cast<size_t>(oy) * outWidth;
            std::fill(row, row + outWidth, bias);
            for (int ky = 0; ky < kernelHeight_; ky++) {
                const float *input = padded + static_cast<size_t>(oy * strideY_ + ky) * paddedWidth;
                for (int kx = 0; kx < kernelWidth_; kx++) {
                    const float w = kernel[ky * kernelWidth_ + kx];
                    const float *tap = input + kx;
                    if (strideX_ == 1) {
                        for (int ox = 0; ox < outWidth; ox++) row[ox] += w * tap[ox];
                    } else {
                        for (int ox = 0; ox < outWidth; ox++) row[ox] += w * tap[ox * strideX_];
                    }
                }
            }
        }
    }

    int channels_ = 0, kernelHeight_ = 0, kernelWidth_ = 0;
    int strideY_ = 1, strideX_ = 1, top_ = 0, left_ = 0, bottom_ = 0, right_ = 0;
    cv::Mat weights_;
    std::vector<float> bias_;
};

/// Stands in for OpenCV's own convolution layer: this file's depthwise convolution where
/// it applies, OpenCV's layer everywhere else.
cv::Ptr<cv::dnn::Layer> createConvolution(cv::dnn::LayerParams &params) {
    if (DepthwiseConvolution::handles(params)) return cv::makePtr<DepthwiseConvolution>(params);
    return cv::dnn::ConvolutionLayer::create(params);
}

std::mutex registration;
bool registered = false;

void setRegistered(bool on) {
    if (on && !registered) cv::dnn::LayerFactory::registerLayer("Convolution", createConvolution);
    if (!on && registered) cv::dnn::LayerFactory::unregisterLayer("Convolution");
    registered = on;
}

cv::Mat forwardOnce(const char *modelPath, const cv::Mat &blob) {
    cv::dnn::Net net = cv::dnn::readNetFromONNX(modelPath);
    if (net.empty()) throw std::runtime_error(std::string(modelPath) + ": not a network");
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net.setInput(blob);
    return net.forward().clone();
}

}  // namespace

void useDepthwiseConvolution() {
    std::lock_guard<std::mutex> lock(registration);
    setRegistered(true);
}

double depthwiseDifference(const char *modelPath, int width, int height) {
    cv::Mat blob(std::vector<int>{1, 3, height, width}, CV_32F);
    cv::RNG(20240601).fill(blob, cv::RNG::UNIFORM, -1.0, 1.0);
    std::lock_guard<std::mutex> lock(registration);
    setRegistered(false);
    cv::Mat reference;
    try {
        reference = forwardOnce(modelPath, blob);
    } catch (...) {
        setRegistered(true);
        throw;
    }
    setRegistered(true);
    const int before = constructed.load();
    const cv::Mat ours = forwardOnce(modelPath, blob);
    if (constructed.load() == before) throw std::runtime_error("no layer of claimeye's depthwise convolution in the network");
    if (ours.total() != reference.total()) throw std::runtime_error("the two networks' outputs differ in shape");
    return cv::norm(ours.reshape(1, 1), reference.reshape(1, 1), cv::NORM_INF);
}

}  // namespace ppocr
