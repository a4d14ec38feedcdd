"""`archive.exchange`: the GUIDs REFI-QDA projects give our articles, codes, passages and
actors (table `exchange_guids`, schema V6).

Why: a REFI-QDA project names everything by GUID. Keeping the GUID a project gave an
entity (on import) or our export minted for it means the next export names it the same,
so a colleague's tool sees the same project again and our own round trip (export, import
into a fresh archive, export) gives the same file. Rows of entities deleted since are
harmless: readers ask only for the ids they hold. `set_passage_times` keeps the dates an
imported selection was coded on, which `annotations.add` stamps as now.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from desktop.core.archive.connection import Connection

KINDS = ("project", "article", "code", "passage", "coder", "actor")
GuidRow = tuple[str, int, str]  # (kind, local id, guid)


class ExchangeStore:
    def __init__(self, db: Connection) -> None:
        self._db = db

    def guids(self, kind: str) -> dict[int, str]:
        """local id -> GUID for every recorded entity of `kind`."""
        return {row["local_id"]: row["guid"] for row in self._db.rows(
            "SELECT local_id, guid FROM exchange_guids WHERE kind = ?", [kind])}

    def local_ids(self, kind: str) -> dict[str, int]:
        """GUID (lower case) -> local id for `kind`."""
        return {row["guid"].lower(): row["local_id"] for row in self._db.rows(
            "SELECT local_id, guid FROM exchange_guids WHERE kind = ?", [kind])}

    def record(self, rows: Iterable[GuidRow]) -> list[GuidRow]:
        """Keep these GUIDs, each replacing whatever the entity or the GUID had before (of
        rows repeating a GUID or an entity, the first counts). Returns the rows replaced,
        so an undo can put them back (`forget` then `record`)."""
        unique: list[GuidRow] = []  # the first row for each GUID and each entity
        guids: set[str] = set()
        keys: set[tuple[str, int]] = set()
        for kind, local_id, guid in rows:
            if guid.lower() not in guids and (kind, local_id) not in keys:
                unique.append((kind, local_id, guid))
                guids.add(guid.lower())
                keys.add((kind, local_id))
        if not unique:
            return []
        replaced: list[GuidRow] = []
        with self._db.transaction():
            for row in self._db.rows("SELECT kind, local_id, guid FROM exchange_guids"):
                if (row["kind"], row["local_id"]) in keys or row["guid"].lower() in guids:
                    replaced.append((row["kind"], row["local_id"], row["guid"]))
            self._db.executemany("DELETE FROM exchange_guids WHERE kind = ? AND local_id = ?",
                                 [(kind, local_id) for kind, local_id, _ in replaced])
            self._db.executemany(
                "INSERT INTO exchange_guids (kind, local_id, guid) VALUES (?, ?, ?)", unique)
        return replaced

    def forget(self, rows: Iterable[GuidRow]) -> None:
        """Remove exactly these rows (those still as recorded)."""
        with self._db.transaction():
            self._db.executemany(
                "DELETE FROM exchange_guids WHERE kind = ? AND local_id = ? AND guid = ?",
                list(rows))

    def set_passage_times(self, times: Sequence[tuple[int, str, str]]) -> None:
        """(annotation id, created_at, updated_at) for passages an import just added."""
        with self._db.transaction():
            self._db.executemany(
                "UPDATE annotations SET created_at = ?, updated_at = ? WHERE id = ?",
                [(created, updated, annotation_id) for annotation_id, created, updated
                 in times])
