"""The web service's performance goals, measured against a real server on 127.0.0.1.

Run from the repository root with tdplan[serve] installed:

    python benchmarks/service.py            # 20,000 requests, 64 at a time; 200 batches of 10,000 values
    python benchmarks/service.py --quick    # 4,000 requests; 40 batches

It starts `tdplan serve` (one worker, no access log unless --access-log) on a free
port, then, in a separate client process (so that the client does not share the
server's interpreter), sends in turn: the framework's minimal endpoint (GET /health),
one assessment (POST …/assess), and batches of 10,000 values (POST …/assess/batch).
Each run is bounded and stops by itself. It prints throughput, p50 and p99 latency for
each, and the goals (docs/performance.md):

- one assessment costs at most 1.5 times the minimal endpoint (mean time per request);
- a batch assesses at least 500,000 values a second, end to end.

The script prints; it changes nothing and exits 0 either way.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from typing import Any

PLAN = "/v1/plans/tam-duong-2021-2030"


def scenario_requests(name: str, count: int) -> list[tuple[str, str, bytes | None]]:
    """(method, path, body) for each request of a scenario; values vary so that no cache answers alone."""
    rng = random.Random(12)
    if name == "minimal":
        return [("GET", "/health", None)] * count
    if name == "assess":
        bodies = [
            json.dumps({"indicator": "3", "value": f"{rng.randint(0, 3000) / 100}", "year": rng.choice([2024, 2025])})
            for _ in range(1000)
        ]
        return [("POST", f"{PLAN}/assess", bodies[i % len(bodies)].encode()) for i in range(count)]
    values = [f"{rng.randint(0, 3000) / 100}" for _ in range(10_000)]  # as officers write them: 2 decimals
    body = json.dumps({"indicator": "3", "year": 2025, "values": values}).encode()
    return [("POST", f"{PLAN}/assess/batch", body)] * count


async def _connection(host: str, port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection(host, port)


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> tuple[int, bytes]:
    """One HTTP/1.1 request on a kept-alive connection: the status and the body (Content-Length framing)."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for header in lines[1:]:
        name, _, value = header.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status, await reader.readexactly(length)


async def _load(url: str, name: str, count: int, concurrency: int) -> dict[str, Any]:
    """``count`` requests, ``concurrency`` at a time, each on its own kept-alive connection.

    A small HTTP/1.1 client on asyncio streams: httpx's own cost per request (about 5 ms
    here) would be larger than the server's, and the figures would measure the client.
    """
    host, port = url.removeprefix("http://").split(":")
    encoded = []
    for method, path, body in scenario_requests(name, count):
        head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        head += f"Content-Length: {len(body or b'')}\r\n\r\n"
        encoded.append(head.encode() + (body or b""))
    latencies: list[float] = []
    failures = 0
    queue = iter(encoded)

    async def worker() -> None:
        nonlocal failures
        reader, writer = await _connection(host, int(port))
        for request in queue:
            started = time.perf_counter()
            status, _ = await _exchange(reader, writer, request)
            latencies.append(time.perf_counter() - started)
            failures += status != 200
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "name": name,
        "requests": count,
        "concurrency": concurrency,
        "elapsed": elapsed,
        "per_second": count / elapsed,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "mean": statistics.fmean(latencies),
        "failures": failures,
    }


def client_main(url: str, name: str, count: int, concurrency: int) -> None:
    print(json.dumps(asyncio.run(_load(url, name, count, concurrency))))


def run_client(url: str, name: str, count: int, concurrency: int) -> dict[str, Any]:
    """One scenario, in a client process of its own."""
    command = [sys.executable, __file__, "--client", url, name, str(count), str(concurrency)]
    result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=3600)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def start_server(access_log: bool) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "tdplan", "serve", "--port", str(port)]
    if not access_log:
        command.append("--no-access-log")
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def line(result: dict[str, Any], unit: str = "requests") -> None:
    print(
        f"{result['name']:<10} {result['requests']:>7} {unit} x{result['concurrency']:<3}"
        f" {result['per_second']:>10,.0f}/s   p50 {result['p50'] * 1000:8.2f} ms   p99 {result['p99'] * 1000:8.2f} ms"
        f"   mean {result['mean'] * 1000:8.2f} ms   failures {result['failures']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests")
    parser.add_argument("--requests", type=int, help="requests per small scenario (default 20,000)")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--batches", type=int, help="batches of 10,000 values (default 200)")
    parser.add_argument("--access-log", action="store_true", help="keep the JSON access log on")
    args = parser.parse_args()
    requests = args.requests or (4000 if args.quick else 20_000)
    batches = args.batches or (40 if args.quick else 200)
    print(
        f"{platform.platform()}, {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores"
    )
    server, url = start_server(args.access_log)
    try:
        run_client(url, "assess", min(requests, 2000), args.concurrency)  # warm up
        minimal = run_client(url, "minimal", requests, args.concurrency)
        one = run_client(url, "assess", requests, args.concurrency)
        batch = run_client(url, "batch", batches, 4)
    finally:
        server.terminate()
        server.wait(timeout=10)
    line(minimal)
    line(one)
    line(batch, "batches")
    ratio = (1 / one["per_second"]) / (1 / minimal["per_second"])
    values = batch["per_second"] * 10_000
    print(
        f"one assessment / minimal endpoint (time per request): {ratio:.2f}   goal: <= 1.5   "
        f"{'met' if ratio <= 1.5 else 'NOT MET'}"
    )
    print(
        f"batch values a second, end to end: {values:,.0f}   goal: >= 500,000   "
        f"{'met' if values >= 500_000 else 'NOT MET'}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        client_main(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        main()
