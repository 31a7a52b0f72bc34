"""The Verilator testbench, Yosys area and lint on hand-written RTL, independent of the compiler.

tests/hw/rtl/scale.sv follows Calyx's external-memory protocol with a known schedule, so
the exact go-to-done cycle count, the memory models and the error paths can be checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from calyx_flow import synth, verilator_model
from calyx_flow.artifacts import HwArtifacts, MemPort, ScalarPort
from unified.core import tools
from unified.core.errors import SimulationError, ToolNotFound

RTL = Path(__file__).parent / "rtl"


def _need(tool: str) -> None:
    try:
        tools.find(tool)
    except ToolNotFound as e:
        pytest.skip(f"{tool} is missing: {e.render()}")


def _scale(out_shape: tuple[int, ...] = (4, 2)) -> HwArtifacts:
    return HwArtifacts(
        kernel="scale", top="scale", sv_files={"scale.sv": (RTL / "scale.sv").read_text()},
        memories=[MemPort(1, "ext_mem0_", (8,), "i16", 16, (3,), read_latency=0),
                  MemPort(2, "ext_mem1_", out_shape, "i16", 16, (2, 1), read_latency=0)],
        scalars=[ScalarPort(0, "k", 32)])


def _expected(values: np.ndarray, k: int) -> np.ndarray:
    return ((values.astype(np.int64) * k) & 0xFFFF).astype(np.uint16).view(np.int16).reshape(4, 2)


def test_memories_scalars_and_exact_cycles() -> None:
    _need("verilator")
    model = verilator_model.build(_scale())
    rng = np.random.default_rng(7)
    for k in (3, -1234, 0x12345):  # one model, several inputs
        values = rng.integers(-2**15, 2**15, size=8).astype(np.int16)
        before = rng.integers(-9, 9, size=(4, 2)).astype(np.int16)
        run = model.run([values, before], [k])
        np.testing.assert_array_equal(run.memories[0], values)  # read, never written
        np.testing.assert_array_equal(run.memories[1], _expected(values, k))
        assert run.memories[1].dtype == np.int16
        assert run.cycles == 25  # 1 cycle to leave idle, then read + write + write-done per element


def test_cycle_limit_is_exact() -> None:
    _need("verilator")
    model = verilator_model.build(_scale())
    inputs = [np.arange(8, dtype=np.int16), np.zeros((4, 2), np.int16)]
    assert model.run(inputs, [2], max_cycles=25).cycles == 25
    with pytest.raises(SimulationError, match=r"^@scale did not finish within 24 cycles"):
        model.run(inputs, [2], max_cycles=24)


def test_write_outside_a_memory_is_reported() -> None:
    _need("verilator")
    model = verilator_model.build(_scale(out_shape=(3, 2)))  # the core writes rows 0..3
    # Element 6 is the first in row 3: 1 + 6 * 3 edges, its read, then the bad write's edge.
    with pytest.raises(SimulationError,
                       match=r"^@scale wrote outside a memory after 21 cycles: write outside "
                       r"memory arg2"):
        model.run([np.arange(8, dtype=np.int16), np.zeros((3, 2), np.int16)], [1])


def test_waveform(tmp_path: Path) -> None:
    _need("verilator")
    model = verilator_model.build(_scale(), trace=True)
    run = model.run([np.arange(8, dtype=np.int16), np.zeros((4, 2), np.int16)], [5],
                    vcd=tmp_path / "w.vcd")
    assert run.cycles == 25
    np.testing.assert_array_equal(run.memories[1], np.arange(8).reshape(4, 2) * 5)
    waves = (tmp_path / "w.vcd").read_text()
    assert "$enddefinitions" in waves
    assert re.search(r"\$var wire\s+1 \S+ ext_mem1_write_en", waves)


def test_ports_header_follows_the_ports() -> None:
    text = verilator_model.emit_ports(_scale())
    assert 'MemModel("arg2", {4ULL, 2ULL}, 16, 0),' in text
    assert "const uint64_t a[] = {static_cast<uint64_t>(t->ext_mem1_addr0), " \
           "static_cast<uint64_t>(t->ext_mem1_addr1)};" in text
    assert "t->k = v[0] & 0xffffffffULL;" in text
    assert "#define TOP_DONE(t) ((t)->done)" in text


def test_area_of_a_core_without_latches() -> None:
    _need("yosys")
    figures = synth.area(_scale())
    assert figures["latches"] == 0
    assert figures["luts"] > 0 and figures["cells"] > figures["luts"] // 2
    # state and i at least; the 16-bit data register too, unless Yosys folds it into the
    # DSP48's own pipeline registers (0.52 on Debian 13 does, 0.23 on Debian 12 does not)
    assert 2 + 3 <= figures["ffs"] <= 2 + 3 + 16 + 4
    assert figures["dsps"] == 1  # the 16x32 multiply


def test_area_counts_latches() -> None:
    _need("yosys")
    art = HwArtifacts(kernel="latchy", top="latchy",
                      sv_files={"latch.sv": (RTL / "latch.sv").read_text()})
    assert synth.area(art)["latches"] == 1


def test_lint_clean_and_broken() -> None:
    _need("verilator")
    assert synth.lint(_scale()) == []
    text = (RTL / "scale.sv").read_text().replace("assign done = state == DONE;",
                                                  "assign done = stat == DONE;")
    broken = HwArtifacts(kernel="scale", top="scale", sv_files={"scale.sv": text})
    errors = synth.lint(broken)
    assert errors and any("stat" in e for e in errors), errors
