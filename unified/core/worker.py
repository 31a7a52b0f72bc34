"""The worker process: `python -m unified.worker BUILD` serves requests from `unified.toolchain`.

Its stdout carries the length-prefixed pickle frames; everything native code prints goes
to stderr, which the parent keeps in a log file.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from typing import Any

from unified.core import mlir, passes
from unified.core.errors import UnifiedError
from unified.core.toolchain import _recv, _send


def _diagnostics(error: Exception) -> list[tuple[str, int, int, str]]:
    out = []
    for d in getattr(error, "error_diagnostics", []) or []:
        file, line, col = mlir.location_of(d.location)
        out.append((file, line, col, d.message))
        for note in getattr(d, "notes", []) or []:
            f, ln, c = mlir.location_of(note.location)
            out.append((f, ln, c, note.message))
    return out


def _parse_pipeline(text: str, ctx: Any) -> Any:
    """The PassManager for `text`; a pipeline this build cannot parse is the user's error."""
    try:
        return mlir.passmanager.PassManager.parse(text, ctx)
    except ValueError as e:
        lines = [ln for ln in str(e).splitlines() if "error: " in ln] or [str(e)]
        why = lines[0].split("error: ", 1)[-1]
        raise UnifiedError(f"cannot parse pass pipeline '{text}': {why}",
                           hint="spell the pipeline as mlir-opt/circt-opt would, e.g. "
                           "builtin.module(func.func(lower-affine))") from None


def _serve_one(ctx: Any, request: dict[str, Any]) -> dict[str, Any]:
    ir = mlir.ir
    try:
        module = ir.Module.parse(request["text"], ctx)
    except Exception as e:  # noqa: BLE001 - MLIRError: a syntax or verifier error in the input
        return {"ok": False, "kind": "parse", "message": str(e), "diagnostics": _diagnostics(e)}
    values: list[Any] = []
    for step in request["steps"]:
        kind, what = step[0], step[1]
        try:
            if kind == "pipeline":
                _parse_pipeline(what, ctx).run(module.operation)
            elif kind == "pass":
                cls = passes.load(what)
                with ctx, ir.Location.unknown(ctx):
                    cls.from_options(step[2]).apply(module)
                module.operation.verify()
            else:
                mod_name, fn_name = what.split(":")
                fn = getattr(importlib.import_module(mod_name), fn_name)
                with ctx, ir.Location.unknown(ctx):
                    values.append(fn(module, **step[2]))
        except UnifiedError as e:
            return {"ok": False, "kind": "user", "exception": e, "message": e.message}
        except Exception as e:  # noqa: BLE001 - any failure of a pass becomes a reply
            return {
                "ok": False,
                "kind": "pass",
                "step": what,
                "message": f"{what}: {str(e) or e.__class__.__name__}",
                "diagnostics": _diagnostics(e),
                "trace": "" if hasattr(e, "error_diagnostics") else traceback.format_exc(),
            }
    text = ""
    if request["print"]:
        text = module.operation.get_asm(
            print_generic_op_form=request["generic"], enable_debug_info=request["debug_info"]
        )
    return {"ok": True, "text": text, "values": values}


def main() -> None:
    build = sys.argv[1]
    proto_out = os.fdopen(os.dup(1), "wb")
    proto_in = os.fdopen(os.dup(0), "rb")
    os.dup2(2, 1)  # native prints must never reach the protocol pipe
    sys.stdout = sys.stderr
    mlir.bind(build)
    ctx = mlir.new_context()
    while True:
        try:
            request = _recv(proto_in)
        except EOFError:
            return
        if request is None:
            return
        try:
            reply = _serve_one(ctx, request)
        except Exception as e:  # noqa: BLE001 - never let the worker die on a bad request
            reply = {"ok": False, "kind": "pass", "message": repr(e), "trace": traceback.format_exc()}
        _send(proto_out, reply)


if __name__ == "__main__":
    main()
