"""Reading a user's MLIR file and describing it, with errors located in that file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from unified.core.errors import Loc, ParseError, UnifiedError, VerifyError
from unified.core.kernels import Function, ModuleInfo, signature_problem
from unified.core.toolchain import worker

# The build that parses everything a unified module may hold (func/affine/arith/memref/scf
# and hw/comb/seq); see unified.mlir.new_context.
PARSER_BUILD = "pycde"
# The build that parses software-only modules pycde cannot (math, vector, linalg, ...).
SOFTWARE_BUILD = "mlir"


@dataclass
class Source:
    path: str
    text: str
    info: ModuleInfo
    build: str = PARSER_BUILD  # the MLIR build that parses it (SOFTWARE_BUILD: no hw dialects)

    def loc(self, where: tuple[str, int, int]) -> Loc:
        return Loc(self.path, where[1], where[2])

    def function(self, name: str) -> Function:
        """The function `name`, or a located error listing the ones there are."""
        if name not in self.info.functions:
            have = ", ".join(f"@{n}" for n in self.info.functions) or "none"
            raise VerifyError(f"no function @{name} in this module", Loc(self.path, 1, 1),
                              hint=f"functions here: {have}")
        fn = self.info.functions[name]
        problem = signature_problem(fn)
        if problem:
            raise VerifyError(problem[0], self.loc(fn.loc), hint=problem[1])
        return fn


def read(path: str | Path) -> Source:
    """Reads and parses `path`; ParseError points into the file on a syntax error."""
    p = Path(path)
    try:
        text = p.read_text()
    except OSError as e:
        raise UnifiedError(f"cannot read '{path}': {e.strerror}", hint="check the path") from None
    build = PARSER_BUILD
    try:
        info = worker(PARSER_BUILD).call(text, "unified.core.kernels:describe")
    except ParseError as e:
        # Software-only dialects (math, vector, ...) are upstream MLIR's, not CIRCT's.
        try:
            info = worker(SOFTWARE_BUILD).call(text, "unified.core.kernels:describe")
            build = SOFTWARE_BUILD
        except UnifiedError:
            raise e.with_file(str(path)) from None
    except UnifiedError as e:
        raise e.with_file(str(path)) from None
    return Source(str(path), text, info, build)
