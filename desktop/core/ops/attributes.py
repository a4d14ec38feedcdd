"""Article attribute operations: define, rename, delete an attribute; set or clear its value
on many articles at once (the library's bulk edit). Each returns the exact inverse: values
come back as they were, article by article, and a deleted attribute under its old id.

The rule for values lives here: a value is trimmed text that must read as the attribute's
kind (a number, an ISO date, yes/no), stored in one spelling so grouping by it works
("Yes", "true" and "1" are all "true").
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from desktop.core.archive.attributes import clean_attribute_name
from desktop.core.errors import BriefingError, NotFound
from desktop.core.model import ATTRIBUTE_KINDS, UNSET, AttributeSnapshot, Unset
from desktop.core.ops.result import OpResult, bind, nothing

if TYPE_CHECKING:
    from desktop.core.archive import Archive

_TRUE = {"true", "yes", "y", "1", "ja", "oui"}
_FALSE = {"false", "no", "n", "0", "nein", "non"}


class AttributeValueError(BriefingError, ValueError):
    """A value that does not read as its attribute's kind, or an empty one."""


def clean_value(value: str, kind: str = "text", name: str = "") -> str:
    """The value as stored for an attribute of `kind`; AttributeValueError says why not."""
    text = " ".join(str(value).split())
    label = f"{name!r} " if name else ""
    if not text:
        raise AttributeValueError(f"The attribute {label}needs a value (to remove values, "
                                  "clear the attribute instead).")
    if kind == "number":
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise AttributeValueError(
                f"The attribute {label}holds numbers: {text!r} is not one.") from None
        return str(int(number)) if number.is_integer() else repr(number)
    if kind == "date":
        try:
            return _dt.date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            raise AttributeValueError(f"The attribute {label}holds dates: write {text!r} "
                                      "as YYYY-MM-DD.") from None
    if kind == "boolean":
        folded = text.casefold()
        if folded in _TRUE:
            return "true"
        if folded in _FALSE:
            return "false"
        raise AttributeValueError(f"The attribute {label}is yes or no, not {text!r}.")
    return text


def define_attribute(archive: Archive, name: str, kind: str = "text") -> OpResult[int]:
    """A new attribute; the inverse deletes it."""
    if kind not in ATTRIBUTE_KINDS:
        raise AttributeValueError(f"An attribute's kind is one of {', '.join(ATTRIBUTE_KINDS)}, "
                                  f"not {kind!r}.")
    changes, attribute_id = archive.attributes.add(clean_attribute_name(name), kind)
    return OpResult(changes, bind(delete_attribute, attribute_id), attribute_id)


def update_attribute(archive: Archive, attribute_id: int, *, name: str | Unset = UNSET,
                     kind: str | Unset = UNSET) -> OpResult[None]:
    """Rename an attribute or change its kind (existing values must read as the new kind);
    the inverse gives back the old name and kind."""
    with archive.transaction():
        before = archive.attributes.get(attribute_id)
        if kind is not UNSET and kind != before.kind:
            for value, _ in archive.attributes.values(attribute_id):
                clean_value(value, kind, before.name)
        changes = archive.attributes.update(
            attribute_id, name=None if name is UNSET else name,
            kind=None if kind is UNSET else kind)
    old = {"name": before.name if name is not UNSET else UNSET,
           "kind": before.kind if kind is not UNSET else UNSET}
    return OpResult(changes, bind(update_attribute, attribute_id, **old))


def rename_attribute(archive: Archive, attribute_id: int, name: str) -> OpResult[None]:
    return update_attribute(archive, attribute_id, name=name)


def delete_attribute(archive: Archive, attribute_id: int) -> OpResult[AttributeSnapshot]:
    """Delete an attribute and its values; the inverse restores both under the same id."""
    changes, snapshot = archive.attributes.delete(attribute_id)
    return OpResult(changes, bind(restore_attribute, snapshot), snapshot)


def restore_attribute(archive: Archive, snapshot: AttributeSnapshot) -> OpResult[int]:
    changes = archive.attributes.restore(snapshot)
    return OpResult(changes, bind(delete_attribute, snapshot.attribute.id),
                    snapshot.attribute.id)


def set_attribute_values(archive: Archive, attribute_id: int,
                         values: Mapping[int, str | None]) -> OpResult[int]:
    """Give each article its own value (None: none), as `set_attribute` takes back to;
    the value is how many articles changed."""
    with archive.transaction():
        before = archive.attributes.values_of(attribute_id, list(values))
        previous = {article_id: before.get(article_id) for article_id in values}
        changed = {a: v for a, v in values.items() if previous[a] != v}
        if not changed:
            return nothing(0)
        changes = archive.attributes.set_values(attribute_id, changed)
    return OpResult(changes, bind(set_attribute_values, attribute_id,
                                  {a: previous[a] for a in changed}), len(changed))


def set_attribute(archive: Archive, name: str, article_ids: Sequence[int], value: str | None,
                  *, kind: str = "text") -> OpResult[int]:
    """The bulk edit: give every article in `article_ids` the `value` of attribute `name`
    (None clears it). An attribute not yet defined is created (of `kind`) in the same step,
    and the inverse then deletes it again. NotFound names an article that is not there; the
    value is how many articles changed."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        raise AttributeValueError("Select the articles to set the attribute on.")
    missing = sorted(set(ids) - set(archive.attributes.existing_article_ids(ids)))
    if missing:
        raise NotFound(f"has no article with id {missing[0]}.", archive.path)
    with archive.transaction():
        attribute = archive.attributes.find(name)
        if attribute is None and value is None:
            raise NotFound(f"has no attribute named {name!r} to clear.", archive.path)
        created = attribute is None
        if attribute is None:
            attribute_id = define_attribute(archive, name, kind).value
            attribute = archive.attributes.get(attribute_id)
        cleaned = None if value is None else clean_value(value, attribute.kind, attribute.name)
        result = set_attribute_values(archive, attribute.id, dict.fromkeys(ids, cleaned))
    if created:
        return OpResult(result.changes, bind(delete_attribute, attribute.id), result.value)
    return result


def clear_attribute(archive: Archive, name: str, article_ids: Sequence[int]) -> OpResult[int]:
    """Remove attribute `name`'s value from the articles (the attribute stays)."""
    return set_attribute(archive, name, article_ids, None)
