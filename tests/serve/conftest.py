"""Fixtures of the `unified serve` tests: an application on a fresh work root, and one
compile of a small kernel shared by the tests that only read its results."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("flask", reason="unified serve needs Flask: pip install -e '.[test]'")

from unified.serve.app import create_app

VADD = "kernels/vadd.mlir"  # 8-element vector add: compiles and simulates in seconds


@pytest.fixture
def client(tmp_path: Any) -> Any:
    """A test client of an application whose job folders live under tmp_path/work."""
    return create_app(tmp_path / "work", time_limit=300).test_client()


@pytest.fixture(scope="module")
def vadd_job(tmp_path_factory: Any) -> Iterator[tuple[Any, dict]]:
    """(client, compile response) of examples/kernels/vadd.mlir forced to hardware."""
    app = create_app(tmp_path_factory.mktemp("serve") / "work", time_limit=300)
    c = app.test_client()
    r = c.post("/api/compile", data={"example": VADD, "partition": "hw", "simulate": "0"})
    assert r.status_code == 200, r.json
    yield c, r.json
