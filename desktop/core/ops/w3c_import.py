"""Import W3C Web Annotations (ours, other tools', Hypothesis rows): one operation, one undo
step.

`read_w3c` (desktop/core/exchange/w3c.py) has already parsed the file outside any
transaction; this anchors each annotation in an article and writes it through the same
operations as coding by hand (`code_passage`, `add_code`, `add_actor`), in one transaction:

- the article: the one whose address (compared without scheme, `www.`, fragment or trailing
  slash) or text URN is the target's source; failing that, the one article whose text holds
  the quote, when exactly one in the whole archive does;
- the words: the offsets when the text there is the quote; else the quote where it occurs
  once, or where its prefix and suffix say, or nearest the offsets; else the quote with
  spacing and quotation marks ignored (`anchoring.spans.find_quote`);
- tags (tagging bodies, Hypothesis `tags`) become codes, found by name (with their parents
  when our `codePath` names them) or created, and the report names the codes created; the
  note, the creator (as coder, else `coder`), our actor and stance come along.

Whatever cannot be placed is in the report with its reason (no matching article, quote not
found, quote ambiguous, not a text target …); nothing is dropped silently. The inverse
takes back exactly what was added.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from desktop.core.anchoring.spans import find_quote
from desktop.core.changes import Changes
from desktop.core.errors import AmbiguousQuote, BriefingError, QuoteNotFound
from desktop.core.exchange.report import ImportReport
from desktop.core.exchange.w3c import ARTICLE_URN, W3cAnnotations
from desktop.core.interop.web_annotation import ActorRef, Incoming, Selection, Tag
from desktop.core.jobs import NO_PROGRESS, Progress
from desktop.core.ops.actors import add_actor
from desktop.core.ops.codebook import add_code
from desktop.core.ops.passages import code_passage
from desktop.core.ops.result import Operation, OpResult, bind, compose
from desktop.core.search.query import parse_query
from desktop.core.textnorm import fold_name

if TYPE_CHECKING:
    from desktop.core.archive import Archive
    from desktop.core.archive.exchange import GuidRow

_MAX_OCCURRENCES = 1000  # a "quote" found more often than this is not a passage
_WORD = re.compile(r"\w+")
_URN_UUID = re.compile(r"urn:uuid:([0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})",
                       re.IGNORECASE)
_PHRASE_WORDS = 8  # words of a quote the full-text index is asked for


class Unplaced(Exception):
    """Why an annotation found no place: the report's reason."""


def _short(quote: str) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= 60 else quote[:57] + "…"


def url_key(url: str) -> str:
    """An address as compared for matching: no scheme, `www.`, fragment, default port or
    trailing slash; host in lower case."""
    try:
        parts = urlsplit(url.strip())
        number = parts.port
    except ValueError:  # "http://[::1", "http://host:port/": compared as written
        return url.strip()
    if not parts.netloc:
        return url.strip()
    host = parts.hostname or ""
    host = host[4:] if host.startswith("www.") else host
    port = f":{number}" if number and number not in (80, 443) else ""
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{port}{path}{query}"


def _occurrences(text: str, quote: str) -> list[int]:
    found: list[int] = []
    at = text.find(quote)
    while at >= 0 and len(found) < _MAX_OCCURRENCES:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def _context_fits(text: str, at: int, selection: Selection, length: int,
                  strict: bool) -> bool:
    """Whether the words before and after an occurrence are the selector's prefix and
    suffix, spacing aside (a web page's text has tabs and line breaks where ours has a
    space or a paragraph break). Not `strict`: at our text's start or end, a prefix or
    suffix running past it fits if what there is agrees (the page had a header or footer
    our article text does not keep)."""
    prefix, suffix = _squeezed(selection.prefix), _squeezed(selection.suffix)
    margin = 2 * max(len(selection.prefix), len(selection.suffix)) + 8
    before = _squeezed(text[max(0, at - margin):at])
    after = _squeezed(text[at + length:at + length + margin])
    prefix_fits = before.endswith(prefix) or (
        not strict and at - margin <= 0 and prefix.endswith(before))
    suffix_fits = after.startswith(suffix) or (
        not strict and at + length + margin >= len(text) and suffix.startswith(after))
    return prefix_fits and suffix_fits


def locate(text: str, selection: Selection) -> tuple[int, int]:
    """Where a selection lies in `text`. Raises QuoteNotFound or AmbiguousQuote."""
    start, end, exact = selection.start, selection.end, selection.exact
    if exact is None:
        if start is not None and end is not None and 0 <= start < end <= len(text):
            return start, end
        raise QuoteNotFound("its offsets lie outside the article's text and it has no quote")
    if start is not None and text[start:start + len(exact)] == exact:
        return start, start + len(exact)
    found = _occurrences(text, exact)
    if len(found) > 1:
        fitting = [at for at in found
                   if _context_fits(text, at, selection, len(exact), strict=True)]
        if len(fitting) != 1:
            fitting = [at for at in found
                       if _context_fits(text, at, selection, len(exact), strict=False)]
        if len(fitting) == 1:
            found = fitting
        elif start is not None:
            found = [min(fitting or found, key=lambda at: abs(at - start))]
        else:
            raise AmbiguousQuote(
                f"its quote {_short(exact)!r} occurs {len(found)} times and its prefix and "
                "suffix do not say which", count=len(found))
    if found:
        return found[0], found[0] + len(exact)
    try:
        return find_quote(text, exact)
    except QuoteNotFound:
        raise QuoteNotFound(f"its quote {_short(exact)!r} is not in the text") from None
    except AmbiguousQuote as error:
        raise AmbiguousQuote(
            f"its quote {_short(exact)!r} occurs {error.count} times (ignoring spacing and "
            "quotation marks) and nothing says which", count=error.count) from None


@dataclass
class _Article:
    id: int
    title: str
    text: str


class _Articles:
    """Every article's address, text URN and text, read once for the whole import."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.by_id: dict[int, _Article] = {}
        self.by_source: dict[str, list[int]] = {}
        for article_id in sorted(archive.articles.ids()):
            article = archive.articles.get(article_id)
            self.by_id[article.id] = _Article(article.id, article.title, article.text)
            keys = [f"{ARTICLE_URN}{article.content_hash}"]
            if article.url:
                keys.append(url_key(article.url))
            for key in keys:
                self.by_source.setdefault(key, []).append(article.id)

    def matching(self, source: str) -> list[_Article]:
        if not source:
            return []
        key = source if source.startswith(ARTICLE_URN) else url_key(source)
        return [self.by_id[i] for i in self.by_source.get(key, [])]

    def holding(self, quote: str) -> list[_Article]:
        """The articles that may hold `quote`: those the full-text index finds the
        quote's inner words in, as a phrase (its first and last words may be cut, so they
        are left out). A quote of too few words is looked for in every article."""
        words = _WORD.findall(quote)
        inner = words[1:-1] if len(words) >= 4 else words
        if len(inner) < 2:
            return list(self.by_id.values())
        try:
            query = parse_query('"' + " ".join(inner[:_PHRASE_WORDS]) + '"')
            found = self.archive.search.article_ids(query, sort="published")
        except BriefingError:
            return list(self.by_id.values())
        return [self.by_id[i] for i in sorted(found) if i in self.by_id]

    def place(self, item: Incoming) -> tuple[_Article, int, int]:
        """The article and span of an annotation, or Unplaced with the reason."""
        assert item.selection is not None
        selection = item.selection
        candidates = self.matching(item.source)
        if candidates:
            problems = []
            for article in candidates:
                try:
                    return (article, *locate(article.text, selection))
                except (QuoteNotFound, AmbiguousQuote) as error:
                    problems.append(f"{error.message} of article {article.id} "
                                    f"({_short(article.title)!r}), which its target names")
            raise Unplaced("; ".join(problems))
        where = f"no article matches its target {item.source!r}" if item.source else \
            "its target names no document"
        if not selection.exact:
            raise Unplaced(f"{where}, and it has no quote to look for")
        candidates = self.holding(selection.exact)
        hits = [(article, at) for article in candidates
                for at in _occurrences(article.text, selection.exact)]
        if not hits:  # spacing and quotation marks aside
            for article in candidates:
                try:
                    start, _ = find_quote(article.text, selection.exact)
                except QuoteNotFound:
                    continue
                except AmbiguousQuote as error:
                    hits += [(article, -1)] * error.count
                    continue
                hits.append((article, start))
        if len(hits) == 1:
            article = hits[0][0]
            return (article, *locate(article.text, selection))
        if not hits:
            raise Unplaced(f"{where}, and no article's text holds its quote "
                           f"{_short(selection.exact)!r}")
        articles = len({article.id for article, _ in hits})
        raise Unplaced(f"{where}, and its quote {_short(selection.exact)!r} is ambiguous: it "
                       f"occurs {len(hits)} times in {articles} "
                       f"article{'s' if articles != 1 else ''}")


class _Codebook:
    """Codes by name (and parents), created when missing; remembers what it created and
    which existing codes it used. Inverses go to the import's one list, in order."""

    def __init__(self, archive: Archive, inverses: list[Operation]) -> None:
        self.archive = archive
        self.inverses = inverses
        self.created: list[str] = []
        self.created_ids: set[int] = set()
        self.matched: set[int] = set()
        self.guids: list[GuidRow] = []  # GUIDs of the codes created, to record
        self.renamed: dict[str, str] = {}  # tag name -> the code it went to by id
        self._load()
        self.by_guid = {guid: local for guid, local in
                        archive.exchange.local_ids("code").items() if local in self.names}

    def _load(self) -> None:
        self.children: dict[tuple[int | None, str], int] = {}
        self.anywhere: dict[str, int] = {}
        self.names: dict[int, str] = {}
        for code in self.archive.codes.all():  # tree order: a root's name wins
            self.children.setdefault((code.parent_id, fold_name(code.name)), code.id)
            self.anywhere.setdefault(fold_name(code.name), code.id)
            self.names[code.id] = code.name

    def id_for(self, tag: Tag) -> int:
        """The code a tag means: the one its id names (a GUID recorded here, even if the
        code was renamed since), else by name (under its parents), else a new code."""
        guid = _uuid_of(tag.id) if tag.id else None
        if guid is not None and guid in self.by_guid:
            code_id = self.by_guid[guid]
            if fold_name(self.names[code_id]) != fold_name(tag.name):
                self.renamed[tag.name] = self.names[code_id]
            if code_id not in self.created_ids:
                self.matched.add(code_id)
            return code_id
        code_id = self._by_name(tag)
        if guid is not None and code_id in self.created_ids and code_id not in {
                local for _, local, _ in self.guids}:
            self.guids.append(("code", code_id, guid))
            self.by_guid[guid] = code_id
        return code_id

    def _by_name(self, tag: Tag) -> int:
        if tag.parents:
            parent: int | None = None
            for name in [*tag.parents, tag.name]:
                found = self.children.get((parent, fold_name(name)))
                parent = found if found is not None else self._add(name, parent)
            assert parent is not None
            code_id = parent
        else:
            found = self.anywhere.get(fold_name(tag.name))
            code_id = found if found is not None else self._add(tag.name, None)
        if code_id not in self.created_ids:
            self.matched.add(code_id)
        return code_id

    def _add(self, name: str, parent: int | None) -> int:
        result = add_code(self.archive, name.strip(), parent_id=parent)
        assert result.inverse is not None
        self.inverses.append(result.inverse)
        self.created.append(name.strip())
        self.created_ids.add(result.value)
        self._load()
        return result.value


class _Actors:
    """Actors by name or alias, ignoring case and accents (as `archive.actors.find`), read
    once for the whole import instead of once per annotation; created when missing."""

    def __init__(self, archive: Archive, inverses: list[Operation],
                 report: ImportReport) -> None:
        self.archive, self.inverses, self.report = archive, inverses, report
        self.ids: dict[str, int] = {}
        for actor in archive.actors.all():
            for name in [actor.name, *actor.aliases]:
                self.ids.setdefault(fold_name(name), actor.id)

    def id_for(self, actor: ActorRef) -> int:
        found = self.ids.get(fold_name(actor.name))
        if found is not None:
            return found
        added = add_actor(self.archive, actor.name, kind=actor.kind,
                          affiliation=actor.affiliation)
        assert added.inverse is not None
        self.inverses.append(added.inverse)
        self.report.actors_added += 1
        self.ids[fold_name(actor.name)] = added.value
        return added.value


def utc_stamp(value: str) -> str | None:
    """An xsd:dateTime as the archive stores timestamps (UTC, whole seconds, "+00:00"),
    or None when it is not one. A time without a zone is taken as UTC."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _times(item: Incoming) -> tuple[str, str] | None:
    """The annotation's own (created, modified) as the archive stores them, if it has
    them (a modified time alone stands for both)."""
    created = utc_stamp(item.created) if item.created else None
    modified = (utc_stamp(item.modified) if item.modified else None) or created
    if modified is None:
        return None
    return created or modified, modified


def record_guids(archive: Archive, rows: Sequence[GuidRow]) -> OpResult[None]:
    """Keep the ids imported passages had (as `exchange_guids` rows); the inverse forgets
    them and gives back any row they replaced."""
    unique: dict[str, GuidRow] = {}
    for row in rows:  # a GUID names one thing: a second row would replace the first
        unique.setdefault(row[2].lower(), row)
    rows = list(unique.values())
    replaced = archive.exchange.record(rows)
    return OpResult(Changes(), bind(forget_guids, rows, replaced))


def forget_guids(archive: Archive, rows: Sequence[GuidRow],
                 replaced: Sequence[GuidRow]) -> OpResult[None]:
    with archive.transaction():
        archive.exchange.forget(rows)
        archive.exchange.record(replaced)
    return OpResult(Changes(), bind(record_guids, list(rows)))


def _uuid_of(name: str) -> str | None:
    """The UUID of an annotation id `urn:uuid:…` (how REFI-QDA GUIDs and ours meet)."""
    match = _URN_UUID.fullmatch(name.strip())
    return match.group(1).lower() if match else None


def import_w3c(archive: Archive, parsed: W3cAnnotations, *, progress: Progress = NO_PROGRESS,
               coder: str = "") -> OpResult[ImportReport]:
    """Anchor and write the file's annotations in one transaction. `coder` is credited for
    annotations that name no creator. Value: the report. A cancel (JobCancelled) rolls the
    whole import back; nothing written is no undo step."""
    document = parsed.document
    report = ImportReport(path=parsed.path, fmt=document.flavour)
    for what, name, reason in document.skipped:
        report.skip(what, name, reason)
    report.warnings.extend(document.warnings)
    inverses: list[Operation] = []
    changes = Changes()
    moved: list[str] = []
    with archive.transaction():
        articles = _Articles(archive)
        codebook = _Codebook(archive, inverses)
        actors = _Actors(archive, inverses, report)
        used: dict[int, None] = {}
        recorded_ids = archive.exchange.local_ids("passage")
        present = {p.id for p in archive.annotations.by_ids(list(recorded_ids.values()))}
        known = {guid: local for guid, local in recorded_ids.items() if local in present}
        stamps: list[tuple[int, str, str]] = []
        guids: list[GuidRow] = []
        total = len(document.annotations)
        for number, item in enumerate(document.annotations):
            if number % 50 == 0:
                progress.check()
                progress.report(number / max(total, 1), f"Anchoring annotation {number + 1} "
                                f"of {total}…")
            report.warnings.extend(f"{item.name}: {warning}" for warning in item.warnings)
            if item.selection is None:
                report.skip("annotation", item.name, item.unanchorable)
                continue
            guid = _uuid_of(item.name)
            if guid is not None and guid in known:
                report.skip("annotation", item.name, "it is already in the archive (passage "
                            f"{known[guid]} was imported or exported with this id)")
                continue
            try:
                article, start, end = articles.place(item)
            except Unplaced as error:
                report.skip("annotation", item.name, str(error))
                continue
            if item.selection.start is not None and item.selection.exact and (
                    item.selection.start, item.selection.end) != (start, end):
                moved.append(item.name)
            before = set(codebook.matched)
            code_ids = [codebook.id_for(tag) for tag in item.tags]
            actor_id = actors.id_for(item.actor) if item.actor else None
            who = item.creator or ("" if document.ours else coder)
            result = code_passage(archive, article.id, start, end, code_ids, actor_id=actor_id,
                                  stance=item.stance, note=item.note, coder=who)
            changes |= result.changes
            if result.inverse is not None:
                inverses.append(result.inverse)
            if result.value.created:
                report.passages += 1
                times = _times(item)
                if times is not None:
                    stamps.append((result.value.annotation_id, *times))
                if guid is not None:
                    guids.append(("passage", result.value.annotation_id, guid))
                    known[guid] = result.value.annotation_id  # the file may repeat it
            elif result.inverse is None:
                codebook.matched = before  # nothing of it was used
                report.skip("annotation", item.name, "it is already in the archive (passage "
                            f"{result.value.annotation_id} has these words, coder and codes)")
                continue
            else:
                report.warnings.append(f"{item.name}: added to passage "
                                       f"{result.value.annotation_id}, which already had "
                                       "these words")
            used.setdefault(article.id)
            if who and who not in report.coders:
                report.coders.append(who)
        if stamps:  # the store stamped them "now"; they were made when the file says
            archive.exchange.set_passage_times(stamps)
        guids += codebook.guids
        if guids:
            recorded = record_guids(archive, guids)
            assert recorded.inverse is not None
            inverses.append(recorded.inverse)
        progress.check()
    report.codes_added = len(codebook.created)
    report.codes_merged = len(codebook.matched)
    report.article_ids = list(used)
    report.articles_matched = len(used)
    if codebook.created:
        report.warnings.append(
            f"created the code{'s' if len(codebook.created) != 1 else ''} " + ", ".join(
                repr(name) for name in codebook.created) + " (not in the codebook before)")
    for name, code in codebook.renamed.items():
        report.warnings.append(f"the tag {name!r} went to the code {code!r}: the same code "
                               "by its id, renamed since")
    if moved:
        report.warnings.append(
            f"{len(moved)} annotation{'s were' if len(moved) != 1 else ' was'} placed by "
            "quote: the offsets given point at other words in our text of the article "
            "(another rendering of the page counts characters differently)")
    if codebook.created:
        changes |= Changes(codes=True)
    if not inverses:
        return OpResult(Changes(), None, report)
    return OpResult(changes, compose(*reversed(inverses)), report)

