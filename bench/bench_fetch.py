"""Benchmark: is a crawl of many sites bound by the politeness limits, not by the crawler?

    /work/main/.venv/bin/python bench/bench_fetch.py [--hosts 100] [--feeds-per-host 10]

A separate process serves 1,000 feeds from 100 "hosts": one asyncio server listening on the
loopback addresses 127.0.0.2 … 127.0.0.101 (real loopback addresses on Linux), all on the same
port, answering every request after a fixed latency. "Host" is scheme://address:port, as in
``etl.fetch``. ``fetch_all`` runs with per-host concurrency 1 and a per-host delay, so the best
any polite crawler can do for one host with n feeds is

    ideal = (n - 1) × max(delay, latency + δ) + latency

and the whole run can be no faster than its slowest host. Efficiency = ideal / actual
(target ≥ 80 %). The server also logs when each request arrived, so the benchmark checks
that no host ever saw two requests closer than the delay. Peak memory is the crawler
process's max RSS (the server runs in its own process).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import resource
import socket
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl.fetch import FetchRequest, fetch_all  # noqa: E402
from etl.settings import FetchSettings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# a real 25 KB RSS feed (BBC News), one of the test fixtures
FEED = (ROOT / "tests" / "fixtures" / "real_feeds" / "1796df62c4a287cc.xml").read_bytes()
JITTER_S = 0.010
"""Arrival times are taken by the server's event loop: allow this much timing noise."""


@dataclass(frozen=True)
class Scenario:
    name: str
    latency_s: float
    delay_s: float


def serve(addresses: list[str], port: int, latency_s: float, ready, conn) -> None:
    """Run the feed server until told to stop; send back (address, arrival) per request."""
    arrivals: list[tuple[str, float]] = []
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\n"
        b"Content-Length: " + str(len(FEED)).encode() + b"\r\n\r\n"
    )

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        address = writer.get_extra_info("sockname")[0]
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                arrivals.append((address, time.monotonic()))
                await asyncio.sleep(latency_s)
                writer.write(head + FEED)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = [await asyncio.start_server(handle, a, port, backlog=256) for a in addresses]
        ready.set()
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # wait for "stop"
        for s in servers:
            s.close()
        conn.send(arrivals)

    asyncio.run(main())


def pick_port(addresses: list[str]) -> int:
    """Return a port free on every address."""
    for _ in range(20):
        with socket.socket() as probe:
            probe.bind((addresses[0], 0))
            port = probe.getsockname()[1]
        try:
            for a in addresses:
                with socket.socket() as s:
                    s.bind((a, port))
            return port
        except OSError:
            continue
    raise RuntimeError("no port free on all loopback addresses")


def run(scenario: Scenario, hosts: int, per_host: int, global_concurrency: int) -> dict[str, float]:
    addresses = [f"127.0.0.{i}" for i in range(2, 2 + hosts)]
    port = pick_port(addresses)
    ctx = mp.get_context("spawn")
    ready, (parent, child) = ctx.Event(), ctx.Pipe()
    server = ctx.Process(target=serve, args=(addresses, port, scenario.latency_s, ready, child))
    server.start()
    ready.wait(30)
    settings = FetchSettings(
        allow_private_networks=True,
        per_host_concurrency=1,
        per_host_delay_s=scenario.delay_s,
        global_concurrency=global_concurrency,
        timeout_s=10,
        max_retries=0,
    )
    # interleave hosts the way a feeds table would list them: by source, not by host
    requests = [
        FetchRequest(f"http://{a}:{port}/feeds/{k}.xml", "feed", key=(a, k))
        for k in range(per_host)
        for a in addresses
    ]
    started = time.monotonic()
    results = fetch_all(requests, settings=settings)
    actual = time.monotonic() - started
    parent.send("stop")
    arrivals = parent.recv()
    server.join(10)

    ok = sum(r.outcome == "ok" for r in results)
    by_host: dict[str, list[float]] = defaultdict(list)
    for address, at in arrivals:
        by_host[address].append(at)
    gaps = [
        b - a for ts in by_host.values() for a, b in zip(sorted(ts), sorted(ts)[1:], strict=False)
    ]
    # the slowest host bounds the run; so does the global cap when every host is always busy
    per_host_bound = (per_host - 1) * max(scenario.delay_s, scenario.latency_s) + scenario.latency_s
    global_bound = len(requests) * scenario.latency_s / global_concurrency
    ideal = max(per_host_bound, global_bound)
    return {
        "ok": ok,
        "requests": len(requests),
        "actual_s": actual,
        "ideal_s": ideal,
        "efficiency": ideal / actual,
        "min_gap_s": min(gaps) if gaps else float("nan"),
        "req_per_s": len(requests) / actual,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--feeds-per-host", type=int, default=10)
    parser.add_argument("--global-concurrency", type=int, default=64)
    args = parser.parse_args()
    scenarios = [
        Scenario("delay-bound", latency_s=0.05, delay_s=0.5),
        Scenario("latency-bound", latency_s=0.3, delay_s=0.1),
    ]
    print(
        f"{args.hosts} hosts × {args.feeds_per_host} feeds = {args.hosts * args.feeds_per_host} "
        f"requests, per-host concurrency 1, global concurrency {args.global_concurrency}, "
        f"feed {len(FEED)} bytes"
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for scenario in scenarios:
        r = run(scenario, args.hosts, args.feeds_per_host, args.global_concurrency)
        print(
            f"{scenario.name:14} latency {scenario.latency_s:.2f} s, delay {scenario.delay_s:.2f} s: "
            f"{r['ok']}/{r['requests']} ok in {r['actual_s']:.2f} s "
            f"(ideal {r['ideal_s']:.2f} s, efficiency {r['efficiency']:.0%}, "
            f"{r['req_per_s']:.0f} req/s, closest two starts on one host {r['min_gap_s']:.3f} s)"
        )
        if r["min_gap_s"] < scenario.delay_s - JITTER_S:
            print(
                f"  POLITENESS VIOLATION: gap {r['min_gap_s']:.3f} s < delay {scenario.delay_s} s"
            )
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"peak RSS of the crawler process: {rss_after / 1024:.0f} MB (before: {rss_before / 1024:.0f} MB)"
    )


if __name__ == "__main__":
    main()
