"""Codebook operations: add, rename, recolour, describe, key, move, merge, delete codes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop.core.changes import Changes
from desktop.core.colours import next_colour
from desktop.core.model import UNSET, CodeMerge, CodeSnapshot, Unset
from desktop.core.ops.result import OpResult, bind, compose

if TYPE_CHECKING:
    from desktop.core.archive import Archive

# Codes colour and label passages, so passages refresh with them.
CODE_CHANGES = Changes(codes=True, annotations=True)


def _holder(archive: Archive, shortcut: str | None, code_id: int) -> int | None:
    """The other code that holds `shortcut` now (it loses the key to `code_id`)."""
    if shortcut is None:
        return None
    holder = archive.codes.with_shortcut(shortcut)
    return holder.id if holder is not None and holder.id != code_id else None


def add_code(archive: Archive, name: str, *, parent_id: int | None = None,
             description: str = "", colour: str | None = None,
             shortcut: str | None = None) -> OpResult[int]:
    """A new code, last among its siblings; a key another code holds moves to it.

    Without a `colour`, the code gets the one farthest from every colour the codebook
    already uses (core/colours.py), so codes stay apart in the reader.

    Value: the new code's id. Names are unique among siblings ignoring case
    (DuplicateName). The inverse deletes the code and gives the key back.
    """
    with archive.transaction():
        if colour is None:
            colour = next_colour(code.colour for code in archive.codes.all())
        holder = _holder(archive, shortcut, 0)
        code_id = archive.codes.add(name, parent_id=parent_id, description=description,
                                    colour=colour, shortcut=shortcut)
    inverse = bind(delete_code, code_id)
    if holder is not None:
        inverse = compose(inverse, bind(update_code, holder, shortcut=shortcut))
    return OpResult(Changes(codes=True), inverse, code_id)


def update_code(archive: Archive, code_id: int, *, name: str | Unset = UNSET,
                description: str | Unset = UNSET, colour: str | Unset = UNSET,
                shortcut: str | Unset | None = UNSET) -> OpResult[None]:
    """Rename, recolour, describe or key a code; a key another code held is taken from it
    (and given back by the inverse)."""
    new: dict[str, Any] = {key: value for key, value in
                           {"name": name, "description": description, "colour": colour,
                            "shortcut": shortcut}.items() if value is not UNSET}
    with archive.transaction():
        before = archive.codes.get(code_id)
        holder = _holder(archive, new["shortcut"], code_id) if "shortcut" in new else None
        changes = archive.codes.update(code_id, **new)
    inverse = bind(update_code, code_id, **{key: getattr(before, key) for key in new})
    if holder is not None:
        inverse = compose(inverse, bind(update_code, holder, shortcut=new["shortcut"]))
    return OpResult(changes, inverse)


def move_code(archive: Archive, code_id: int, *, parent_id: int | None,
              index: int) -> OpResult[None]:
    """Reparent or reorder a code; refuses a move under itself or its sub-codes."""
    with archive.transaction():
        old_parent, old_index = archive.codes.position(code_id)
        changes = archive.codes.move(code_id, parent_id=parent_id, index=index)
    return OpResult(changes, bind(move_code, code_id, parent_id=old_parent, index=old_index))


def delete_code(archive: Archive, code_id: int) -> OpResult[CodeSnapshot]:
    """Delete a code and its sub-codes; passages stay, without them, until the inverse."""
    snapshot = archive.codes.delete(code_id)
    return OpResult(CODE_CHANGES, bind(restore_code, snapshot), snapshot)


def restore_code(archive: Archive, snapshot: CodeSnapshot) -> OpResult[int]:
    """Deleted codes back under their ids, places and passages."""
    changes = archive.codes.restore(snapshot)
    root = snapshot.codes[0].id
    return OpResult(changes | CODE_CHANGES, bind(delete_code, root), root)


def merge_codes(archive: Archive, source_id: int, target_id: int) -> OpResult[CodeMerge]:
    """Recode the source's passages as the target, move its sub-codes, delete it."""
    merge = archive.codes.merge(source_id, target_id)
    return OpResult(CODE_CHANGES, bind(unmerge_codes, merge), merge)


def unmerge_codes(archive: Archive, merge: CodeMerge) -> OpResult[None]:
    changes = archive.codes.unmerge(merge)
    assert merge.target_id is not None
    return OpResult(changes, bind(merge_codes, merge.source.id, merge.target_id))
