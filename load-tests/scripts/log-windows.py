#!/usr/bin/env python3
"""Percentiles per time window from a Gatling 3.12+ binary simulation.log: latency drift in a soak.

The HTML report gives percentiles over the whole run; a soak asks whether the last minutes are
slower than the first. This reads the run's binary log (run header, then user, request, group and
error records; strings cached by index) and prints, for each named timing, count / KO / p50 / p95 /
p99 / max in each window, windows given in seconds since the run started.

    load-tests/scripts/log-windows.py <run>/simulation.log 300:600 1800:2100 [--names visit,queue.joined]
"""
import argparse
import struct
import sys


class Log:
    def __init__(self, data):
        self.data, self.pos, self.cache = data, 0, {}

    def take(self, fmt):
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return values[0] if len(values) == 1 else values

    def string(self):
        length = self.take(">i")
        if length == 0:
            return ""
        value = self.data[self.pos:self.pos + length]
        coder = self.data[self.pos + length]
        self.pos += length + 1
        return value.decode("latin-1" if coder == 0 else "utf-16-be")

    def cached(self):
        index = self.take(">i")
        if index < 0:
            return self.cache[-index]
        value = self.string()
        self.cache[index] = value
        return value


def read(path):
    """Yields (name, start ms, end ms, ok) of every request record, times relative to the run's start."""
    log = Log(open(path, "rb").read())
    assert log.take(">b") == 0, "not a binary simulation.log (Gatling 3.12+)"
    log.string(), log.string(), log.take(">q"), log.string()
    for _ in range(log.take(">i")):
        log.string()
    for _ in range(log.take(">i")):
        length = log.take(">i")
        log.pos += length
    try:
        while log.pos < len(log.data):
            kind = log.take(">b")
            if kind == 1:
                for _ in range(log.take(">i")):
                    log.cached()
                name = log.cached()
                start, end, ok = log.take(">ii?")
                log.cached()
                yield name, start, end, ok
            elif kind == 2:
                log.take(">i?i")
            elif kind == 3:
                for _ in range(log.take(">i")):
                    log.cached()
                log.take(">iii?")
            elif kind == 4:
                log.cached(), log.take(">i")
            else:
                raise ValueError(f"unknown record {kind} at byte {log.pos - 1}")
    except struct.error:
        print("(the log ends in the middle of a record: the run was cut)", file=sys.stderr)


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, max(0, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("windows", nargs="+", help="from:to in seconds since the run started (by each request's end)")
    parser.add_argument("--names", help="comma-separated timings to print (default: all)")
    args = parser.parse_args()
    windows = [tuple(int(x) * 1000 for x in w.split(":")) for w in args.windows]
    wanted = set(args.names.split(",")) if args.names else None
    times = {}
    for name, start, end, ok in read(args.log):
        if wanted and name not in wanted:
            continue
        for i, (lo, hi) in enumerate(windows):
            if lo <= end < hi:
                oks, kos = times.setdefault(name, [([], []) for _ in windows])[i]
                (oks if ok else kos).append(end - start)
    print("| timing | window s | count | KO | p50 ms | p95 ms | p99 ms | max ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in sorted(times):
        for (lo, hi), (values, ko) in zip(windows, times[name]):
            values.sort()
            if values:
                cells = [percentile(values, 50), percentile(values, 95), percentile(values, 99), values[-1]]
            else:
                cells = ["-"] * 4
            print(f"| {name} | {lo // 1000}-{hi // 1000} | {len(values) + len(ko)} | {len(ko)} | " + " | ".join(str(c) for c in cells) + " |")


if __name__ == "__main__":
    main()
