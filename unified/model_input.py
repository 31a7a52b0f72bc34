"""Models as input: `unified import MODEL.onnx -o APP.mlir`, and `.onnx` given to compile/sim.

A `.onnx` input is imported once per model content (the frontend's cache) and the
commands then read the imported unified module like any `.mlir` file.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from unified.core.errors import UnifiedError

MODEL_SUFFIXES = (".onnx",)
_IMPORTED: dict[str, str] = {}  # an imported module's cached path -> the model the user gave


def resolve(path: str) -> str:
    """`path` itself, or for an ONNX model the path of its imported unified module."""
    if not path.lower().endswith(MODEL_SUFFIXES):
        return path
    from frontend import import_cached

    if not Path(path).is_file():
        raise UnifiedError(f"cannot read '{path}': no such file", hint="check the path")
    imported = str(import_cached(path))
    _IMPORTED[imported] = path
    return imported


def shown_path(path: str) -> str:
    """The model a `resolve`d module was imported from (what a report names), else `path`."""
    return _IMPORTED.get(str(path), str(path))


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The `import` subcommand."""
    from frontend import LEVELS

    p = sub.add_parser("import", help="import an ONNX model as a unified module",
                       description="Write the unified module for MODEL.onnx: one func.func per "
                       "ONNX node (a Conv and the Relu after it are one), named after the node, "
                       "in affine/arith/memref form; weights as memref.globals that @main passes to "
                       "the kernels as trailing arguments; @main takes the model's inputs then "
                       "its outputs and calls the kernels.")
    p.add_argument("input", help="the ONNX model")
    p.add_argument("-o", "--output", required=True, help="the .mlir file to write")
    p.add_argument("--stop-after", metavar="LEVEL", choices=LEVELS,
                   help=f"stop after this IR level ({', '.join(LEVELS)})")
    p.add_argument("--dump-dir", metavar="DIR", help="write the IR after every stage to DIR")
    for side in ("hw", "sw"):
        p.add_argument(f"--{side}", metavar="NODE,...", default="",
                       help=f"force these ONNX nodes' kernels to {side} (unified.target = "
                       f'"{side}"); the others stay auto')


def main(args: argparse.Namespace) -> int:
    """`unified import`: the output file is written whole or not at all."""
    from frontend import import_model

    targets = {n: side for side in ("hw", "sw")
               for n in getattr(args, side).split(",") if n}
    text = import_model(args.input, stop_after=args.stop_after,
                        dump_dir=Path(args.dump_dir) if args.dump_dir else None,
                        targets=targets)
    out = Path(args.output)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    tmp.replace(out)
    print(f"unified: wrote {out}", file=sys.stderr)
    return 0
