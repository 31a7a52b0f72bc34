"""lit configuration for the pass tests: `// RUN: unified-opt %s -p NAME | filecheck %s`.

Run one file with `.venv/bin/lit -v tests/lit/core/x.mlir`; pytest runs each file as an item
(tests/conftest.py), so `pytest tests` covers both.
"""

# ruff: noqa: F821  (lit provides `config`)
from __future__ import annotations

import os
import sys

import lit.formats

here = os.path.dirname(os.path.abspath(__file__))

config.name = "unified"
# lit 23 rejects execute_external=True; its internal shell handles our pipes.
config.test_format = lit.formats.ShTest(False)
config.suffixes = [".mlir"]
config.excludes = ["Inputs", "Output"]
config.test_source_root = here
config.test_exec_root = os.path.join(here, "Output")

# The venv's console scripts (unified-opt, filecheck) come first, whatever PATH the caller had.
bin_dir = os.path.dirname(sys.executable)
config.environment["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
for name in ("HOME", "TMPDIR", "UNIFIED_CACHE", "LANG", "LC_ALL"):
    if name in os.environ:
        config.environment[name] = os.environ[name]
config.substitutions.append(("%PYTHON", sys.executable))
