"""Differential fuzzing of the hardware and software flows on random integer affine kernels.

`generator` makes kernels, `reference` executes them in Python, `runner` compares every
target against the reference, `reduce` shrinks a failing kernel, `cli` is `unified fuzz`.
"""
