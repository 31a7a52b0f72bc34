"""Our passes: a small base class and the registry `unified-opt -p NAME` resolves against.

A pass is a frozen dataclass with a kebab-case `name`, the MLIR `build` it runs in
(`mlir`, `circt` or `pycde`), typed options as fields, and one `apply(module)` that
rewrites the module through the bindings' IR objects. It runs inside that build's
worker process; `unified.mlir.ir` is the build's `ir` module there.
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any, ClassVar

# Every pass of ours, by name -> "package.module:Class". Listed here so that the parent
# process can resolve names without importing any MLIR build.
REGISTRY: dict[str, str] = {}


def register(path: str, name: str) -> None:
    REGISTRY[name] = path


class ModulePass:
    """Base of our passes: `apply` takes a builtin.module operation and changes it in place."""

    name: ClassVar[str] = ""
    build: ClassVar[str] = "mlir"

    def apply(self, module: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def from_options(cls, options: dict[str, str]) -> ModulePass:
        """Builds the pass from `{key=value ...}` options, converting to the fields' types."""
        fields = {f.name: f for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else {}
        kwargs: dict[str, Any] = {}
        for key, value in options.items():
            attr = key.replace("-", "_")
            if attr not in fields:
                known = ", ".join(sorted(f.replace("_", "-") for f in fields)) or "none"
                raise ValueError(f"pass '{cls.name}' has no option '{key}' (options: {known})")
            kwargs[attr] = _convert(value, fields[attr].type)
        return cls(**kwargs)


def _convert(value: str, typ: Any) -> Any:
    typ = typ if isinstance(typ, str) else getattr(typ, "__name__", str(typ))
    if typ == "bool":
        return value.lower() in ("1", "true", "yes", "on")
    if typ == "int":
        return int(value)
    if typ == "float":
        return float(value)
    if typ.startswith("tuple"):
        return tuple(int(v) for v in value.split(":") if v)
    return value


def load(name: str) -> type[ModulePass]:
    """The pass class registered under `name` (importing its module; no MLIR build needed)."""
    _discover()
    module_name, cls_name = REGISTRY[name].split(":")
    return getattr(importlib.import_module(module_name), cls_name)


def known(name: str) -> bool:
    _discover()
    return name in REGISTRY


def _discover() -> None:
    """Fills REGISTRY from each stage's `PASSES` table (a dict name -> "module:Class"), found
    through the `unified.passes` entry points the stages declare in pyproject.toml: the base
    layer names no stage."""
    if REGISTRY:
        return
    from importlib.metadata import entry_points

    for point in sorted(entry_points(group="unified.passes"), key=lambda p: p.name):
        for name, path in point.load().items():
            register(path, name)
