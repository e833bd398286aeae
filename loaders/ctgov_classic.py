"""The retired classic ClinicalTrials.gov API (v1) JSON (``FullStudiesResponse``, capitalised
keys such as ``ProtocolSection``): recognised, so that it gets one clear "unsupported format"
line naming the studies it holds, instead of "unknown layout". The registry retired that API in
2024; its studies are fetched again from API v2 with ``trialgraph fetch NCT...``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from trialgraph.errors import LoaderError
from trialgraph.records import Trial

LAYOUT = "ctgov_classic_v1"
_MARKERS = re.compile(r'"(FullStudiesResponse|FullStudy|ProtocolSection)"\s*:')
_NCT = re.compile(r'"NCTId"\s*:\s*"(NCT\d{8})"')


class CtgovClassicJsonLoader:
    name = LAYOUT

    def detect(self, text: str) -> bool:
        return text.lstrip()[:1] in ("{", "[") and bool(_MARKERS.search(text[:20_000]))

    def parse(self, text: str, file: str) -> Iterator[Trial]:
        ids = list(dict.fromkeys(_NCT.findall(text)))
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        held = f"it holds {len(ids)} stud{'y' if len(ids) == 1 else 'ies'} ({shown}); " if ids else ""
        raise LoaderError(
            file, None,
            "unsupported format: the retired classic ClinicalTrials.gov API (v1) JSON; "
            f"{held}fetch them from API v2 with `trialgraph fetch NCT...` and load that file",
        )
        yield  # pragma: no cover - a generator, like every loader
