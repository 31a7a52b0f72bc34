"""Upstream transform-dialect operations applied to one chosen op of a module.

    ok = transform.apply_to(module, loop, "transform.loop.unroll %op {factor = 4} : !transform.any_op")

The op is marked with a unit attribute, a named sequence matching the marked op (handle
`%op`) runs through the transform interpreter, and the mark is taken off whatever carries
it afterwards. Runs inside the `mlir` worker.
"""

from __future__ import annotations

from typing import Any

from unified.core import mlir

_MARK = "hls.transform_target"
_SEQUENCE = """
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op) {
    %op = transform.structured.match ops{["OP"]} attributes{MARK}
        in %root : (!transform.any_op) -> !transform.any_op
    BODY
    transform.yield
  }
}
"""


def apply_to(module: Any, op: Any, body: str) -> bool:
    """Runs transform `body` on `op` alone; False (the IR untouched) when it does not apply."""
    text = (_SEQUENCE.replace("OP", op.name).replace("MARK", _MARK).replace("BODY", body))
    script = mlir.ir.Module.parse(text)
    interpreter = mlir.dialect("transform.interpreter")
    op.attributes[_MARK] = mlir.ir.UnitAttr.get()
    try:
        interpreter.apply_named_sequence(module.operation, script.body.operations[0], script)
        applied = True
    except ValueError:
        applied = False
    for marked in mlir.ops_named(module.operation, op.name):
        if _MARK in marked.attributes:
            del marked.attributes[_MARK]
    return applied
