"""Benchmark: HTTP load on `assistant serve` — answers/s, latency percentiles and errors at 16 concurrent
clients and at 1, against N uvicorn workers on 127.0.0.1. Prints numbers; asserts nothing.

    .venv/bin/python evals/bench_http.py [--seconds 60] [--clients 16,1] [--workers 2] [--data-dir DIR]

The server runs with the rate limit off (every client here is one address). Questions cycle through
evals/questions.jsonl. The index is the configured one (ASSISTANT_DATA_DIR, or --data-dir); an empty one
is built first by `assistant serve`.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    clients: int
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        n = len(self.latencies_ms)
        p50, p95, p99 = np.percentile(self.latencies_ms, [50, 95, 99]) if n else (float("nan"),) * 3
        errors = sum(self.errors.values())
        detail = f" ({', '.join(f'{k}: {v}' for k, v in sorted(self.errors.items()))})" if errors else ""
        return (
            f"| {self.clients:>2} | {n / self.seconds:7.1f} | {p50:7.0f} | {p95:7.0f} | {p99:7.0f} | {n:6d} | "
            f"{errors}{detail} |"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_questions() -> list[str]:
    import json

    lines = (ROOT / "evals" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def start_server(
    port: int, workers: int, data_dir: Path | None, extra_env: dict[str, str] | None = None
) -> subprocess.Popen:
    env = {**os.environ, "ASSISTANT_RATE_LIMIT_PER_MINUTE": "0", **(extra_env or {})}
    if data_dir:
        env["ASSISTANT_DATA_DIR"] = str(data_dir)
    command = [
        str(Path(sys.executable).with_name("assistant")), "serve",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def wait_ready(base: str, server: subprocess.Popen, timeout: float) -> None:
    """Until /readyz says ready several times in a row (each worker loads its own index)."""
    deadline, streak = time.monotonic() + timeout, 0
    while streak < 10:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode}")
        if time.monotonic() > deadline:
            raise SystemExit(f"the server was not ready within {timeout:.0f} s")
        try:
            streak = streak + 1 if httpx.get(f"{base}/readyz", timeout=5).status_code == 200 else 0
        except httpx.HTTPError:
            streak = 0
        time.sleep(0.3)


async def load(base: str, clients: int, seconds: float, questions: list[str]) -> Run:
    run = Run(clients)
    cycle = itertools.cycle(questions)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:

        async def client() -> None:
            while time.perf_counter() < end:
                question = next(cycle)
                start = time.perf_counter()
                try:
                    response = await http.post("/v1/ask", json={"question": question})
                    kind = None if response.status_code == 200 else f"HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    kind = type(exc).__name__
                if kind:
                    run.errors[kind] = run.errors.get(kind, 0) + 1
                else:
                    run.latencies_ms.append((time.perf_counter() - start) * 1000)

        begin = time.perf_counter()
        end = begin + seconds
        await asyncio.gather(*(client() for _ in range(clients)))
        run.seconds = time.perf_counter() - begin
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="Length of each load run.")
    parser.add_argument("--clients", default="16,1", help="Comma-separated concurrent client counts.")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes.")
    parser.add_argument("--data-dir", type=Path, default=None, help="Index to serve (default: the configured).")
    parser.add_argument("--ready-timeout", type=float, default=900, help="Seconds to wait for the index.")
    args = parser.parse_args()

    questions = load_questions()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, args.workers, args.data_dir)
    try:
        wait_ready(base, server, args.ready_timeout)
        asyncio.run(load(base, min(4, args.workers * 2), 5, questions))  # warm both workers
        runs = [asyncio.run(load(base, int(n), args.seconds, questions)) for n in args.clients.split(",")]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)

    print(f"\nPOST /v1/ask, {args.workers} uvicorn workers, {args.seconds:.0f} s per run, {os.cpu_count()} CPUs")
    print("| clients | answers/s | p50 ms | p95 ms | p99 ms | answers | errors |")
    print("|---|---|---|---|---|---|---|")
    for run in runs:
        print(run.line())


if __name__ == "__main__":
    main()
