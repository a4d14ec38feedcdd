"""Coder agreement at the character level, as ATLAS.ti and MAXQDA report it.

Several analysts code the same articles; before their codings are pooled, the team checks
that they apply each code to the same words. Every character of the chosen articles is a
unit; for each code each coder either coded it (a passage of theirs with that code covers
it) or did not. Per code, over those binary values:

- **percentage agreement**: the share of coder pairs that agree, averaged over characters
  (for two coders: the characters both coded or both left uncoded, over all characters);
- **overlap**: characters every coder coded, over characters any coder coded — the
  agreement on where the code is, without the uncoded text that inflates the percentage;
- **Cohen's kappa** (exactly two coders): (p_o − p_e) / (1 − p_e), p_e from each coder's
  share of coded characters;
- **Krippendorff's alpha** (nominal, any number of coders, every coder rating every unit):
  1 − (n − 1) · o₀₁ / (n₀ · n₁), from the coincidences of coded and uncoded values.

Nothing walks the characters one by one: each coder's passages with a code are merged into
intervals, and one sweep over their ends gives how many characters have exactly j coders
coding them (`histogram[j]`); every figure follows from those counts and each coder's coded
total. The same sweep finds the **disagreements**: clusters of overlapping passages (of any
coder) in which not every character is coded by all or none, with each coder's passages
there, for the window to open side by side.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.core.analysis.common import resolve
from desktop.core.analysis.scope import AnalysisScope, ScopeError
from desktop.core.archive import Archive

UNKNOWN_CODER = ""  # passages coded before coders were recorded


class AgreementError(ScopeError):
    """Agreement cannot be computed for these coders and articles (fewer than two coders,
    an unknown coder, no article coded by all of them)."""


@dataclass(frozen=True)
class Counts:
    """What every figure is computed from: `histogram[j]` characters coded by exactly j of
    the coders; `coded[i]` characters coder i coded."""

    histogram: tuple[int, ...]
    coded: tuple[int, ...]

    @property
    def coders(self) -> int:
        return len(self.coded)

    @property
    def units(self) -> int:
        return sum(self.histogram)

    def __add__(self, other: Counts) -> Counts:
        return Counts(tuple(a + b for a, b in zip(self.histogram, other.histogram, strict=True)),
                      tuple(a + b for a, b in zip(self.coded, other.coded, strict=True)))


def percent_agreement(counts: Counts) -> float | None:
    """Agreeing coder pairs per character, averaged (None without characters)."""
    n, units = counts.coders, counts.units
    if not units or n < 2:
        return None
    pairs = sum(h * (j * (j - 1) + (n - j) * (n - j - 1)) for j, h in enumerate(counts.histogram))
    return pairs / (n * (n - 1) * units)


def overlap(counts: Counts) -> float | None:
    """Characters all coders coded over characters any coded (None: nobody coded any)."""
    anyone = counts.units - counts.histogram[0]
    return counts.histogram[-1] / anyone if anyone else None


def cohen_kappa(counts: Counts) -> float | None:
    """Cohen's kappa of two coders; None when undefined (chance agreement is total: both
    coded nothing, or everything)."""
    if counts.coders != 2 or not counts.units:
        return None
    units = counts.units
    observed = (counts.histogram[0] + counts.histogram[2]) / units
    first, second = counts.coded[0] / units, counts.coded[1] / units
    expected = first * second + (1 - first) * (1 - second)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(counts: Counts) -> float | None:
    """Krippendorff's alpha, nominal (binary: coded or not), every coder rating every
    character; None when undefined (one value throughout: no variation to agree on)."""
    m = counts.coders
    if m < 2 or not counts.units:
        return None
    pairable = m * counts.units
    ones = sum(j * h for j, h in enumerate(counts.histogram))
    zeros = pairable - ones
    if not ones or not zeros:
        return None
    disagreeing = sum(h * j * (m - j) for j, h in enumerate(counts.histogram)) / (m - 1)
    return 1 - (pairable - 1) * disagreeing / (ones * zeros)


@dataclass(frozen=True)
class CodeAgreement:
    """One code's figures (code_id 0: every code pooled, each character × code a unit)."""

    code_id: int
    code: str
    colour: str
    counts: Counts
    disagreements: int = 0

    @property
    def percent(self) -> float | None:
        return percent_agreement(self.counts)

    @property
    def overlap(self) -> float | None:
        return overlap(self.counts)

    @property
    def kappa(self) -> float | None:
        return cohen_kappa(self.counts)

    @property
    def alpha(self) -> float | None:
        return krippendorff_alpha(self.counts)

    def to_json(self) -> dict[str, Any]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 6)
        return {"code_id": self.code_id, "code": self.code, "colour": self.colour,
                "characters": self.counts.units, "coded": list(self.counts.coded),
                "coded_by_all": self.counts.histogram[-1],
                "coded_by_none": self.counts.histogram[0],
                "percent_agreement": rounded(self.percent), "overlap": rounded(self.overlap),
                "kappa": rounded(self.kappa), "alpha": rounded(self.alpha),
                "disagreements": self.disagreements}


@dataclass(frozen=True)
class Coding:
    """One coder's passage in a disagreement."""

    annotation_id: int
    start: int
    end: int

    def to_json(self) -> dict[str, int]:
        return {"annotation_id": self.annotation_id, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Disagreement:
    """Overlapping passages of one code in one article on which the coders differ:
    `start`-`end` their extent, `differing` the characters not coded by all or none, and
    each coder's passages there (none: that coder did not code it)."""

    article_id: int
    title: str
    code_id: int
    code: str
    start: int
    end: int
    differing: int
    codings: tuple[tuple[str, tuple[Coding, ...]], ...]

    @property
    def annotation_ids(self) -> list[int]:
        return [c.annotation_id for _, cs in self.codings for c in cs]

    def to_json(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "title": self.title, "code_id": self.code_id,
                "code": self.code, "start": self.start, "end": self.end,
                "differing_characters": self.differing,
                "codings": {coder: [c.to_json() for c in cs] for coder, cs in self.codings}}


@dataclass(frozen=True)
class Agreement:
    """Agreement of `coders` over `article_ids`, per code and pooled (`overall`)."""

    coders: tuple[str, ...]
    article_ids: tuple[int, ...]
    codes: tuple[CodeAgreement, ...]
    overall: CodeAgreement | None
    disagreements: tuple[Disagreement, ...]
    characters: int = 0  # of the articles' texts: the units of every code
    scope: str = "chosen articles"
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"view": "agreement", "scope": self.scope, "unit": "character",
                "coders": list(self.coders), "article_ids": list(self.article_ids),
                "characters": self.characters,
                "codes": [c.to_json() for c in self.codes],
                "overall": self.overall.to_json() if self.overall else None,
                "disagreements": [d.to_json() for d in self.disagreements],
                "notes": list(self.notes)}


# -- the sweep ----------------------------------------------------------------------------


def merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans joined, in order."""
    result: list[list[int]] = []
    for start, end in sorted(spans):
        if result and start <= result[-1][1]:
            result[-1][1] = max(result[-1][1], end)
        else:
            result.append([start, end])
    return [(s, e) for s, e in result]


def sweep(length: int, per_coder: Sequence[Sequence[tuple[int, int]]],
          ) -> tuple[Counts, list[tuple[int, int, int]]]:
    """Counts over one article's `length` characters for one code, and the runs of
    characters on which coders differ: (start, end, coders coding it), 0 < coders < n.

    `per_coder[i]`: coder i's spans with the code (clipped to the text, merged here)."""
    n = len(per_coder)
    histogram = [0] * (n + 1)
    coded = []
    events: dict[int, int] = defaultdict(int)
    for spans in per_coder:
        total = 0
        for start, end in merged((max(0, s), min(length, e)) for s, e in spans if s < length):
            if end > start:
                events[start] += 1
                events[end] -= 1
                total += end - start
        coded.append(total)
    runs: list[tuple[int, int, int]] = []
    level, position = 0, 0
    for point in sorted(events):
        if point > position:
            histogram[level] += point - position
            if 0 < level < n:
                runs.append((position, point, level))
        level += events[point]
        position = point
    histogram[0] += length - position  # the uncoded rest of the text (level is 0 again)
    return Counts(tuple(histogram), tuple(coded)), runs


def _clusters(spans: Sequence[tuple[int, int, str, int]]) -> list[list[tuple[int, int, str, int]]]:
    """Passages (start, end, coder, id) grouped where they overlap (any coder)."""
    groups: list[list[tuple[int, int, str, int]]] = []
    reach = -1
    for span in sorted(spans):
        if groups and span[0] < reach:
            groups[-1].append(span)
            reach = max(reach, span[1])
        else:
            groups.append([span])
            reach = span[1]
    return groups


# -- the view -------------------------------------------------------------------------------


def coders_in(archive: Archive, scope: AnalysisScope | None = None,
              ) -> list[tuple[str, int, int]]:
    """(coder, passages, articles) of the coders in the scope, most passages first."""
    sql = resolve(archive, scope).sql if scope is not None else None
    return archive.coders.all(sql)


def agreement(archive: Archive, coders: Sequence[str], *,
              article_ids: Sequence[int] | None = None,
              scope: AnalysisScope | None = None,
              code_ids: Sequence[int] | None = None) -> Agreement:
    """Agreement of `coders` (two or more names) over `article_ids`, or else over the
    articles in `scope` that every one of them coded. `code_ids` limits the codes (default:
    every code any of them used there). Raises AgreementError with a message naming what
    is missing."""
    chosen = list(dict.fromkeys(c.strip() for c in coders))
    notes: list[str] = []
    known = {name for name, _, _ in archive.coders.all()}
    _check_coders(chosen, known)
    description = "chosen articles"
    if article_ids is None:
        resolved = resolve(archive, scope or AnalysisScope())
        description = resolved.description
        notes.extend(resolved.notes)
        ids = archive.coders.articles_coded_by_all(chosen, resolved.sql)
        if not ids:
            raise AgreementError(
                f"No article in this scope ({description}) was coded by all of "
                f"{_names(chosen)}: agreement compares codings of the same articles. Have "
                "each coder code the same articles, or choose the articles.")
    else:
        ids = list(dict.fromkeys(int(i) for i in article_ids))
        if not ids:
            raise AgreementError("Choose at least one article to compare the codings of.")
    articles = archive.coders.article_lengths(ids)
    missing = [i for i in ids if i not in articles]
    if missing:
        raise AgreementError(f"There is no article with id {missing[0]}.")
    rows = archive.coders.codings(ids, chosen, code_ids)
    coded_by = {coder for _, coder, *_ in rows}
    for coder in chosen:
        if coder not in coded_by:
            notes.append(f"{_name(coder)} coded nothing in these articles: every character "
                         "counts as not coded by them.")
    orphaned = archive.coders.orphaned(ids, chosen)
    if orphaned:
        notes.append(f"{orphaned} orphaned passages (their words are gone from the text) "
                     "are left out.")
    return _compute(archive, chosen, ids, articles, rows, code_ids, description, notes)


def _check_coders(chosen: list[str], known: set[str]) -> None:
    listed = ", ".join(_name(k) for k in sorted(known)) or "none yet"
    if len(chosen) < 2:
        raise AgreementError(
            "Agreement needs at least two coders; "
            + (f"this archive has passages by {listed}." if len(known) > 1 else
               f"this archive has passages by only one coder ({listed}): have a second "
               "coder code the same articles (Edit ▸ Coder Name… in their window, or "
               "`--coder` on the command line)."))
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise AgreementError(f"No passages were coded by {_name(unknown[0])}; the coders "
                             f"are {listed}.")


def _name(coder: str) -> str:
    return repr(coder) if coder else "the unknown coder ('')"


def _names(coders: Sequence[str]) -> str:
    return ", ".join(_name(c) for c in coders)


def _compute(archive: Archive, coders: list[str], ids: list[int],
             articles: dict[int, tuple[int, str]],
             rows: list[tuple[int, str, int, int, int, int]], code_ids: Sequence[int] | None,
             description: str, notes: list[str]) -> Agreement:
    index = {coder: i for i, coder in enumerate(coders)}
    by_code: dict[int, dict[int, list[tuple[int, int, str, int]]]] = defaultdict(
        lambda: defaultdict(list))
    for article_id, coder, code_id, annotation_id, start, end in rows:
        by_code[code_id][article_id].append((start, end, coder, annotation_id))
    all_codes = {code.id: code for code in archive.codes.all()}
    wanted = list(code_ids) if code_ids is not None else [
        c for c in all_codes if c in by_code]  # codebook order (by id within the store)
    if code_ids is None:
        order = {code.id: (code.sort_order, code.id) for code in all_codes.values()}
        wanted.sort(key=lambda c: order.get(c, (0, c)))
    empty = Counts((0,) * (len(coders) + 1), (0,) * len(coders))
    results, found = [], []
    total = empty
    for code_id in wanted:
        code = all_codes.get(code_id)
        if code is None:
            raise AgreementError(f"There is no code with id {code_id}.")
        counts, regions = empty, 0
        for article_id in ids:
            length, title = articles[article_id]
            spans = by_code.get(code_id, {}).get(article_id, [])
            per_coder: list[list[tuple[int, int]]] = [[] for _ in coders]
            for start, end, coder, _ in spans:
                per_coder[index[coder]].append((start, end))
            article_counts, runs = sweep(length, per_coder)
            counts = counts + article_counts
            if runs:
                for disagreement in _disagreements(article_id, title, code_id, code.name,
                                                   spans, runs, coders):
                    found.append(disagreement)
                    regions += 1
        if not counts.units - counts.histogram[0]:
            notes.append(f"Nobody coded {code.name!r} in these articles: its kappa and "
                         "alpha are undefined.")
        results.append(CodeAgreement(code_id, code.name, code.colour, counts, regions))
        total = total + counts
    if not results:
        notes.append("None of these coders coded any passage in these articles.")
    overall = CodeAgreement(0, "All codes", "#888888", total, len(found)) if results else None
    characters = sum(articles[i][0] for i in ids)
    return Agreement(tuple(coders), tuple(ids), tuple(results), overall, tuple(found),
                     characters, description, tuple(notes))


def _disagreements(article_id: int, title: str, code_id: int, code: str,
                   spans: list[tuple[int, int, str, int]], runs: list[tuple[int, int, int]],
                   coders: list[str]) -> list[Disagreement]:
    """A disagreement per cluster of overlapping passages holding a differing run."""
    result = []
    runs_left = sorted(runs)
    for cluster in _clusters(spans):
        start = min(s for s, _, _, _ in cluster)
        end = max(e for _, e, _, _ in cluster)
        differing = sum(min(e, end) - max(s, start) for s, e, _ in runs_left
                        if s < end and e > start)
        if not differing:
            continue
        codings = tuple((coder, tuple(Coding(i, s, e) for s, e, c, i in sorted(cluster)
                                      if c == coder)) for coder in coders)
        result.append(Disagreement(article_id, title, code_id, code, start, end, differing,
                                   codings))
    return result
