// The Verilator testbench of one float unit (module Vunit: clk, reset, go, left, right ->
// out, done).
//
//   unit IN.bin OUT.bin
//
// IN.bin holds operand pairs (left, right) as little-endian uint64 (a 32-bit port takes the
// low half). Each pair is driven the
// way a Calyx group drives a pipelined cell: operands set and go held high until done is
// seen; in the done cycle go is low (the group's `!done` guard), and the next pair starts
// the cycle after. OUT.bin gets, per pair, `out` and the rising edges from go to done, as
// uint64. Exit code 3: done never came within 1000 cycles; 2: a bad file.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <type_traits>
#include <vector>

#include "Vunit.h"
#include "verilated.h"

static void tick(Vunit* t) {
  t->clk = 1;
  t->eval();
  t->clk = 0;
  t->eval();
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  FILE* in = std::fopen(argv[1], "rb");
  if (!in) return 2;
  std::vector<uint64_t> operands;
  uint64_t word;
  while (std::fread(&word, sizeof word, 1, in) == 1) operands.push_back(word);
  std::fclose(in);
  auto context = std::make_unique<VerilatedContext>();
  auto t = std::make_unique<Vunit>(context.get());
  t->clk = 0;
  t->go = 0;
  t->reset = 1;
  t->eval();
  tick(t.get());
  tick(t.get());
  t->reset = 0;
  t->eval();
  std::vector<uint64_t> results;
  for (size_t i = 0; i + 1 < operands.size(); i += 2) {
    t->left = static_cast<std::remove_reference_t<decltype(t->left)>>(operands[i]);
    t->right = static_cast<std::remove_reference_t<decltype(t->right)>>(operands[i + 1]);
    t->go = 1;
    t->eval();
    uint64_t edges = 0;
    while (!t->done) {
      tick(t.get());
      if (++edges > 1000) return 3;
    }
    results.push_back(t->out);
    results.push_back(edges);
    t->go = 0;
    t->eval();
    tick(t.get());
  }
  FILE* out = std::fopen(argv[2], "wb");
  if (!out) return 2;
  std::fwrite(results.data(), sizeof(uint64_t), results.size(), out);
  std::fclose(out);
  t->final();
  return 0;
}
