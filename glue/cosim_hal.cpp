// The co-simulation HAL: unified_mmio_read32/write32 as AXI4-Lite transactions on the
// Verilator model of unified_top, cycle by cycle. Linked into one host program with the
// software (compiled for the host), the C harness of the entry and the C driver.
//
// Environment: UNIFIED_MAX_CYCLES (stop with exit 3 beyond it), UNIFIED_COSIM_REPORT (a
// file that gets the counters as JSON at exit). hal_config.h (generated) gives
// kNumAccels, kMmioBase, kWindow and kAccelNames.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
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
    report();
    top_->final();
  }

  uint32_t read32(uintptr_t addr) {
    const uint64_t start = counters_.cycles;
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
    if (const int i = accel_of(addr); i >= 0) {
      counters_.accel_reads[i]++;
      counters_.accel_bus_cycles[i] += counters_.cycles - start;
    }
    check(resp, "read", addr);
    return data;
  }

  void write32(uintptr_t addr, uint32_t value) {
    const uint64_t start = counters_.cycles;
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
    if (const int i = accel_of(addr); i >= 0) {
      counters_.accel_writes[i]++;
      counters_.accel_bus_cycles[i] += counters_.cycles - start;
    }
    check(resp, "write", addr);
  }

 private:
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

  // One clock cycle: the accelerators' busy lines are sampled before the rising edge.
  void tick() {
    const uint64_t busy = top_->busy;
    for (int i = 0; i < kNumAccels; ++i) {
      const bool on = (busy >> i) & 1;
      if (on) counters_.busy[i]++;
      if (on && !((last_busy_ >> i) & 1)) counters_.runs[i]++;
    }
    last_busy_ = busy;
    top_->clk = 1;
    top_->eval();
    top_->clk = 0;
    top_->eval();
    if (++counters_.cycles > max_cycles_) {
      std::fprintf(stderr, "cosim: no answer after %llu cycles (--max-cycles)\n",
                   static_cast<unsigned long long>(max_cycles_));
      report();
      std::_Exit(3);
    }
  }

  void check(uint32_t resp, const char* what, uintptr_t addr) {
    if (resp != 0) {
      std::fprintf(stderr, "cosim: %s of 0x%llx answered with error response %u\n", what,
                   static_cast<unsigned long long>(addr), resp);
      report();
      std::_Exit(4);
    }
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
                   "\"writes\": %llu, \"bus_cycles\": %llu}", i ? ", " : "", kAccelNames[i],
                   static_cast<unsigned long long>(counters_.busy[i] - counters_.runs[i]),
                   static_cast<unsigned long long>(counters_.runs[i]),
                   static_cast<unsigned long long>(counters_.accel_reads[i]),
                   static_cast<unsigned long long>(counters_.accel_writes[i]),
                   static_cast<unsigned long long>(counters_.accel_bus_cycles[i]));
    }
    std::fprintf(f, "}}\n");
    std::fclose(f);
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vunified_top> top_;
  Counters counters_;
  uint64_t max_cycles_ = 0;
  uint64_t last_busy_ = 0;
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
