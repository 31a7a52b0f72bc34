"""The security points of `unified serve` (issue 16, item 3), one test or more each: the bind
address, size limits, path traversal through every parameter that names a file, nothing from
a request reaching a shell, and a crashing or endless job not taking the server down."""

from __future__ import annotations

import ast
import io
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from unified.cli import build_parser
from unified.serve import command
from unified.serve.app import MAX_SOURCE, create_app

SERVE = Path(command.__file__).parent
VADD = "kernels/vadd.mlir"


# --------------------------------------------------------------------------- binding


def test_binds_to_loopback_unless_told_otherwise(tmp_path: Path) -> None:
    args = build_parser().parse_args(["serve", "--port", "0", "--work-root", str(tmp_path)])
    assert args.host == "127.0.0.1"
    server = command.make_server(args)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()
    assert command.bind_notice("127.0.0.1") is None and command.bind_notice("::1") is None
    assert re.fullmatch(r"warning: listening on 0\.0\.0\.0, not 127\.0\.0\.1: anyone who can "
                        r"reach this address can upload modules and run compiles on this "
                        r"machine", command.bind_notice("0.0.0.0") or "")


def test_one_command_starts_it_and_says_where(tmp_path: Path) -> None:
    """`unified serve --port 0` serves the page; with --host 0.0.0.0 it warns first."""
    unified = Path(sys.executable).with_name("unified")
    proc = subprocess.Popen([str(unified), "serve", "--host", "0.0.0.0", "--port", "0",
                             "--work-root", str(tmp_path)], stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        warning, started = proc.stderr.readline(), proc.stderr.readline()
        assert warning.startswith("unified serve: warning: listening on 0.0.0.0, not 127.0.0.1")
        url = re.match(r"unified serve: (http://0\.0\.0\.0:\d+/) \(work folder ", started)
        assert url, started
        from urllib.request import urlopen

        page = urlopen(url.group(1).replace("0.0.0.0", "127.0.0.1"), timeout=10).read().decode()
        assert "<title>unified" in page
    finally:
        proc.terminate()
        proc.wait(10)


def test_other_sites_cannot_use_it_through_the_users_browser(tmp_path: Path) -> None:
    """A loopback server answers only loopback Host names (DNS rebinding), refuses a POST
    from another origin (CSRF), and marks what it serves as data (nosniff, CSP)."""
    args = build_parser().parse_args(["serve", "--port", "0", "--work-root", str(tmp_path)])
    server = command.make_server(args)
    server.server_close()
    c = server.app.test_client()
    assert c.get("/api/examples", headers={"Host": "evil.example:8000"}).status_code == 400
    assert c.get("/api/examples", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    r = c.post("/api/compile", data={"example": VADD},
               headers={"Host": "127.0.0.1:8000", "Origin": "http://evil.example"})
    assert r.status_code == 403
    assert r.json["error"]["text"] == ("error: a page from http://evil.example may not start "
                                       "jobs here — use the page this server serves")
    assert not any(tmp_path.iterdir())
    page = c.get("/", headers={"Host": "localhost:8000"})
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Content-Security-Policy"] == "default-src 'self'"


# --------------------------------------------------------------------------- size limits


def test_upload_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    c = create_app(tmp_path, max_upload_mb=1).test_client()
    big = io.BytesIO(b"// " + b"x" * (2 << 20))
    r = c.post("/api/compile", data={"module": (big, "big.mlir")})
    assert r.status_code == 413
    assert r.json["error"]["text"].startswith("error: the request is larger than this server "
                                              "takes (uploads up to 1 MB")
    assert not any(tmp_path.iterdir())  # refused before a job folder was made


def test_pasted_module_larger_than_the_limit_is_refused(client) -> None:
    r = client.post("/api/compile", data={"source": "// " + "x" * (MAX_SOURCE + 10)})
    assert r.status_code == 413


def test_uploaded_module_over_the_source_limit_is_refused(client) -> None:
    r = client.post("/api/compile", data={
        "module": (io.BytesIO(b"// " + b"x" * (MAX_SOURCE + 10)), "a.mlir")})
    assert r.status_code == 413


# --------------------------------------------------------------------------- paths


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file beside the work root that no request may read."""
    path = tmp_path / "secret.mlir"
    path.write_text("func.func @classified() { return }\n")
    return path


def test_example_names_cannot_leave_the_examples(client, secret: Path) -> None:
    for name in ("../../../../etc/passwd", str(secret), "../pyproject.toml",
                 "%2e%2e/%2e%2e/etc/passwd", "kernels/../../README.md"):
        r = client.get(f"/api/examples/{name}", follow_redirects=True)
        assert r.status_code == 404, name
        r = client.post("/api/compile", data={"example": name})
        assert r.status_code == 404, name
        assert "classified" not in r.get_data(as_text=True)


def test_job_ir_and_run_files_cannot_leave_the_job(vadd_job, secret: Path) -> None:
    c, job = vadd_job
    j = job["job"]
    root = Path(c.application.config["UNIFIED_WORK_ROOT"])
    (root / "secret.mlir").write_text("classified")  # inside the root, outside every job
    bad_jobs = ["..", "../" + j, "0" * 32, j[:-1] + "/", "%2e%2e", str(secret)]
    bad_names = ["..", "../input.mlir", "../../secret.mlir", "%2e%2e%2fsecret.mlir",
                 str(secret), "input.mlir", ".", "ir", "vadd.sv/..", "..%2f..%2fsecret.mlir"]
    for bad in bad_jobs:
        assert c.get(f"/api/jobs/{bad}/ir/vadd.sv", follow_redirects=True).status_code == 404, bad
        r = c.post(f"/api/jobs/{bad}/run", data={"func": "vadd"}, follow_redirects=True)
        assert r.status_code in (404, 405), bad  # 405: a redirect turned the POST into a GET
    for bad in bad_names:
        r = c.get(f"/api/jobs/{j}/ir/{bad}", follow_redirects=True)
        assert r.status_code == 404, bad
        assert "classified" not in r.get_data(as_text=True)
        r = c.get(f"/api/jobs/{j}/runs/{bad}/outputs.npz", follow_redirects=True)
        assert r.status_code == 404, bad
        r = c.get(f"/api/jobs/{j}/runs/x/{bad}", follow_redirects=True)
        assert r.status_code == 404, bad
    assert c.get(f"/api/jobs/{j}/ir/vadd.sv").status_code == 200  # the real one is served


def test_uploaded_file_names_are_never_paths(client, tmp_path: Path) -> None:
    """The client's file name only labels the module in messages; it is stored as input.mlir
    (a module that does not parse: the error names it, the quickest full round trip)."""
    module = b"func.func @k(%a: memref<4xi32>) {\n  retur\n}\n"
    for name in ("../../escape.mlir", "/tmp/escape.mlir", "..\\..\\escape.mlir"):
        r = client.post("/api/compile", data={"module": (io.BytesIO(module), name)})
        assert r.status_code == 422, r.json
        label = r.json["error"]["file"]
        assert label.endswith("escape.mlir") and "/" not in label and "\\" not in label
        assert r.json["error"]["text"].startswith(f"{label}:2:3: error: ")
    assert not list(tmp_path.parent.rglob("escape.mlir")) and not Path("/tmp/escape.mlir").exists()


# --------------------------------------------------------------------------- no shell


def test_serve_never_starts_a_process_or_shell_itself() -> None:
    """Jobs go through the library's functions in the pool; the package imports nothing that
    runs a command (subprocess, os.system, os.popen, pty) and passes no shell=True."""
    for path in SERVE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert not {"subprocess", "pty", "commands"} & set(names), path
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                assert (node.value.id, node.attr) not in {
                    ("os", "system"), ("os", "popen"), ("os", "execv"), ("os", "execvp"),
                    ("os", "spawnv"), ("os", "posix_spawn")}, path
            if isinstance(node, ast.keyword):
                assert node.arg != "shell", path


def test_shell_text_in_every_field_runs_nothing(client, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = f"$(touch {marker}); touch {marker} `touch {marker}`"
    fields = ["opt_level", "unroll", "banks", "pipeline", "partition", "vlen", "entry",
              "simulate"]
    for field in fields:
        r = client.post("/api/compile", data={"example": VADD, field: evil})
        assert r.status_code in (200, 400), field
    r = client.post("/api/compile", data={"example": evil})
    assert r.status_code == 404
    module = f"// {evil}\nfunc.func @k(%a: memref<4xi32>) {{\n  return\n}}\n"
    r = client.post("/api/compile", data={"module": (io.BytesIO(module.encode()), evil + ".mlir"),
                                          "simulate": "0", "partition": "sw"})
    assert r.status_code == 200, r.json
    for field in ("func", "target", "seed"):
        data = {"func": "k", "target": "sw", field: evil}
        assert client.post(f"/api/jobs/{r.json['job']}/run", data=data).status_code == 400
    assert not marker.exists()


# --------------------------------------------------------------------------- crashes


def test_a_crashing_compile_does_not_take_the_server_down(tmp_path: Path) -> None:
    crashing = create_app(tmp_path / "a", compile_fn="serve_helpers:abort").test_client()
    r = crashing.post("/api/compile", data={"source": "func.func @k() { return }"})
    assert r.status_code == 500
    assert re.fullmatch(r"error: the job crashed \(exit code -6\); the server is still running "
                        r"— this is a compiler bug: report the module that caused it",
                        r.json["error"]["text"])
    assert crashing.get("/api/examples").status_code == 200  # the same server answers on


def test_a_job_past_the_time_limit_is_killed(tmp_path: Path) -> None:
    app = create_app(tmp_path, time_limit=3, compile_fn="serve_helpers:sleep_forever")
    t0 = time.monotonic()
    r = app.test_client().post("/api/compile", data={"source": "func.func @k() { return }"})
    assert r.status_code == 500 and time.monotonic() - t0 < 30
    assert r.json["error"]["text"].startswith("error: the job took longer than 3 s and was "
                                              "stopped")
    pid = int(next(tmp_path.rglob("sleeper.pid")).read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_two_users_compiling_at_once_get_their_own_files(client) -> None:
    def module(name: str) -> str:
        return (f"func.func @{name}(%a: memref<4xi32>) {{\n  affine.for %i = 0 to 4 {{\n"
                f"    %x = affine.load %a[%i] : memref<4xi32>\n"
                f"    affine.store %x, %a[%i] : memref<4xi32>\n  }}\n  return\n}}\n")

    def compile_(name: str) -> dict:
        r = client.post("/api/compile", data={"source": module(name), "simulate": "0",
                                              "partition": "hw"})
        assert r.status_code == 200, r.json
        return r.json

    with ThreadPoolExecutor(max_workers=2) as users:
        one, two = users.map(compile_, ["alice", "bob"])
    assert one["job"] != two["job"]
    assert list(one["report"]["kernels"]) == ["alice"]
    assert list(two["report"]["kernels"]) == ["bob"]
    assert client.get(f"/api/jobs/{one['job']}/ir/bob.sv").status_code == 404
    assert "module alice" in client.get(f"/api/jobs/{one['job']}/ir/alice.sv").get_data(True)


def test_compiles_share_the_content_cache(tmp_path: Path, monkeypatch) -> None:
    """A second user's compile of the same module reuses the first one's cache entries (the
    same UNIFIED_CACHE as the CLI's) and adds none."""
    monkeypatch.setenv("UNIFIED_CACHE", str(tmp_path / "cache"))  # the pool's children see it
    c = create_app(tmp_path / "work").test_client()

    def entries() -> dict[str, float]:
        return {str(p): p.stat().st_mtime for p in (tmp_path / "cache").glob("*/*")}

    data = {"example": VADD, "partition": "hw", "simulate": "0"}
    assert c.post("/api/compile", data=data).status_code == 200
    first = entries()
    assert any("/hw-kernel/" in p for p in first) and any("/yosys-area/" in p for p in first)
    assert c.post("/api/compile", data=data).status_code == 200
    assert entries() == first
