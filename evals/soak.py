"""Soak: steady HTTP load on `assistant serve` for minutes while the corpus is re-ingested twice by
`assistant ingest` in another process. Prints 5xx and other errors, answers/s, latency percentiles and
the workers' memory at the start and the end; asserts nothing.

    .venv/bin/python evals/soak.py [--minutes 10] [--clients 4] [--workers 2] [--chroma-server]
                                   [--data-dir DIR]

It works on copies: the bundled corpus is copied to a temporary folder, and each re-ingest edits that copy
(one paragraph appended to the annual report, so one document changes and a new index generation is
written). Without --data-dir the copy is ingested first (minutes). With --chroma-server the vectors live
in a `chroma run` server started here, shared by the workers and the ingests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_http import Run, free_port, load, load_questions, start_server, wait_ready  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).with_name("assistant"))
EDITED = Path("sscp-annual-report-2022-23") / "report.md"
CODEWORDS = {1: "QUARTZFIELD", 2: "ZEPHYRGATE"}


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").iterdir():
            children = [int(c) for c in (task / "children").read_text().split()]
            found += children
            todo += children
    return found


def worker_memory(server: subprocess.Popen) -> dict[int, float]:
    """RSS (MiB) of each uvicorn worker: the server's descendants that hold the model (> 200 MiB)."""
    sizes = {pid: rss_mib(pid) for pid in descendants(server.pid)}
    return {pid: round(mib, 1) for pid, mib in sizes.items() if mib > 200}


def start_chroma(path: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("chroma")), "run", "--path", str(path), "--host", "127.0.0.1",
         "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    for _ in range(240):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                return process, port
        except httpx.HTTPError:
            time.sleep(0.25)
    raise SystemExit("chroma run did not start")


def reingest(corpus: Path, env: dict[str, str], n: int) -> dict[str, float | str]:
    """Edit one document of the copy and run `assistant ingest` on it, as a business unit would."""
    with (corpus / EDITED).open("a", encoding="utf-8") as handle:
        handle.write(f"\n\n## Soak revision {n}\n\nThe soak test codeword for revision {n} is {CODEWORDS[n]}.\n")
    started = time.perf_counter()
    done = subprocess.run([CLI, "ingest"], env=env, capture_output=True, text=True)
    last = ((done.stdout + done.stderr).strip().splitlines() or [""])[-1]
    return {"seconds": round(time.perf_counter() - started, 1), "status": done.returncode, "summary": last}


def seconds_until_served(base: str, n: int, limit: float = 60) -> float | None:
    """How long after now until an answer quotes revision n's codeword (None: not within the limit)."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        response = httpx.post(f"{base}/v1/ask", json={"question": f"What is the soak test codeword for revision {n}?"},
                              timeout=60)
        if response.status_code == 200 and CODEWORDS[n] in response.json()["answer"]:
            return round(time.perf_counter() - started, 1)
        time.sleep(0.5)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10, help="Length of the load.")
    parser.add_argument("--clients", type=int, default=4, help="Concurrent clients, each asking back to back.")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes.")
    parser.add_argument("--chroma-server", action="store_true", help="Keep vectors in a `chroma run` server.")
    parser.add_argument("--data-dir", type=Path, help="An index of the bundled corpus to start from (copied).")
    parser.add_argument("--out", type=Path, default=ROOT / "evals" / "out" / "soak.json", help="JSON results.")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="soak-"))
    corpus, data = work / "corpus", work / "data"
    shutil.copytree(ROOT / "corpus", corpus)
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_DATA_DIR": str(data),
           "ASSISTANT_RATE_LIMIT_PER_MINUTE": "0"}
    chroma = None
    if args.chroma_server:
        chroma, port = start_chroma(work / "chroma-server")
        env |= {"ASSISTANT_CHROMA_HOST": "127.0.0.1", "ASSISTANT_CHROMA_PORT": str(port)}
    elif args.data_dir:
        shutil.copytree(args.data_dir, data)
    results: dict[str, object] = {"minutes": args.minutes, "clients": args.clients, "workers": args.workers,
                                  "chroma_server": args.chroma_server, "cpus": os.cpu_count()}
    server = None
    try:
        started = time.perf_counter()
        subprocess.run([CLI, "ingest"], env=env, check=True, capture_output=True)
        results["initial_ingest_seconds"] = round(time.perf_counter() - started, 1)
        base_port = free_port()
        base = f"http://127.0.0.1:{base_port}"
        server = start_server(base_port, args.workers, data, env)
        wait_ready(base, server, 900)
        questions = load_questions()
        asyncio.run(load(base, args.clients, 60, questions))  # warm up every worker and its caches
        results["memory_start_mib"] = worker_memory(server)

        seconds = args.minutes * 60
        ingests: list[dict[str, object]] = []
        memory: list[dict[str, object]] = []

        def reingest_twice() -> None:
            for n in (1, 2):
                time.sleep(seconds / 3)
                done = reingest(corpus, env, n)
                served = seconds_until_served(base, n)
                ingests.append({"at_s": round(n * seconds / 3), **done, "served_after_s": served})

        def sample_memory() -> None:
            begin = time.perf_counter()
            while not finished.wait(30):
                memory.append({"at_s": round(time.perf_counter() - begin), "mib": worker_memory(server)})

        finished = threading.Event()
        helpers = [threading.Thread(target=reingest_twice), threading.Thread(target=sample_memory)]
        for helper in helpers:
            helper.start()
        run: Run = asyncio.run(load(base, args.clients, seconds, questions))
        finished.set()
        for helper in helpers:
            helper.join()
        results["memory_end_mib"] = worker_memory(server)
        results["memory_every_30_s"] = memory
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if chroma is not None:
            os.killpg(chroma.pid, signal.SIGTERM)
        shutil.rmtree(work, ignore_errors=True)

    n = len(run.latencies_ms)
    p50, p95, p99 = (round(float(v)) for v in np.percentile(run.latencies_ms, [50, 95, 99])) if n else (0, 0, 0)
    five_xx = sum(v for k, v in run.errors.items() if k.startswith("HTTP 5"))
    results |= {"answers": n, "answers_per_s": round(n / run.seconds, 2), "p50_ms": p50, "p95_ms": p95,
                "p99_ms": p99, "errors": run.errors, "5xx": five_xx, "reingests": ingests}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
