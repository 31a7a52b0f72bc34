"""The error hierarchy. The library raises these; only the CLI turns them into exit codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Loc:
    """A source location: file, 1-based line and column (0 when unknown)."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col}"
        return self.file


class UnifiedError(Exception):
    """Base of every error a user can cause or fix. Exit code 1 unless said otherwise."""

    exit_code = 1

    def __init__(self, message: str, loc: Loc | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.loc = loc
        self.hint = hint

    def __reduce__(self):  # keep loc/hint/stage when sent from a worker process
        return (_rebuild, (self.__class__, self.__dict__))

    def render(self) -> str:
        """One line: `file:line:col: error: what is wrong — how to fix` (plus notes, if any)."""
        where = f"{self.loc}: " if self.loc else ""
        fix = f" — {self.hint}" if self.hint else ""
        return f"{where}error: {self.message}{fix}"

    def with_file(self, path: str) -> UnifiedError:
        """Names the user's file in place of the `-` MLIR gives text parsed from a string."""
        if self.loc is not None and self.loc.file in ("-", "", "<stdin>"):
            self.loc = Loc(path, self.loc.line, self.loc.col)
        elif self.loc is None:
            self.loc = Loc(path)
        return self


def _rebuild(cls: type[UnifiedError], state: dict) -> UnifiedError:
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class ParseError(UnifiedError):
    """The input is not valid MLIR (syntax, unknown op, type mismatch)."""


class VerifyError(UnifiedError):
    """The module parses but breaks a rule of the unified module or of a stage."""


class PassFailedError(UnifiedError):
    """A pass failed on IR that should have been valid for it: a compiler bug or a limit."""

    def __init__(self, message: str, loc: Loc | None = None, hint: str | None = None,
                 stage: str = "", reproducer: str = ""):
        super().__init__(message, loc, hint)
        self.stage = stage
        self.reproducer = reproducer

    def render(self) -> str:
        text = super().render()
        if self.stage:
            text = f"{text}\n  in stage '{self.stage}'"
        if self.reproducer:
            text = f"{text}\n  reproduce with: {self.reproducer}"
        return text


class PartitionError(UnifiedError):
    """No placement satisfies the constraints (forced targets, area budget)."""


class SimulationError(UnifiedError):
    """A simulation did not finish or its inputs do not fit the kernel."""


class ToolNotFound(UnifiedError):
    """An external tool or wheel is missing; the message names the package that provides it."""

    exit_code = 2
