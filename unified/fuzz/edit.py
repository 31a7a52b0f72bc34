"""Rewrites of a `Kernel` description for the reducer: each one mutates the kernel it is given.

Statements are addressed by (path, index): a path is a tuple of (statement index, block
attribute) steps from the kernel body (`(3, "body")` is the body of the 4th statement);
the step (-1, "helper") starts at the helper's body instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from unified.fuzz.desc import (
    Aff,
    Alloc,
    Bin,
    Call,
    Cast,
    Cmp,
    Const,
    Fill,
    For,
    If,
    Kernel,
    Load,
    Select,
    Store,
    Unary,
    blocks,
    defs,
    types,
    uses,
    walk,
)

Path = tuple[tuple[int, str], ...]
PURE = (Const, Bin, Unary, Cmp, Select, Cast, Load, Call)


def block_at(kernel: Kernel, path: Path) -> list:
    """The statement list at `path`."""
    block = kernel.body
    for i, attr in path:
        block = kernel.helper.body if i == -1 else getattr(block[i], attr)
    return block


def locations(kernel: Kernel) -> Iterator[tuple[Path, list]]:
    """Every block of the kernel (helper last) with its path, outermost first."""
    todo: list[tuple[Path, list]] = [((), kernel.body)]
    while todo:
        path, block = todo.pop(0)
        yield path, block
        for i, s in enumerate(block):
            if isinstance(s, For):
                todo.append(((*path, (i, "body")), s.body))
            elif isinstance(s, If):
                todo.append(((*path, (i, "then")), s.then))
                todo.append(((*path, (i, "else_")), s.else_))
    if kernel.helper:
        yield ((-1, "helper"),), kernel.helper.body


def all_statements(kernel: Kernel) -> Iterator:
    """Every statement of the kernel and of its helper."""
    yield from walk(kernel.body)
    if kernel.helper:
        yield from kernel.helper.body


def used_names(kernel: Kernel) -> set[str]:
    """Every SSA value some statement (or the helper's return) reads."""
    names = {n for s in all_statements(kernel) for n in uses(s)}
    if kernel.helper:
        names.add(kernel.helper.ret)
    return names


def rename(kernel: Kernel, mapping: dict[str, str]) -> None:
    """Replaces uses (not definitions) of values by `mapping` everywhere."""
    if not mapping:
        return

    def m(name: str) -> str:
        return mapping.get(name, name)

    for s in all_statements(kernel):
        if isinstance(s, Bin | Cmp):
            s.a, s.b = m(s.a), m(s.b)
        elif isinstance(s, Select):
            s.cond, s.a, s.b = m(s.cond), m(s.a), m(s.b)
        elif isinstance(s, Unary) or isinstance(s, Cast) and s.op != "index_cast":
            s.a = m(s.a)
        elif isinstance(s, Store):
            s.val = m(s.val)
        elif isinstance(s, Call):
            s.args = [m(a) for a in s.args]
        elif isinstance(s, For):
            s.iters = [(a, m(i)) for a, i in s.iters]
            s.yields = [m(y) for y in s.yields]
        elif isinstance(s, If):
            s.cond = m(s.cond) if s.cond else s.cond
            s.then_yields = [m(y) for y in s.then_yields]
            s.else_yields = [m(y) for y in s.else_yields]
    if kernel.helper:
        kernel.helper.ret = m(kernel.helper.ret)


def _subst_aff(e: Aff, var: str, value: int) -> Aff:
    return Aff(tuple((v, c) for v, c in e.terms if v != var),
               e.const + sum(c * value for v, c in e.terms if v == var))


def substitute_var(body: list, var: str, value: int) -> None:
    """Loop variable `var` replaced by the constant `value` in `body`."""
    for block_stmts in blocks(body):
        for k, s in enumerate(block_stmts):
            if isinstance(s, Load | Store):
                s.idx = [_subst_aff(e, var, value) for e in s.idx]
            elif isinstance(s, If):
                s.conds = [_subst_aff(e, var, value) for e in s.conds]
            elif isinstance(s, Cast) and s.op == "index_cast" and s.a == var:
                block_stmts[k] = Const(s.res, s.type, value)


def as_constants(kernel: Kernel, names: list[str], env: dict[str, str]) -> list[Const]:
    """Constant definitions (value 1) standing in for `names`; `#` results get plain names."""
    plain = {n: n.replace("#", "_") for n in names if "#" in n}
    rename(kernel, plain)
    return [Const(plain.get(n, n), env[n], 1) for n in names]


def remove_range(kernel: Kernel, path: Path, start: int, stop: int) -> None:
    """Deletes statements [start, stop) of a block; values they defined become constants."""
    env = types(kernel)
    block = block_at(kernel, path)
    removed = block[start:stop]
    live = used_names(kernel)
    names = [n for s in removed for n in defs(s) if n in live or n.replace("#", "_") in live]
    block[start:stop] = as_constants(kernel, names, env)


def inline_loop(kernel: Kernel, path: Path, index: int) -> None:
    """Replaces a loop by one run of its body (at the lower bound)."""
    block = block_at(kernel, path)
    s: For = block[index]
    substitute_var(s.body, s.var, s.lo)
    mapping = {arg: init for arg, init in s.iters}
    yields = [mapping.get(y, y) for y in s.yields]
    block[index:index + 1] = s.body
    rename(kernel, {**mapping, **dict(zip(s.results, yields))})


def pick_arm(kernel: Kernel, path: Path, index: int, then: bool) -> None:
    """Replaces an if by one of its arms, unconditionally."""
    block = block_at(kernel, path)
    s: If = block[index]
    arm, yields = (s.then, s.then_yields) if then else (s.else_, s.else_yields)
    block[index:index + 1] = arm
    rename(kernel, dict(zip(s.results, yields)))


def constant_operand(kernel: Kernel, path: Path, index: int, slot: int, value: int = 1) -> bool:
    """Operand `slot` of a statement replaced by a new constant; False if there is none."""
    block = block_at(kernel, path)
    s = block[index]
    operands = uses(s) if not isinstance(s, For | If) else []
    if slot >= len(operands):
        return False
    env = types(kernel)
    old = operands[slot]
    if isinstance(_defining(kernel, old), Const):
        return False
    name = f"z{sum(1 for _ in all_statements(kernel))}_{index}_{slot}"
    while name in env:
        name += "z"
    block.insert(index, Const(name, env[old], value))
    fields = [f for f in ("cond", "a", "b", "val") if hasattr(s, f)]
    if isinstance(s, Call):
        s.args[slot] = name
    else:
        fields = [f for f in fields if not (isinstance(s, Cast) and f != "a")]
        setattr(s, fields[slot], name)
    return True


def _defining(kernel: Kernel, name: str) -> object | None:
    return next((s for s in all_statements(kernel) if name in defs(s)), None)


def drop_dimension(kernel: Kernel, mem: str, dim: int) -> bool:
    """Removes index `dim` of every access to `mem` (a memref of 2 or more dimensions)."""
    owner = next((a for a in kernel.args if a.name == mem), None) or next(
        (s for s in kernel.body if isinstance(s, Alloc) and s.mem == mem), None)
    if owner is None or owner.ndim < 2:
        return False
    owner.ndim -= 1
    if getattr(owner, "pad", None):
        owner.pad = owner.pad[:dim] + owner.pad[dim + 1:]
    for s in walk(kernel.body):
        if isinstance(s, Load | Store) and s.mem == mem:
            del s.idx[dim]
    return True


def drop_unused(kernel: Kernel) -> None:
    """Removes dead pure statements, empty loops and ifs, unused arguments and buffers."""
    changed = True
    while changed:
        changed = False
        live = used_names(kernel)
        for _, block in list(locations(kernel)):
            keep = []
            for s in block:
                dead = (isinstance(s, PURE) and not any(n in live for n in defs(s))
                        or isinstance(s, For) and not s.body and not s.results
                        or isinstance(s, If) and not s.then and not s.else_ and not s.results)
                changed |= dead
                if not dead:
                    keep.append(s)
            block[:] = keep
    mems = {s.mem for s in walk(kernel.body) if isinstance(s, Load | Store)}
    kernel.body[:] = [s for s in kernel.body
                      if not (isinstance(s, Alloc | Fill) and s.mem not in mems)]
    live = used_names(kernel)
    kernel.args = [a for a in kernel.args if (a.is_memref and a.name in mems)
                   or (not a.is_memref and a.name in live)] or kernel.args[:1]
    if kernel.helper and not any(isinstance(s, Call) for s in walk(kernel.body)):
        kernel.helper = None


def size(kernel: Kernel) -> int:
    """Statements plus loop trips: what the reducer makes smaller."""
    return sum(1 + (len(s.indices()) if isinstance(s, For) else 0)
               for s in all_statements(kernel))

