"""Simulation inputs and outputs: the npz convention of DESIGN.md, checked against a signature.

Inputs are positional (`arg0`, `arg1`, ...): memrefs as arrays of the memref's shape,
scalars as 0-d arrays. Outputs hold every memref argument after the run, same names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from unified.core.errors import Loc, SimulationError, UnifiedError
from unified.core.kernels import Function


@dataclass
class SimResult:
    outputs: dict[str, np.ndarray]
    report: dict[str, Any] = field(default_factory=dict)


def load_inputs(path: str | Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except (OSError, ValueError) as e:
        raise UnifiedError(f"cannot read inputs '{path}': {e}",
                           hint="pass an .npz written by numpy.savez with arrays arg0, arg1, ...") from None


def check_inputs(fn: Function, inputs: dict[str, np.ndarray], source: str) -> dict[str, np.ndarray]:
    """Inputs converted to the argument types; one located error for a missing or misshapen one."""
    loc = Loc(source, fn.loc[1], fn.loc[2])
    out: dict[str, np.ndarray] = {}
    for arg in fn.args:
        if arg.name not in inputs:
            raise SimulationError(
                f"input '{arg.name}' of @{fn.name} is missing",
                loc,
                hint=f"add {arg.name} ({_describe(arg)}) to the inputs .npz",
            )
        value = np.asarray(inputs[arg.name])
        if tuple(value.shape) != tuple(arg.shape):
            raise SimulationError(
                f"input '{arg.name}' of @{fn.name} has shape {tuple(value.shape)}, "
                f"the argument needs {tuple(arg.shape)}",
                loc,
                hint=f"give {arg.name} as {_describe(arg)}",
            )
        if arg.is_float != np.issubdtype(value.dtype, np.floating) and value.size:
            raise SimulationError(
                f"input '{arg.name}' of @{fn.name} is {value.dtype}, the argument is {arg.element}",
                loc,
                hint=f"give {arg.name} as {_describe(arg)}",
            )
        out[arg.name] = value.astype(arg.numpy_dtype)
    extra = sorted(set(inputs) - {a.name for a in fn.args})
    if extra:
        raise SimulationError(f"@{fn.name} takes {len(fn.args)} arguments; the inputs also hold "
                              f"{', '.join(extra)}", loc, hint="remove the extra arrays")
    return out


def _describe(arg: Any) -> str:
    if arg.kind == "scalar":
        return f"a 0-d {arg.numpy_dtype} array"
    return f"a {arg.numpy_dtype} array of shape {tuple(arg.shape)}"


def save_outputs(path: str | Path, outputs: dict[str, np.ndarray]) -> None:
    np.savez(path, **outputs)
