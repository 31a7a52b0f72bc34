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


def resolve(path: str) -> str:
    """`path` itself, or for an ONNX model the path of its imported unified module."""
    if not path.lower().endswith(MODEL_SUFFIXES):
        return path
    from frontend import import_cached

    if not Path(path).is_file():
        raise UnifiedError(f"cannot read '{path}': no such file", hint="check the path")
    return str(import_cached(path))


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The `import` subcommand."""
    from frontend import LEVELS

    p = sub.add_parser("import", help="import an ONNX model as a unified module",
                       description="Write the unified module for MODEL.onnx: one func.func per "
                       "ONNX node (a Conv and the Relu after it are one), named after the node, "
                       "in affine/arith/memref form; weights as constant memref.globals; @main "
                       "takes the model's inputs then its outputs and calls the kernels.")
    p.add_argument("input", help="the ONNX model")
    p.add_argument("-o", "--output", required=True, help="the .mlir file to write")
    p.add_argument("--stop-after", metavar="LEVEL", choices=LEVELS,
                   help=f"stop after this IR level ({', '.join(LEVELS)})")
    p.add_argument("--dump-dir", metavar="DIR", help="write the IR after every stage to DIR")


def main(args: argparse.Namespace) -> int:
    """`unified import`: the output file is written whole or not at all."""
    from frontend import import_model

    text = import_model(args.input, stop_after=args.stop_after,
                        dump_dir=Path(args.dump_dir) if args.dump_dir else None)
    out = Path(args.output)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    tmp.replace(out)
    print(f"unified: wrote {out}", file=sys.stderr)
    return 0
