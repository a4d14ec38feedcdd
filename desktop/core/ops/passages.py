"""Passage operations: code, recode, edit, resize and delete coded passages.

The rule every front end shares lives here: coding a span that already is a passage adds
the codes it lacks to that passage (and the actor, stance and note only where it had none)
instead of making a twin. The window's keys, the command line's `annotate` and autocode
all meet it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.core.anchoring.passages import reanchored
from desktop.core.anchoring.spans import find_quote
from desktop.core.archive.codebook import SHORTCUTS
from desktop.core.changes import Changes
from desktop.core.model import STANCES, UNSET, Annotation, NewAnnotation, Unset
from desktop.core.ops.actors import actor_for_name, add_actor
from desktop.core.ops.codebook import add_code
from desktop.core.ops.names import resolve_codes
from desktop.core.ops.result import Operation, OpResult, bind, compose

if TYPE_CHECKING:
    from desktop.core.archive import Archive


@dataclass(frozen=True)
class CodedPassage:
    """The value of `code_passage`: which passage carries the codes now, and how."""

    annotation_id: int
    created: bool  # a new passage (False: an existing one with the same span)
    actor_created: str | None = None  # the name of an actor made for this passage


def _passage_changes(article_ids: Iterable[int], annotation_ids: Iterable[int]) -> Changes:
    return Changes(annotations=True, article_ids=frozenset(article_ids),
                   annotation_ids=frozenset(annotation_ids))


def _check_stance(stance: str | None) -> None:
    if stance is not None and stance not in STANCES:
        raise ValueError(f"stance must be one of {', '.join(STANCES)} (or none), not {stance!r}")


def code_passage(
    archive: Archive,
    article_id: int,
    start: int,
    end: int,
    code_ids: Sequence[int],
    *,
    actor_id: int | None = None,
    actor_name: str | None = None,
    stance: str | None = None,
    note: str = "",
    coder: str = "",
) -> OpResult[CodedPassage]:
    """Code the span `start`-`end` of an article, in one transaction.

    A passage with exactly this span gets the codes it lacks, and the actor, stance and
    note only where it had none; otherwise a new passage is made. `actor_name` finds an
    actor by name or alias (ignoring case and accents) or creates it. Nothing is written
    if anything is wrong (an unknown code or article, offsets outside the text).
    A new passage records `coder`; a passage counts as this span's only if it is the
    same coder's (an unknown coder's, '', is not a named coder's), so two coders' codings
    stay apart for agreement.
    """
    _check_stance(stance)
    codes = list(dict.fromkeys(code_ids))
    inverses: list[Operation] = []
    created_actor = None
    changes = Changes()
    with archive.transaction():
        for code_id in codes:
            archive.codes.get(code_id)  # NotFound before anything is written
        if actor_name and actor_name.strip():
            found = actor_for_name(archive, actor_name.strip())
            actor_id = found.value
            if found.changed:
                created_actor = actor_name.strip()
                changes |= found.changes
                assert found.inverse is not None
                inverses.append(found.inverse)
        twin = archive.annotations.with_span(article_id, start, end, coder)
        if twin is None:
            annotation_id = archive.annotations.add(NewAnnotation(
                article_id, start, end, codes, actor_id=actor_id, stance=stance, note=note,
                coder=coder))
            inverses.append(bind(delete_passages, [annotation_id]))
            changes |= _passage_changes([article_id], [annotation_id])
            value = CodedPassage(annotation_id, True, created_actor)
        else:
            fields: dict[str, Any] = {}
            have = [c.id for c in twin.codes]
            if any(c not in have for c in codes):
                fields["code_ids"] = have + [c for c in codes if c not in have]
            if actor_id is not None and twin.actor_id is None:
                fields["actor_id"] = actor_id
            if stance is not None and twin.stance is None:
                fields["stance"] = stance
            if note and not twin.note:
                fields["note"] = note
            if fields:
                result = update_passage(archive, twin.id, **fields)
                assert result.inverse is not None
                inverses.append(result.inverse)
                changes |= result.changes
            value = CodedPassage(twin.id, False, created_actor)
    if not inverses:
        return OpResult(Changes(), None, value)
    return OpResult(changes, compose(*reversed(inverses)), value)



def code_passage_with_new_code(
    archive: Archive, article_id: int, start: int, end: int, name: str, *, coder: str = "",
) -> OpResult[CodedPassage]:
    """Add the code `name` and code the span with it, in one transaction and one undo step.

    The code palette offers it when no code matches what was typed (an empty codebook's
    first code, say). The new code takes the lowest free key 1–9, so the next passage can be
    coded with a key press (a new project's codebook has none to give). The inverse takes
    the passage (or the code on it) back, then the code.
    """
    with archive.transaction():
        held = {code.shortcut for code in archive.codes.all()}
        key = next((key for key in SHORTCUTS if key not in held), None)
        added = add_code(archive, name, shortcut=key)
        coded = code_passage(archive, article_id, start, end, [added.value], coder=coder)
    inverses = [inverse for inverse in (coded.inverse, added.inverse) if inverse is not None]
    return OpResult(added.changes | coded.changes, compose(*inverses), coded.value)

def annotate(
    archive: Archive,
    article_id: int,
    *,
    code_names: Sequence[str],
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    actor: str | None = None,
    stance: str | None = None,
    note: str = "",
    coder: str = "",
) -> OpResult[CodedPassage]:
    """`code_passage` with names: codes by name (close names suggested when unknown), the
    passage by offsets or by quoting it (the quote must occur once; spacing and quote
    marks are ignored), the actor by name (found or created)."""
    if (quote is None) == (start is None or end is None) or (
            quote is not None and (start is not None or end is not None)):
        raise ValueError("give either the passage's start and end offsets, or a quote")
    _check_stance(stance)
    with archive.transaction():
        if quote is not None:
            start, end = find_quote(archive.articles.get(article_id).text, quote)
        assert start is not None and end is not None
        return code_passage(archive, article_id, start, end,
                            resolve_codes(archive, code_names), actor_name=actor,
                            stance=stance, note=note, coder=coder)


def update_passage(
    archive: Archive,
    annotation_id: int,
    *,
    code_ids: Sequence[int] | Unset = UNSET,
    actor_id: int | Unset | None = UNSET,
    stance: str | Unset | None = UNSET,
    note: str | Unset = UNSET,
    pinned: bool | Unset = UNSET,
    start: int | Unset = UNSET,
    end: int | Unset = UNSET,
    quote: str | None = None,
) -> OpResult[None]:
    """Change some fields of a passage (its codes, actor, stance, note, pin or span).

    With `quote`, a span is where that quote now is: the inverse of a resize passes the
    old quote, so undoing it after the article's text changed finds the old words again
    (or says they are gone) instead of selecting other text.
    """
    fields: dict[str, Any] = {key: value for key, value in {
        "code_ids": code_ids, "actor_id": actor_id, "stance": stance, "note": note,
        "pinned": pinned, "start": start, "end": end}.items() if value is not UNSET}
    with archive.transaction():
        before = archive.annotations.get(annotation_id)
        if quote is not None and "start" in fields:
            fields["start"], fields["end"] = _where_quote_is(
                archive, before.article_id, fields["start"], fields["end"], quote)
        changes = archive.annotations.update(annotation_id, **fields)
    old = {key: _field(before, key) for key in fields}
    if "start" in fields:
        old["quote"] = before.exact
    return OpResult(_passage_changes(changes.article_ids, [annotation_id]) | changes,
                    bind(update_passage, annotation_id, **old))


def _where_quote_is(archive: Archive, article_id: int, start: int, end: int,
                    quote: str) -> tuple[int, int]:
    text = archive.articles.get(article_id).text
    if text[start:end] == quote:
        return start, end
    found = text.find(quote)
    if found < 0:
        raise ValueError("the article's text changed since; the old span no longer exists")
    return found, found + len(quote)


def _field(annotation: Annotation, name: str) -> Any:
    if name == "code_ids":
        return [c.id for c in annotation.codes]
    return getattr(annotation, name)


def set_codes(archive: Archive, codes_by_passage: Mapping[int, Sequence[int]]) -> OpResult[None]:
    """Give each passage exactly these codes, in one step (recoding many at once)."""
    inverses: list[Operation] = []
    changes = Changes()
    with archive.transaction():
        for annotation_id, code_ids in codes_by_passage.items():
            result = update_passage(archive, annotation_id, code_ids=list(code_ids))
            changes |= result.changes
            assert result.inverse is not None
            inverses.append(result.inverse)
    if not inverses:
        return OpResult(Changes(), None)
    return OpResult(changes, compose(*reversed(inverses)))


def toggle_code(archive: Archive, annotation_ids: Sequence[int], code_id: int,
                add: bool) -> OpResult[None]:
    """Add a code to these passages (or take it off them), as one step."""
    with archive.transaction():
        archive.codes.get(code_id)  # NotFound
        wanted: dict[int, list[int]] = {}
        for passage in archive.annotations.by_ids(annotation_ids):
            have = [c.id for c in passage.codes]
            after = ([*have, code_id] if code_id not in have else have) if add else [
                c for c in have if c != code_id]
            if after != have:
                wanted[passage.id] = after
        return set_codes(archive, wanted)


def delete_passages(archive: Archive, annotation_ids: Sequence[int]) -> OpResult[list[Annotation]]:
    """Delete passages; the inverse puts them back under their ids (re-anchored if the
    article's text changed meanwhile). Value: what was deleted."""
    snapshots = archive.annotations.delete(list(annotation_ids))
    if not snapshots:
        return OpResult(Changes(), None, [])
    changes = _passage_changes([a.article_id for a in snapshots], [a.id for a in snapshots])
    return OpResult(changes, bind(restore_passages, snapshots), snapshots)


def restore_passages(archive: Archive, snapshots: Sequence[Annotation]) -> OpResult[None]:
    """Deleted passages back, same ids, codes and timestamps, where their quotes are in
    their articles' texts now (moved or orphaned if the text changed meanwhile)."""
    with archive.transaction():
        changes = archive.annotations.restore(reanchored(archive, snapshots))
    ids = [a.id for a in snapshots]
    return OpResult(changes | _passage_changes([], ids), bind(delete_passages, ids))


def set_actor_by_name(archive: Archive, annotation_id: int, name: str, *,
                      new: bool = False) -> OpResult[int]:
    """Make the actor `name` means (found by name or alias, or created) the passage's
    actor, as one step; the inverse also deletes an actor it created. Value: its id.

    `new`: create an actor by this name even though a similar one exists (the analyst
    said they are different people)."""
    with archive.transaction():
        found = add_actor(archive, name, allow_similar=True) if new else actor_for_name(
            archive, name)
        result = update_passage(archive, annotation_id, actor_id=found.value)
    assert result.inverse is not None
    inverses = [found.inverse, result.inverse] if found.inverse is not None else [
        result.inverse]
    return OpResult(result.changes | found.changes, compose(*reversed(inverses)), found.value)
