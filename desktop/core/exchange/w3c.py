"""W3C Web Annotation exchange with the archive: gather passages to export, read a file to
import.

The JSON-LD itself is `desktop/core/interop/web_annotation.py` (pure, no archive); this
module decides what leaves (the passages of a `PassageScope`, with their articles, codes,
actors) and how each is named:

- an article by its address, or, when it has none, by a URN naming its text
  (`urn:briefing-reader:article:sha256:<content hash>`), so the same text in another
  archive is the same target;
- a passage by `urn:uuid:` and the GUID `exchange_guids` holds for it (the one a REFI-QDA
  project or a W3C file it came from gave it, or a REFI-QDA export minted), so a passage
  has one identity in every format; else by a `urn:uuid:` derived from its article, span
  and coder: exporting twice gives the same ids, and our own file imported into a fresh
  archive with the same articles exports again with the same ids. (A passage without a
  GUID that is resized or re-anchored after its text changed names another place, and
  gets another id.)

Reading (`read_w3c`) touches no archive, so it runs before, and outside, the one write
transaction `ops/w3c_import.import_w3c` makes; a file that is not JSON, holds no
annotation, or is over `MAX_BYTES` is refused with `InvalidExchangeFile`.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from desktop.core.archive import Archive
from desktop.core.errors import BriefingError, InvalidExchangeFile
from desktop.core.file_modes import give_final_mode
from desktop.core.interop.web_annotation import (
    ActorRef,
    Document,
    NotAnnotations,
    Passage,
    Tag,
    collection_json,
    looks_like_annotations,
    read_document,
)
from desktop.core.jobs import NO_PROGRESS, Progress
from desktop.core.model import Annotation, Article, Code
from desktop.core.passage_table import PassageScope, TableExport, selected_passages

FORMAT = "w3c"
ARTICLE_URN = "urn:briefing-reader:article:sha256:"
# Names minted ids (uuid5) so they never collide with another program's.
ID_NAMESPACE = uuid.UUID("5d0c8a52-9e0b-4f4e-8a55-3b1f3c2a7e10")
MAX_BYTES = 64 * 1024 * 1024  # a file this big is not an annotation export we expect
SNIFF_BYTES = 64 * 1024
_UUID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
EVERY_PASSAGE = PassageScope()


@dataclass(frozen=True)
class W3cAnnotations:
    """A read file: where it came from and what it held (`interop.web_annotation.Document`)."""

    path: Path
    document: Document

    @property
    def count(self) -> int:
        return len(self.document.annotations)


def article_source(article: Article) -> str:
    """The IRI an article is targeted by: its address, else the URN of its text."""
    return article.url or f"{ARTICLE_URN}{article.content_hash}"


def passage_id(source: str, passage: Annotation) -> str:
    """A passage's annotation id: stable for its article, span and coder."""
    name = "\n".join([source, str(passage.start), str(passage.end), passage.coder])
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, name)}"


def _tag(code: Code, codes: dict[int, Code], guids: dict[int, str]) -> Tag:
    """A code as a tag: its name, its parents' names, and its id: `urn:uuid:` + the GUID
    `exchange_guids` holds for it, else a UUIDv5 of its path (the same in every export,
    and in another archive with the same codebook)."""
    parents: list[str] = []
    parent_id = code.parent_id
    while parent_id is not None and parent_id in codes and len(parents) < 64:
        parents.insert(0, codes[parent_id].name)
        parent_id = codes[parent_id].parent_id
    guid = guids.get(code.id)
    minted = uuid.uuid5(ID_NAMESPACE, "code\n" + "\n".join([*parents, code.name]))
    return Tag(code.name, tuple(parents), f"urn:uuid:{guid.lower() if guid else minted}")


def passages_for_export(archive: Archive, scope: PassageScope,
                        progress: Progress = NO_PROGRESS) -> tuple[list[Passage], int]:
    """The scope's passages as builder values, and how many articles they come from."""
    found = selected_passages(archive, scope)
    codes = {code.id: code for code in archive.codes.all()}
    actors = {actor.id: actor for actor in archive.actors.all()}
    guids = {local: guid for local, guid in archive.exchange.guids("passage").items()
             if _UUID.fullmatch(guid)}
    code_guids = {local: guid for local, guid in archive.exchange.guids("code").items()
                  if _UUID.fullmatch(guid)}
    articles: dict[int, Article] = {}
    out: list[Passage] = []
    used: set[str] = set()
    for number, passage in enumerate(found):
        if number % 200 == 0:
            progress.check()
            progress.report(0.1 + 0.6 * number / max(len(found), 1), "Gathering passages…")
        article = articles.get(passage.article_id)
        if article is None:
            article = articles[passage.article_id] = archive.articles.get(passage.article_id)
        source = article_source(article)
        guid = guids.get(passage.id)
        ident = f"urn:uuid:{guid.lower()}" if guid else passage_id(source, passage)
        if ident in used:  # two passages on the same words by the same coder
            ident = f"{ident}-{passage.id}"
        used.add(ident)
        actor = actors.get(passage.actor_id) if passage.actor_id is not None else None
        holds = article.text[passage.start:passage.end] == passage.exact
        out.append(Passage(
            id=ident, source=source, exact=passage.exact, prefix=passage.prefix,
            suffix=passage.suffix,
            # Offsets that no longer hold the quote (an orphaned passage, its article's
            # text changed) would send a reader to other words: only the quote goes.
            start=passage.start if holds else None, end=passage.end if holds else None,
            codes=tuple(_tag(codes.get(code.id, code), codes, code_guids)
                        for code in passage.codes),
            note=passage.note, coder=passage.coder, created=passage.created_at,
            modified=passage.updated_at,
            actor=ActorRef(actor.name, actor.kind, actor.affiliation) if actor else None,
            stance=passage.stance))
    return out, len(articles)


def export_w3c(archive: Archive, path: str | Path, scope: PassageScope = EVERY_PASSAGE,
               progress: Progress = NO_PROGRESS, *, page_size: int | None = None) -> TableExport:
    """Write the scope's passages to `path` as one W3C AnnotationCollection (JSON-LD).
    Raises JobCancelled if cancelled before the file is written, BriefingError naming the
    file if it cannot be written (a file already there is replaced only when complete)."""
    path = Path(path)
    progress.report(0.05, "Gathering passages…")
    passages, article_count = passages_for_export(archive, scope, progress)
    progress.check()
    progress.report(0.75, "Writing JSON-LD…")
    collection_id = "urn:uuid:" + str(uuid.uuid5(
        ID_NAMESPACE, "collection\n" + "\n".join(p.id for p in passages)))
    extra = {} if page_size is None else {"page_size": page_size}
    data = collection_json(passages, collection_id=collection_id,
                           label=f"Briefing Reader passages: {scope.describe()}", **extra)
    _write_json(path, data)
    codes = {tag for passage in passages for tag in passage.codes}
    return TableExport(path=path, fmt=FORMAT, passages=len(passages), articles=article_count,
                       codes=len(codes), scope=scope.describe())


def _write_json(path: Path, data: object) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            give_final_mode(temporary, path)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise BriefingError(f"could not write the export: {error.strerror or error}.",
                            path) from None


# -- reading ---------------------------------------------------------------------------------


def read_w3c(path: str | Path, progress: Progress = NO_PROGRESS) -> W3cAnnotations:
    """Parse and check a W3C Web Annotation (or Hypothesis) JSON file. Reads no archive.
    Raises InvalidExchangeFile naming the file and the problem: unreadable, over
    `MAX_BYTES`, not UTF-8, not JSON, or holding no annotation."""
    path = Path(path)
    progress.report(0.0, f"Reading {path.name}…")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InvalidExchangeFile(path, f"is {size / 1e6:.0f} MB, over the "
                                      f"{MAX_BYTES // (1024 * 1024)} MB an annotation file may "
                                      "be; split it into smaller files.")
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidExchangeFile(path, f"cannot be read ({error.strerror or error}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidExchangeFile(path, f"is not UTF-8 text (byte {error.start}), so not "
                                  "JSON-LD.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidExchangeFile(path, f"is not valid JSON: {error.msg} at line "
                                  f"{error.lineno}, column {error.colno}.") from None
    except RecursionError:
        raise InvalidExchangeFile(path, "nests JSON too deeply to be annotations.") from None
    progress.check()
    try:
        document = read_document(data)
    except NotAnnotations as error:
        raise InvalidExchangeFile(path, f"{error}") from None
    except RecursionError:
        raise InvalidExchangeFile(path, "nests JSON too deeply to be annotations.") from None
    progress.report(1.0, f"Read {len(document.annotations)} annotations")
    return W3cAnnotations(path, document)


def looks_like_w3c(path: str | Path) -> bool:
    """Whether a file (a .json, .jsonld or one without a suffix) looks like Web
    Annotations or Hypothesis rows, from its first kilobytes (the import dispatch's sniff;
    `read_w3c` decides for good)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES).decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    return head.lstrip()[:1] in ("{", "[") and looks_like_annotations(head)
