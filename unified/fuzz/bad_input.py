"""Bad input on purpose: mutated modules and wrong input arrays through `unified compile` and
`unified sim`, each checked for what the user contract promises.

A mutant (truncated text, an unknown op, a float where an integer stood, a call to a symbol
that is not there, a huge shape; or an npz with an array missing, of the wrong shape or
dtype, or one too many) must end with exit code 0 (it happened to be valid) or 1 with one
`error:` message naming a place in a file, never a Python traceback, and `-o OUT` must be
complete or absent. The mutations edit the source text: producing malformed input is the
point here, so no IR objects are involved.
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unified.core import tools

MUTATIONS = ("truncate", "unknown-op", "float-type", "dangling-call", "huge-shape",
             "npz-missing", "npz-shape", "npz-dtype", "npz-extra")
LOCATED = re.compile(r"^\S+:\d+:\d+: error: .+", re.MULTILINE)
ANY_ERROR = re.compile(r"^(\S+: )?error: .+", re.MULTILINE)


@dataclass
class Outcome:
    """What one mutant did: the command, its exit code, and the broken promise ('' if none)."""

    mutation: str
    command: str
    exit_code: int
    problem: str
    stderr: str


def mutate(text: str, mutation: str, rng: random.Random) -> str:
    """`text` with one `mutation` (the npz ones leave the module as it is)."""
    if mutation == "truncate":
        return text[: rng.randrange(1, max(2, len(text) - 1))]
    if mutation == "unknown-op":
        ops = [m.start() for m in re.finditer(r"arith\.\w+", text)]
        if ops:
            at = rng.choice(ops)
            end = text.index(" ", at)
            return text[:at] + "arith.frobnicate" + text[end:]
    if mutation == "float-type":
        spots = [m.start() for m in re.finditer(r"\bi32\b", text)]
        if spots:
            at = rng.choice(spots)
            return text[:at] + "f32" + text[at + 3:]
    if mutation == "dangling-call":
        body = text.rfind("return")
        if body > 0:
            return text[:body] + "func.call @no_such_kernel() : () -> ()\n    " + text[body:]
    if mutation == "huge-shape":
        shapes = [m for m in re.finditer(r"memref<(\d+)", text)]
        if shapes:
            m = rng.choice(shapes)
            return text[: m.start(1)] + "1000000000" + text[m.end(1):]
    return text


def bad_inputs(inputs: dict[str, np.ndarray], mutation: str, rng: random.Random
               ) -> dict[str, np.ndarray]:
    """`inputs` with one npz mutation (module mutations leave them as they are)."""
    out = dict(inputs)
    name = rng.choice(sorted(out))
    if mutation == "npz-missing":
        del out[name]
    elif mutation == "npz-shape":
        out[name] = np.zeros((*np.shape(out[name]), 2), dtype=out[name].dtype)
    elif mutation == "npz-dtype":
        out[name] = np.asarray(out[name]).astype(np.float64) + 0.5
    elif mutation == "npz-extra":
        out[f"arg{len(out)}"] = np.zeros(3, np.int32)
    return out


def check(mutation: str, command: list[str], out_dir: Path | None) -> Outcome:
    """Runs `command` (a `unified` command line) and names the promise it breaks, if any."""
    proc = tools.run_program(command[0], command[1:], timeout=900)
    err = proc.stderr
    problem = ""
    if "Traceback (most recent call last)" in err:
        problem = "a Python traceback"
    elif proc.returncode not in (0, 1):
        problem = f"exit code {proc.returncode}"
    elif proc.returncode == 1 and not (LOCATED.search(err) or
                                       (mutation.startswith("npz") and ANY_ERROR.search(err))):
        problem = "no located error message"
    elif out_dir is not None and proc.returncode == 1 and out_dir.exists():
        problem = "a half-written output folder"
    elif out_dir is not None and proc.returncode == 0 and not (out_dir / "report.json").exists():
        problem = "exit 0 without report.json"
    return Outcome(mutation, " ".join(command[1:3]), proc.returncode, problem, err[-2000:])


def run_one(module: Path, func: str, inputs: dict[str, np.ndarray], mutation: str, seed: int,
            unified: str | None = None) -> list[Outcome]:
    """One mutant of `module` (or of its inputs) through `unified compile` and `unified sim`."""
    rng = random.Random(seed)
    unified = unified or str(Path(sys.executable).with_name("unified"))
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="unified-bad-") as tmp:
        folder = Path(tmp)
        path = folder / module.name
        path.write_text(mutate(module.read_text(), mutation, rng))
        npz = folder / "in.npz"
        np.savez(npz, **bad_inputs(inputs, mutation, rng) if mutation.startswith("npz")
                 else inputs)
        if not mutation.startswith("npz"):
            out = folder / "build"
            outcomes.append(check(mutation, [unified, "compile", str(path), "-o", str(out),
                                             "--partition", "sw", "-q"], out))
        outcomes.append(check(mutation, [unified, "sim", str(path), "--func", func, "--target",
                                         "sw", "--inputs", str(npz), "--outputs",
                                         str(folder / "out.npz"), "-q"], None))
    return outcomes
