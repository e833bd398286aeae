"""Helpers shared by the page loaders: line handling and CT.gov vocabulary."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from trialgraph.records import Age

_WS = re.compile(r"\s+")
_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(year|month|week|day|hour|minute)s?\b", re.I)
_FLAG = re.compile(r"^[\U0001F1E6-\U0001F1FF]+$")


def clean(text: str) -> str:
    """Collapse runs of white space inside one line and strip it."""
    return _WS.sub(" ", text).strip()


def unescape_markdown(text: str) -> str:
    """CT.gov's rendered texts escape markdown characters (``1\\.``, ``\\<``); undo that."""
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>&])", r"\1", text)


_TYPED_NAME = re.compile(r"^([A-Za-z][A-Za-z ]*?):\s*(.+)$")


def typed_name(line: str) -> tuple[str, str] | None:
    """'Drug: Anlotinib' -> ('DRUG', 'Anlotinib'); None when the line has no '<type>: ' prefix."""
    m = _TYPED_NAME.match(line.strip())
    return (enum_value(m.group(1)), m.group(2).strip()) if m else None


def enum_or_na(text: str | None) -> str | None:
    """CT.gov enum spelling, with 'N/A' as 'NA' and None kept as None."""
    if text is None:
        return None
    return "NA" if text.strip().upper() in {"N/A", "NA"} else enum_value(text)


def enum_value(text: str) -> str:
    """'Active, not recruiting' -> 'ACTIVE_NOT_RECRUITING' (CT.gov's enum spelling)."""
    return re.sub(r"[^A-Z0-9]+", "_", text.upper()).strip("_")


def phases(text: str) -> tuple[str, ...]:
    """'Phase 2' -> ('PHASE2',); 'Phase 1/Phase 2' and 'PHASE1, PHASE2' -> both; 'N/A' -> ('NA',)."""
    t = text.strip().upper()
    if not t:
        return ()
    if t in {"NA", "N/A", "NOT APPLICABLE"}:
        return ("NA",)
    if re.search(r"EARLY[ _]PHASE[ _]?1", t):
        return ("EARLY_PHASE1",)
    digits = re.findall(r"PHASE[ _]?(\d)|(?<=/)\s*(\d)\b", t)
    out: list[str] = []
    for a, b in digits:
        p = f"PHASE{a or b}"
        if p not in out:
            out.append(p)
    return tuple(out)


INTERVENTION_MODELS = {
    "single group assignment": "SINGLE_GROUP",
    "parallel assignment": "PARALLEL",
    "crossover assignment": "CROSSOVER",
    "factorial assignment": "FACTORIAL",
    "sequential assignment": "SEQUENTIAL",
}
_MASKING = {"none": "NONE", "single": "SINGLE", "double": "DOUBLE", "triple": "TRIPLE", "quadruple": "QUADRUPLE"}


def intervention_model(text: str) -> str:
    """'Single Group Assignment' -> 'SINGLE_GROUP'."""
    return INTERVENTION_MODELS.get(text.strip().lower(), enum_value(text))


_MASKED_ROLES = {"PARTICIPANT", "CARE_PROVIDER", "INVESTIGATOR", "OUTCOMES_ASSESSOR"}


def masking(text: str) -> tuple[str, tuple[str, ...]]:
    """'None (Open label)' -> ('NONE', ()); 'Double (Participant, Investigator)' -> ('DOUBLE', (...))."""
    word = re.match(r"\s*([A-Za-z]+)", text)  # 'Double-Blind', 'Double (Participant)' -> 'double'
    first = word.group(1).lower() if word else ""
    mask = _MASKING.get(first, enum_value(text))
    inner = re.search(r"\(([^)]*)\)", text)
    who = tuple(enum_value(w) for w in inner.group(1).split(",") if w.strip()) if inner and mask != "NONE" else ()
    if first not in _MASKING and not inner:  # 'Participant, Investigator': the roles alone; the level is their number
        roles = tuple(enum_value(w) for w in text.split(",") if w.strip())
        levels = {1: "SINGLE", 2: "DOUBLE", 3: "TRIPLE", 4: "QUADRUPLE"}
        if roles and all(r in _MASKED_ROLES for r in roles) and len(roles) in levels:
            return levels[len(roles)], roles
    return mask, who


def is_phase_text(text: str) -> bool:
    return bool(phases(text)) and bool(re.search(r"phase|^n/?a$|not applicable", text.strip(), re.I))


def parse_age(text: str) -> Age | None:
    m = _AGE.match(text)
    if not m:
        return None
    return Age(value=float(m.group(1)), unit=m.group(2).capitalize() + "s")


def is_flag(line: str) -> bool:
    return bool(_FLAG.match(line.strip()))


def non_empty(lines: Iterable[str]) -> list[str]:
    return [clean(x) for x in lines if x.strip()]


def paragraphs(lines: Sequence[str]) -> list[list[str]]:
    """Group lines into blocks separated by blank lines (each block: its stripped lines)."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(clean(line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def join_text(lines: Sequence[str]) -> str | None:
    """Lines of one text field joined back, blank-line structure kept, outer blanks dropped."""
    text = "\n".join(line.rstrip() for line in lines).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text or None


#: The second half of an ISO 3166 name written inverted, as the registry writes some countries
#: ('Korea, Republic of', 'Iran, Islamic Republic of', 'Congo, The Democratic Republic of the',
#: 'Palestinian Territory, occupied').
_INVERTED_COUNTRY = re.compile(r"^(?:(?:the|islamic|democratic|plurinational|bolivarian)\b.*|republic of\b.*|.*\bof(?: the)?|occupied)$", re.I)


def location(text: str) -> tuple[str | None, str | None, str | None]:
    """'Hefei, Anhui, China' -> (city, state, country); 'Milan, , Italy' -> state None."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) > 2 and _INVERTED_COUNTRY.match(parts[-1]):  # 'Korea, Republic of': one country
        parts[-2:] = [f"{parts[-2]}, {parts[-1]}"]
    if len(parts) == 1:
        return None, None, parts[0] or None
    city, country = parts[0] or None, parts[-1] or None
    state = ", ".join(p for p in parts[1:-1] if p) or None
    return city, state, country


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """Country names of more than one word: ISO 3166 (pycountry's copy of Debian iso-codes), in
    its short, common and official spellings."""
    import pycountry

    names = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            n = getattr(c, attr, None)
            if n and " " in n:
                names.add(n)
    return frozenset(names)


def split_countries(text: str, known: Iterable[str]) -> tuple[str, ...]:
    """Split a space-separated country list, keeping multi-word names whole: those the sites
    name, and the ISO 3166 names ('United Kingdom', 'Korea, Republic of')."""
    names = sorted({k for k in known if k} | _country_names(), key=len, reverse=True)
    rest = clean(text)
    out: list[str] = []
    while rest:
        for name in names:
            if rest == name or rest.startswith(name + " "):
                out.append(name)
                rest = rest[len(name):].strip()
                break
        else:
            word, _, rest = rest.partition(" ")
            out.append(word)
    return tuple(out)


def camel_boundaries(text: str, digits: bool = False) -> list[int]:
    """Positions where two run-together table cells meet: a lower-case letter (or a digit or
    closing bracket) directly followed by an upper-case letter (or, with digits=True, a digit)."""
    out = []
    for i in range(1, len(text)):
        a, b = text[i - 1], text[i]
        if (a.islower() or a.isdigit() or a in ")]") and (b.isupper() or (digits and b.isdigit() and a.isalpha())):
            out.append(i)
    return out


class Sections:
    """A page cut into sections at header lines, found in the given order (each header at most
    once, searched after the previous one). ``matches(header, stripped_line)`` says whether a
    line is that header; by default it must equal it."""

    def __init__(
        self,
        lines: Sequence[str],
        headers: Sequence[str],
        matches: Callable[[str, str], bool] = lambda header, line: line == header,
    ) -> None:
        marks: list[tuple[int, str]] = []
        start = 0
        for header in headers:
            for i in range(start, len(lines)):
                if matches(header, lines[i].strip()):
                    marks.append((i, header))
                    start = i + 1
                    break
        self.preamble = list(lines[: marks[0][0]] if marks else lines)
        self._header_lines = {name: clean(lines[i]) for i, name in marks}
        self._bodies = {
            name: list(lines[i + 1 : marks[k + 1][0] if k + 1 < len(marks) else len(lines)])
            for k, (i, name) in enumerate(marks)
        }

    def __contains__(self, name: str) -> bool:
        return name in self._bodies

    def header_line(self, name: str) -> str | None:
        return self._header_lines.get(name)

    def raw(self, name: str) -> list[str]:
        return self._bodies.get(name, [])

    def items(self, name: str) -> list[str]:
        return non_empty(self.raw(name))

    def one(self, name: str) -> str | None:
        got = self.items(name)
        return got[0] if got else None

    def titled_text(self, *names: str) -> str | None:
        """Several sections as one text, each under its header (e.g. inclusion + exclusion criteria)."""
        parts = [f"{name}\n\n{body}" for name in names if (body := join_text(self.raw(name)))]
        return "\n\n".join(parts) or None
