"""The server's work root: one folder per request, found again only by its random id.

A job id is 32 random hex digits; a file inside a job is named by a request only when it is
one of the names that job's own folder lists, so no parameter can reach a path outside.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from unified.serve.params import BadRequest

JOB_ID = re.compile(r"[0-9a-f]{32}")


class NotFound(BadRequest):
    """A job or file the server does not have (HTTP 404)."""


class Workspace:
    """Job folders under `root`."""

    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def new_job(self) -> tuple[str, Path]:
        """A fresh job id and its empty folder."""
        job = uuid.uuid4().hex
        folder = self.root / job
        folder.mkdir()
        return job, folder

    def job(self, job: str) -> Path:
        """The folder of an existing job; NotFound for anything else."""
        if not JOB_ID.fullmatch(job) or not (self.root / job).is_dir():
            raise NotFound(f"no job '{job[:40]}' on this server",
                           hint="compile the module again")
        return self.root / job

    def file(self, job: str, *parts: str) -> Path:
        """The file parts[0]/parts[1]/... of a job, each part one entry its folder lists."""
        path = self.job(job)
        for part in parts:
            if part not in _entries(path):
                raise NotFound(f"no file '{'/'.join(parts)[:80]}' in this job",
                               hint="choose one of the files the job lists")
            path = path / part
        if not path.is_file():
            raise NotFound(f"'{'/'.join(parts)[:80]}' is not a file of this job",
                           hint="choose one of the files the job lists")
        return path


def _entries(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()
