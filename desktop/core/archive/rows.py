"""Turning archive rows (dicts) into the domain dataclasses."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from desktop.core.model import Actor, Annotation, Article, Code, Heading


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The id an INSERT just gave its row (sqlite3 types `lastrowid` as optional)."""
    if cursor.lastrowid is None:
        raise sqlite3.InterfaceError("the statement inserted no row")
    return cursor.lastrowid


def headings_json(headings: Sequence[Heading]) -> str:
    return json.dumps([[h.start, h.end, h.level] for h in headings])


def article_from_row(row: dict) -> Article:
    headings = [Heading(s, e, level) for s, e, level in json.loads(row.pop("headings") or "[]")]
    row["read"], row["starred"] = bool(row["read"]), bool(row["starred"])
    row["memo"] = row.get("memo") or ""
    return Article(**row, headings=headings)


def code_from_row(row: dict) -> Code:
    return Code(
        id=row["id"], name=row["name"], parent_id=row["parent_id"],
        description=row["description"], colour=row["colour"], shortcut=row["shortcut"],
        sort_order=row["sort_order"], annotation_count=row["annotation_count"],
    )


def actor_from_row(row: dict) -> Actor:
    return Actor(
        id=row["id"], name=row["name"], kind=row["kind"], affiliation=row["affiliation"],
        aliases=json.loads(row["aliases"] or "[]"),
    )


def annotation_from_row(row: dict, codes: list[Code]) -> Annotation:
    return Annotation(
        id=row["id"], article_id=row["article_id"], start=row["start"], end=row["end"],
        exact=row["exact"], prefix=row["prefix"], suffix=row["suffix"],
        actor_id=row["actor_id"], actor=row["actor"], stance=row["stance"], note=row["note"],
        anchor_state=row["anchor_state"], pinned=bool(row["pinned"]),
        created_at=row["created_at"], updated_at=row["updated_at"], codes=codes,
        coder=row.get("coder", ""), anchored_from=row.get("anchored_from", ""),
    )


QUOTE_CONTEXT = 32  # characters of prefix/suffix kept in each TextQuoteSelector


def now_iso() -> str:
    """A timestamp as the archive stores them: ISO 8601, UTC, whole seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def quote_selector(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(exact, prefix, suffix) of `text[start:end]`: the W3C TextQuoteSelector we store."""
    return (
        text[start:end],
        text[max(0, start - QUOTE_CONTEXT):start],
        text[end:end + QUOTE_CONTEXT],
    )


def marks(values: Sequence[object]) -> str:
    """"?, ?, ?" for an SQL IN list of `values`."""
    return ", ".join("?" * len(values))
