"""A client for the ClinicalTrials.gov API v2 (``trialgraph fetch``).

It fetches studies by NCT id or by a search, follows ``nextPageToken`` past the 1,000-studies
page cap, paces its requests (the API asks for about 50 a minute), retries 429 and 5xx answers
and dropped connections with exponential backoff (honouring ``Retry-After``), and writes the
studies as NDJSON, one API v2 study per line, which ``trialgraph load`` reads as it is.

A host that cannot be reached at all (no DNS answer, connection refused, connect timeout) is
tried twice at most: backing off does not bring back a network that is not there, so the fetch
fails within seconds with "cannot reach clinicaltrials.gov: ...".

The output file is written under a temporary name and renamed when the fetch completes, so an
interrupted fetch never leaves a truncated file that looks complete.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from trialgraph.errors import ExitCode, TrialgraphError
from trialgraph.records import NCT_ID

log = logging.getLogger(__name__)

API_URL = "https://clinicaltrials.gov/api/v2"
MAX_PAGE_SIZE = 1000  # the API's cap per page
IDS_PER_REQUEST = 100  # NCT ids per filter.ids request, to keep URLs short
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchError(TrialgraphError):
    """What to fetch is malformed, or the registry answered a request with an error (HTTP 4xx)."""


class NetworkError(FetchError):
    """The registry cannot be reached, kept failing after the retries, or answered with something
    unusable."""

    exit_code = ExitCode.NETWORK


CONNECT_ATTEMPTS = 2  # a host that cannot be reached (DNS, refused, connect timeout): one retry


@dataclass(frozen=True)
class Search:
    """What to fetch: NCT ids, or a search by condition, intervention, sponsor and dates."""

    nct_ids: tuple[str, ...] = ()
    condition: str | None = None
    intervention: str | None = None
    sponsor: str | None = None
    term: str | None = None
    since: date | None = None  # LastUpdatePostDate on or after
    until: date | None = None  # LastUpdatePostDate on or before
    start_from: date | None = None  # StartDate on or after
    start_to: date | None = None  # StartDate on or before

    def __post_init__(self) -> None:
        bad = [i for i in self.nct_ids if not NCT_ID.match(i)]
        if bad:
            raise FetchError(f"not an NCT id (NCT followed by 8 digits): {', '.join(bad)}")
        if not (self.nct_ids or self.condition or self.intervention or self.sponsor or self.term or self.since
                or self.until or self.start_from or self.start_to):
            raise FetchError("nothing to fetch: give NCT ids or at least one search option")
        for lo, hi, what in ((self.since, self.until, "--since/--until"), (self.start_from, self.start_to, "start dates")):
            if lo and hi and lo > hi:
                raise FetchError(f"{what}: {lo} is after {hi}")

    def params(self) -> dict[str, str]:
        """The API query parameters of this search (without ids and paging)."""
        p: dict[str, str] = {}
        if self.condition:
            p["query.cond"] = self.condition
        if self.intervention:
            p["query.intr"] = self.intervention
        if self.sponsor:
            p["query.spons"] = self.sponsor
        if self.term:
            p["query.term"] = self.term
        areas = [
            _range("LastUpdatePostDate", self.since, self.until),
            _range("StartDate", self.start_from, self.start_to),
        ]
        advanced = " AND ".join(a for a in areas if a)
        if advanced:
            p["filter.advanced"] = advanced
        return p


def _range(area: str, lo: date | None, hi: date | None) -> str | None:
    if lo is None and hi is None:
        return None
    return f"AREA[{area}]RANGE[{lo.isoformat() if lo else 'MIN'},{hi.isoformat() if hi else 'MAX'}]"


@dataclass
class FetchReport:
    studies: int = 0
    requests: int = 0
    retries: int = 0
    pages: int = 0
    total: int | None = None  # the API's count of matching studies, when it gave one
    missing: list[str] = field(default_factory=list)  # requested NCT ids the API did not return


class Client:
    """ClinicalTrials.gov API v2 over httpx, paced and retried.

    ``transport`` lets tests serve recorded responses; ``sleep`` and ``clock`` let them run
    without waiting.
    """

    def __init__(
        self,
        base_url: str = API_URL,
        *,
        pace: float = 1.2,
        retries: int = 5,
        backoff: float = 2.0,
        timeout: float = 60.0,
        page_size: int = MAX_PAGE_SIZE,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise FetchError(f"page size must be 1 to {MAX_PAGE_SIZE}, not {page_size}")
        from trialgraph import __version__

        self.http = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            transport=transport,
            headers={"User-Agent": f"trialgraph/{__version__}", "Accept": "application/json"},
        )
        self.pace, self.retries, self.backoff, self.page_size = pace, retries, backoff, page_size
        self.sleep, self.clock = sleep, clock
        self._last: float | None = None
        self.report = FetchReport()

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait_turn(self) -> None:
        if self._last is not None:
            wait = self.pace - (self.clock() - self._last)
            if wait > 0:
                self.sleep(wait)
        self._last = self.clock()

    def get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        """One GET, retried on 429/5xx and dropped connections; the decoded JSON object. A host
        that cannot be reached is retried once (CONNECT_ATTEMPTS), then NetworkError."""
        unreachable = 0
        for attempt in range(self.retries + 1):
            self._wait_turn()
            self.report.requests += 1
            delay = self.backoff * 2**attempt
            try:
                r = self.http.get(path, params=params)
            except (httpx.ConnectError, httpx.ConnectTimeout) as e:  # DNS failure, refused, no route
                unreachable += 1
                if unreachable >= CONNECT_ATTEMPTS or attempt == self.retries:
                    raise NetworkError(f"cannot reach {self.http.base_url.host}: {e or type(e).__name__}") from e
                problem, delay = f"cannot reach {self.http.base_url.host}: {e or type(e).__name__}", min(delay, 1.0)
            except httpx.TransportError as e:
                problem = f"{type(e).__name__}: {e}"
            else:
                if r.status_code == 200:
                    try:
                        body = r.json()
                    except ValueError as e:
                        raise NetworkError(f"GET {r.url}: the answer is not JSON ({e})") from e
                    if not isinstance(body, dict):
                        raise NetworkError(f"GET {r.url}: expected a JSON object, got {type(body).__name__}")
                    return body
                if r.status_code not in RETRY_STATUSES:
                    raise FetchError(f"GET {r.url}: HTTP {r.status_code}: {r.text[:300].strip()}")
                problem = f"HTTP {r.status_code}"
                delay = max(delay, _retry_after(r))
            if attempt == self.retries:
                raise NetworkError(f"GET {self.http.base_url.host}{path}: {problem}, still failing after {self.retries} retries")
            self.report.retries += 1
            log.warning("GET %s: %s; retrying in %.1f s", path, problem, delay)
            self.sleep(delay)
        raise AssertionError("unreachable")

    def pages(self, params: dict[str, str]) -> Iterator[dict[str, Any]]:
        """Every page of one search, following nextPageToken."""
        params = {**params, "format": "json", "pageSize": str(self.page_size), "countTotal": "true"}
        seen: set[str] = set()
        while True:
            page = self.get("/studies", params)
            self.report.pages += 1
            if self.report.total is None and isinstance(page.get("totalCount"), int):
                self.report.total = page["totalCount"]
            yield page
            token = page.get("nextPageToken")
            if not token:
                return
            if token in seen:
                raise FetchError(f"the API repeated page token {token!r}; stopping to avoid a loop")
            seen.add(token)
            params = {**params, "pageToken": token}
            params.pop("countTotal", None)

    def studies(self, search: Search, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """The studies a search finds, each once, at most ``limit``."""
        base = search.params()
        chunks = [search.nct_ids[i : i + IDS_PER_REQUEST] for i in range(0, len(search.nct_ids), IDS_PER_REQUEST)]
        requests = [{**base, "filter.ids": ",".join(c)} for c in chunks] or [base]
        seen: set[str] = set()
        for params in requests:
            for page in self.pages(params):
                studies = page.get("studies")
                if not isinstance(studies, list):
                    raise FetchError("the API answer has no 'studies' list")
                for study in studies:
                    nct = _nct_id(study)
                    if nct in seen:
                        continue
                    seen.add(nct)
                    yield study
                    self.report.studies += 1
                    if limit is not None and self.report.studies >= limit:
                        return
        self.report.missing = [i for i in search.nct_ids if i not in seen]


def _nct_id(study: Any) -> str:
    try:
        nct = study["protocolSection"]["identificationModule"]["nctId"]
    except (TypeError, KeyError) as e:
        raise FetchError("the API returned a study without protocolSection.identificationModule.nctId") from e
    if not isinstance(nct, str) or not NCT_ID.match(nct):
        raise FetchError(f"the API returned a study with a malformed nctId {nct!r}")
    return nct


def _retry_after(r: httpx.Response) -> float:
    value = r.headers.get("Retry-After", "")
    try:
        return min(float(value), 300.0)
    except ValueError:
        return 0.0


def fetch(client: Client, search: Search, out: Path, limit: int | None = None,
          progress: Callable[[int], None] | None = None) -> FetchReport:
    """Fetch into ``out`` as NDJSON; the file appears only when the fetch completes."""
    out = Path(out)
    tmp = out.with_name(f".{out.name}.part")
    try:
        with tmp.open("w", encoding="utf-8") as f:
            for study in client.studies(search, limit):
                f.write(json.dumps(study, ensure_ascii=False, separators=(",", ":")))
                f.write("\n")
                if progress:
                    progress(client.report.studies)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return client.report
