"""Article operations: delete (and restore), edit details, star, and the article memo.

Deleting an article takes everything that hangs on it: its earlier texts, its passages
with their codes and actors, its memo, its membership of collections, and its full-text
rows (the tables' triggers). The inverse restores all of it under the same ids, so one
undo step brings a wrongly deleted article back as if nothing had happened. Briefings are
not touched: their citations are written out as text (desktop/core/briefing/citations.py)
and a briefing citing a passage that is gone keeps the citation and warns on render, as
for any deleted passage; `deletion_preview` names those briefings so the analyst is told
before deleting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from desktop.core.briefing.citations import cited_annotation_ids
from desktop.core.changes import Changes
from desktop.core.model import UNSET, Annotation, ArticleDetails, DeletedArticle, Unset
from desktop.core.ops.result import OpResult, bind

if TYPE_CHECKING:
    from desktop.core.archive import Archive

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


# -- delete --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeletionPreview:
    """What deleting some articles would take with it: what the window asks about and the
    command line prints before it deletes."""

    articles: list[tuple[int, str]]  # (id, title) of those that exist, in the order asked
    missing: list[int]  # ids asked for that are not in the archive
    passages: int  # coded passages that go with them
    briefings: list[tuple[int, str]]  # (id, title) of briefings citing one of those passages

    def to_json(self) -> dict[str, Any]:
        return {
            "articles": [{"id": i, "title": t} for i, t in self.articles],
            "missing": self.missing,
            "passages": self.passages,
            "briefings": [{"id": i, "title": t} for i, t in self.briefings],
        }


@dataclass(frozen=True)
class DeletedArticles:
    """The value of `delete_articles`, and what its inverse restores."""

    articles: list[DeletedArticle]
    passages: list[Annotation]

    @property
    def article_ids(self) -> list[int]:
        return [item.row["id"] for item in self.articles]


def deletion_preview(archive: Archive, article_ids: Sequence[int]) -> DeletionPreview:
    """The articles found, their passages, and the briefings citing any of them."""
    ids = list(dict.fromkeys(article_ids))
    found = archive.articles.rows(ids)
    passage_ids: set[int] = set()
    for article_id in found:
        passage_ids.update(a.id for a in archive.annotations.of_article(article_id))
    citing = [(b.id, b.title) for b in archive.briefings.all()
              if passage_ids.intersection(cited_annotation_ids(b.body))]
    return DeletionPreview(
        articles=[(i, found[i].title) for i in ids if i in found],
        missing=[i for i in ids if i not in found],
        passages=len(passage_ids),
        briefings=citing,
    )


def delete_articles(archive: Archive, article_ids: Sequence[int]) -> OpResult[DeletedArticles]:
    """Delete articles and all that hangs on them, in one transaction. Unknown ids are
    skipped (the preview names them); deleting nothing is no step."""
    with archive.transaction():
        ids = [i for i in dict.fromkeys(article_ids)
               if archive.articles.read_states([i])]
        passages: list[Annotation] = []
        for article_id in ids:
            passages += archive.annotations.of_article(article_id)
        deleted = archive.articles.delete(ids)
    if not deleted:
        return OpResult(Changes(), None, DeletedArticles([], []))
    value = DeletedArticles(deleted, passages)
    return OpResult(_deleted_changes(value), bind(restore_articles, value), value)


def restore_articles(archive: Archive, deleted: DeletedArticles) -> OpResult[list[int]]:
    """Deleted articles back under their ids, with their passages (same ids, codes,
    actors, notes), revisions, memo and collection membership."""
    with archive.transaction():
        archive.articles.restore(deleted.articles)
        archive.annotations.restore(deleted.passages)
    ids = deleted.article_ids
    return OpResult(_deleted_changes(deleted), bind(delete_articles, ids), ids)


def record_import(archive: Archive, article_ids: Sequence[int]) -> OpResult[list[int]]:
    """An import that already ran (as a job, in short commits of its own) as an undo step:
    it writes nothing; its inverse deletes the articles the import added, and that
    inverse's inverse brings them back under the same ids. Articles an import only
    updated are not among them: their earlier text stays in their revisions."""
    ids = list(dict.fromkeys(article_ids))
    changes = Changes(articles=True, article_ids=frozenset(ids)) if ids else Changes()
    return OpResult(changes, bind(delete_articles, ids) if ids else None, ids)


def _deleted_changes(deleted: DeletedArticles) -> Changes:
    # Rows come and go: every article view reloads (no article ids), the sidebar's
    # collection counts follow, and passage views drop or regain these passages.
    return Changes(articles=True, annotations=True,
                   collections=any(item.memberships for item in deleted.articles))


# -- details -------------------------------------------------------------------------------


def clean_details(*, title: str | Unset = UNSET, byline: str | Unset = UNSET,
                  outlet: str | Unset = UNSET, published: str | Unset | None = UNSET,
                  url: str | Unset | None = UNSET,
                  language: str | Unset | None = UNSET) -> dict[str, str | None]:
    """The given details checked and tidied, as the archive stores them: ValueError with
    a sentence for the analyst when one cannot be kept. Blank optional fields mean none."""
    fields: dict[str, str | None] = {}
    if title is not UNSET:
        fields["title"] = " ".join(title.split())
        if not fields["title"]:
            raise ValueError("an article needs a title")
    if byline is not UNSET:
        fields["byline"] = " ".join(byline.split())
    if outlet is not UNSET:
        fields["outlet"] = " ".join(outlet.split())
    if published is not UNSET:
        fields["published"] = _checked_date(published)
    if url is not UNSET:
        fields["url"] = (url or "").strip() or None
        if fields["url"] and any(ch.isspace() for ch in fields["url"] or ""):
            raise ValueError("an address cannot contain spaces")
    if language is not UNSET:
        fields["language"] = (language or "").strip() or None
        if fields["language"] and not _LANGUAGE.fullmatch(fields["language"] or ""):
            raise ValueError(
                f"language {language!r} is not a language code such as en, de or pt-BR")
    return fields


def _checked_date(value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if not _DATE.fullmatch(text):
        raise ValueError(f"published date {text!r} must be written YYYY-MM-DD, e.g. 2024-05-31")
    try:
        date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"published date {text!r} is not a date in the calendar") from None
    return text


def edit_article(archive: Archive, article_id: int, **details: Any) -> OpResult[ArticleDetails]:
    """Correct an article's title, byline, outlet, published date, URL or language (the
    keyword arguments given; see `clean_details`). Value: the details after the edit."""
    fields = clean_details(**details)
    with archive.transaction():
        before = _details(archive, article_id)
        changed = {k: v for k, v in fields.items() if getattr(before, k) != v}
        if changed:
            archive.articles.update_details(article_id, changed)
        after = _details(archive, article_id)
    if not changed:
        return OpResult(Changes(), None, after)
    old = {key: getattr(before, key) for key in changed}
    # No article ids: the library reloads (a filter on the outlet or date may now match
    # or not), the reader re-reads the header, and search and drafts read it afresh.
    return OpResult(Changes(articles=True), bind(edit_article, article_id, **old), after)


def _details(archive: Archive, article_id: int) -> ArticleDetails:
    article = archive.articles.get(article_id)
    return ArticleDetails(title=article.title, byline=article.byline, outlet=article.outlet,
                          published=article.published, url=article.url,
                          language=article.language)


# -- star ----------------------------------------------------------------------------------


def set_starred(archive: Archive, article_ids: Sequence[int], starred: bool) -> OpResult[None]:
    """Star or unstar articles; the inverse gives each its own previous star."""
    with archive.transaction():
        before = archive.articles.starred_states(article_ids)
        ids = [i for i, state in before.items() if state != starred]
        if not ids:
            return OpResult(Changes(), None)
        changes = archive.articles.set_starred(ids, starred)
    return OpResult(changes, bind(set_starred_states, {i: before[i] for i in ids}))


def set_starred_states(archive: Archive, states: Mapping[int, bool]) -> OpResult[None]:
    """Give each article its own star (what `set_starred` takes back to)."""
    with archive.transaction():
        before = archive.articles.starred_states(list(states))
        changes = archive.articles.set_starred([i for i, s in states.items() if s], True)
        changes |= archive.articles.set_starred([i for i, s in states.items() if not s], False)
    return OpResult(changes, bind(set_starred_states, before))


def toggle_star(archive: Archive, article_ids: Sequence[int]) -> OpResult[bool]:
    """Star them all unless all are starred already, then unstar them (as a mail client's
    star toggles a selection). Value: the star they have now."""
    states = archive.articles.starred_states(article_ids)
    starred = not (states and all(states.values()))
    result = set_starred(archive, list(states), starred)
    return OpResult(result.changes, result.inverse, starred)


# -- memo ----------------------------------------------------------------------------------


def set_memo(archive: Archive, article_id: int, memo: str) -> OpResult[str]:
    """Keep Markdown `memo` as the article's memo ("" removes it). Value: the memo."""
    text = memo.strip("\n")
    with archive.transaction():
        before = archive.articles.memo(article_id)
        if before == text or (not before and not text.strip()):
            return OpResult(Changes(), None, before)
        changes = archive.articles.set_memo(article_id, text)
    return OpResult(changes, bind(set_memo, article_id, before), text)
