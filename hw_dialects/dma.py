"""The DMA engine of `unified_top` in PyCDE: bursts between host memory and a shell's scratchpads.

Runs inside the `pycde` worker. An AXI4 memory-mapped master (`m_axi_*`, `width` 32 or 64
bits, INCR bursts of up to 256 beats that never cross a 4 KiB boundary, one burst in flight)
on one side; on the other, the register port of the shell the transfer targets (`port_*`,
the same wen/waddr/wdata and raddr -> rdata port the AXI4-Lite slave drives, one 32-bit word
a cycle). A beat carries `width / 32` words; a transfer's last beat may carry fewer (WSTRB
masks the rest on writes to the host, the rest of a read beat is dropped).

Registers (`DMA_*` in glue/register_map.py) are written and read through `reg_*`, a register
port like a shell's. A transfer of LENGTH words moves host bytes HOST.. to or from the
target's words OFFSET.. (DIR 0: host to accelerator, 1: accelerator to host); the host
address must be aligned to a beat. `read_latency` is the shell port's, 0 (rdata follows raddr
in the same cycle) or 1 (rdata a cycle later): with 1 the engine addresses the word it will
need next cycle. `fault` plants a protocol violation for the co-simulation checker's tests
("no_wlast": WLAST never rises).
"""

from __future__ import annotations

from typing import Any

from glue.register_map import (
    DMA_ACCEL,
    DMA_BURSTS,
    DMA_CTRL,
    DMA_DIR,
    DMA_HOST_HI,
    DMA_HOST_LO,
    DMA_LENGTH,
    DMA_OFFSET,
)

MAX_BEATS = 256  # AXI4 INCR burst limit
PAGE = 4096  # bursts never cross this boundary
FAULTS = ("", "no_wlast")

# FSM states
IDLE, AR, R, AW, W, B = range(6)


def dma_module(width: int, port_bits: int, accel_bits: int, read_latency: int = 0,
               fault: str = "") -> Any:
    """The PyCDE module class `unified_dma` for a `width`-bit master and a shell port with
    `port_bits` word-address bits; `accel_bits` bits select the target accelerator."""
    from pycde import Clock, Input, Module, Output, generator
    from pycde.constructs import Mux, Reg
    from pycde.signals import BitsSignal
    from pycde.types import Bits

    assert width in (32, 64) and read_latency in (0, 1) and fault in FAULTS
    words = width // 32  # words per beat
    shift = (width // 8).bit_length() - 1  # log2(bytes per beat)
    ports: dict[str, Any] = {
        "clk": Clock(), "reset": Input(Bits(1)),
        "reg_wen": Input(Bits(1)), "reg_waddr": Input(Bits(4)), "reg_wdata": Input(Bits(32)),
        "reg_raddr": Input(Bits(4)), "reg_rdata": Output(Bits(32)),
        "busy": Output(Bits(1)), "accel": Output(Bits(accel_bits)),
        "port_wen": Output(Bits(1)), "port_waddr": Output(Bits(port_bits)),
        "port_wdata": Output(Bits(32)), "port_raddr": Output(Bits(port_bits)),
        "port_rdata": Input(Bits(32)),
        "m_axi_arvalid": Output(Bits(1)), "m_axi_arready": Input(Bits(1)),
        "m_axi_araddr": Output(Bits(64)), "m_axi_arlen": Output(Bits(8)),
        "m_axi_arsize": Output(Bits(3)), "m_axi_arburst": Output(Bits(2)),
        "m_axi_rvalid": Input(Bits(1)), "m_axi_rready": Output(Bits(1)),
        "m_axi_rdata": Input(Bits(width)), "m_axi_rresp": Input(Bits(2)),
        "m_axi_rlast": Input(Bits(1)),
        "m_axi_awvalid": Output(Bits(1)), "m_axi_awready": Input(Bits(1)),
        "m_axi_awaddr": Output(Bits(64)), "m_axi_awlen": Output(Bits(8)),
        "m_axi_awsize": Output(Bits(3)), "m_axi_awburst": Output(Bits(2)),
        "m_axi_wvalid": Output(Bits(1)), "m_axi_wready": Input(Bits(1)),
        "m_axi_wdata": Output(Bits(width)), "m_axi_wstrb": Output(Bits(width // 8)),
        "m_axi_wlast": Output(Bits(1)),
        "m_axi_bvalid": Input(Bits(1)), "m_axi_bready": Output(Bits(1)),
        "m_axi_bresp": Input(Bits(2)),
    }

    def add(a: Any, b: Any) -> Any:
        """a + b modulo 2^width(a)."""
        n = a.type.width
        return (a.as_uint() + b.pad_or_truncate(n).as_uint()).as_bits()[0:n]

    def inc(a: Any) -> Any:
        return add(a, Bits(a.type.width)(1))

    def sub(a: Any, b: Any) -> Any:
        n = a.type.width
        return (a.as_uint() - b.pad_or_truncate(n).as_uint()).as_bits()[0:n]

    def smaller(a: Any, b: Any) -> Any:
        """min(a, b) as unsigned numbers of a common width."""
        n = max(a.type.width, b.type.width)
        a, b = a.pad_or_truncate(n), b.pad_or_truncate(n)
        return Mux(a.as_uint() < b.as_uint(), b, a)

    def pick(default: Any, *cases: tuple[Any, Any]) -> Any:
        """The value of the first case whose condition holds, else `default`."""
        value = default
        for cond, v in reversed(cases):
            value = Mux(cond, value, v)
        return value

    def build(p: Any) -> None:
        zero, one = Bits(1)(0), Bits(1)(1)

        def reg(bits: int, name: str) -> Any:
            return Reg(Bits(bits), p.clk, p.reset, 0, name=name)

        state = reg(3, "state")
        host_lo, host_hi = reg(32, "host_lo"), reg(32, "host_hi")
        accel, offset = reg(accel_bits, "accel_reg"), reg(32, "offset")
        length, direction = reg(32, "length"), reg(1, "direction")
        done, error, bursts = reg(1, "done"), reg(1, "error"), reg(32, "bursts")
        host = reg(64, "host")  # the next burst's host address
        beats_left = reg(32, "beats_left")  # beats not yet covered by an issued burst
        burst_left = reg(9, "burst_left")  # beats of the current burst still to move
        word = reg(port_bits, "word")  # the shell word the data path is at
        half = reg(1, "half")  # 64-bit beats: the beat's second word is next
        held = reg(32, "held")  # 64-bit beats: the word waiting for its partner

        def at(s: int) -> Any:
            return state == Bits(3)(s)

        def wrote(offset_: int) -> Any:
            return p.reg_wen & (p.reg_waddr == Bits(4)(offset_ >> 2))

        busy = ~at(IDLE)
        start = wrote(DMA_CTRL) & p.reg_wdata[0] & ~busy
        for r, off in ((host_lo, DMA_HOST_LO), (host_hi, DMA_HOST_HI), (offset, DMA_OFFSET),
                       (length, DMA_LENGTH)):
            r.assign(Mux(wrote(off) & ~busy, r, p.reg_wdata))
        accel.assign(Mux(wrote(DMA_ACCEL) & ~busy, accel, p.reg_wdata[0:accel_bits]))
        direction.assign(Mux(wrote(DMA_DIR) & ~busy, direction, p.reg_wdata[0]))

        # The next burst: at most 256 beats, what is left, and what fits before the 4 KiB page end.
        to_page = sub(Bits(13)(PAGE), host[0:12])[shift:13]
        burst = smaller(smaller(Bits(9)(MAX_BEATS), beats_left), to_page)[0:9]
        axlen = sub(burst, Bits(9)(1))[0:8]
        burst_bytes = BitsSignal.concat([burst, Bits(shift)(0)])
        odd_tail = length[0] if words == 2 else zero  # the transfer's last beat is half full
        final_beat = (beats_left == Bits(32)(0)) & (burst_left == Bits(9)(1))

        ar_hs = at(AR) & p.m_axi_arready
        aw_hs = at(AW) & p.m_axi_awready
        # Host to accelerator: a beat is taken when no word of the previous one waits.
        rready = at(R) & ~half
        r_hs = rready & p.m_axi_rvalid
        second = r_hs & Bits(1)(int(words == 2)) & ~(final_beat & odd_tail)
        r_write = r_hs | (at(R) & half)
        r_over = at(R) & (burst_left == Bits(9)(0)) & ~half
        # Accelerator to host: gather the beat's words, present it on the last one.
        presenting = at(W) & (half if words == 2 else one)
        gathering = at(W) & ~presenting
        w_hs = presenting & p.m_axi_wready
        b_hs = at(B) & p.m_axi_bvalid
        finished = (r_over | b_hs) & (beats_left == Bits(32)(0))

        total_beats = add(length, Bits(32)(words - 1))[shift - 2:32].pad_or_truncate(32)
        state.assign(pick(
            state,
            (start & (length == Bits(32)(0)), Bits(3)(IDLE)),
            (start, Mux(direction, Bits(3)(AR), Bits(3)(AW))),
            (ar_hs, Bits(3)(R)), (aw_hs, Bits(3)(W)),
            (w_hs & (burst_left == Bits(9)(1)), Bits(3)(B)),
            (finished, Bits(3)(IDLE)),
            (r_over, Bits(3)(AR)), (b_hs, Bits(3)(AW))))
        done.assign(pick(done, (start, length == Bits(32)(0)), (finished, one)))
        error.assign(pick(error, (start, zero),
                          (r_hs & (p.m_axi_rresp != Bits(2)(0)), one),
                          (b_hs & (p.m_axi_bresp != Bits(2)(0)), one)))
        bursts.assign(pick(bursts, (start, Bits(32)(0)), (ar_hs | aw_hs, inc(bursts))))
        host.assign(pick(host, (start, BitsSignal.concat([host_hi, host_lo])),
                         (ar_hs | aw_hs, add(host, burst_bytes))))
        beats_left.assign(pick(beats_left, (start, total_beats),
                               (ar_hs | aw_hs, sub(beats_left, burst))))
        burst_left.assign(pick(burst_left, (ar_hs | aw_hs, burst),
                               (r_hs | w_hs, sub(burst_left, Bits(9)(1)))))
        word_step = r_write | gathering | w_hs
        next_word = Mux(word_step, word, inc(word))
        word.assign(Mux(start, next_word, offset[0:port_bits]))
        half.assign(pick(half, (start, zero), (second, one), (at(R) & half, zero),
                         (gathering, one), (w_hs, zero)))
        held.assign(pick(held, (r_hs, p.m_axi_rdata[32:width] if words == 2 else held),
                         (gathering, p.port_rdata)))

        p.busy = busy
        p.accel = accel
        p.port_wen = r_write
        p.port_waddr = word
        p.port_wdata = Mux(at(R) & half, p.m_axi_rdata[0:32], held)
        p.port_raddr = Mux(at(W) & Bits(1)(read_latency), word, next_word)
        p.m_axi_arvalid = at(AR)
        p.m_axi_araddr = host
        p.m_axi_arlen = axlen
        p.m_axi_arsize = Bits(3)(shift)
        p.m_axi_arburst = Bits(2)(1)  # INCR
        p.m_axi_rready = rready
        p.m_axi_awvalid = at(AW)
        p.m_axi_awaddr = host
        p.m_axi_awlen = axlen
        p.m_axi_awsize = Bits(3)(shift)
        p.m_axi_awburst = Bits(2)(1)
        p.m_axi_wvalid = presenting
        p.m_axi_wdata = BitsSignal.concat([p.port_rdata, held]) if words == 2 else p.port_rdata
        strb = (1 << (width // 8)) - 1
        p.m_axi_wstrb = Mux(final_beat & odd_tail, Bits(width // 8)(strb), Bits(width // 8)(0xF))
        p.m_axi_wlast = zero if fault == "no_wlast" else burst_left == Bits(9)(1)
        p.m_axi_bready = at(B)

        status = BitsSignal.concat([Bits(29)(0), error, done, busy])
        reads = [(DMA_CTRL, status), (DMA_HOST_LO, host_lo), (DMA_HOST_HI, host_hi),
                 (DMA_ACCEL, accel.pad_or_truncate(32)), (DMA_OFFSET, offset),
                 (DMA_LENGTH, length), (DMA_DIR, direction.pad_or_truncate(32)),
                 (DMA_BURSTS, bursts)]
        p.reg_rdata = pick(Bits(32)(0), *[(p.reg_raddr == Bits(4)(off >> 2), v) for off, v in reads])

    ports["build"] = generator(build)
    ports["module_name"] = "unified_dma"
    return type("unified_dma", (Module,), ports)
