"""The C header of compiled kernels: memref descriptor structs and both calling conventions."""

from __future__ import annotations

from unified.core.cpp_writer import CppWriter
from unified.core.errors import Loc, VerifyError
from unified.core.kernels import Arg, Function

C_TYPES = {"i1": "bool", "i8": "int8_t", "i16": "int16_t", "i32": "int32_t", "i64": "int64_t",
           "index": "int64_t", "f32": "float", "f64": "double"}


def c_type(element: str) -> str:
    """The C type of an MLIR element type (`f32` -> `float`, `index` -> `int64_t`)."""
    if element not in C_TYPES:
        raise ValueError(f"no C type for '{element}'")
    return C_TYPES[element]


def check_callable(fn: Function, path: str, *, static_shapes: bool = False) -> None:
    """Raises a located VerifyError unless C can call `fn`: memref or scalar arguments of
    element types with a C type, at most one scalar result (and static shapes if asked)."""
    loc = Loc(path, fn.loc[1], fn.loc[2])
    for a in fn.args:
        if a.element not in C_TYPES:
            raise VerifyError(f"argument {a.index} of @{fn.name} has element type {a.element}, "
                              "which the software path cannot pass from C", loc,
                              hint=f"use one of {', '.join(C_TYPES)}")
        if static_shapes and any(d < 0 for d in a.shape):
            raise VerifyError(f"argument {a.index} of @{fn.name} has a dynamic shape", loc,
                              hint="give every memref argument a static shape to simulate it")
    if len(fn.results) > 1 or any(r not in C_TYPES for r in fn.results):
        raise VerifyError(f"@{fn.name} returns {', '.join(fn.results)}; software kernels return "
                          "nothing or one scalar", loc,
                          hint="write results into a memref argument instead")


def struct_name(arg: Arg) -> str:
    """`MemRef_f32_2d` for a 2-d f32 memref (one struct per element type and rank)."""
    return f"MemRef_{arg.element}_{len(arg.shape)}d"


def result_type(fn: Function) -> str:
    if not fn.results:
        return "void"
    if len(fn.results) > 1:
        raise ValueError(f"@{fn.name} returns {len(fn.results)} values; kernels return at most one")
    return c_type(fn.results[0])


def ciface_params(fn: Function) -> list[str]:
    """`struct MemRef_f32_2d *arg0`, `float arg1`, ... of `_mlir_ciface_<fn>`."""
    return [f"struct {struct_name(a)} *{a.name}" if a.kind == "memref" else f"{c_type(a.element)} {a.name}"
            for a in fn.args]


def expanded_params(fn: Function) -> list[str]:
    """The expanded MLIR convention, one string per argument: a memref as its allocated and
    aligned pointers, offset, sizes and strides; a scalar as itself."""
    out: list[str] = []
    for a in fn.args:
        t = c_type(a.element)
        if a.kind != "memref":
            out.append(f"{t} {a.name}")
            continue
        parts = [f"{t} *{a.name}_allocated", f"{t} *{a.name}_aligned", f"int64_t {a.name}_offset"]
        parts += [f"int64_t {a.name}_size{d}" for d in range(len(a.shape))]
        parts += [f"int64_t {a.name}_stride{d}" for d in range(len(a.shape))]
        out.append(", ".join(parts))
    return out


def emit_structs(w: CppWriter, functions: list[Function]) -> None:
    """One descriptor struct per (element type, rank) the functions use."""
    seen: dict[str, Arg] = {}
    for fn in functions:
        for a in fn.args:
            if a.kind == "memref":
                seen.setdefault(struct_name(a), a)
    for name, a in seen.items():
        rank = len(a.shape)
        with w.block(f"struct {name}", ";"):
            w.line(f"{c_type(a.element)} *allocated, *aligned;")
            w.line("int64_t offset;")
            if rank:
                w.line(f"int64_t sizes[{rank}], strides[{rank}];")
        w.line()


def _dims(shape: tuple[int, ...]) -> str:
    return ", ".join("?" if d < 0 else str(d) for d in shape)


def _prototype(w: CppWriter, head: str, params: list[str], width: int = 100) -> None:
    """`head(params);` on one line, or one parameter per line when that is too long."""
    one_line = f"{head}({', '.join(params) or 'void'});"
    if len(one_line) <= width:
        w.line(one_line)
        return
    w.line(f"{head}(")
    with w.indent():
        for i, p in enumerate(params):
            w.line(p + (");" if i == len(params) - 1 else ","))


def c_callable(fn: Function) -> bool:
    """True when C can call `fn` (see `check_callable`)."""
    try:
        check_callable(fn, "")
    except VerifyError:
        return False
    return True


def header(functions: list[Function], guard: str = "UNIFIED_SW_KERNELS_H") -> str:
    """The header text declaring `functions` in both conventions, documented in comments.

    A function C cannot call (several results, a memref result, an element type without a
    C type) is compiled all the same but only named in a comment, with the reason.
    """
    skipped = [fn for fn in functions if not c_callable(fn)]
    functions = [fn for fn in functions if c_callable(fn)]
    w = CppWriter()
    w.comment("Kernels compiled by unified (software path). Generated; do not edit.\n"
              "Each kernel F is callable two ways:\n"
              "  F(...)               the expanded MLIR convention: every memref argument passed as\n"
              "                       allocated pointer, aligned pointer, offset, sizes..., strides...\n"
              "  _mlir_ciface_F(...)  every memref argument as a pointer to its descriptor struct.\n"
              "Element (i, j, ...) of a memref lives at aligned[offset + i*strides[0] + j*strides[1] ...];\n"
              "a dense row-major array has offset 0 and strides {size1*size2..., ..., 1}.\n"
              "Memref arguments must not overlap: the code is compiled assuming they do not alias.")
    with w.include_guard(guard):
        w.line("#include <stdbool.h>")
        w.line("#include <stdint.h>")
        w.line()
        with w.extern_c():
            emit_structs(w, functions)
            for fn in functions:
                shapes = ", ".join(f"{a.name}: {a.element}[{_dims(a.shape)}]" if a.kind == "memref"
                                   else f"{a.name}: {a.element}" for a in fn.args)
                w.comment(f"@{fn.name}({shapes})")
                _prototype(w, f"{result_type(fn)} {fn.name}", expanded_params(fn))
                _prototype(w, f"{result_type(fn)} _mlir_ciface_{fn.name}", ciface_params(fn))
                w.line()
            for fn in skipped:
                try:
                    check_callable(fn, "")
                except VerifyError as e:
                    w.comment(f"@{fn.name} is compiled but not declared here: {e.message}")
                    w.line()
    return w.text()
