#!/usr/bin/python3
"""Side by side on the same pages and two cores: claimeye's OCR engines, the plain
`tesseract` command two at a time, and RapidOCR (PP-OCRv4 on ONNX Runtime) in two
processes of one thread each. Prints per run the wall time of each reader and its
throughput relative to claimeye's first engine, then medians, accuracy (item names read
exactly, line amounts and printed totals found in the text; ocr_accuracy.py's scoring)
and peak memory.

usage: ocr_bench.py RUNS CLAIMEYE_BINARY RAPIDOCR_PYTHON ENGINE[,ENGINE...] PAGE...
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from ocr_accuracy import score  # noqa: E402

RAPID = """
import json, sys
from rapidocr_onnxruntime import RapidOCR
engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
out = {}
for path in sys.argv[1:]:
    result, _ = engine(path)
    out[path] = [r[1] for r in (result or [])]
json.dump(out, sys.stdout, ensure_ascii=False)
"""


def timed(command, rss_file, env=None):
    start = time.monotonic()
    out = subprocess.run(["/usr/bin/time", "-a", "-f", "%M", "-o", rss_file] + command,
                         capture_output=True, text=True, env=env)
    return time.monotonic() - start, out


def halves(pages):
    return [pages[0::2], pages[1::2]]


def run_parallel(commands, rss_file, env=None):
    """Starts the commands at once; returns the wall time until the last ends and outputs."""
    start = time.monotonic()
    procs = [subprocess.Popen(["/usr/bin/time", "-a", "-f", "%M", "-o", rss_file] + c,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
             for c in commands]
    outputs = [p.communicate()[0] for p in procs]
    return time.monotonic() - start, outputs


def peak(rss_file):
    with open(rss_file) as f:
        values = [int(line) for line in f if line.strip().isdigit()]
    return max(values) // 1024 if values else 0


def main():
    runs, binary, rapid_python, engines, pages = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4].split(","), sys.argv[5:]
    tmp = tempfile.mkdtemp()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    readers = [f"claimeye --engine {e}" for e in engines] + ["tesseract loop", "RapidOCR"]
    times = {r: [] for r in readers}
    texts = {}
    memory = {}
    print(f"pages: {len(pages)}; 2 cores; claimeye ocr --jobs 2; tesseract -l chi_sim --psm 4, xargs -P 2; "
          f"RapidOCR 1.4.4 (onnxruntime), 2 processes x 1 thread")
    for run in range(1, runs + 1):
        for engine in engines:
            label = f"claimeye --engine {engine}"
            rss = f"{tmp}/claimeye-{engine}.rss"
            seconds, out = timed([binary, "ocr", "--json", "--jobs", "2", "--engine", engine] + pages, rss, env)
            times[label].append(seconds)
            by_name = {}
            for page in json.loads(out.stdout or "[]"):
                by_name.setdefault(page["source"], []).extend(line["text"] for line in page["lines"])
            texts[label] = {p: by_name.get(os.path.basename(p), []) for p in pages}
            memory[label] = peak(rss)
        seconds, outputs = run_parallel(
            [["sh", "-c", 'for p in "$@"; do echo "@@@ $p"; tesseract "$p" - -l chi_sim --psm 4 2>/dev/null; done', "sh"] + half
             for half in halves(pages)], f"{tmp}/tesseract.rss", env)
        times["tesseract loop"].append(seconds)
        lines, current = {}, None
        for output in outputs:
            for line in output.splitlines():
                if line.startswith("@@@ "):
                    current = line[4:]
                    lines[current] = []
                elif current:
                    lines[current].append(line)
        texts["tesseract loop"] = lines
        memory["tesseract loop"] = peak(f"{tmp}/tesseract.rss")
        seconds, outputs = run_parallel([[rapid_python, "-c", RAPID] + half for half in halves(pages)], f"{tmp}/rapid.rss", env)
        times["RapidOCR"].append(seconds)
        merged = {}
        for output in outputs:
            merged.update(json.loads(output or "{}"))
        texts["RapidOCR"] = merged
        memory["RapidOCR"] = peak(f"{tmp}/rapid.rss")
        base = times[readers[0]][-1]
        print(f"run {run}: " + "; ".join(f"{r} {times[r][-1]:.1f} s" for r in readers)
              + f"; {readers[0]} / peers: " + ", ".join(f"{r} {times[r][-1] / base:.2f}" for r in readers[1:]))
    print(f"\nmedians of {runs} run(s), throughput relative to {readers[0]} (above 1: {readers[0]} is faster)")
    print(f"{'reader':28} {'s':>7} {'pages/s':>8} {'ratio':>6} {'names exact':>14} {'amounts':>14} {'totals':>14} {'peak MiB':>9}")
    base = statistics.median(times[readers[0]])
    for r in readers:
        median = statistics.median(times[r])
        names, amounts, total, totals_found, totals = score(texts[r], pages)
        print(f"{r:28} {median:7.1f} {len(pages) / median:8.2f} {median / base:6.2f} "
              f"{names:>5}/{total:<4}{names / max(1, total):5.1%} {amounts:>5}/{total:<4}{amounts / max(1, total):5.1%} "
              f"{totals_found:>5}/{totals:<4}{totals_found / max(1, totals):5.1%} {memory[r]:9d}")
    print("peak MiB: the largest single process (claimeye: both workers in one process; the peers: one of two)")


if __name__ == "__main__":
    main()
