"""A small structured emitter for generated C and C++: lines, blocks and indentation.

    w = CppWriter()
    with w.block("static void f()"):
        w.line("return;")
    text = w.text()
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class CppWriter:
    """Collects lines of C/C++ with the current indentation; `block` opens a braced scope."""

    def __init__(self, indent: str = "  "):
        self._lines: list[str] = []
        self._depth = 0
        self._indent = indent

    def line(self, text: str = "") -> None:
        """Adds one line at the current indentation (an empty line stays empty)."""
        self._lines.append(f"{self._indent * self._depth}{text}" if text else "")

    def comment(self, text: str) -> None:
        """`// text`, one line per line of `text`."""
        for part in text.splitlines():
            self.line(f"// {part}")

    @contextmanager
    def indent(self) -> Iterator[None]:
        """Lines added inside the `with` are indented one level deeper."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1

    @contextmanager
    def block(self, head: str, tail: str = "") -> Iterator[None]:
        """`head {` ... `}tail` with the body indented one level."""
        self.line(f"{head} {{")
        with self.indent():
            yield
        self.line(f"}}{tail}")

    @contextmanager
    def include_guard(self, guard: str) -> Iterator[None]:
        """`#ifndef guard` / `#define guard` ... `#endif  // guard` around a header's body."""
        self.line(f"#ifndef {guard}")
        self.line(f"#define {guard}")
        self.line()
        yield
        self.line(f"#endif  // {guard}")

    @contextmanager
    def extern_c(self) -> Iterator[None]:
        """Declarations with C linkage when the header is read by a C++ compiler."""
        for text in ("#ifdef __cplusplus", 'extern "C" {', "#endif", ""):
            self.line(text)
        yield
        for text in ("#ifdef __cplusplus", "}", "#endif", ""):
            self.line(text)

    def text(self) -> str:
        """Everything written so far, newline-terminated."""
        return "\n".join(self._lines) + "\n"
