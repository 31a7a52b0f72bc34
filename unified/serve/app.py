"""The Flask application of `unified serve`: the page, and a small JSON API under /api/.

    app = create_app("/tmp/work")      # then app.test_client(), or serve it (unified serve)

Each compile gets a fresh job folder and runs in the bounded pool; runs and downloads name a
job by its id and a file only as one its folder lists. Errors come back as JSON with their
location in the user's module: 400 a bad parameter, 404 an unknown job or file, 413 too
large, 422 the compiler's located error, 500 a job that crashed or ran out of time.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, jsonify, request, send_file
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from unified.core.errors import Loc, UnifiedError
from unified.serve import params
from unified.serve.jobs import MODEL, SOURCE
from unified.serve.pool import JobFailed, JobPool
from unified.serve.workspace import NotFound, Workspace

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAME = "name"  # in a job folder: the module's name as the page shows it
OPTIONS = "options.json"  # in a job folder: the options of its compile, for its runs
MAX_SOURCE = 1 << 20  # a pasted module, in bytes
HW_LEVELS = (("affine", ".affine.mlir"), ("scf", ".scf.mlir"), ("calyx", ".calyx.mlir"),
             ("hw", ".hw.mlir"), ("sv dialect", ".sv.mlir"), ("SystemVerilog", ".sv"))
SW_LEVELS = (("vector", ".split.mlir"), ("llvm dialect", ".llvm.mlir"), ("LLVM IR", ".ll"),
             ("RVV assembly", ".rvv.s"))
SW_MODULE = Path(SOURCE).stem  # the software files are named after the module


class CrossOrigin(params.BadRequest):
    """A POST from another site's page (HTTP 403)."""


# HTTP status per error; the compiler's own (located) errors are 422
STATUS = ((NotFound, 404), (CrossOrigin, 403), (params.BadRequest, 400), (JobFailed, 500))


def create_app(work_root: str | Path | None = None, *, workers: int = 2,
               time_limit: float = 600.0, max_upload_mb: float = 16.0,
               trusted_hosts: list[str] | None = None,
               compile_fn: str = "unified.serve.jobs:compile_job",
               run_fn: str = "unified.serve.jobs:run_job") -> Flask:
    """The application, its job folders under `work_root` (a new temporary folder if None),
    at most `workers` compiles or runs at once, each stopped after `time_limit` seconds;
    `trusted_hosts`: the only Host headers it answers (against DNS rebinding)."""
    app = Flask(__name__, static_folder="static", static_url_path="/static")
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the report's order
    app.config["TRUSTED_HOSTS"] = trusted_hosts
    app.config["MAX_CONTENT_LENGTH"] = int(max_upload_mb * (1 << 20))
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_SOURCE + 4096
    space = Workspace(work_root or tempfile.mkdtemp(prefix="unified-serve-"))
    pool = JobPool(workers, time_limit)
    app.config["UNIFIED_WORK_ROOT"] = str(space.root)

    @app.before_request
    def same_origin() -> None:
        """Another site's page may not make the user's browser post here (CSRF)."""
        origin = request.headers.get("Origin")
        if request.method == "POST" and origin and urlsplit(origin).netloc != request.host:
            raise CrossOrigin(f"a page from {origin[:80]} may not start jobs here",
                              hint="use the page this server serves")

    @app.after_request
    def no_sniffing(response: Response) -> Response:
        """Served IR and files are data: never run as a page, the page loads only its own."""
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "default-src 'self'"
        return response

    @app.get("/")
    def index() -> Response:
        return app.send_static_file("index.html")

    @app.get("/api/examples")
    def examples() -> Response:
        return jsonify(examples=sorted(_examples()))

    @app.get("/api/examples/<path:name>")
    def example(name: str) -> Response:
        return jsonify(name=name, text=_example(name).read_text())

    @app.post("/api/compile")
    def compile_() -> Response:
        options = params.options(request.form)
        return jsonify(_compile(_new_job(), options))

    @app.post("/api/compare")
    def compare() -> Response:
        a, b = params.options(request.form, "a_"), params.options(request.form, "b_")
        first = _new_job()
        jobs = [first, _same_input(first)]
        with ThreadPoolExecutor(max_workers=2) as both:
            ra, rb = both.map(lambda jo: _compile(*jo), zip(jobs, (a, b)))
        diff = _sv_diff(jobs[0][1], jobs[1][1], list(ra["report"]["kernels"]))
        return jsonify(a=ra, b=rb, diff=diff)

    @app.get("/api/jobs/<job>/ir/<name>")
    def ir(job: str, name: str) -> Response:
        return Response(space.file(job, "ir", name).read_text(), mimetype="text/plain")

    @app.post("/api/jobs/<job>/run")
    def run(job: str) -> Response:
        folder = space.job(job)
        options = json.loads(space.file(job, OPTIONS).read_text())  # the compile's options
        func = params.symbol(request.form.get("func", ""), "func")
        target = params.choice(request.form.get("target", "hw"), "target", params.TARGETS)
        seed = params.integer(request.form.get("seed") or "0", "seed", 0, 2**31 - 1)
        run_id = uuid.uuid4().hex
        out = folder / "runs" / run_id
        out.mkdir(parents=True)
        upload = request.files.get("inputs")
        if upload is not None and upload.filename:
            upload.save(out / "inputs.npz")
        try:
            result = pool.run(run_fn, folder=str(folder), run=run_id, func=func, target=target,
                              options=options, seed=seed)
        except UnifiedError as e:
            raise _relabel(e, folder, (folder / NAME).read_text()) from None
        return jsonify(ok=True, run=run_id, **result)

    @app.get("/api/jobs/<job>/runs/<run>/<name>")
    def run_file(job: str, run: str, name: str) -> Response:
        return send_file(space.file(job, "runs", run, name), as_attachment=name != "wave.vcd")

    @app.errorhandler(UnifiedError)
    def unified_error(e: UnifiedError) -> tuple[Response, int]:
        status = next((code for cls, code in STATUS if isinstance(e, cls)), 422)
        return jsonify(ok=False, error=_error(e)), status

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_e: RequestEntityTooLarge) -> tuple[Response, int]:
        error = UnifiedError(f"the request is larger than this server takes (uploads up to "
                             f"{max_upload_mb:g} MB, a pasted module up to "
                             f"{MAX_SOURCE >> 10} KB)", hint="send a smaller module or model")
        return jsonify(ok=False, error=_error(error)), 413

    def _new_job() -> tuple[str, Path, str]:
        """A job folder holding the request's module (pasted, an example, or uploaded)."""
        job, folder = space.new_job()
        try:
            name = _store_input(folder, request.form, request.files.get("module"))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        (folder / NAME).write_text(name)
        return job, folder, name

    def _same_input(job_folder_name: tuple[str, Path, str]) -> tuple[str, Path, str]:
        """A second job folder holding the same module as the first."""
        job, folder = space.new_job()
        for name in (SOURCE, MODEL, NAME):
            if (job_folder_name[1] / name).is_file():
                shutil.copyfile(job_folder_name[1] / name, folder / name)
        return job, folder, job_folder_name[2]

    def _compile(job_folder_name: tuple[str, Path, str], options: params.Options) -> dict:
        job, folder, name = job_folder_name
        (folder / OPTIONS).write_text(json.dumps(options.as_kwargs()))
        try:
            report = pool.run(compile_fn, folder=str(folder), options=options.as_kwargs())
        except UnifiedError as e:
            raise _relabel(e, folder, name) from None
        return {"ok": True, "job": job, "name": name, "source": (folder / SOURCE).read_text(),
                "report": report, "ir": _ir_files(folder / "ir", report),
                "options": options.as_kwargs()}

    return app


def _store_input(folder: Path, form: Any, upload: FileStorage | None) -> str:
    """Writes the module into the job folder; returns the name the page shows for it."""
    if upload is not None and upload.filename:
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(upload.filename).name)[-64:] or SOURCE
        if name.lower().endswith(".onnx"):
            upload.save(folder / MODEL)
            return name
        data = upload.read(MAX_SOURCE + 1)
        text = _decode(data, name)
    elif form.get("example"):
        name = form["example"]
        text = _example(name).read_text()
    else:
        name, text = SOURCE, form.get("source", "")
    if not text.strip():
        raise params.BadRequest("the module is empty",
                                hint="paste a module, choose an example, or upload a file")
    if len(text.encode()) > MAX_SOURCE:
        raise RequestEntityTooLarge()
    (folder / SOURCE).write_text(text)
    return name


def _decode(data: bytes, name: str) -> str:
    if len(data) > MAX_SOURCE:
        raise RequestEntityTooLarge()
    try:
        return data.decode()
    except UnicodeDecodeError:
        raise params.BadRequest(f"'{name}' is not a UTF-8 text file",
                                hint="upload an .mlir module or an .onnx model") from None


def _examples() -> dict[str, Path]:
    """The bundled example modules by their name under examples/ (the only names served)."""
    if not EXAMPLES.is_dir():
        return {}
    return {p.relative_to(EXAMPLES).as_posix(): p for p in sorted(EXAMPLES.rglob("*.mlir"))}


def _example(name: str) -> Path:
    """The bundled example `name`; NotFound for any other name."""
    path = _examples().get(name)
    if path is None:
        raise NotFound(f"no example '{name[:80]}'", hint="choose one from /api/examples")
    return path


def _ir_files(folder: Path, report: dict) -> dict[str, Any]:
    """The IR tabs: per kernel its hardware levels, and the software levels (whole module)."""
    have = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    hw = {k: [[label, f"{k}{suffix}"] for label, suffix in HW_LEVELS if f"{k}{suffix}" in have]
          for k in report["kernels"]}
    sw = [[label, f"{SW_MODULE}{suffix}"] for label, suffix in SW_LEVELS
          if f"{SW_MODULE}{suffix}" in have]
    return {"hw": hw, "sw": sw}


def _sv_diff(a: Path, b: Path, kernels: list[str]) -> str:
    """The unified diff of each kernel's SystemVerilog between the compiles in job folders
    `a` and `b` (a kernel without hardware in one of them diffs against nothing)."""
    parts: list[str] = []
    for k in kernels:
        old, new = (_lines(folder / "ir" / f"{k}.sv") for folder in (a, b))
        parts += difflib.unified_diff(old, new, f"A/{k}.sv", f"B/{k}.sv")
    return "".join(parts)[: 1 << 20]


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines(keepends=True) if path.is_file() else []


def _relabel(e: UnifiedError, folder: Path, name: str) -> UnifiedError:
    """Names the module as the user knows it in place of its path in the job folder."""
    if e.loc is not None and (e.loc.file in ("-", "") or Path(e.loc.file).parent == folder):
        e.loc = Loc(name, e.loc.line, e.loc.col)
    e.message = re.sub(r"(^|\n)-:(?=\d)", lambda m: f"{m.group(1)}{name}:",
                       e.message.replace(str(folder) + "/", ""))
    return e


def _error(e: UnifiedError) -> dict[str, Any]:
    loc = e.loc or Loc("")
    return {"message": e.message, "hint": e.hint, "file": loc.file, "line": loc.line,
            "col": loc.col, "kind": e.__class__.__name__, "text": e.render()}
