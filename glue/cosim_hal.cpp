// The co-simulation HAL: unified_mmio_read32/write32 as AXI4-Lite transactions on the
// Verilator model of unified_top, cycle by cycle. Linked into one host program with the
// software (compiled for the host), the C harness of the entry and the C driver.
//
// With UNIFIED_DMA (hal_config.h) the top has a DMA engine whose AXI4 master port the HAL
// answers every cycle as host memory: the process's own memory (the driver hands the engine
// real pointers), a read's first beat and a write's response kDmaLatency cycles late. The port
// is checked as it runs (VALID held until READY with a stable payload, INCR bursts of the
// port's size, at most 256 beats, none crossing 4 KiB, WLAST exactly on the last beat, every
// requested beat transferred); a violation stops the program with exit 5 and says which.
//
// Environment: UNIFIED_MAX_CYCLES (stop with exit 3 beyond it), UNIFIED_COSIM_REPORT (a
// file that gets the counters as JSON at exit). hal_config.h (generated) gives
// kNumAccels, kMmioBase, kWindow and kAccelNames (and kDmaBase, kDmaWidth, kDmaLatency).

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "Vunified_top.h"
#include "hal_config.h"
#include "verilated.h"

namespace {

struct Counters {
  uint64_t cycles = 0;         // every clock edge since reset
  uint64_t reads = 0, writes = 0;
  uint64_t ctrl_reads = 0;     // reads of a CTRL register (polling for done)
  uint64_t busy[kNumAccels > 0 ? kNumAccels : 1] = {};  // cycles with go high, per accelerator
  uint64_t runs[kNumAccels > 0 ? kNumAccels : 1] = {};  // go rising edges
  // Per accelerator window: transactions and the cycles they took (polls overlap the run).
  uint64_t accel_reads[kNumAccels > 0 ? kNumAccels : 1] = {};
  uint64_t accel_writes[kNumAccels > 0 ? kNumAccels : 1] = {};
  uint64_t accel_bus_cycles[kNumAccels > 0 ? kNumAccels : 1] = {};
  // The DMA engine: bursts and beats by direction, beats its bursts asked for, cycles it
  // was busy, accesses to its registers (their cycles count as the target accelerator's bus
  // cycles: the driver polls the engine while it moves data), per accelerator its beats.
  uint64_t read_bursts = 0, write_bursts = 0, read_beats = 0, write_beats = 0;
  uint64_t beats_requested = 0, dma_busy = 0, dma_reads = 0, dma_writes = 0;
  uint64_t accel_beats[kNumAccels > 0 ? kNumAccels : 1] = {};
};

#ifndef UNIFIED_DMA
#define UNIFIED_DMA 0
#endif
constexpr int kExitProtocol = 5;

// What the master port showed in the cycle before: a VALID not yet answered binds its payload.
struct Pending {
  bool valid = false;
  uint64_t addr = 0, data = 0;
  uint32_t len = 0, size = 0, burst = 0, strb = 0, last = 0;
};

// One burst the slave is serving: its next address, beats asked for and moved.
struct Burst {
  bool active = false;
  uint64_t addr = 0;
  uint32_t beats = 0, moved = 0, wait = 0;
};

class Sim {
 public:
  Sim() : ctx_(new VerilatedContext), top_(new Vunified_top(ctx_.get())) {
    const char* limit = std::getenv("UNIFIED_MAX_CYCLES");
    max_cycles_ = limit ? std::strtoull(limit, nullptr, 10) : 10000000ULL;
    top_->clk = 0;
    top_->reset = 1;
    idle();
    for (int i = 0; i < 2; ++i) tick();
    top_->reset = 0;
    top_->eval();
    counters_ = Counters();
  }

  ~Sim() {
#if UNIFIED_DMA
    check_accounted();
#endif
    report();
    top_->final();
  }

  uint32_t read32(uintptr_t addr) {
    const uint64_t start = counters_.cycles;
    const bool dma = is_dma(addr);
    top_->s_axil_araddr = static_cast<uint32_t>(addr);
    top_->s_axil_arvalid = 1;
    top_->eval();
    while (!top_->s_axil_arready) tick();
    tick();  // address handshake
    top_->s_axil_arvalid = 0;
    top_->s_axil_rready = 1;
    top_->eval();
    while (!top_->s_axil_rvalid) tick();
    const uint32_t data = top_->s_axil_rdata;
    const uint32_t resp = top_->s_axil_rresp;
    tick();  // data handshake
    top_->s_axil_rready = 0;
    top_->eval();
    counters_.reads++;
    if (((addr - kMmioBase) & (kWindow - 1)) == 0) counters_.ctrl_reads++;
    if (dma) {
      counters_.dma_reads++;
      counters_.accel_bus_cycles[dma_target_] += counters_.cycles - start;
    } else if (const int i = accel_of(addr); i >= 0) {
      counters_.accel_reads[i]++;
      counters_.accel_bus_cycles[i] += counters_.cycles - start;
    }
    check(resp, "read", addr);
    return data;
  }

  void write32(uintptr_t addr, uint32_t value) {
    const uint64_t start = counters_.cycles;
    const bool dma = is_dma(addr);
    if (dma && addr - dma_base() == 0x10 && value < static_cast<uint32_t>(kNumAccels)) {
      dma_target_ = static_cast<int>(value);  // DMA_ACCEL: whose transfer the next one is
    }
    top_->s_axil_awaddr = static_cast<uint32_t>(addr);
    top_->s_axil_awvalid = 1;
    top_->s_axil_wdata = value;
    top_->s_axil_wstrb = 0xF;
    top_->s_axil_wvalid = 1;
    top_->eval();
    while (!(top_->s_axil_awready && top_->s_axil_wready)) tick();
    tick();  // address and data handshake
    top_->s_axil_awvalid = 0;
    top_->s_axil_wvalid = 0;
    top_->s_axil_bready = 1;
    top_->eval();
    while (!top_->s_axil_bvalid) tick();
    const uint32_t resp = top_->s_axil_bresp;
    tick();  // response handshake
    top_->s_axil_bready = 0;
    top_->eval();
    counters_.writes++;
    if (dma) {
      counters_.dma_writes++;
      counters_.accel_bus_cycles[dma_target_] += counters_.cycles - start;
    } else if (const int i = accel_of(addr); i >= 0) {
      counters_.accel_writes[i]++;
      counters_.accel_bus_cycles[i] += counters_.cycles - start;
    }
    check(resp, "write", addr);
  }

 private:
  static uintptr_t dma_base() { return kMmioBase + kNumAccels * kWindow; }
  static bool is_dma(uintptr_t addr) {
    return UNIFIED_DMA && addr >= dma_base() && addr < dma_base() + kWindow;
  }

  static int accel_of(uintptr_t addr) {
    if (addr < kMmioBase) return -1;
    const uintptr_t index = (addr - kMmioBase) / kWindow;
    return index < static_cast<uintptr_t>(kNumAccels) ? static_cast<int>(index) : -1;
  }

  void idle() {
    top_->s_axil_awvalid = 0;
    top_->s_axil_wvalid = 0;
    top_->s_axil_bready = 0;
    top_->s_axil_arvalid = 0;
    top_->s_axil_rready = 0;
    top_->eval();
  }

  // The falling edge, after the logic has settled on the inputs as they are now.
  void fall() {
    top_->eval();
    top_->clk = 0;
    top_->eval();
  }

  // One clock cycle, from the inputs the caller set after the last rising edge: the falling
  // edge (the block RAMs of memory_primitive read their settled addresses there), then the
  // rising edge. The accelerators' busy lines are sampled before the rising edge.
  void tick() {
#if UNIFIED_DMA
    memory_before_edge();
    if (top_->dma_busy) counters_.dma_busy++;
#else
    fall();
#endif
    const uint64_t busy = top_->busy;
    for (int i = 0; i < kNumAccels; ++i) {
      const bool on = (busy >> i) & 1;
      if (on) counters_.busy[i]++;
      if (on && !((last_busy_ >> i) & 1)) counters_.runs[i]++;
    }
    last_busy_ = busy;
    top_->clk = 1;
    top_->eval();
    if ((counters_.cycles & kProgressMask) == kProgressMask) progress();
    if (++counters_.cycles > max_cycles_) {
      std::fprintf(stderr, "cosim: no answer after %llu cycles (--max-cycles)\n",
                   static_cast<unsigned long long>(max_cycles_));
      report();
      std::_Exit(3);
    }
  }

#if UNIFIED_DMA
  static constexpr uint32_t kBeatBytes = kDmaWidth / 8;

  [[noreturn]] void violation(const char* format, ...) {
    std::fprintf(stderr, "cosim: AXI4 protocol violation on the DMA port at cycle %llu: ",
                 static_cast<unsigned long long>(counters_.cycles));
    va_list args;
    va_start(args, format);
    std::vfprintf(stderr, format, args);
    va_end(args);
    std::fprintf(stderr, "\n");
    report();
    std::_Exit(kExitProtocol);
  }

  // VALID, once high, stays high with the same payload until READY.
  void hold(Pending& before, bool valid, bool ready, const Pending& now, const char* channel) {
    if (before.valid) {
      if (!valid) violation("%s VALID fell before READY", channel);
      if (before.addr != now.addr || before.data != now.data || before.len != now.len ||
          before.size != now.size || before.burst != now.burst || before.strb != now.strb ||
          before.last != now.last)
        violation("%s payload changed while VALID waited for READY", channel);
    }
    before = now;
    before.valid = valid && !ready;
  }

  void check_burst(const char* channel, uint64_t addr, uint32_t len, uint32_t size,
                   uint32_t burst) {
    const uint64_t bytes = (static_cast<uint64_t>(len) + 1) * kBeatBytes;
    if (burst != 1) violation("%s burst type %u, not INCR", channel, burst);
    if ((1u << size) != kBeatBytes)
      violation("%s size %u bytes on a %u-byte port", channel, 1u << size, kBeatBytes);
    if (addr % kBeatBytes) violation("%s address 0x%llx is not beat-aligned", channel,
                                     static_cast<unsigned long long>(addr));
    if ((addr & 4095) + bytes > 4096)
      violation("%s burst at 0x%llx of %llu bytes crosses a 4 KiB boundary", channel,
                static_cast<unsigned long long>(addr), static_cast<unsigned long long>(bytes));
  }

  // The slave's side of one cycle: drive its outputs, then take what the master shows.
  void memory_before_edge() {
    top_->m_axi_arready = !rd_.active;
    top_->m_axi_rvalid = rd_.active && rd_.wait == 0;
    top_->m_axi_rresp = 0;
    top_->m_axi_rlast = rd_.active && rd_.moved + 1 == rd_.beats;
    uint64_t beat = 0;
    if (rd_.active) std::memcpy(&beat, reinterpret_cast<const void*>(rd_.addr), kBeatBytes);
    top_->m_axi_rdata = beat;
    top_->m_axi_awready = !wr_.active && !b_pending_;
    top_->m_axi_wready = wr_.active;
    top_->m_axi_bvalid = b_pending_ && b_wait_ == 0;
    top_->m_axi_bresp = 0;
    fall();  // what the master shows may come from a block RAM read on the falling edge

    Pending ar{true, top_->m_axi_araddr, 0, top_->m_axi_arlen, top_->m_axi_arsize,
               top_->m_axi_arburst, 0, 0};
    Pending aw{true, top_->m_axi_awaddr, 0, top_->m_axi_awlen, top_->m_axi_awsize,
               top_->m_axi_awburst, 0, 0};
    Pending w{true, 0, static_cast<uint64_t>(top_->m_axi_wdata), 0, 0, 0, top_->m_axi_wstrb,
              top_->m_axi_wlast};
    hold(ar_, top_->m_axi_arvalid, top_->m_axi_arready, ar, "AR");
    hold(aw_, top_->m_axi_awvalid, top_->m_axi_awready, aw, "AW");
    hold(w_, top_->m_axi_wvalid, top_->m_axi_wready, w, "W");

    if (top_->m_axi_rvalid && top_->m_axi_rready) {
      rd_.addr += kBeatBytes;
      counters_.read_beats++;
      counters_.accel_beats[dma_target_]++;
      if (++rd_.moved == rd_.beats) rd_.active = false;
    } else if (rd_.active && rd_.wait > 0) {
      rd_.wait--;
    }
    if (top_->m_axi_arvalid && top_->m_axi_arready) {
      check_burst("AR", ar.addr, ar.len, ar.size, ar.burst);
      rd_ = Burst{true, ar.addr, ar.len + 1, 0, kDmaLatency};
      counters_.read_bursts++;
      counters_.beats_requested += ar.len + 1;
    }
    if (top_->m_axi_bvalid && top_->m_axi_bready) {
      b_pending_ = false;
    } else if (b_pending_ && b_wait_ > 0) {
      b_wait_--;
    }
    if (top_->m_axi_wvalid && top_->m_axi_wready) {
      const bool last = wr_.moved + 1 == wr_.beats;
      if (w.last != last)
        violation("WLAST is %u on beat %u of a %u-beat burst", w.last, wr_.moved + 1, wr_.beats);
      auto* bytes = reinterpret_cast<unsigned char*>(wr_.addr);
      for (uint32_t b = 0; b < kBeatBytes; ++b)
        if ((w.strb >> b) & 1) bytes[b] = static_cast<unsigned char>(w.data >> (8 * b));
      wr_.addr += kBeatBytes;
      counters_.write_beats++;
      counters_.accel_beats[dma_target_]++;
      if (++wr_.moved == wr_.beats) {
        wr_.active = false;
        b_pending_ = true;
        b_wait_ = kDmaLatency;  // the write response after the memory's latency
      }
    }
    if (top_->m_axi_awvalid && top_->m_axi_awready) {
      check_burst("AW", aw.addr, aw.len, aw.size, aw.burst);
      wr_ = Burst{true, aw.addr, aw.len + 1, 0, 0};
      counters_.write_bursts++;
      counters_.beats_requested += aw.len + 1;
    }
  }

  // At the end every beat asked for has moved.
  void check_accounted() {
    if (rd_.active || wr_.active)
      violation("the program ended with a burst open: %u of %u read beats, %u of %u write beats",
                rd_.moved, rd_.beats, wr_.moved, wr_.beats);
  }

  Pending ar_, aw_, w_;
  Burst rd_, wr_;
  bool b_pending_ = false;
  uint32_t b_wait_ = 0;
#endif

  void check(uint32_t resp, const char* what, uintptr_t addr) {
    if (resp != 0) {
      std::fprintf(stderr, "cosim: %s of 0x%llx answered with error response %u\n", what,
                   static_cast<unsigned long long>(addr), resp);
      report();
      std::_Exit(4);
    }
  }

  // Every 2^20 cycles a line the runner turns into its progress display (unified/cosim.py).
  static constexpr uint64_t kProgressMask = (1ULL << 20) - 1;
  void progress() const {
    uint64_t runs = 0;
    for (int i = 0; i < kNumAccels; ++i) runs += counters_.runs[i];
    std::fprintf(stderr, "cosim-progress %llu %llu\n",
                 static_cast<unsigned long long>(counters_.cycles + 1),
                 static_cast<unsigned long long>(runs));
  }

  void report() const {
    const char* path = std::getenv("UNIFIED_COSIM_REPORT");
    if (!path) return;
    FILE* f = std::fopen(path, "w");
    if (!f) return;
    std::fprintf(f, "{\"bus_cycles\": %llu, \"reads\": %llu, \"writes\": %llu, "
                 "\"ctrl_reads\": %llu, \"kernels\": {",
                 static_cast<unsigned long long>(counters_.cycles),
                 static_cast<unsigned long long>(counters_.reads),
                 static_cast<unsigned long long>(counters_.writes),
                 static_cast<unsigned long long>(counters_.ctrl_reads));
    for (int i = 0; i < kNumAccels; ++i) {
      // A run is busy for its go-to-done edges plus the cycle done is high in.
      std::fprintf(f, "%s\"%s\": {\"cycles\": %llu, \"runs\": %llu, \"reads\": %llu, "
                   "\"writes\": %llu, \"bus_cycles\": %llu, \"dma_beats\": %llu}",
                   i ? ", " : "", kAccelNames[i],
                   static_cast<unsigned long long>(counters_.busy[i] - counters_.runs[i]),
                   static_cast<unsigned long long>(counters_.runs[i]),
                   static_cast<unsigned long long>(counters_.accel_reads[i]),
                   static_cast<unsigned long long>(counters_.accel_writes[i]),
                   static_cast<unsigned long long>(counters_.accel_bus_cycles[i]),
                   static_cast<unsigned long long>(counters_.accel_beats[i]));
    }
    std::fprintf(f, "}, \"dma\": {\"read_bursts\": %llu, \"write_bursts\": %llu, "
                 "\"read_beats\": %llu, \"write_beats\": %llu, \"beats_requested\": %llu, "
                 "\"busy_cycles\": %llu, \"register_reads\": %llu, \"register_writes\": %llu}}\n",
                 static_cast<unsigned long long>(counters_.read_bursts),
                 static_cast<unsigned long long>(counters_.write_bursts),
                 static_cast<unsigned long long>(counters_.read_beats),
                 static_cast<unsigned long long>(counters_.write_beats),
                 static_cast<unsigned long long>(counters_.beats_requested),
                 static_cast<unsigned long long>(counters_.dma_busy),
                 static_cast<unsigned long long>(counters_.dma_reads),
                 static_cast<unsigned long long>(counters_.dma_writes));
    std::fclose(f);
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vunified_top> top_;
  Counters counters_;
  uint64_t max_cycles_ = 0;
  uint64_t last_busy_ = 0;
  int dma_target_ = 0;
};

Sim& sim() {
  static Sim instance;  // built on the first bus access, reports when the program exits
  return instance;
}

}  // namespace

extern "C" uint32_t unified_mmio_read32(uintptr_t addr) { return sim().read32(addr); }

extern "C" void unified_mmio_write32(uintptr_t addr, uint32_t value) {
  sim().write32(addr, value);
}
