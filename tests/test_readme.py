"""The README's two quick-start commands stay true: CI runs command 2 verbatim."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parent.parent


def readme_command(n: int) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- readme-command-{n} -->\s*```sh\n(.+?)\n```", text, re.S)
    assert m, f"README command {n} not found"
    return m.group(1).strip()


def test_ci_runs_readme_command_2() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_command(2) in ci.splitlines()


def test_readme_command_1_runs_the_demo() -> None:
    assert readme_command(1).endswith("trialgraph demo")
