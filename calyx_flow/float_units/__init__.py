"""IEEE-754 binary32 units built as hw/comb/seq IR (see units.py, ieee754.py)."""
