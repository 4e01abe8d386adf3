#!/usr/bin/env python3
"""Prints a Gatling HTML report's statistics table as Markdown (for docs/performance.md).

Usage: load-tests/scripts/report-table.py load-tests/target/gatling/<run>/index.html
"""
import html
import re
import sys

page = open(sys.argv[1], encoding="utf-8").read()
print("| request | count | KO | min ms | p50 ms | p75 ms | p95 ms | p99 ms | max ms | mean req/s |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S):
    name = re.search(r'class="ellipsed-name">([^<]*)<', row)
    cells = re.findall(r'<td class="value[^"]*"[^>]*>([^<]*)</td>', row)
    if name and len(cells) >= 13:
        total, ok, ko, _, rps, mn, p50, p75, p95, p99, mx = cells[:11]
        print(f"| {html.unescape(name.group(1))} | {total} | {ko} | {mn} | {p50} | {p75} | {p95} | {p99} | {mx} | {rps} |")
