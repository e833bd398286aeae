"""Property-based fuzzing of every parser (hypothesis): whatever bytes or text arrive, a parser
returns trial records or raises LoaderError naming the document; it never crashes with anything
else. Inputs are random text, and real documents of each layout (the seeds, API v2 JSON, legacy
XML) cut short, spliced, with lines dropped or duplicated, or with random text inserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trialgraph.errors import LoaderError
from trialgraph.loaders import base, registry
from trialgraph.loaders.base import decode, load_text
from trialgraph.records import Trial

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parent.parent
REAL = [
    *sorted((ROOT / "trialgraph" / "samples" / "seeds").glob("*.txt")),
    *sorted((ROOT / "tests" / "fixtures" / "ctgov").glob("*.json"))[:4],
    *sorted((ROOT / "tests" / "fixtures" / "ctgov_xml").glob("*.xml")),
]
DOCS = [p.read_text(encoding="utf-8") for p in REAL]
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def parses_or_names_the_document(text: str, name: str = "fuzz.txt") -> None:
    try:
        trials = load_text(text, name)
    except LoaderError as e:
        assert e.file.startswith(name) and str(e).startswith(name), str(e)
        return
    assert all(isinstance(t, Trial) for t in trials)
    for t in trials:  # what came through is clean: no control character reaches the graph
        assert not base.CONTROL.search(json.dumps(t.model_dump(mode="json"), ensure_ascii=False))


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(DOCS))
    lines = text.splitlines(keepends=True)
    how = draw(st.sampled_from(["cut", "splice", "drop", "dup", "insert", "swap"]))
    if how == "cut":
        return text[: draw(st.integers(0, len(text)))]
    if how == "splice":
        other = draw(st.sampled_from(DOCS))
        return text[: draw(st.integers(0, len(text)))] + other[draw(st.integers(0, len(other))):]
    if how in ("drop", "dup") and lines:
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(i, min(len(lines), i + 20)))
        return "".join(lines[:i] + (lines[i:j] * 2 if how == "dup" else []) + lines[j:])
    if how == "swap" and len(lines) > 1:
        i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
        return "".join(lines)
    k = draw(st.integers(0, len(text)))
    return text[:k] + draw(st.text(min_size=1, max_size=40)) + text[k:]


@FUZZ
@given(st.text(max_size=2000))
def test_random_text_never_crashes_detection_or_parsing(text: str) -> None:
    parses_or_names_the_document(text)


@FUZZ
@given(mutated())
def test_damaged_real_documents_are_parsed_or_rejected_by_name(text: str) -> None:
    parses_or_names_the_document(text)


@FUZZ
@given(st.sampled_from(range(len(registry()))), mutated())
def test_each_loader_alone_parses_or_names_the_document(k: int, text: str) -> None:
    loader = registry()[k]  # even a layout's parser given another layout's page fails cleanly
    try:
        trials, _ = base.parse_with(loader, text, "fuzz.txt")
    except LoaderError as e:
        assert e.file.startswith("fuzz.txt")
        return
    assert all(isinstance(t, Trial) for t in trials)


@FUZZ
@given(st.binary(max_size=3000))
def test_any_bytes_decode_or_are_named(data: bytes) -> None:
    try:
        text = decode(data, "bytes.bin")
    except LoaderError as e:
        assert e.file == "bytes.bin"
        return
    parses_or_names_the_document(text, "bytes.bin")


@FUZZ
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=12), kids, max_size=4),
                    max_leaves=30))
def test_api_json_with_any_shape_in_any_module_is_parsed_or_named(value: object) -> None:
    rec = json.loads(DOCS[next(i for i, p in enumerate(REAL) if p.suffix == ".json")])
    ps = rec["protocolSection"]
    for module in list(ps)[: 1 + len(str(value)) % len(ps)]:
        ps[module] = value if isinstance(value, dict) and len(str(value)) % 2 else {**ps[module], "x": value}
    parses_or_names_the_document(json.dumps(rec), "api.json")
