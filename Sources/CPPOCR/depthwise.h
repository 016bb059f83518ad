// A depthwise convolution layer for OpenCV's DNN module (depthwise.cpp). C++ only; not
// part of the C interface in include/ppocr.h.
#pragma once

namespace ppocr {

/// Registers the layer in place of OpenCV's own for the depthwise convolutions it
/// computes (kernels other than 3×3); every network read afterwards uses it. Idempotent.
void useDepthwiseConvolution();

/// The largest difference between a network's output with OpenCV's own convolution
/// and with this one, on a fixed pseudo-random 1×3×height×width input. Reads the network
/// twice; networks read meanwhile elsewhere may get OpenCV's layer. Throws on error, and
/// where the network holds no layer of this file's.
double depthwiseDifference(const char *modelPath, int width, int height);

}  // namespace ppocr
