"""What connects the two sides: the register map, the C driver, the Python host class, and
the co-simulation HAL and bus that bind the same driver to a Verilator model."""
