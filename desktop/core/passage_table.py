"""Gather coded passages from the archive for the spreadsheet export.

The exporters never read the archive (import-linter), so this is the one place that decides
*which* passages leave (all; those of some codes, with their sub-codes; those a search
finds; those of one article; those of a collection's articles; several of these narrow each
other) and turns them into the plain rows `desktop/core/exporters/tables.py` writes. The
REFI-QDA and W3C exports take the same `PassageScope`, and every export format is reached
through `desktop/core/exchange/formats.py` (the CLI's `export`, the window's File ▸ Export…).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.core.archive import Archive
from desktop.core.errors import BriefingError, NotFound, QuerySyntaxError
from desktop.core.exporters.tables import (
    CodebookEntry,
    PassageRow,
    PassageTable,
    write_csv,
    write_xlsx,
)
from desktop.core.jobs import NO_PROGRESS, Progress
from desktop.core.model import Annotation, Article
from desktop.core.search.query import parse_query

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class PassageScope:
    """Which passages: every one when all fields are empty; each given field narrows."""

    codes: tuple[str, ...] = ()  # code names; a code includes its sub-codes
    query: str = ""  # the search language (desktop/core/search/query.py)
    article_id: int | None = None
    collection_id: int | None = None  # the articles of a collection (by id) …
    collection: str = ""  # … or by name (exact, then ignoring case and accents); with an
    # id, the name only describes the scope

    def describe(self) -> str:
        parts = [f"code {name!r}" for name in self.codes]
        if self.query.strip():
            parts.append(f"search {self.query.strip()!r}")
        if self.article_id is not None:
            parts.append(f"article {self.article_id}")
        if self.collection.strip():
            parts.append(f"collection {self.collection.strip()!r}")
        elif self.collection_id is not None:
            parts.append(f"collection {self.collection_id}")
        return ", ".join(parts) or "all passages"

    def collection_articles(self, archive: Archive) -> set[int] | None:
        """The ids of the scope's collection's articles, None when no collection narrows.
        NotFound names a collection the archive does not hold."""
        if self.collection_id is not None:  # the id wins; the name then only describes
            archive.collections.get(self.collection_id)  # NotFound for an unknown id
            return set(archive.collections.article_ids(self.collection_id))
        if self.collection.strip():
            found = archive.collections.id_by_name(self.collection)
            if found is None:
                raise NotFound(f"has no collection named {self.collection.strip()!r}.",
                               archive.path)
            return set(archive.collections.article_ids(found))
        return None


@dataclass(frozen=True)
class TableExport:
    """What was written: the CLI prints it and the window shows it."""

    path: Path
    fmt: str
    passages: int
    articles: int
    codes: int
    scope: str

    def to_json(self) -> dict[str, object]:
        return {"path": str(self.path), "format": self.fmt, "passages": self.passages,
                "articles": self.articles, "codes": self.codes, "scope": self.scope}


def selected_passages(archive: Archive, scope: PassageScope) -> list[Annotation]:
    """The passages of the scope, by article and in text order. NotFound names an unknown
    code, article or collection; QuerySyntaxError explains a query the language does not
    accept."""
    if scope.article_id is not None:
        passages = archive.annotations.of_article(scope.article_id)
    else:
        passages = archive.annotations.all()
    members = scope.collection_articles(archive)
    if members is not None:
        passages = [p for p in passages if p.article_id in members]
    if scope.codes:
        wanted: set[int] = set()
        for name in scope.codes:
            code = archive.codes.by_name(name)
            wanted.update(archive.annotations.ids_with_code(code.id, include_children=True))
        passages = [p for p in passages if p.id in wanted]
    if scope.query.strip():
        query = parse_query(scope.query)
        if query.is_empty():
            raise QuerySyntaxError(
                "Nothing to search for: type a word, a \"phrase\" or a filter such as "
                "is:annotated", 0)
        if query.scope == "articles":  # articles found: all their passages
            articles = set(archive.search.article_ids(query))
            passages = [p for p in passages if p.article_id in articles]
        else:  # in:annotations / in:notes: the passages found
            total = archive.search.count(query)
            hits = archive.search.run(query, limit=max(total, 1))
            found = {hit.annotation_id for hit in hits if hit.annotation_id is not None}
            passages = [p for p in passages if p.id in found]
    return passages


def passage_table(archive: Archive, passages: Sequence[Annotation]) -> PassageTable:
    """The rows and the codebook for these passages (articles and actors read once each)."""
    actors = {actor.id: actor for actor in archive.actors.all()}
    articles: dict[int, Article] = {}
    rows = []
    for passage in passages:
        article = articles.get(passage.article_id)
        if article is None:
            article = articles[passage.article_id] = archive.articles.get(passage.article_id)
        actor = actors.get(passage.actor_id) if passage.actor_id is not None else None
        rows.append(PassageRow(
            passage_id=passage.id, article_id=article.id, title=article.title,
            outlet=article.outlet, published=article.published, url=article.url,
            quote=passage.exact, codes=tuple(code.name for code in passage.codes),
            actor=actor.name if actor else (passage.actor or ""),
            affiliation=actor.affiliation if actor else "",
            stance=passage.stance or "", note=passage.note, coder=passage.coder,
            created=passage.created_at))
    codes = archive.codes.all()
    names = {code.id: code.name for code in codes}
    codebook = [CodebookEntry(name=code.name, parent=names.get(code.parent_id or -1, ""),
                              description=code.description, colour=code.colour,
                              key=code.shortcut or "") for code in codes]
    return PassageTable(rows=rows, codebook=codebook)


def export_passages(archive: Archive, path: str | Path, fmt: str,
                    scope: PassageScope = PassageScope(),
                    progress: Progress = NO_PROGRESS) -> TableExport:
    """Write the scope's passages to `path` as CSV or XLSX (`fmt`). A cancel asked for
    while the rows are gathered raises JobCancelled before anything is written."""
    if fmt not in FORMATS:
        raise BriefingError(f"cannot export passages as {fmt!r}: use csv or xlsx.")
    path = Path(path)
    progress.report(0.1, "Gathering passages…")
    table = passage_table(archive, selected_passages(archive, scope))
    progress.check()
    progress.report(0.5, f"Writing {fmt.upper()}…")
    try:
        written = write_csv(table, path) if fmt == "csv" else write_xlsx(table, path)
    except OSError as error:
        raise BriefingError(f"could not write the export: {error.strerror or error}.",
                            path) from None
    return TableExport(path=path, fmt=fmt, passages=written, articles=table.article_count,
                       codes=len(table.code_names), scope=scope.describe())
