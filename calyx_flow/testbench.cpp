// The Verilator testbench of one compiled kernel (the fixed part; ports.h is generated).
//
//   model IN.bin OUT.bin MAX_CYCLES [WAVES.vcd]
//
// IN.bin holds every memory's words, then every scalar, as little-endian uint64 in the
// order of ports.h; OUT.bin gets every memory's words after the run. The kernel is reset,
// go is raised and held, and the rising clock edges are counted until done is seen high;
// "cycles N" goes to stdout. Exit codes: 0 done, 3 cycle limit reached, 4 a write outside
// a memory, 2 a bad file.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "verilated.h"
#ifdef UNIFIED_TRACE
#include "verilated_vcd_c.h"
#endif

// One memref argument: Calyx's external memory (addr -> read_data, write_en/write_data,
// done registered one cycle after a write), with read_data `latency` cycles after addr.
struct MemModel {
  const char* name;
  std::vector<uint64_t> dims;
  uint64_t mask;
  int latency;
  std::vector<uint64_t> words;
  std::vector<uint64_t> read_pipe;  // latency > 0: values on their way to read_data
  bool done = false;
  // Sampled before the rising edge.
  long addr = -1;
  bool write_en = false;
  uint64_t write_data = 0;

  MemModel(const char* n, std::vector<uint64_t> d, int width, int lat)
      : name(n), dims(std::move(d)), mask(width >= 64 ? ~0ULL : ((1ULL << width) - 1)),
        latency(lat), read_pipe(lat > 0 ? lat : 0, 0) {
    uint64_t n_words = 1;
    for (uint64_t x : dims) n_words *= x;
    words.assign(n_words, 0);
  }

  // Row-major word index of an address tuple, or -1 when any coordinate is out of range.
  long index(const uint64_t* coords, size_t rank) const {
    uint64_t flat = 0;
    if (rank == 1 && dims.size() > 1) {  // a flattened N-D memref
      return coords[0] < words.size() ? static_cast<long>(coords[0]) : -1;
    }
    for (size_t i = 0; i < rank; ++i) {
      if (coords[i] >= dims[i]) return -1;
      flat = flat * dims[i] + coords[i];
    }
    return static_cast<long>(flat);
  }

  uint64_t at(long i) const { return i < 0 ? 0 : words[static_cast<size_t>(i)]; }

  // What read_data shows in the current cycle.
  uint64_t read_data() const { return latency == 0 ? at(addr) : read_pipe.back(); }

  // The rising edge: reads enter the pipe (read before write), the write lands, done follows.
  bool clock() {
    if (latency > 0) {
      for (size_t i = read_pipe.size() - 1; i > 0; --i) read_pipe[i] = read_pipe[i - 1];
      read_pipe[0] = at(addr);
    }
    done = write_en;
    if (!write_en) return true;
    if (addr < 0) return false;
    words[static_cast<size_t>(addr)] = write_data & mask;
    return true;
  }
};

#include "ports.h"

static bool read_words(FILE* f, std::vector<uint64_t>& out) {
  return std::fread(out.data(), sizeof(uint64_t), out.size(), f) == out.size();
}

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s IN.bin OUT.bin MAX_CYCLES [WAVES.vcd]\n", argv[0]);
    return 2;
  }
  const uint64_t max_cycles = std::strtoull(argv[3], nullptr, 10);
  FILE* in = std::fopen(argv[1], "rb");
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", argv[1]);
    return 2;
  }
  for (MemModel& m : g_mems) {
    if (!read_words(in, m.words)) {
      std::fprintf(stderr, "%s: too few words for memory %s\n", argv[1], m.name);
      return 2;
    }
  }
  std::vector<uint64_t> scalars(kNumScalars);
  if (!read_words(in, scalars)) {
    std::fprintf(stderr, "%s: too few scalar values\n", argv[1]);
    return 2;
  }
  std::fclose(in);

  auto context = std::make_unique<VerilatedContext>();
  auto top = std::make_unique<Vtop>(context.get());
  uint64_t time = 0;
#ifdef UNIFIED_TRACE
  std::unique_ptr<VerilatedVcdC> vcd;
  if (argc > 4) {
    context->traceEverOn(true);
    vcd = std::make_unique<VerilatedVcdC>();
    top->trace(vcd.get(), 99);
    vcd->open(argv[4]);
  }
  auto dump = [&]() { if (vcd) vcd->dump(time); };
#else
  auto dump = [&]() {};
#endif

  // Rest of the cycle: settle the logic and let the modelled memories answer the new
  // addresses, then the falling edge, where the block RAMs inside the core (memory_primitive)
  // read the settled addresses, and settle again with their data.
  auto settle = [&]() {
    top->eval();
    sample_memories(top.get());
    top->eval();
    sample_memories(top.get());  // addresses never depend on read data; this is a check
    top->eval();
    TOP_CLK(top) = 0;
    top->eval();
    sample_memories(top.get());
    top->eval();
    dump();
    time += 5;
  };
  // Rising edge: registers and memories update together.
  bool write_ok = true;
  auto rise = [&]() {
    TOP_CLK(top) = 1;
    top->eval();
    for (MemModel& m : g_mems) write_ok = m.clock() && write_ok;
    drive_memories(top.get());
    dump();
    time += 5;
  };

  set_scalars(top.get(), scalars.data());
  TOP_GO(top) = 0;
  TOP_RESET(top) = 1;
  drive_memories(top.get());
  for (int i = 0; i < 3; ++i) {
    settle();
    rise();
  }
  TOP_RESET(top) = 0;
  write_ok = true;  // what a core drives while in reset is not its computation
  for (MemModel& m : g_mems) m.done = false;
  drive_memories(top.get());

  TOP_GO(top) = 1;
  uint64_t cycles = 0;
  int status = 0;
  for (;;) {
    settle();
    if (TOP_DONE(top)) break;
    if (cycles >= max_cycles) {
      status = 3;
      break;
    }
    rise();
    ++cycles;
    if (!write_ok) {
      status = 4;
      break;
    }
  }
  TOP_GO(top) = 0;
  settle();
  top->final();
#ifdef UNIFIED_TRACE
  if (vcd) vcd->close();
#endif

  std::printf("cycles %llu\n", static_cast<unsigned long long>(cycles));
  if (status == 4) {
    for (MemModel& m : g_mems) {
      if (m.write_en && m.addr < 0) std::fprintf(stderr, "write outside memory %s\n", m.name);
    }
  }
  FILE* out = std::fopen(argv[2], "wb");
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", argv[2]);
    return 2;
  }
  for (MemModel& m : g_mems) std::fwrite(m.words.data(), sizeof(uint64_t), m.words.size(), out);
  std::fclose(out);
  return status;
}
