#!/usr/bin/env python3
"""Writes a large plain-layout catalogue for the matcher's scale row: the real entries
first (so exact real names can be looked for), then synthetic consumables (27-character
codes starting with C) whose names join real name fragments with consumable words, as a
national consumables table reads (一次性使用无菌注射器 …). Fixed seed.

    make_large_catalogue.py NRDL.csv SERVICES.csv COUNT > large.csv
"""
import csv
import random
import sys

rng = random.Random(20261205)
rows = []
for path in sys.argv[1:3]:
    for r in csv.DictReader(open(path, encoding="utf-8")):
        rows.append((r["code"], r["name"]))
count = int(sys.argv[3])
names = [n for _, n in rows]
words = ["一次性使用", "无菌", "医用", "可吸收", "硅胶", "聚氨酯", "导管", "注射器", "输液器", "敷料", "缝合线",
         "吻合器", "支架", "球囊", "穿刺针", "引流袋", "钛板", "螺钉", "人工关节", "补片", "止血夹", "鞘管"]
print("code,name,aliases,category,class,dosage_form,spec,unit,price_cap,self_pay_ratio,restrictions,valid_from,valid_to")
real = 0
for code, name in rows:
    if len(code) == 23 and code.startswith("X") or (len(code) == 15 and code.isdigit()):
        print(f"{code},{name},,,乙,,,,,,,,")
        real += 1
seen = set()
n = 0
while n < count - real:
    a, b = rng.choice(names), rng.choice(names)
    name = rng.choice(words) + a[: max(1, len(a) // 2)] + b[len(b) // 2:] + rng.choice(words) + f"{rng.randint(1, 99)}型"
    code = "C" + f"{n:026d}"
    print(f"{code},{name},,,乙,,,,{rng.randint(1, 99999)}.{rng.randint(0, 99):02d},,,,")
    n += 1
print(f"{real} real entries, {n} synthetic", file=sys.stderr)
