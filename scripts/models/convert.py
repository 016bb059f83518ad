"""Converts the PP-OCRv4 ONNX models shipped in rapidocr-onnxruntime into models that
OpenCV 4.6's DNN module (cv::dnn::readNetFromONNX) loads and runs.

Run by scripts/setup-models inside its virtual environment:

    python scripts/models/convert.py --source DIR --out DIR

DIR (source) is the wheel's `rapidocr_onnxruntime/models` folder. Writes det.onnx,
rec-160/320/480/640/960/1280.onnx, cls.onnx and keys.json into --out, then checks every converted
model against the original under ONNX Runtime on a fixed input.

What OpenCV 4.6 cannot take in the originals, and what is done about it:
- dynamic shapes (Shape/Gather/Concat chains feeding Reshape): the input shape is fixed
  and the graph folded with onnxsim;
- Clip with its bounds as inputs (opset 11+): OpenCV's importer wants one input and
  min/max attributes, i.e. Clip-6, so the graph is moved to opset 10 (Clip-6 attributes,
  Resize-10 with X and scales only); every other op in these graphs means the same there;
- a constant of shape [C] added to or multiplied with a [1, T, C] tensor (LayerNorm
  scale and bias, Linear bias): OpenCV 4.6 broadcasts it along the wrong axis and fails,
  so the constant is tiled to the full [1, T, C];
- Gemm with a constant B and transB = 0 (classifier): B is stored transposed, transB = 1.
The result is valid ONNX (checked), so ONNX Runtime runs it too.
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
import onnxsim
from onnx import helper, numpy_helper, shape_inference

REC_WIDTHS = (160, 320, 480, 640, 960, 1280)
DET_SIDE = 960
CLS_SHAPE = (1, 3, 48, 192)
TARGET_OPSET = 10
TARGET_IR = 6  # ONNX 1.7 era; OpenCV 4.6 reads any IR, onnx.checker wants >= 5 for opset 10


def fail(message):
    print(f"convert: {message}", file=sys.stderr)
    sys.exit(1)


def initializers(graph):
    return {i.name: i for i in graph.initializer}


def drop_unused_initializers(graph):
    used = {name for node in graph.node for name in node.input}
    keep = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep)


def fix_shape(model, shape):
    name = model.graph.input[0].name
    simplified, ok = onnxsim.simplify(model, overwrite_input_shapes={name: list(shape)})
    if not ok:
        fail("onnxsim could not validate the simplified model")
    return simplified


def to_opset10(model):
    graph = model.graph
    inits = initializers(graph)

    def const(name):
        if name not in inits:
            fail(f"expected a constant for {name}")
        return numpy_helper.to_array(inits[name])

    for node in graph.node:
        if node.op_type == "Clip":
            bounds = list(node.input[1:])
            del node.input[1:]
            if len(bounds) > 0 and bounds[0]:
                node.attribute.append(helper.make_attribute("min", float(const(bounds[0]))))
            if len(bounds) > 1 and bounds[1]:
                node.attribute.append(helper.make_attribute("max", float(const(bounds[1]))))
        elif node.op_type == "Resize":
            # Resize-11 (X, roi, scales[, sizes]) -> Resize-10 (X, scales). Only the
            # detector's 2x nearest upsampling occurs here; check that it is exactly that.
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            if len(node.input) != 3 or attrs.get("mode") != b"nearest":
                fail(f"unexpected Resize {node.name}: {list(node.input)} {attrs}")
            if attrs.get("coordinate_transformation_mode", b"half_pixel") != b"asymmetric":
                fail(f"unexpected Resize coordinate mode in {node.name}")
            scales = const(node.input[2])
            if not np.all(scales == np.round(scales)):
                fail(f"non-integer Resize scales in {node.name}: {scales}")
            data, scale_input = node.input[0], node.input[2]
            del node.input[:]
            node.input.extend([data, scale_input])
            del node.attribute[:]
            node.attribute.append(helper.make_attribute("mode", "nearest"))
        elif node.op_type not in SAME_IN_OPSET10:
            fail(f"op {node.op_type} ({node.name}) not checked for opset 10")
    for opset in model.opset_import:
        if opset.domain in ("", "ai.onnx"):
            opset.version = TARGET_OPSET
    model.ir_version = TARGET_IR
    drop_unused_initializers(graph)
    return model


# Ops whose opset-10 definition means the same as the opset 11/12 one for the
# attributes and types used in these graphs.
SAME_IN_OPSET10 = {
    "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Relu", "Sigmoid", "HardSigmoid", "Conv",
    "ConvTranspose", "BatchNormalization", "GlobalAveragePool", "AveragePool", "MaxPool",
    "MatMul", "Gemm", "Reshape", "Transpose", "Squeeze", "Slice", "Concat", "Softmax",
    "ReduceMean",
}


def inferred_shapes(model):
    inferred = shape_inference.infer_shapes(model, strict_mode=True)
    values = list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output)
    return {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in values}


def set_output_shapes(model):
    # onnxsim keeps the declared output shape ([-1, 2] for the classifier); declare the
    # inferred static one instead.
    for output in model.graph.output:
        output.type.tensor_type.ClearField("shape")
    shapes = inferred_shapes(model)
    for output in model.graph.output:
        dims = shapes.get(output.name)
        if not dims or any(d <= 0 for d in dims):
            fail(f"output {output.name} has no static shape")
        output.type.tensor_type.shape.dim.extend(
            [onnx.TensorShapeProto.Dimension(dim_value=d) for d in dims])
    return model


def tile_sequence_constants(model):
    graph = model.graph
    shapes = inferred_shapes(model)
    inits = initializers(graph)
    for node in graph.node:
        if node.op_type not in ("Add", "Sub", "Mul", "Div"):
            continue
        for k, name in enumerate(node.input):
            other = node.input[1 - k]
            if name not in inits or other in inits or other not in shapes:
                continue
            value = numpy_helper.to_array(inits[name])
            full = shapes[other]
            if len(full) == 3 and value.size > 1 and list(value.shape) != full:
                tiled_name = f"{name}_tiled_{'x'.join(map(str, full))}"
                if tiled_name not in inits:
                    tiled = np.ascontiguousarray(np.broadcast_to(value, full))
                    inits[tiled_name] = numpy_helper.from_array(tiled, tiled_name)
                    graph.initializer.append(inits[tiled_name])
                node.input[k] = tiled_name
    drop_unused_initializers(graph)
    return model


def transpose_gemm_weights(model):
    graph = model.graph
    inits = initializers(graph)
    for node in graph.node:
        if node.op_type != "Gemm":
            continue
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        if attrs.get("transA", 0) != 0 or attrs.get("transB", 0) != 0 or node.input[1] not in inits:
            continue
        weights = numpy_helper.to_array(inits[node.input[1]])
        name = node.input[1] + "_transposed"
        graph.initializer.append(numpy_helper.from_array(np.ascontiguousarray(weights.T), name))
        node.input[1] = name
        for a in node.attribute:
            if a.name == "transB":
                a.i = 1
    drop_unused_initializers(graph)
    return model


def finish(model, description):
    del model.metadata_props[:]
    model.producer_name = "claimeye scripts/models/convert.py"
    model.producer_version = "1"
    model.doc_string = description
    onnx.checker.check_model(model, full_check=True)
    return model


def convert(source, shape, description):
    model = onnx.load(source)
    model = fix_shape(model, shape)
    model = to_opset10(model)
    model = set_output_shapes(model)
    model = tile_sequence_constants(model)
    model = transpose_gemm_weights(model)
    return finish(model, description)


def session(path_or_bytes):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(path_or_bytes, options, providers=["CPUExecutionProvider"])


def check_against_original(original, converted, shape, tolerance):
    rng = np.random.default_rng(20240601)
    x = rng.uniform(-1.0, 1.0, size=shape).astype(np.float32)
    a = session(original)
    b = session(converted.SerializeToString())
    want = a.run(None, {a.get_inputs()[0].name: x})[0]
    got = b.run(None, {b.get_inputs()[0].name: x})[0]
    if want.shape != got.shape:
        fail(f"{os.path.basename(original)} {shape}: output shape {got.shape} != {want.shape}")
    diff = float(np.abs(want - got).max())
    if diff > tolerance:
        fail(f"{os.path.basename(original)} {shape}: converted differs from the original by {diff}")
    return diff


def write_keys(rec_source, out):
    model = onnx.load(rec_source)
    meta = {p.key: p.value for p in model.metadata_props}
    if "character" not in meta:
        fail("the recognition model has no 'character' metadata")
    keys = meta["character"].splitlines()
    classes = session(rec_source).get_outputs()[0].shape[-1]
    # PaddleOCR: class 0 is the CTC blank, then the dictionary, then " " when
    # use_space_char is on (it is for the PP-OCRv4 Chinese model).
    if len(keys) + 2 == classes:
        keys.append(" ")
    if len(keys) + 1 != classes:
        fail(f"dictionary has {len(keys)} entries but the model has {classes} classes")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(keys, f, ensure_ascii=False, indent=0)
        f.write("\n")
    return classes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True, help="rapidocr_onnxruntime/models folder")
    parser.add_argument("--out", required=True)
    parser.add_argument("--no-cls", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    src = lambda name: os.path.join(args.source, name)
    det_src, rec_src, cls_src = (src("ch_PP-OCRv4_det_infer.onnx"), src("ch_PP-OCRv4_rec_infer.onnx"),
                                 src("ch_ppocr_mobile_v2.0_cls_infer.onnx"))

    jobs = [("det.onnx", det_src, (1, 3, DET_SIDE, DET_SIDE), 1e-3,
             "PP-OCRv4 text detector (ch_PP-OCRv4_det_infer), input x 1x3x960x960, output sigmoid map")]
    for width in REC_WIDTHS:
        jobs.append((f"rec-{width}.onnx", rec_src, (1, 3, 48, width), 1e-3,
                     f"PP-OCRv4 text recogniser (ch_PP-OCRv4_rec_infer), input x 1x3x48x{width}, output softmax"))
    if not args.no_cls:
        jobs.append(("cls.onnx", cls_src, CLS_SHAPE, 1e-4,
                     "text direction classifier (ch_ppocr_mobile_v2.0_cls_infer), input x 1x3x48x192, "
                     "output softmax [0 deg, 180 deg]"))
    for name, source, shape, tolerance, description in jobs:
        model = convert(source, shape, description)
        diff = check_against_original(source, model, shape, tolerance)
        onnx.save(model, os.path.join(args.out, name))
        outputs = ", ".join(f"{o.name} {[d.dim_value for d in o.type.tensor_type.shape.dim]}" for o in model.graph.output)
        print(f"convert: {name}: {len(model.graph.node)} nodes, output {outputs}, "
              f"max |converted - original| under ONNX Runtime {diff:.2e}", file=sys.stderr)
    classes = write_keys(rec_src, os.path.join(args.out, "keys.json"))
    print(f"convert: keys.json: {classes - 1} characters, {classes} classes with the blank", file=sys.stderr)


if __name__ == "__main__":
    main()
