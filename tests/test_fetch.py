"""`trialgraph fetch` against recorded API v2 responses (no test touches the network).

The studies served are the real API v2 records in tests/fixtures/ctgov; ten of them came from
one saved /api/v2/studies search response (see tests/fixtures/README.md). A test server below
serves them as pages the way the API does: `studies`, `nextPageToken` while more remain,
`totalCount` when asked, and optional failures (429 with Retry-After, 503) to test the retries.
"""

from __future__ import annotations

import functools
import json
from datetime import date
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from trialgraph.cli import main
from trialgraph.loaders import ctgov_api, load_file
from trialgraph.loaders.ctgov_api import Client, FetchError, Search, fetch

pytestmark = pytest.mark.unit
CTGOV = Path(__file__).resolve().parent / "fixtures" / "ctgov"
# the order of the saved search response
SEARCH_ORDER = [
    "NCT05288205", "NCT03745326", "NCT06385925", "NCT05052671", "NCT05438667",
    "NCT04956640", "NCT06008288", "NCT06898385", "NCT05786924", "NCT06411691",
]


def study(nct: str) -> dict:
    return json.loads((CTGOV / f"{nct}.json").read_text(encoding="utf-8"))


class Recorded:
    """Serves recorded studies page by page; records every request it saw."""

    def __init__(self, ncts: list[str], failures: list[httpx.Response] | None = None) -> None:
        self.ncts = ncts
        self.failures = list(failures or [])
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.failures:
            return self.failures.pop(0)
        q = request.url.params
        assert request.url.path == "/api/v2/studies"
        ncts = self.ncts
        if "filter.ids" in q:
            wanted = q["filter.ids"].split(",")
            ncts = [n for n in ncts if n in wanted]
        size = int(q["pageSize"])
        start = int(q.get("pageToken", "tok0")[3:])
        body: dict = {"studies": [study(n) for n in ncts[start : start + size]]}
        if start + size < len(ncts):
            body["nextPageToken"] = f"tok{start + size}"
        if q.get("countTotal") == "true":
            body["totalCount"] = len(ncts)
        return httpx.Response(200, json=body)


def client(server: Recorded, **kw) -> Client:
    waits: list[float] = []
    c = Client("https://clinicaltrials.gov/api/v2", transport=httpx.MockTransport(server), sleep=waits.append,
               clock=lambda: 0.0, **kw)
    c.waits = waits  # type: ignore[attr-defined]
    return c


def test_search_follows_next_page_token_and_writes_ndjson_that_load_reads(tmp_path: Path) -> None:
    server = Recorded(SEARCH_ORDER)
    out = tmp_path / "kras.ndjson"
    with client(server, page_size=4) as c:
        report = fetch(c, Search(condition="KRAS"), out)
    assert (report.studies, report.pages, report.total, report.retries) == (10, 3, 10, 0)
    tokens = [r.url.params.get("pageToken") for r in server.requests]
    assert tokens == [None, "tok4", "tok8"]
    assert all(r.url.params["query.cond"] == "KRAS" for r in server.requests)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 10
    assert [t.nct_id for t in load_file(out)] == SEARCH_ORDER
    # paced: every request after the first waited its turn (the clock never moves here)
    assert c.waits == [1.2, 1.2]  # type: ignore[attr-defined]


def test_retries_429_with_retry_after_and_503_then_succeeds(tmp_path: Path) -> None:
    failures = [httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(503)]
    server = Recorded(SEARCH_ORDER[:3], failures)
    with client(server, backoff=0.5, pace=0) as c:
        fetch(c, Search(intervention="JAB-21822"), tmp_path / "o.ndjson")
    assert (c.report.retries, c.report.requests, c.report.studies) == (2, 3, 3)
    # Retry-After outweighs the first backoff (0.5 s); the second backoff doubles to 1 s
    assert c.waits == [7.0, 1.0]  # type: ignore[attr-defined]


def test_gives_up_after_the_retries_and_leaves_no_output(tmp_path: Path) -> None:
    server = Recorded(SEARCH_ORDER, [httpx.Response(502)] * 4)
    out = tmp_path / "o.ndjson"
    with client(server, retries=3, pace=0) as c, pytest.raises(FetchError, match="HTTP 502, still failing after 3 retries"):
        fetch(c, Search(condition="x"), out)
    assert not out.exists() and not list(tmp_path.iterdir())


def test_a_client_error_is_not_retried() -> None:
    server = Recorded(SEARCH_ORDER, [httpx.Response(400, text="invalid filter.advanced")])
    with client(server) as c, pytest.raises(FetchError, match="HTTP 400: invalid filter.advanced"):
        list(c.studies(Search(condition="x")))
    assert c.report.requests == 1


def test_by_ids_reports_the_ones_not_found(tmp_path: Path) -> None:
    server = Recorded(SEARCH_ORDER)
    with client(server) as c:
        report = fetch(c, Search(nct_ids=("NCT06411691", "NCT05288205", "NCT09999999")), tmp_path / "o.ndjson")
    assert server.requests[0].url.params["filter.ids"] == "NCT06411691,NCT05288205,NCT09999999"
    assert report.studies == 2 and report.missing == ["NCT09999999"]


def test_since_and_dates_become_the_advanced_filter() -> None:
    s = Search(condition="hepatocellular carcinoma", since=date(2026, 1, 1), start_to=date(2025, 12, 31))
    assert s.params() == {
        "query.cond": "hepatocellular carcinoma",
        "filter.advanced": "AREA[LastUpdatePostDate]RANGE[2026-01-01,MAX] AND AREA[StartDate]RANGE[MIN,2025-12-31]",
    }
    with pytest.raises(FetchError, match=r"8 digits\): NCT123"):
        Search(nct_ids=("NCT123",))
    with pytest.raises(FetchError, match="nothing to fetch"):
        Search()
    with pytest.raises(FetchError, match="is after"):
        Search(since=date(2026, 2, 1), until=date(2026, 1, 1))


def test_limit_stops_early() -> None:
    server = Recorded(SEARCH_ORDER)
    with client(server, page_size=4) as c:
        got = list(c.studies(Search(condition="x"), limit=5))
    assert len(got) == 5 and c.report.pages == 2


def test_cli_fetch_then_load_reads_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = Recorded(SEARCH_ORDER)
    monkeypatch.setattr(
        ctgov_api, "Client",
        functools.partial(Client, transport=httpx.MockTransport(server), sleep=lambda s: None),
    )
    out = tmp_path / "since.ndjson"
    r = CliRunner().invoke(main, ["fetch", "--sponsor", "Allist", "--since", "2025-01-01", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "wrote 10 studies of 10 matching" in r.output
    q = server.requests[0].url.params
    assert q["query.spons"] == "Allist" and q["filter.advanced"] == "AREA[LastUpdatePostDate]RANGE[2025-01-01,MAX]"
    assert len(list(load_file(out))) == 10

    bad = CliRunner().invoke(main, ["fetch", "NCT1", "-o", str(out)])
    assert bad.exit_code == 2 and "NCT followed by 8 digits" in bad.output


def test_cli_fetch_without_network_fails_fast_naming_the_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[httpx.Request] = []
    slept: list[float] = []

    def no_dns(request: httpx.Request) -> httpx.Response:
        tried.append(request)
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    monkeypatch.setattr(ctgov_api, "Client", functools.partial(Client, transport=httpx.MockTransport(no_dns),
                                                               sleep=slept.append))
    out = tmp_path / "o.ndjson"
    r = CliRunner().invoke(main, ["fetch", "NCT04344158", "-o", str(out)])
    assert r.exit_code == 5, r.output  # the network exit code, not 2 (usage)
    assert "error: cannot reach clinicaltrials.gov: [Errno -3] Temporary failure in name resolution" in r.stderr
    assert len(tried) == 2 and sum(slept) <= 2.5  # one retry, not five with backoff
    assert not out.exists()
    help_text = " ".join(CliRunner().invoke(main, ["fetch", "--help"]).output.split())
    assert "a host that cannot be reached (DNS, refused) is retried once" in help_text and "429" in help_text
