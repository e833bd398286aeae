"""What an arm gives: the drugs given to every participant, and the groups of alternatives.

Registry arms often offer a choice: "physician's choice of either durvalumab or pembrolizumab",
"cisplatin or carboplatin + pemetrexed", "RT alone or RT in combination with cetuximab",
"X with or without Y". A drug in an *option group* is not given to every participant: drugs of
one group are alternatives (a participant gets one of them), and a group of one drug is an
optional drug (given to some participants only). Drugs outside any group are given to all.

The structure is read from the arm's label and description and from intervention names:

- ``A or B`` (``either A or B``, ``A, B, or C``): A and B are alternatives, the "or" binding
  tighter than "+" ("cisplatin or carboplatin + pemetrexed" gives pemetrexed with one of the two);
  where both sides name the same drug ("X alone or X + Y", "X + Y or X"), the drugs one side adds
  are optional and the shared drug is given to all;
- ``with or without Y``, ``± Y``, ``+/- Y``, ``alone or ... with/plus Y``: Y is optional;
- two drugs acting on the same target are alternatives unless a text of the arm joins them
  ("+", "plus", "and", "with", "combined with").

An "or" between anything but two drug mentions ("until progression or unacceptable toxicity",
"Investigator's Choice of Chemotherapy in combination with pembrolizumab") changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from trialgraph.ontology.regimens import regimen_table

if TYPE_CHECKING:
    from trialgraph.ontology.resolve import Resolver


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    drugs: tuple[str, ...]  # drug ids (a regimen name mentions several)


# Words between a drug mention and a connector that say how it is given, never what is given.
_FILLER_WORDS = frozenset(
    """mg kg m2 m² mcg µg g auc iv po sc im q1w q2w q3w q4w q6w q8w qd bid tid od every each weekly daily week
    weeks day days cycle cycles d1 d8 d15 on of at dose doses dosed level intravenous intravenously orally oral
    subcutaneous subcutaneously infusion injection injections tablet tablets capsule capsules administered given
    monotherapy alone single agent either regimen the a an drug therapy treatment chemotherapy""".split()
)
_NUMBER = re.compile(r"^[\d.,/x×-]+$")
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_WORDS = re.compile(r"[^\W_]+|[+±,/&=;:]", re.U)
_JOIN = ("+", "plus", "and", "with", "combined with", "in combination with", "combination with", "&", "along with",
         "together with")


def _gap_kind(gap: str) -> str | None:
    """What joins two neighbouring drug mentions: 'or', ',', 'join', or None (anything else)."""
    text = _PARENS.sub(" ", gap).casefold()
    if any(ch in text for ch in "()[]") or not text.strip():
        return None  # across a bracket ("pembrolizumab (paclitaxel, ..."), or nothing between
    text = text.replace("+/-", " ± ").replace("+/−", " ± ")
    words = [w for w in _WORDS.findall(text) if w not in _FILLER_WORDS and not _NUMBER.match(w)]
    phrase = " ".join(words)
    if phrase in ("or", ", or", "/ or", "or either", ", either or"):
        return "or"
    if phrase in (",", ""):
        return ","
    if phrase in _JOIN or phrase in (", " + j for j in _JOIN) or phrase in ("and/or",):
        return "join"
    return None


def _optional_after(text: str) -> list[int]:
    """Positions after which the next drug run is optional: 'with or without', '±', '+/-',
    'alone or (in combination) with', 'monotherapy or in combination with'."""
    pats = (
        r"\bwith\s+or\s+without\s+",
        r"±\s*",
        r"\+\s*/\s*[-−]\s*",
        r"\(\s*\+\s*/\s*[-−]\s*\)\s*",
        r"\b(?:alone|monotherapy|single[- ]agent)\s*,?\s+or\s+(?:[^.;()]{0,60}?\s)?"
        r"(?:in\s+combination\s+with|combined\s+with|together\s+with|with|plus|and|\+)\s*",
    )
    return [m.end() for p in pats for m in re.finditer(p, text, re.I)]


class _Groups:
    """Option groups being built for one text scope: drug id -> group number."""

    def __init__(self) -> None:
        self.of: dict[str, int] = {}
        self.next = 1

    def alternatives(self, drugs: Iterable[str]) -> None:
        drugs = list(dict.fromkeys(drugs))
        if len(drugs) < 2:
            return
        existing = {self.of[d] for d in drugs if d in self.of}
        g = min(existing) if existing else self._new()
        for d, old in list(self.of.items()):
            if old in existing:
                self.of[d] = g
        for d in drugs:
            self.of[d] = g

    def optional(self, drugs: Iterable[str]) -> None:
        for d in drugs:
            if d not in self.of:
                self.of[d] = self._new()

    def _new(self) -> int:
        n = self.next
        self.next += 1
        return n


def _runs(mentions: Sequence[Mention], kinds: Sequence[str | None], i: int, step: int) -> list[str]:
    """The drugs of the run of mentions joined to mention i by 'join' links, going left (step -1)
    or right (step +1)."""
    out = list(mentions[i].drugs)
    j = i
    while 0 <= j + step < len(mentions):
        link = kinds[j - 1] if step < 0 else kinds[j]
        if link != "join":
            break
        j += step
        out += mentions[j].drugs
    return out


def read_structure(text: str, mentions: Sequence[Mention], groups: _Groups, joined: set[frozenset[str]],
                   all_drugs: frozenset[str] = frozenset()) -> None:
    """Add to ``groups`` the alternatives and optional drugs one text states; record in ``joined``
    the pairs of drugs it joins ('A + B')."""
    ms = sorted(mentions, key=lambda m: (m.start, -m.end))
    kept: list[Mention] = []
    for m in ms:  # the longest of overlapping mentions
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    ms = kept
    for m in ms:
        for a in m.drugs:  # a regimen's own components are given together
            for b in m.drugs:
                if a != b:
                    joined.add(frozenset((a, b)))
    kinds = [_gap_kind(text[a.end:b.start]) for a, b in zip(ms, ms[1:], strict=False)]
    for k, link in enumerate(kinds):
        if link == "join":
            for a in ms[k].drugs:
                for b in ms[k + 1].drugs:
                    if a != b:
                        joined.add(frozenset((a, b)))
    k = 0
    while k < len(kinds):
        if kinds[k] != "or":
            k += 1
            continue
        a, b = ms[k].drugs, ms[k + 1].drugs
        if set(a) == set(b):
            # one drug either way ("paclitaxel or nab-paclitaxel": two formulations of it): no choice
            # between drugs (arm_option_groups makes the two interventions alternatives)
            k += 1
            continue
        if set(a) & set(b) and set(a) - set(b) and set(b) - set(a):
            # two regimens sharing drugs ("mFOLFOX6 or FOLFIRI"): the drugs they differ in are alternatives
            groups.alternatives([d for d in (*a, *b) if not (d in a and d in b)])
            k += 1
            continue
        left, right = _runs(ms, kinds, k, -1), _runs(ms, kinds, k + 1, +1)
        shared = set(left) & set(right)
        if shared and (set(b) & set(left) or set(a) & set(right)):  # "X alone or X + Y", "X + Y or X": what one side adds is optional
            only_l = [d for d in left if d not in shared]
            only_r = [d for d in right if d not in shared]
            if only_l and only_r:
                groups.alternatives(only_l + only_r)
            else:
                groups.optional(only_l + only_r)
            k += 1
            continue
        # "A, B, or C": the comma-linked mentions before an "or" are alternatives too
        first = k
        while first > 0 and kinds[first - 1] == ",":
            first -= 1
        last = k + 1
        while last < len(kinds) and kinds[last] == "or":
            last += 1
        chain = [d for m in ms[first:last + 1] for d in m.drugs]
        groups.alternatives(chain)
        k = last
    # "X alone or combined with <a name no mention matches>": the arm's drugs the text never names
    # are what is added to X for some participants
    for m in re.finditer(r"\b(?:alone|monotherapy)\s*,?\s+or\s+(?:in\s+combination|combined)\s+with\s+(\S+)", text, re.I):
        before = [x for x in ms if x.end <= m.start()]
        if before and not any(x.start <= m.start(1) < x.end for x in ms) and _gap_kind(text[before[-1].end:m.start()] + ",") == ",":
            named = {d for x in ms for d in x.drugs}
            groups.optional(sorted(all_drugs - named))
    for pos in _optional_after(text):
        nxt = next((i for i, m in enumerate(ms) if m.start >= pos), None)
        if nxt is not None and (not text[pos:ms[nxt].start].strip() or _gap_kind(text[pos:ms[nxt].start]) == ","):
            groups.optional(_runs(ms, kinds, nxt, +1))


# -- finding drug names in text ---------------------------------------------------------------
def _name_pattern(name: str) -> str:
    parts = re.findall(r"[^\W_]+", name)
    if not parts:
        return ""
    return r"[\s\-%./]{0,2}".join(re.escape(p) for p in parts)


@dataclass(frozen=True)
class _Index:
    pattern: re.Pattern[str] | None
    drugs_of: dict[str, tuple[str, ...]]  # folded name -> drug ids


_INDEXES: dict[int, tuple[object, _Index]] = {}


def _index(resolver: Resolver) -> _Index:
    """One regular expression over every name of the reference drugs and regimens (cached per
    resolver)."""
    hit = _INDEXES.get(id(resolver))
    if hit is not None and hit[0] is resolver:
        return hit[1]
    names: dict[str, tuple[str, ...]] = {}
    for d in resolver.data.drugs.values():
        for n in d.all_names:
            if len(_key(n)) >= 3:
                names.setdefault(_key(n), (d.id,))
    for r in regimen_table().regimens:
        drugs = tuple(d for d in r.drugs if d in resolver.data.drugs)
        if len(drugs) == len(r.drugs):
            for n in (r.name, *r.synonyms):
                names[_key(n)] = drugs
    idx = _Index(_compile(list(names)), names)
    _INDEXES[id(resolver)] = (resolver, idx)
    return idx


def _key(name: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", name.casefold()))


def _compile(names: list[str]) -> re.Pattern[str] | None:
    pats = sorted({p for n in names if (p := _name_pattern(n))}, key=len, reverse=True)
    if not pats:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(pats) + r")(?![\w])", re.I)


def find_mentions(text: str, resolver: Resolver, extra: dict[str, tuple[str, ...]] | None = None) -> list[Mention]:
    """Mentions of reference drugs and regimens in a text, plus of ``extra`` names (an arm's own
    intervention names and other names, -> the drugs they give)."""
    idx = _index(resolver)
    out: list[Mention] = []
    if idx.pattern is not None:
        for m in idx.pattern.finditer(text):
            drugs = idx.drugs_of.get(_key(m.group(0)))
            if drugs:
                out.append(Mention(m.start(), m.end(), drugs))
    for name, drugs in (extra or {}).items():
        if drugs and (p := _extra_pattern(name)) is not None:
            out += [Mention(m.start(), m.end(), drugs) for m in p.finditer(text)]
    return out


@lru_cache(maxsize=4096)
def _extra_pattern(name: str) -> re.Pattern[str] | None:
    p = _name_pattern(name)
    return re.compile(r"(?<![\w-])" + p + r"(?![\w])", re.I) if p else None


# -- an intervention name that is a regimen ----------------------------------------------------
_RESIDUE_OK = frozenset(
    """or either and plus with without combined combination in chemotherapy regimen therapy based doublet triplet
    standard of care soc investigator investigators physician physicians choice""".split()
) | _FILLER_WORDS


def split_regimen(name: str, resolver: Resolver) -> tuple[tuple[str, ...], dict[str, int]] | None:
    """An intervention name written as a regimen ("cisplatin or carboplatin + pemetrexed",
    "FOLFOX regimen=oxaliplatin, fluorouracil, & folinic acid", "Chemotherapy (Gemcitabine +
    Carboplatin or Eribulin)") -> its drugs and their option groups; None unless every word of
    the name is a drug, a regimen, a connector or a dosing word."""
    mentions = find_mentions(name, resolver)
    if not mentions:
        return None
    rest = name
    for m in sorted(mentions, key=lambda m: m.start, reverse=True):
        rest = rest[: m.start] + " " + rest[m.end:]
    words = [w for w in re.findall(r"[^\W_]+", rest.casefold()) if not _NUMBER.match(w)]
    if any(w not in _RESIDUE_OK for w in words):
        return None
    groups, joined = _Groups(), set[frozenset[str]]()
    read_structure(name, mentions, groups, joined)
    drugs = tuple(dict.fromkeys(d for m in sorted(mentions, key=lambda m: m.start) for d in m.drugs))
    return drugs, dict(groups.of)


# -- an arm ------------------------------------------------------------------------------------
# Words naming a class of drugs, and which drugs of an arm belong to it.
_CHEMO_CLASSES = ("platinum", "antifolate", "pyrimidine", "purine", "taxane", "vinca", "topoisomerase", "anthracycline",
                  "nitrogen mustard", "microtubule", "antimetabolite", "alkylating")
_CHECKPOINTS = frozenset({"PDCD1", "CD274", "CTLA4", "TIGIT"})
_CLASS_WORDS = {
    "chemo": r"(?:cytotoxic\s+)?chemo(?:therapy|therapies)?|cytotoxic\s+(?:agents?|drugs?)",
    "targeted": r"targeted\s+(?:therapy|therapies|agents?|drugs?)",
    "immuno": r"immunotherapy|immunotherapies|(?:immune\s+)?checkpoint\s+inhibitors?",
}
_CLASS_OR = re.compile(
    r"\b(" + "|".join(_CLASS_WORDS.values()) + r")\s*,?\s+or\s+(?:an?\s+|other\s+)?(" + "|".join(_CLASS_WORDS.values()) + r")\b",
    re.I)


def _drug_class(resolver: Resolver, drug_id: str) -> str | None:
    d = resolver.data.drugs.get(drug_id)
    if d is None:
        return None
    symbols = {s for a in d.acts_on for s in a.symbols}
    if symbols & _CHECKPOINTS:
        return "immuno"
    if symbols:
        return "targeted"
    if d.drug_class and any(c in d.drug_class.casefold() for c in _CHEMO_CLASSES):
        return "chemo"
    return None


def _class_of_word(word: str) -> str | None:
    return next((k for k, p in _CLASS_WORDS.items() if re.fullmatch(p, word, re.I)), None)


def arm_option_groups(
    texts: Sequence[str],
    interventions: dict[str, tuple[str, ...]],
    names: dict[str, tuple[str, ...]],
    resolver: Resolver,
) -> dict[str, str]:
    """Option groups of an arm's interventions, read from its texts (label, description).

    ``interventions``: the arm's intervention names -> the drugs each gives; ``names``: further
    names of those drugs as the trial writes them (other names). Returns intervention name ->
    option group for the interventions not given to every participant: 'N' for a group of
    alternatives (one of its interventions is given), 'optional-N' for an optional one."""
    groups, joined = _Groups(), set[frozenset[str]]()
    extra = {**names, **{n: d for n, d in interventions.items() if len(d) == 1}}
    arm_drugs = {d for ds in interventions.values() for d in ds}
    classes: list[tuple[str, str]] = []
    for text in texts:
        if not text:
            continue
        mentions = [m for m in find_mentions(text, resolver, extra) if set(m.drugs) & arm_drugs]
        mentions = [Mention(m.start, m.end, tuple(d for d in m.drugs if d in arm_drugs)) for m in mentions]
        read_structure(text, mentions, groups, joined, frozenset(arm_drugs))
        classes += [(a, b) for a, b in ((_class_of_word(m.group(1)), _class_of_word(m.group(2)))
                                         for m in _CLASS_OR.finditer(text)) if a and b and a != b]
    for ds in interventions.values():  # drugs of one intervention ("X + Y") are joined
        for a in ds:
            for b in ds:
                if a != b:
                    joined.add(frozenset((a, b)))
    by_drug = {d: n for n, ds in interventions.items() for d in ds}
    out: dict[str, str] = {}
    # drug groups -> intervention groups: an intervention is in a group when all its drugs are
    for n, ds in interventions.items():
        found = {groups.of.get(d) for d in ds}
        if ds and len(found) == 1 and (g := found.pop()) is not None:
            members = [d for d, x in groups.of.items() if x == g]
            out[n] = str(g) if len(members) > 1 else f"optional-{g}"
    # interventions giving the same drugs that a text offers as alternatives by their names
    # ("carboplatin and paclitaxel or nab-paclitaxel": both give paclitaxel, one formulation or the other)
    said = [" ".join(_WORDS.findall(t.casefold())) for t in texts if t]
    names_ = list(interventions)
    for i, n1 in enumerate(names_):
        for n2 in names_[i + 1:]:
            if interventions[n1] and set(interventions[n1]) == set(interventions[n2]) and n1 not in out and n2 not in out:
                w1, w2 = (" ".join(_WORDS.findall(n.casefold())) for n in (n1, n2))
                if any(re.search(rf"(?<!\w){re.escape(x)} or {re.escape(y)}(?!\w)", t) for t in said
                       for x, y in ((w1, w2), (w2, w1))):
                    out[n1] = out[n2] = str(groups._new())
    # interventions alternatives as wholes: two drugs on the same target that no text joins
    # ("Ramucirumab + paclitaxel" and "Apatinib" in an investigator's-choice arm), and the drugs
    # of two classes a text offers as alternatives ("chemotherapies or targeted therapies")
    whole: list[set[str]] = []
    drugs = sorted(arm_drugs)
    for i, a in enumerate(drugs):
        for b in drugs[i + 1:]:
            if by_drug[a] != by_drug[b] and frozenset((a, b)) not in joined and _targets(resolver, a) & _targets(resolver, b):
                whole.append({by_drug[a], by_drug[b]})
    for ca, cb in classes:
        members = {by_drug[d] for d in drugs if _drug_class(resolver, d) in (ca, cb)}
        if len({_drug_class(resolver, d) for ds in (interventions[n] for n in members) for d in ds} & {ca, cb}) == 2:
            whole.append(members)
    for members in whole:
        existing = {out[n] for n in members if n in out and not out[n].startswith("optional")}
        g = min(existing) if existing else str(groups._new())
        for n, x in list(out.items()):
            if x in existing:
                out[n] = g
        for n in members:
            out[n] = g
    return out


def _targets(resolver: Resolver, drug_id: str) -> set[str]:
    d = resolver.data.drugs.get(drug_id)
    return {s for a in d.acts_on for s in a.symbols} if d else set()
