module attributes {unified.platform = {bus_width = 32 : i64, fpga_family = "ice40"}} {
  func.func @main(%a: memref<4xi32>) {
    return
  }
}
