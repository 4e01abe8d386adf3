#!/usr/bin/env python3
"""A light load generator for one question: how fast does one node take citizens joining the queue?

Gatling's virtual users cost more CPU than the node they load; on a 2-core machine that shares both
with the node, a burst of 500 joins per second measures the load generator as much as the node. This
client does the same citizen steps with the standard library only (asyncio, one thread): start a
visit (POST /api/visits), send the pre-call answers (POST /api/cases), open the WebSocket, hello,
queue.join; it keeps every socket open to the end, as waiting citizens do. Arrivals are paced at
--rate per second for --seconds. Printed per step: count, failures, p50/p95/p99 ms; and beside them,
as the baseline measured in the same run, GET /health/live round trips on a connection of its own
every 20 ms. Loopback only; the node is given by URL (for example the one NodeLauncher prints).

With --cpu NAME=PID (repeatable) it also prints the CPU time each process and its children used per
joined citizen during the run (from /proc: user + system), e.g. the node's JVM, Redis and the
PostgreSQL server (its postmaster: the backends are its children), and this client itself: where a
join's cost goes, which decides how many joins a second the machine's cores take.

    python3 load-tests/scripts/join-burst.py http://127.0.0.1:PORT --rate 500 --seconds 10
    python3 load-tests/scripts/join-burst.py http://127.0.0.1:PORT --rate 150 --seconds 10 \
        --cpu node=$(pgrep -f NodeLauncher) --cpu postgres=PID --cpu redis=PID
"""
import argparse
import asyncio
import base64
import json
import os
import time
import urllib.parse

CASE = {"caseType": "address-registration", "language": "en", "answers": {}}


class Http:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(self, method, path, body=None, headers=None):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        data = b"" if body is None else json.dumps(body).encode()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(data)}"]
        if body is not None:
            lines.append("Content-Type: application/json")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + data)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        payload = await self.reader.readexactly(length)
        return status, payload

    def close(self):
        if self.writer:
            self.writer.close()


class WebSocket:
    """A client WebSocket (RFC 6455) with text frames only: enough for the control protocol."""

    @classmethod
    async def open(cls, host, port, origin):
        ws = cls()
        ws.reader, ws.writer = await asyncio.open_connection(host, port)
        key = base64.b64encode(os.urandom(16)).decode()
        ws.writer.write((f"GET /ws HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n").encode())
        head = await ws.reader.readuntil(b"\r\n\r\n")
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise IOError("upgrade refused: " + head.split(b"\r\n")[0].decode())
        return ws

    def send(self, message):
        self.frame(0x1, json.dumps(message).encode())

    def frame(self, opcode, data):
        mask = os.urandom(4)
        header = bytearray([0x80 | opcode])
        if len(data) < 126:
            header.append(0x80 | len(data))
        else:
            header.append(0x80 | 126)
            header += len(data).to_bytes(2, "big")
        self.writer.write(bytes(header) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    async def receive(self):
        while True:
            first, second = await self.reader.readexactly(2)
            length = second & 0x7F
            if length == 126:
                length = int.from_bytes(await self.reader.readexactly(2), "big")
            elif length == 127:
                length = int.from_bytes(await self.reader.readexactly(8), "big")
            payload = await self.reader.readexactly(length)
            opcode = first & 0x0F
            if opcode == 0x1:
                return json.loads(payload)
            if opcode == 0x9:
                # Answered as browsers do (RFC 6455 5.5.2): a client that stays silent is closed as idle.
                self.frame(0xA, payload)
            if opcode == 0x8:
                raise IOError("closed by the server")

    async def reply(self, ref):
        while True:
            message = await self.receive()
            if message.get("ref") == ref:
                return message

    def close(self):
        self.writer.close()


def cpu_seconds(pid):
    """User + system CPU of a process and of its children, live and reaped, in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")

    def own(p, with_reaped):
        with open(f"/proc/{p}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        # fields[11:15] are utime, stime, cutime, cstime (stat(5) fields 14-17).
        return sum(int(x) for x in fields[11:15 if with_reaped else 13])

    total = own(pid, True)
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = [int(c) for c in f.read().split()]
    except OSError:
        children = []
    for child in children:
        try:
            total += own(child, True)
        except OSError:
            pass  # ended meanwhile: counted in the parent's reaped time once waited for
    return total / ticks


class Timings:
    def __init__(self):
        self.values, self.failures = {}, {}

    def add(self, step, seconds):
        self.values.setdefault(step, []).append(seconds * 1000)

    def fail(self, step, why):
        self.failures.setdefault(step, {}).setdefault(why, 0)
        self.failures[step][why] += 1

    def table(self):
        print("| step | count | failed | p50 ms | p95 ms | p99 ms | max ms |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for step in ["visit", "pre-call answers", "connect", "citizen welcome", "queue.joined", "baseline: GET /health/live"]:
            v = sorted(self.values.get(step, []))
            failed = sum(self.failures.get(step, {}).values())
            if not v:
                print(f"| {step} | 0 | {failed} | | | | |")
                continue
            pick = lambda q: v[min(len(v) - 1, int(len(v) * q))]
            print(f"| {step} | {len(v)} | {failed} | {pick(0.5):.1f} | {pick(0.95):.1f} | {pick(0.99):.1f} | {v[-1]:.1f} |")
        for step, reasons in self.failures.items():
            for why, n in reasons.items():
                print(f"failed {step}: {n} x {why}")


async def citizen(url, timings, sockets, timeout):
    host, port = url.hostname, url.port
    http = Http(host, port)
    step = "visit"
    try:
        t = time.perf_counter()
        status, body = await asyncio.wait_for(http.request("POST", "/api/visits"), timeout)
        if status != 201 and status != 200:
            raise IOError(f"HTTP {status}")
        timings.add(step, time.perf_counter() - t)
        token = json.loads(body)["token"]
        step = "pre-call answers"
        t = time.perf_counter()
        status, body = await asyncio.wait_for(http.request("POST", "/api/cases", CASE, {"Authorization": f"Bearer {token}"}), timeout)
        if status != 201:
            raise IOError(f"HTTP {status}")
        timings.add(step, time.perf_counter() - t)
        draft = json.loads(body)
        http.close()
        step = "connect"
        t = time.perf_counter()
        ws = await asyncio.wait_for(WebSocket.open(host, port, f"{url.scheme}://{host}:{port}"), timeout)
        timings.add(step, time.perf_counter() - t)
        sockets.append(ws)
        step = "citizen welcome"
        t = time.perf_counter()
        ws.send({"type": "hello", "id": "h", "token": token})
        welcome = await asyncio.wait_for(ws.reply("h"), timeout)
        if welcome.get("type") != "welcome":
            raise IOError(welcome.get("code", welcome.get("type")))
        timings.add(step, time.perf_counter() - t)
        step = "queue.joined"
        t = time.perf_counter()
        ws.send({"type": "queue.join", "id": "j", "caseTypeId": "address-registration", "language": "en",
                 "caseId": draft["caseView"]["id"], "caseToken": draft["citizenToken"], "consent": {"recording": False}})
        joined = await asyncio.wait_for(ws.reply("j"), timeout)
        if joined.get("type") != "queue.joined":
            raise IOError(joined.get("code", joined.get("type")))
        timings.add(step, time.perf_counter() - t)
        # Keep reading, as a waiting citizen's app does (position pushes), until the run ends.
        asyncio.ensure_future(drain(ws))
    except (IOError, OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, KeyError, ValueError) as e:
        timings.fail(step, type(e).__name__ if not str(e) else str(e)[:60])
        http.close()


async def drain(ws):
    try:
        while True:
            await ws.receive()
    except (IOError, OSError, asyncio.IncompleteReadError):
        pass


async def baseline(url, timings, stop):
    http = Http(url.hostname, url.port)
    while not stop.is_set():
        t = time.perf_counter()
        status, _ = await http.request("GET", "/health/live")
        if status == 200:
            timings.add("baseline: GET /health/live", time.perf_counter() - t)
        await asyncio.sleep(0.02)
    http.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--rate", type=float, default=500, help="arrivals per second")
    parser.add_argument("--seconds", type=float, default=10, help="how long citizens arrive")
    parser.add_argument("--timeout", type=float, default=10, help="seconds a step may take before it counts as failed")
    parser.add_argument("--hold", type=float, default=0,
                        help="seconds to keep every socket open after the report, e.g. to read the node's heap")
    parser.add_argument("--cpu", action="append", default=[], metavar="NAME=PID",
                        help="print this process's CPU per joined citizen (with its children); repeatable")
    args = parser.parse_args()
    watched = dict(item.split("=", 1) for item in args.cpu)
    watched["this client"] = str(os.getpid())
    before = {name: cpu_seconds(int(pid)) for name, pid in watched.items()}
    url = urllib.parse.urlparse(args.url)
    timings, sockets, stop = Timings(), [], asyncio.Event()
    watch = asyncio.ensure_future(baseline(url, timings, stop))
    total = int(args.rate * args.seconds)
    start = time.perf_counter()
    tasks = []
    for i in range(total):
        delay = start + i / args.rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(citizen(url, timings, sockets, args.timeout)))
    late = time.perf_counter() - start - args.seconds
    await asyncio.gather(*tasks)
    stop.set()
    await watch
    print(f"{total} citizens at {args.rate:g}/s for {args.seconds:g} s (the last one started {max(0.0, late):.2f} s late); "
          f"{len(sockets)} WebSockets held at the end")
    timings.table()
    joined = len(timings.values.get("queue.joined", []))
    if args.cpu and joined:
        used = {name: cpu_seconds(int(pid)) - before[name] for name, pid in watched.items()}
        print("CPU per joined citizen: " + ", ".join(f"{name} {used[name] * 1000 / joined:.2f} ms" for name in watched)
              + f"; all of them {sum(used.values()) * 1000 / joined:.2f} ms"
              + f" ({joined} joined, {sum(used.values()):.1f} s of CPU)")
    if args.hold > 0:
        print(f"holding {len(sockets)} WebSockets for {args.hold:g} s", flush=True)
        await asyncio.sleep(args.hold)
    for ws in sockets:
        ws.close()


if __name__ == "__main__":
    asyncio.run(main())
