"""Verilog-2001 files read back with pyverilog, leaving nothing in the working folder.

pyverilog (PLY) writes its parser tables (`parsetab.py`), a grammar dump (`parser.out`)
and its preprocessor's output into the current folder by default. Here all of it goes to a
temporary folder (the grammar dump is not written at all). PLY imports `parsetab` by name
from sys.path, not from its output folder, so cached tables would never be read: they are
rebuilt on each parse (about a second).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from unified.core import tools


def parse_verilog(paths: list[Path]) -> Any:
    """pyverilog's AST (a `Source`) of the Verilog files `paths`; ToolNotFound without iverilog
    (pyverilog's preprocessor), ImportError without pyverilog, ParseError on a syntax error."""
    from pyverilog.vparser.parser import VerilogCodeParser

    iverilog = tools.find("iverilog")
    with tempfile.TemporaryDirectory(prefix="unified-pyverilog-") as tmp:
        before = os.environ.get("PYVERILOG_IVERILOG")
        os.environ["PYVERILOG_IVERILOG"] = iverilog  # read when the preprocessor is built
        try:
            parser = VerilogCodeParser([str(p) for p in paths],
                                       preprocess_output=str(Path(tmp) / "preprocess.output"),
                                       outputdir=tmp, debug=False)
        finally:
            if before is None:
                del os.environ["PYVERILOG_IVERILOG"]
            else:
                os.environ["PYVERILOG_IVERILOG"] = before
        return parser.parse()
