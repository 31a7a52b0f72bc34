"""Differential fuzzing of the hardware and software flows on random affine kernels
(integer ones, and f32 ones with the "float" profile).

`generator` makes kernels, `reference` executes them in Python, `runner` compares every
target against the reference, `reduce` shrinks a failing kernel, `cli` is `unified fuzz`.
"""
