"""The reducer: planted failing predicates shrink to a few statements, still well defined."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from unified.fuzz import edit
from unified.fuzz.desc import Bin, For, Kernel, Store, walk
from unified.fuzz.generator import generate, make_inputs
from unified.fuzz.printer import to_mlir
from unified.fuzz.reduce import reduce, write_case
from unified.fuzz.reference import run


def stores_a_remsi(kernel: Kernel, inputs: dict[str, np.ndarray]) -> bool:
    """Planted 'bug': a remsi whose result is stored straight to memory."""
    stored = {s.val for s in walk(kernel.body) if isinstance(s, Store)}
    return any(isinstance(s, Bin) and s.op == "remsi" and s.res in stored
               for s in walk(kernel.body))


def reduction_over_three_trips(kernel: Kernel, inputs: dict[str, np.ndarray]) -> bool:
    """Planted 'bug': an iter_args loop of three or more trips whose result changes memory."""
    loops = [s for s in walk(kernel.body) if isinstance(s, For) and s.iters]
    stored = {s.val for s in walk(kernel.body) if isinstance(s, Store)}
    return any(len(s.indices()) >= 3 and set(s.results) & stored for s in loops)


def first_failing(predicate: Callable[[Kernel, dict], bool]) -> Kernel:
    return next(k for k in map(generate, range(500)) if predicate(k, {}) and edit.size(k) > 30)


def test_planted_remsi_shrinks_to_one_store() -> None:
    kernel = first_failing(stores_a_remsi)
    small, inputs = reduce(kernel, make_inputs(kernel, kernel.seed), stores_a_remsi, budget=400)
    assert stores_a_remsi(small, inputs)
    assert edit.size(small) <= 5, to_mlir(small)
    assert sum(isinstance(s, Store) for s in walk(small.body)) == 1
    run(small, inputs)  # still well defined


def test_planted_loop_keeps_three_trips_and_little_else() -> None:
    kernel = first_failing(reduction_over_three_trips)
    small, inputs = reduce(kernel, make_inputs(kernel, kernel.seed), reduction_over_three_trips,
                           budget=400)
    loops = [s for s in walk(small.body) if isinstance(s, For)]
    assert reduction_over_three_trips(small, inputs)
    assert len(loops) == 1 and len(loops[0].indices()) == 3, to_mlir(small)
    assert edit.size(small) <= 10, to_mlir(small)


def test_reduced_case_files_hold_kernel_inputs_and_reference(tmp_path) -> None:
    kernel = first_failing(stores_a_remsi)
    small, inputs = reduce(kernel, make_inputs(kernel, kernel.seed), stores_a_remsi, budget=400)
    path = write_case(tmp_path, "planted", small, inputs, ["a planted remsi"])
    assert path.read_text().startswith("// a planted remsi\n// fuzz: func=kernel\nfunc.func")
    with np.load(tmp_path / "planted.inputs.npz") as given, \
            np.load(tmp_path / "planted.expected.npz") as want:
        expected = run(small, dict(given))
        assert sorted(want.files) == sorted(expected)
        assert all(np.array_equal(want[k], expected[k]) for k in want.files)
