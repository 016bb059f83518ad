#!/usr/bin/python3
"""OCR-level accuracy on documents with truth files: the share of item names found
exactly on a line (after removing whitespace and folding full-width forms) and the share
of amounts found. Compares claimeye's OCR with the plain `tesseract` command in several
modes on the same pages.

usage: ocr_accuracy.py [--engine ENGINE]... [--no-peers] CLAIMEYE_BINARY DOCUMENT...
  --engine: claimeye's engine(s) to score (tesseract, ppocr, auto; default tesseract)
  --no-peers: skip the plain `tesseract` command's readings
Also counts printed totals (the truth's `total`) found in the text.
"""
import json
import os
import re
import subprocess
import sys
import unicodedata


def compact(text):
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "")


def truth_of(document):
    return json.load(open(re.sub(r"\.(png|jpe?g|tiff?)$", ".truth.json", document)))


def score(lines_by_document, documents):
    names = amounts = total = 0
    totals_found = totals = 0
    for document in documents:
        lines = [compact(line) for line in lines_by_document.get(document, [])]
        text = "\n".join(lines)
        truth = truth_of(document)
        if truth.get("total"):
            totals += 1
            totals_found += str(truth["total"]) in text
        for item in truth.get("items") or []:
            total += 1
            if item.get("name") and compact(item["name"]) in text:
                names += 1
            if item.get("amount") and str(item["amount"]) in text:
                amounts += 1
    return names, amounts, total, totals_found, totals


def claimeye_lines(binary, documents, engine="tesseract"):
    out = subprocess.run([binary, "ocr", "--json", "--jobs", "2", "--engine", engine] + documents,
                         capture_output=True, text=True, check=False)
    pages = json.loads(out.stdout or "[]")
    by_name = {}
    for page in pages:
        by_name.setdefault(page["source"], []).extend(line["text"] for line in page["lines"])
    return {d: by_name.get(os.path.basename(d), []) for d in documents}


def tesseract_lines(documents, language, psm):
    result = {}
    for document in documents:
        out = subprocess.run(["tesseract", document, "-", "-l", language, "--psm", str(psm)],
                             capture_output=True, text=True, check=False,
                             env=dict(os.environ, OMP_THREAD_LIMIT="1"))
        result[document] = out.stdout.splitlines()
    return result


def main():
    args = sys.argv[1:]
    engines, peers = [], True
    while args and args[0].startswith("--"):
        flag = args.pop(0)
        if flag == "--engine":
            engines.append(args.pop(0))
        elif flag == "--no-peers":
            peers = False
        else:
            sys.exit(f"ocr_accuracy.py: unknown option {flag}")
    binary, documents = args[0], args[1:]
    runs = [(f"claimeye ocr --engine {engine}", lambda engine=engine: claimeye_lines(binary, documents, engine))
            for engine in engines or ["tesseract"]]
    for language in ("chi_sim", "chi_sim+eng") if peers else ():
        for psm in (4, 6, 11):
            runs.append((f"tesseract -l {language} --psm {psm}",
                         lambda language=language, psm=psm: tesseract_lines(documents, language, psm)))
    print(f"{'reader':34} {'names exact':>14} {'amounts':>14} {'totals':>14}   ({len(documents)} pages)")
    for label, run in runs:
        names, amounts, total, totals_found, totals = score(run(), documents)
        print(f"{label:34} {names:>5}/{total:<4} {names / max(1, total):5.1%} {amounts:>5}/{total:<4} {amounts / max(1, total):5.1%}"
              f" {totals_found:>5}/{totals:<4} {totals_found / max(1, totals):5.1%}")


if __name__ == "__main__":
    main()
