#!/usr/bin/python3
"""OCR-level accuracy on documents with truth files: the share of item names found
exactly on a line (after removing whitespace and folding full-width forms) and the share
of amounts found. Compares claimeye's OCR with the plain `tesseract` command in several
modes on the same pages.

usage: ocr_accuracy.py CLAIMEYE_BINARY DOCUMENT...
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
    for document in documents:
        lines = [compact(line) for line in lines_by_document.get(document, [])]
        text = "\n".join(lines)
        for item in truth_of(document).get("items") or []:
            total += 1
            if item.get("name") and compact(item["name"]) in text:
                names += 1
            if item.get("amount") and str(item["amount"]) in text:
                amounts += 1
    return names, amounts, total


def claimeye_lines(binary, documents):
    out = subprocess.run([binary, "ocr", "--json", "--jobs", "2"] + documents,
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
    binary, documents = sys.argv[1], sys.argv[2:]
    runs = [("claimeye ocr (default)", lambda: claimeye_lines(binary, documents))]
    for language in ("chi_sim", "chi_sim+eng"):
        for psm in (4, 6, 11):
            runs.append((f"tesseract -l {language} --psm {psm}",
                         lambda language=language, psm=psm: tesseract_lines(documents, language, psm)))
    print(f"{'reader':34} {'names exact':>14} {'amounts':>14}   ({len(documents)} pages)")
    for label, run in runs:
        names, amounts, total = score(run(), documents)
        print(f"{label:34} {names:>5}/{total:<4} {names / max(1, total):5.1%} {amounts:>5}/{total:<4} {amounts / max(1, total):5.1%}")


if __name__ == "__main__":
    main()
