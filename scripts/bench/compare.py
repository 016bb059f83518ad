#!/usr/bin/env python3
"""Scores claimeye's matcher and RapidFuzz on the same benchmark queries.

Both systems see the same catalogue and the same normalisation: RapidFuzz's choices are
claimeye's normalised catalogue keys (`claimeye catalogue keys`) and its queries are
claimeye's normalised query keys (`claimeye match --keys-only`).

Duplicate names: the NRDL lists some drugs on several rows with the same name (another
dosage form or category, another code). A top-1 answer counts as right when its code is
the true code or its name is the true entry's name; the strict code-only accuracy is
printed too. The same rule applies to both systems.
"""
import csv
import json
import sys
import time

from rapidfuzz import fuzz, process


def load_names(paths):
    names = {}
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                names[row["code"]] = row["name"]
    return names


def main():
    queries_tsv, results_jsonl, query_keys, entry_keys, timing_file, nrdl, services, sample = sys.argv[1:9]
    sample = int(sample)
    names = load_names([nrdl, services])
    truth = [line.rstrip("\n").split("\t")[1] for line in open(queries_tsv, encoding="utf-8")]
    n = len(truth)

    def right(code, true):
        return code == true or (code is not None and names.get(code) == names.get(true))

    # claimeye
    ours = [json.loads(line) for line in open(results_jsonl, encoding="utf-8")]
    assert len(ours) == n, f"{len(ours)} results for {n} queries"
    top1 = [r["candidates"][0]["code"] if r["candidates"] else None for r in ours]
    our_right = sum(right(c, t) for c, t in zip(top1, truth))
    our_strict = sum(c == t for c, t in zip(top1, truth))
    zones = {"auto": 0, "review": 0, "none": 0}
    auto_right = auto_strict = 0
    for r, c, t in zip(ours, top1, truth):
        zones[r["zone"]] += 1
        if r["zone"] == "auto":
            auto_right += right(c, t)
            auto_strict += c == t
    timing = dict(kv.split(" ", 1) for kv in [])
    fields = open(timing_file, encoding="utf-8").read().split()
    timing = {fields[i]: fields[i + 1] for i in range(1, len(fields) - 1, 2)}
    # One-core throughput from CPU time (the machine may be shared; wall time is shown too).
    our_qps = float(timing["cpu_qps"])
    our_wall_qps = float(timing["qps"])

    # RapidFuzz, on claimeye's normalised keys.
    full_choices, core_choices, choice_codes = [], [], []
    for line in open(entry_keys, encoding="utf-8"):
        code, full, core = line.rstrip("\n").split("\t")
        choice_codes.append(code)
        full_choices.append(full)
        core_choices.append(core)
    q_full, q_core = [], []
    for line in open(query_keys, encoding="utf-8"):
        full, core = line.rstrip("\n").split("\t")
        q_full.append(full)
        q_core.append(core)
    assert len(q_full) == n

    configs = [
        ("fuzz.ratio on full keys", fuzz.ratio, q_full, full_choices),
        ("fuzz.QRatio on full keys", fuzz.QRatio, q_full, full_choices),
        ("fuzz.WRatio on full keys", fuzz.WRatio, q_full, full_choices),
        ("fuzz.ratio on core keys", fuzz.ratio, q_core, core_choices),
    ]

    def run(scorer, qs, choices, indices):
        got = []
        start, wall = time.process_time(), time.perf_counter()
        for i in indices:
            hit = process.extractOne(qs[i], choices, scorer=scorer, processor=None)
            got.append(choice_codes[hit[2]] if hit else None)
        return got, time.process_time() - start, time.perf_counter() - wall

    # Choose the scorer on a fixed sample (WRatio is too slow for every query), then run
    # the best one on all queries.
    step = max(1, n // sample)
    sample_idx = list(range(0, n, step))[:sample]
    print(f"RapidFuzz scorer selection on {len(sample_idx)} queries (every {step}th):")
    best = None
    for label, scorer, qs, choices in configs:
        got, secs, _ = run(scorer, qs, choices, sample_idx)
        acc = sum(right(c, truth[i]) for c, i in zip(got, sample_idx)) / len(sample_idx)
        print(f"  {label:28s} top-1 {acc:.4f}  {len(sample_idx) / secs:8.0f} q/s")
        if best is None or acc > best[0]:
            best = (acc, label, scorer, qs, choices)
    _, label, scorer, qs, choices = best
    rf_top1, rf_secs, rf_wall = run(scorer, qs, choices, range(n))
    rf_right = sum(right(c, t) for c, t in zip(rf_top1, truth))
    rf_strict = sum(c == t for c, t in zip(rf_top1, truth))
    rf_qps = n / rf_secs
    rf_wall_qps = n / rf_wall

    print()
    print(f"queries: {n}; catalogue entries: {timing['entries']} ({timing['keys']} keys); seed fixed")
    print("rule: right when the top-1 code is the true code, or its name is the true entry's name")
    print("      (cross-listed rows share a name); strict = code only. Same rule for both systems.")
    print(f"claimeye  top-1 {our_right / n:.4f}  errors {n - our_right:5d}  strict {our_strict / n:.4f}  {our_qps:9.0f} q/s CPU ({our_wall_qps:.0f} wall; one core, matching only)")
    print(f"RapidFuzz top-1 {rf_right / n:.4f}  errors {n - rf_right:5d}  strict {rf_strict / n:.4f}  {rf_qps:9.0f} q/s CPU ({rf_wall_qps:.0f} wall; {label}, extractOne)")
    print(f"errors ratio claimeye/RapidFuzz: {(n - our_right) / max(1, n - rf_right):.3f}   throughput ratio (CPU): {our_qps / rf_qps:.1f}x (wall: {our_wall_qps / rf_wall_qps:.1f}x)")
    print(f"index build: {timing['index_build_ms']} ms (a fresh ledger: load from SQLite, normalise, index, save)")
    a = zones["auto"]
    print(f"zones: auto {a / n:.4f}  review {zones['review'] / n:.4f}  none {zones['none'] / n:.4f}")
    print(f"auto-zone precision: {auto_right / max(1, a):.4f} (strict code {auto_strict / max(1, a):.4f}); auto-zone errors {a - auto_right}")
    goals = [
        ("top-1 >= 0.995", our_right / n >= 0.995),
        ("fewer than half of RapidFuzz's errors", (n - our_right) * 2 < (n - rf_right)),
        (">= 10x RapidFuzz's queries/s on one core", our_qps >= 10 * rf_qps),
        ("auto-zone precision >= 0.995", auto_right / max(1, a) >= 0.995),
    ]
    print("goals: " + "; ".join(f"{label}: {'met' if ok else 'NOT met'}" for label, ok in goals))
    summary = {
        "queries": n, "claimeye_top1": our_right / n, "claimeye_errors": n - our_right, "claimeye_qps": our_qps,
        "rapidfuzz_top1": rf_right / n, "rapidfuzz_errors": n - rf_right, "rapidfuzz_qps": rf_qps, "rapidfuzz_scorer": label,
        "qps_ratio": our_qps / rf_qps, "qps_ratio_wall": our_wall_qps / rf_wall_qps, "index_build_ms": float(timing["index_build_ms"]),
        "auto_share": a / n, "review_share": zones["review"] / n, "none_share": zones["none"] / n,
        "auto_precision": auto_right / max(1, a), "auto_precision_strict": auto_strict / max(1, a),
    }
    print("SUMMARY " + json.dumps(summary, sort_keys=True))


if __name__ == "__main__":
    main()
