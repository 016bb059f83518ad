"""Reference text for the recogniser parity check: reads each PNG crop in a folder with the
ORIGINAL PP-OCRv4 recognition model under ONNX Runtime and writes {filename: text} as JSON.

    python scripts/models/reference.py --model ch_PP-OCRv4_rec_infer.onnx \
        --keys models/ppocr/keys.json --crops Fixtures/ppocr-parity --out reference.json

Preprocessing is PaddleOCR's (and what claimeye does with the converted models): the crop
is read as 8-bit BGR, resized with bilinear interpolation to height 48 keeping its aspect
ratio (width ceil(48 * w / h), at most the bucket width), scaled to (x / 255 - 0.5) / 0.5,
laid out as 1x3x48xW (channel order B, G, R) and padded on the right with 0 up to the
narrowest bucket width (160, 320, 480, 640, 960, 1280) that holds it; a wider line is squeezed to
1280. The output 1xTx6625 is already softmax; greedy CTC decoding takes the arg-max per
step, collapses repeats and drops class 0 (the blank); class i is keys[i - 1].

Only setup and tests use ONNX Runtime; the program runs the converted models in OpenCV.
"""
import argparse
import json
import math
import os
import sys

import cv2
import numpy as np
import onnxruntime as ort

HEIGHT = 48
BUCKETS = (160, 320, 480, 640, 960, 1280)


def bucket_width(image):
    h, w = image.shape[:2]
    needed = int(math.ceil(HEIGHT * w / h))
    for width in BUCKETS:
        if needed <= width:
            return width
    return BUCKETS[-1]


def rec_input(image, width=None):
    """image: HxWx3 uint8 BGR. Returns the 1x3x48xW float32 blob."""
    width = width or bucket_width(image)
    h, w = image.shape[:2]
    resized_w = min(width, int(math.ceil(HEIGHT * w / h)))
    resized = cv2.resize(image, (resized_w, HEIGHT), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    resized = (resized / 255.0 - 0.5) / 0.5
    blob = np.zeros((1, 3, HEIGHT, width), np.float32)
    blob[0, :, :, :resized_w] = resized.transpose(2, 0, 1)
    return blob


def ctc_greedy(probs, keys):
    """probs: TxC softmax. Returns (text, mean probability of the kept steps)."""
    best = probs.argmax(axis=1)
    chars, scores, previous = [], [], 0
    for t, k in enumerate(best):
        if k != 0 and k != previous:
            chars.append(keys[k - 1])
            scores.append(float(probs[t, k]))
        previous = k
    return "".join(chars), (float(np.mean(scores)) if scores else 0.0)


def session(model):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def read(path):
    image = cv2.imread(path, cv2.IMREAD_COLOR)
    if image is None:
        raise SystemExit(f"reference: cannot read {path}")
    return image


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True, help="the original ch_PP-OCRv4_rec_infer.onnx")
    parser.add_argument("--keys", required=True, help="keys.json written by convert.py")
    parser.add_argument("--crops", required=True, help="folder of PNG text-line crops")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.keys, encoding="utf-8") as f:
        keys = json.load(f)
    rec = session(args.model)
    name = rec.get_inputs()[0].name
    files = sorted(f for f in os.listdir(args.crops) if f.lower().endswith(".png"))
    if not files:
        raise SystemExit(f"reference: no PNG crops in {args.crops}")
    result = {}
    for file in files:
        probs = rec.run(None, {name: rec_input(read(os.path.join(args.crops, file)))})[0][0]
        if probs.shape[1] != len(keys) + 1:
            raise SystemExit(f"reference: model has {probs.shape[1]} classes, keys.json {len(keys)} + blank")
        result[file] = ctc_greedy(probs, keys)[0]
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=2, sort_keys=True)
        f.write("\n")
    print(f"reference: {len(result)} crops read into {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
