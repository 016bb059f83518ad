#!/usr/bin/env python3
"""Builds the confusable-siblings benchmark from the real catalogue files.

A pair of entries is within one OCR confusion when one OCR misreading of the first
entry's name spells the second's: a Roman numeral read with a stroke more or less
(Ⅲ as II, Ⅱ as Ⅲ), one of the strokes I, l, 1, | read as another, a trailing digit
dropped or added, one Latin letter or digit read as another. Every such misreading is a
query whose truth is the first entry; the second is the wrong sibling it names. The
first entry's own name is also queried, to count what the rule costs on clean reads.
The pairs are found by applying the noise to every name and looking the result up among
all names, not by the matcher's own rule.

Output: TSV lines `query<TAB>truth codes (comma-separated)<TAB>kind<TAB>sibling name`,
kind `misread` or `clean`. A summary goes to stderr.
"""
import csv
import sys
import unicodedata

ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
STROKES = "Il1|"
LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def norm(text):
    return "".join(unicodedata.normalize("NFKC", text).split())


def misreadings(name):
    out = set()
    for i, ch in enumerate(name):
        head, tail = name[:i], name[i + 1:]
        if ch in ROMAN:
            k = ROMAN.index(ch)
            for j in (k - 1, k + 1):
                if 0 <= j < len(ROMAN):
                    out.add(head + ROMAN[j] + tail)
            plain = unicodedata.normalize("NFKC", ch)
            out.add(head + plain[:-1] + tail if len(plain) > 1 else head + tail)
            out.add(head + plain + "I" + tail)
        if ch in STROKES:
            for other in STROKES:
                if other != ch:
                    out.add(head + other + tail)
        if ch.isascii() and ch.isalnum():
            for other in LATIN:
                if other != ch:
                    out.add(head + other + tail)
    if name and name[-1].isdigit():
        out.add(name[:-1])
    if name and name[-1].isascii() and name[-1].isalnum():
        for d in "0123456789":
            out.add(name + d)
    out.discard(name)
    return out


def main():
    by_norm = {}
    for path in sys.argv[1:]:
        for row in csv.DictReader(open(path, encoding="utf-8")):
            by_norm.setdefault(norm(row["name"]), (row["name"], []))[1].append(row["code"])
    pairs = 0
    truths = set()
    for key, (name, codes) in sorted(by_norm.items()):
        for misread in sorted(misreadings(name)):
            hit = by_norm.get(norm(misread))
            if hit is None or norm(misread) == key:
                continue
            pairs += 1
            truths.add(key)
            print(f"{misread}\t{','.join(codes)}\tmisread\t{hit[0]}")
    for key in sorted(truths):
        name, codes = by_norm[key]
        print(f"{name}\t{','.join(codes)}\tclean\t")
    print(f"{len(by_norm)} distinct names; {pairs} misreadings that spell another entry's name, "
          f"from {len(truths)} names", file=sys.stderr)


if __name__ == "__main__":
    main()
