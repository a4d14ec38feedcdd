"""What every analysis view does first: the scope as SQL, the codes as the views name them,
and the sentences that explain an empty or odd result.

Kept apart from the views so the network and agreement views (analysis-net) resolve a scope
the same way: `resolve(archive, scope)` gives the `ScopeSQL` the archive's analysis store
counts over, plus notes such as "no code is named 'Talent flite'".
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from desktop.core.analysis.results import ROW_KINDS, CodeRef
from desktop.core.analysis.scope import AnalysisScope, ScopeError
from desktop.core.archive import Archive
from desktop.core.archive.analysis import RowsBy, ScopeSQL
from desktop.core.errors import NotFound, QuerySyntaxError
from desktop.core.model import Code
from desktop.core.search.query import parse_query


@dataclass(frozen=True)
class Resolved:
    """A scope ready to count: its SQL, its description and what the analyst should know."""

    sql: ScopeSQL
    description: str
    notes: tuple[str, ...] = ()


def resolve(archive: Archive, scope: AnalysisScope) -> Resolved:
    """The scope as the analysis store's `ScopeSQL`. Raises ScopeError naming a query that
    cannot run, an unknown collection, saved search or attribute."""
    queries = []
    notes: list[str] = []
    texts = [scope.query] if scope.query.strip() else []
    if scope.saved_search_id is not None:
        try:
            texts.append(archive.saved_searches.get(scope.saved_search_id).query)
        except NotFound:
            raise ScopeError(f"There is no saved search with id {scope.saved_search_id} "
                             "(it may have been deleted).") from None
    for text in texts:
        try:
            query = parse_query(text)
        except QuerySyntaxError as error:
            raise ScopeError(f"The search {text!r} cannot be run: {error.message}") from None
        if query.is_empty():
            continue
        notes.extend(f"The search finds nothing: {note}." for note in
                     archive.search.unknown_filter_names(query))
        queries.append(query)
    if scope.collection_id is not None:
        try:
            archive.collections.get(scope.collection_id)
        except NotFound:
            raise ScopeError(f"There is no collection with id {scope.collection_id} "
                             "(it may have been deleted).") from None
    wanted: dict[int, list[str]] = defaultdict(list)
    for name, value in scope.attributes:
        attribute = archive.attributes.find(name)
        if attribute is None:
            raise ScopeError(f"There is no article attribute named {name!r}; "
                             f"{_known_attributes(archive)}")
        wanted[attribute.id].append(value)
    before = None
    if scope.date_to:
        before = (_dt.date.fromisoformat(scope.date_to) + _dt.timedelta(days=1)).isoformat()
    sql = archive.analysis.scope(
        queries=queries, collection_id=scope.collection_id, published_from=scope.date_from,
        published_before=before, attribute_values=list(wanted.items()))
    return Resolved(sql, scope.describe(archive), tuple(notes))


def _known_attributes(archive: Archive) -> str:
    names = [a.name for a in archive.attributes.all()]
    if not names:
        return "none is defined yet (Article ▸ Set Attribute… gives articles one)."
    return "the attributes are " + ", ".join(repr(n) for n in names) + "."


def rows_by(archive: Archive, rows: str) -> RowsBy:
    """"actor", "affiliation", "kind", "outlet" or "attribute:<name>" as the store's
    grouping; ScopeError names what is allowed."""
    if rows.startswith("attribute:"):
        name = rows.split(":", 1)[1].strip()
        attribute = archive.attributes.find(name)
        if attribute is None:
            raise ScopeError(f"Cannot group by attribute {name!r}: "
                             f"{_known_attributes(archive)}")
        return RowsBy("attribute", attribute.id)
    if rows not in ROW_KINDS:
        raise ScopeError(f"Cannot group rows by {rows!r}: use one of "
                         f"{', '.join(ROW_KINDS)} or attribute:NAME.")
    return RowsBy(rows)


def codebook_order(codes: Sequence[Code]) -> list[tuple[Code, str]]:
    """Codes depth first as the codebook shows them, each with its path
    ("Economy / Talent flight")."""
    children: dict[int | None, list[Code]] = defaultdict(list)
    known = {code.id for code in codes}
    for code in codes:
        parent = code.parent_id if code.parent_id in known else None
        children[parent].append(code)
    ordered: list[tuple[Code, str]] = []

    def walk(parent: int | None, prefix: str) -> None:
        for code in children.get(parent, []):
            path = f"{prefix} / {code.name}" if prefix else code.name
            ordered.append((code, path))
            walk(code.id, path)

    walk(None, "")
    return ordered


def code_refs(archive: Archive, counts: dict[int, int],
              code_ids: Sequence[int] | None) -> tuple[tuple[CodeRef, ...], list[str]]:
    """The views' columns: `code_ids` when given (ScopeError for an unknown id; a code
    without passages in the scope stays, at 0, with a note), else every code with a passage
    in the scope, in codebook order."""
    ordered = codebook_order(archive.codes.all())
    notes: list[str] = []
    if code_ids is not None:
        by_id = {code.id: (code, path) for code, path in ordered}
        unknown = [i for i in code_ids if i not in by_id]
        if unknown:
            raise ScopeError(f"There is no code with id {unknown[0]}.")
        wanted = set(code_ids)
        chosen = [(code, path) for code, path in ordered if code.id in wanted]
        for code, _ in chosen:
            if not counts.get(code.id):
                notes.append(f"Code {code.name!r} has no passages in this scope.")
    else:
        chosen = [(code, path) for code, path in ordered if counts.get(code.id)]
    refs = tuple(CodeRef(id=code.id, name=code.name, path=path, colour=code.colour,
                         count=counts.get(code.id, 0)) for code, path in chosen)
    return refs, notes


def empty_note(resolved: Resolved, passages: int) -> list[str]:
    """"No coded passages in this scope (…)" when there are none, else nothing."""
    if passages:
        return []
    return [f"No coded passages in this scope ({resolved.description}): widen the search, "
            "the dates or the collection, or code some passages first."]


def code_names(archive: Archive, code_ids: Iterable[int]) -> dict[int, str]:
    wanted = set(code_ids)
    return {code.id: code.name for code in archive.codes.all() if code.id in wanted}
