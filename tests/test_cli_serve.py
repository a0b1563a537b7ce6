"""`fairhire serve`: binds 127.0.0.1, warns loudly elsewhere, stops cleanly on Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")
pytest.importorskip("starlette")

ROOT = Path(__file__).parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(*args: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "fairhire.cli", "serve", "--port", str(port),
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1) as r:
                assert json.load(r)["status"] == "ok"
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(proc.communicate()[1])


def test_serve_binds_loopback_and_stops_cleanly_on_ctrl_c():
    proc, port = _start()
    try:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert f"http://127.0.0.1:{port}/" in out
    assert "Traceback" not in err and "stopped" in err
    assert "WARNING" not in err


def test_serve_warns_loudly_for_other_hosts():
    proc, _ = _start("--host", "0.0.0.0")
    try:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert "WARNING" in err and "0.0.0.0" in err and "no login" in err


def test_serve_without_the_web_extra_says_how_to_install(monkeypatch, capsys):
    import builtins

    from fairhire.cli import main

    real = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "uvicorn" or name.endswith("web.server"):
            raise ImportError("no", name="uvicorn")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    monkeypatch.delitem(sys.modules, "fairhire.web.server", raising=False)
    assert main(["serve"]) == 2
    assert "pip install 'fairhire[web]'" in capsys.readouterr().err
