// A bus server over the co-simulation HAL: Python tests drive the Verilator model of
// unified_top through stdin/stdout. Requests, one per line (numbers in decimal):
//   "r ADDR"              answers the 32-bit register value
//   "w ADDR VALUE"        writes a register, answers "ok"
//   "a BYTES"             allocates host memory for the DMA engine (64-byte aligned,
//                         zeroed), answers its address
//   "p ADDR N V1 .. VN"   stores N 32-bit words into host memory from ADDR, answers "ok"
//   "k ADDR N"            answers the N 32-bit words of host memory from ADDR
// End of input ends the program.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

extern "C" uint32_t unified_mmio_read32(uintptr_t addr);
extern "C" void unified_mmio_write32(uintptr_t addr, uint32_t value);

int main() {
  std::vector<std::unique_ptr<uint32_t[]>> buffers;  // host memory handed out by "a"
  char op = 0;
  unsigned long long addr = 0, value = 0;
  while (std::scanf(" %c %llu", &op, &addr) == 2) {
    if (op == 'r') {
      std::printf("%u\n", unified_mmio_read32(static_cast<uintptr_t>(addr)));
    } else if (op == 'w' && std::scanf("%llu", &value) == 1) {
      unified_mmio_write32(static_cast<uintptr_t>(addr), static_cast<uint32_t>(value));
      std::printf("ok\n");
    } else if (op == 'a') {
      const size_t words = (addr + 3) / 4 + 16;
      buffers.emplace_back(new uint32_t[words]());
      const uintptr_t start = (reinterpret_cast<uintptr_t>(buffers.back().get()) + 63) & ~63ULL;
      std::printf("%llu\n", static_cast<unsigned long long>(start));
    } else if (op == 'p' && std::scanf("%llu", &value) == 1) {
      auto* words = reinterpret_cast<uint32_t*>(static_cast<uintptr_t>(addr));
      for (unsigned long long i = 0, v = 0; i < value && std::scanf("%llu", &v) == 1; ++i)
        words[i] = static_cast<uint32_t>(v);
      std::printf("ok\n");
    } else if (op == 'k' && std::scanf("%llu", &value) == 1) {
      const auto* words = reinterpret_cast<const uint32_t*>(static_cast<uintptr_t>(addr));
      for (unsigned long long i = 0; i < value; ++i)
        std::printf(i ? " %u" : "%u", words[i]);
      std::printf("\n");
    } else {
      std::fprintf(stderr, "bus_server: bad request '%c'\n", op);
      return 2;
    }
    std::fflush(stdout);
  }
  return 0;
}
