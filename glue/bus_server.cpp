// A bus server over the co-simulation HAL: Python tests drive the Verilator model of
// unified_top through stdin/stdout. Requests, one per line: "r ADDR" answers the value,
// "w ADDR VALUE" answers "ok" (numbers in decimal). End of input ends the program.

#include <cstdint>
#include <cstdio>

extern "C" uint32_t unified_mmio_read32(uintptr_t addr);
extern "C" void unified_mmio_write32(uintptr_t addr, uint32_t value);

int main() {
  char op = 0;
  unsigned long long addr = 0, value = 0;
  while (std::scanf(" %c %llu", &op, &addr) == 2) {
    if (op == 'r') {
      std::printf("%u\n", unified_mmio_read32(static_cast<uintptr_t>(addr)));
    } else if (op == 'w' && std::scanf("%llu", &value) == 1) {
      unified_mmio_write32(static_cast<uintptr_t>(addr), static_cast<uint32_t>(value));
      std::printf("ok\n");
    } else {
      std::fprintf(stderr, "bus_server: bad request '%c'\n", op);
      return 2;
    }
    std::fflush(stdout);
  }
  return 0;
}
