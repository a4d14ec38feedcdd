"""Import a parsed REFI-QDA project or codebook: one operation, one undo step.

`read_refi` (desktop/core/exchange/refi.py) has already parsed and validated the file
outside any transaction; this writes it in one transaction: text sources become articles
(or are matched to the article already holding the same GUID, address or text), the
codebook merges into ours (a colliding name merges into the existing code or is renamed,
as the caller chose), users become coders, selections become passages with their offsets
mapped from the source's text to our canonical text and checked, and our own actor Cases
and "Stance:" lines (docs/refi-qda.md) become actors and stances again. The GUIDs of what
was added are recorded, so exporting again names everything as the file did.

The inverse deletes exactly what was added (passages, articles, codes, actors, recorded
GUIDs); its inverse restores them under the same ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from desktop.core.anchoring.spans import find_quote
from desktop.core.changes import Changes
from desktop.core.colours import distinct_palette, shades
from desktop.core.errors import AmbiguousQuote, BriefingError, QuoteNotFound
from desktop.core.exchange.report import ImportReport
from desktop.core.importers.canonical import normalise_date
from desktop.core.interop.refi_qda.canonical import Mapping, canonical, same_words
from desktop.core.interop.refi_qda.convention import (
    ACTOR_AFFILIATION,
    ACTOR_ALIASES,
    ACTOR_KIND,
    ACTOR_PREFIX,
    ALIAS_SEPARATOR,
    KIND_OF_TYPE,
    ORIGIN,
    RESERVED,
    STANCE_PREFIX,
)
from desktop.core.interop.refi_qda.model import RefiCode, RefiProject, RefiSelection, RefiSource
from desktop.core.interop.refi_qda.writer import derived_guid
from desktop.core.jobs import NO_PROGRESS, Progress
from desktop.core.model import (
    ACTOR_KINDS,
    STANCES,
    Actor,
    Annotation,
    AttributeSnapshot,
    CodeSnapshot,
    DeletedArticle,
    ImportedDocument,
    NewAnnotation,
)
from desktop.core.ops.attributes import clean_value
from desktop.core.ops.result import OpResult, bind
from desktop.core.textnorm import fold_name

if TYPE_CHECKING:
    from desktop.core.archive import Archive

Collision = Literal["merge", "rename"]
GuidRow = tuple[str, int, str]
DEFAULT_COLOUR = "#888888"
PALETTE_SIZE = 8  # distinct colours for uncoloured top-level codes (then they repeat)
_COLOUR = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


@dataclass
class _Added:
    """What one import added: what its inverse removes."""

    passage_ids: list[int] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    code_roots: list[int] = field(default_factory=list)  # new codes whose parent is not new
    actor_ids: list[int] = field(default_factory=list)
    attribute_ids: list[int] = field(default_factory=list)
    guids: list[GuidRow] = field(default_factory=list)
    replaced: list[GuidRow] = field(default_factory=list)


@dataclass(frozen=True)
class _Removed:
    """What the inverse took away, to put back under the same ids."""

    added: _Added
    passages: list[Annotation]
    articles: list[DeletedArticle]
    codes: list[CodeSnapshot]  # in the order the import created them
    actors: list[tuple[Actor, list[int]]]
    attributes: list[AttributeSnapshot]  # in the order the import created them


def import_refi(archive: Archive, project: RefiProject, *, path: str = "",
                on_collision: Collision = "merge", progress: Progress = NO_PROGRESS,
                coder: str = "") -> OpResult[ImportReport]:
    """Write `project` into the archive in one transaction. `on_collision`: "merge" puts
    incoming codes into the existing code of the same name (at the same place in the
    tree), "rename" adds them as "Name (2)". `coder` is credited for selections whose file
    names no user (not in our own exports, which name none where the coder was unknown).
    Value: the report (counts, skipped things with reasons). Nothing written is no undo
    step."""
    if on_collision not in ("merge", "rename"):
        raise ValueError(f"on_collision must be 'merge' or 'rename', not {on_collision!r}")
    report = ImportReport(Path(path or project.name), project.fmt,
                          skipped=list(project.skipped), warnings=list(project.warnings))
    added = _Added()
    with archive.transaction():
        writer = _Writer(archive, project, report, added, on_collision, coder)
        writer.codes()
        writer.actors()
        for index, source in enumerate(project.sources):
            progress.report(0.1 + 0.85 * index / max(1, len(project.sources)),
                            f"Importing {source.name}…")
            progress.check()  # JobCancelled rolls the whole import back: nothing written
            writer.source(source)
        added.replaced = archive.exchange.record(added.guids)
    if writer.joined:
        report.warnings.append(
            f"{writer.joined} selection(s) coded the same words by the same coder as another "
            "and were joined to it: one passage with all their codes.")
    report.coders = sorted(writer.coders, key=str.casefold)
    if writer.kept_values:
        report.warnings.append(
            f"variable values of {writer.kept_values} article(s) already in the archive were "
            "left as they are (only new articles take the file's values).")
    if not (added.passage_ids or added.article_ids or added.code_roots or added.actor_ids
            or added.attribute_ids or added.guids):
        return OpResult(Changes(), None, report)
    return OpResult(_changes(added), bind(_take_back, added, report), report)


def codes_for_new_passages(archive: Archive, project: RefiProject,
                           coder: str = "") -> set[str]:
    """GUIDs (lower case) of the incoming codes that selections which would become new
    passages code, read only, as the import decides: a selection known by its GUID, or of
    words the same coder has already coded in the matched article, adds nothing. Importing
    one's own project again adds no passage, so its codes need no question and no
    "Name (2)" copies. A source matching no article counts whole (it would be added)."""
    coder = coder.strip() if project.origin != ORIGIN else ""
    passage_guids = archive.exchange.local_ids("passage")
    article_guids = archive.exchange.local_ids("article")
    used: set[str] = set()
    for source in project.sources:
        mapping = canonical(source.text)
        if not mapping.text:
            continue
        article_id = article_guids.get(source.guid.lower())
        if article_id is None or not archive.articles.read_states([article_id]):
            values = {name.casefold(): value for name, value in source.variables.items()}
            url = values.get("url", "").strip()
            article_id = archive.articles.same_document(
                url if url and not any(ch.isspace() for ch in url) else None, mapping.text)
        text = archive.articles.text(article_id) if article_id is not None else ""
        for selection in source.selections:
            guids = {coding.code_guid.lower() for coding in selection.codings}
            if not guids or guids <= used:
                continue
            if article_id is None:
                used |= guids
                continue
            known = passage_guids.get(selection.guid.lower())
            if known is not None and archive.annotations.by_ids([known]):
                continue
            span = _place(source.text[selection.start:selection.end], selection, text,
                          mapping if text == mapping.text else None)
            if isinstance(span, str):
                continue  # skipped by the import too
            for coding in selection.codings:
                who = project.user_name(coding.user_guid or selection.user_guid) or coder
                if archive.annotations.with_span(article_id, span[0], span[1], who) is None:
                    used.add(coding.code_guid.lower())
    return used


def _changes(added: _Added) -> Changes:
    return Changes(articles=bool(added.article_ids), annotations=bool(added.passage_ids),
                   codes=bool(added.code_roots), actors=bool(added.actor_ids),
                   attributes=bool(added.attribute_ids or added.article_ids))


def _take_back(archive: Archive, added: _Added, report: ImportReport) -> OpResult[ImportReport]:
    """Remove what the import added (its passages first, then its articles, codes and
    actors), and forget the GUIDs it recorded."""
    with archive.transaction():
        passages = archive.annotations.delete(added.passage_ids)
        articles = archive.articles.delete(added.article_ids)
        codes = [archive.codes.delete(code_id) for code_id in reversed(added.code_roots)]
        actors = [archive.actors.delete(actor_id) for actor_id in added.actor_ids]
        attributes = [archive.attributes.delete(attribute_id)[1]
                      for attribute_id in reversed(added.attribute_ids)]
        archive.exchange.forget(added.guids)
        if added.replaced:
            archive.exchange.record(added.replaced)
    removed = _Removed(added, passages, articles, list(reversed(codes)), actors,
                       list(reversed(attributes)))
    return OpResult(_changes(added), bind(_put_back, removed, report), report)


def _put_back(archive: Archive, removed: _Removed,
              report: ImportReport) -> OpResult[ImportReport]:
    """Redo: everything the import added back under its ids."""
    with archive.transaction():
        for actor, _ids in removed.actors:
            archive.actors.restore(actor, [])
        for snapshot in removed.codes:
            archive.codes.restore(snapshot)
        for attribute in removed.attributes:  # before the articles, which bring the values
            archive.attributes.restore(attribute)
        archive.articles.restore(removed.articles)
        archive.annotations.restore(removed.passages)
        archive.exchange.record(removed.added.guids)
    return OpResult(_changes(removed.added), bind(_take_back, removed.added, report), report)


def _colour(value: str | None) -> str | None:
    """A REFI colour (#RGB or #RRGGBB) as the archive keeps colours; None if there is none."""
    if not value or not _COLOUR.fullmatch(value.strip()):
        return None
    digits = value.strip()[1:]
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return f"#{digits.lower()}"


class _Writer:
    """The steps of one import, sharing what they learn (code ids by GUID, actors)."""

    def __init__(self, archive: Archive, project: RefiProject, report: ImportReport,
                 added: _Added, on_collision: Collision, coder: str) -> None:
        self.archive = archive
        self.project = project
        self.report = report
        self.added = added
        self.on_collision = on_collision
        # Our own exports leave creatingUser out exactly where the coder was unknown:
        # that stays unknown rather than becoming whoever imports the file.
        self.coder = coder.strip() if project.origin != ORIGIN else ""
        self.code_ids: dict[str, int] = {}  # incoming code GUID (lower) -> our code id
        self.actor_of: dict[str, int] = {}  # selection GUID (lower) -> actor id
        self.coders: set[str] = set()
        self.actor_names: dict[str, int] | None = None  # folded name or alias -> actor id
        self.kept_values = 0  # matched articles whose variables were not applied
        self.pending: dict[tuple[int, int, int, str], _Pending] = {}
        self.joined = 0  # selections joined to another of the same words and coder
        self.passage_guids = archive.exchange.local_ids("passage")
        self.article_guids = archive.exchange.local_ids("article")

    # -- codes -------------------------------------------------------------------------

    def codes(self) -> None:
        known = self.archive.exchange.local_ids("code")
        existing = {code.id: code for code in self.archive.codes.all()}
        self.children: dict[int | None, dict[str, int]] = {}
        for code in existing.values():
            self.children.setdefault(code.parent_id, {})[code.name.strip().casefold()] = code.id
        self.known_codes = {guid: local for guid, local in known.items() if local in existing}
        self.recorded_codes = set(self.known_codes.values())
        # "Keep both" copies a colliding code only where a new passage will use it (or
        # its sub-codes): a project imported again adds no "Name (2)" left unused.
        self.used = codes_for_new_passages(self.archive, self.project, self.coder) \
            if self.on_collision == "rename" and self.project.fmt == "qdpx" else None
        # A code the file gives no colour: a root one takes one far from the archive's
        # top-level colours (core/colours.py), a sub-code a shade of its parent's hue
        # (`shades`: lighter, darker, paler, each sibling apart), so each branch of an
        # uncoloured codebook (qc, ATLAS.ti) reads as one hue, yet its codes (a matrix's
        # columns, a chart's stacks) can still be told apart.
        bare_roots = sum(1 for root in self.project.codes if _colour(root.colour) is None)
        self.palette = distinct_palette(
            min(bare_roots, PALETTE_SIZE),
            [code.colour for code in existing.values() if code.parent_id is None]) \
            if bare_roots else []
        for index, root in enumerate(self.project.codes):
            colour = _colour(root.colour) or \
                (self.palette[index % len(self.palette)] if self.palette else DEFAULT_COLOUR)
            self._code(root, None, new_parent=False, colour=colour)

    def _code(self, code: RefiCode, parent_id: int | None, *, new_parent: bool,
              colour: str, original: int | None = None, branch: str | None = None) -> None:
        """Merge or add one incoming code and its sub-codes. `original`: the existing
        code whose "keep both" copy `parent_id` is; a sub-code no new passage uses goes
        there (merged) rather than into the copy."""
        counterpart = None  # the existing code this one would copy, under `original`
        if original is not None:
            if self.used is not None and not branch_used(code, self.used):
                parent_id, new_parent, original = original, False, None
            else:
                counterpart = self.children.get(original, {}).get(
                    " ".join(code.name.split()).casefold())
        guid = code.guid.lower()
        name = " ".join(code.name.split()) or "(unnamed code)"
        siblings = self.children.setdefault(parent_id, {})
        local = self.known_codes.get(guid)
        if local is not None:
            self.report.codes_merged += 1  # the same code, by its GUID
        is_new = False
        copied: int | None = counterpart
        if local is None and name.casefold() in siblings and (
                self.on_collision == "merge" or siblings[name.casefold()] in self.new_codes
                or (self.used is not None and not branch_used(code, self.used))):
            local = siblings[name.casefold()]
            self.report.codes_merged += 1
        if local is None:
            if name.casefold() in siblings:
                copied = siblings[name.casefold()]
                name = _free_name(name, siblings)
            local = self.archive.codes.add(name, parent_id=parent_id,
                                           description=code.description,
                                           colour=colour.lower())
            siblings[name.casefold()] = local
            self.new_codes.add(local)
            self.report.codes_added += 1
            is_new = True
            if not new_parent:
                self.added.code_roots.append(local)
        if local not in self.recorded_codes and guid not in self.known_codes:
            self.added.guids.append(("code", local, code.guid))
            self.recorded_codes.add(local)
            self.known_codes[guid] = local
        self.code_ids[guid] = local
        # Sub-codes without a colour: shades of this one's hue, apart from each other.
        bare = iter(shades(colour, sum(1 for child in code.children
                                       if _colour(child.colour) is None), branch))
        for child in code.children:
            self._code(child, local, new_parent=is_new,
                       colour=_colour(child.colour) or next(bare),
                       original=copied if is_new else None, branch=branch or colour)

    @property
    def new_codes(self) -> set[int]:
        if not hasattr(self, "_new_codes"):
            self._new_codes: set[int] = set()
        return self._new_codes

    # -- actors ------------------------------------------------------------------------

    def actors(self) -> None:
        """Our actor Cases become actors (found by GUID or name, else added); the
        selections they list take them as their actor. Other tools' cases are reported."""
        known = self.archive.exchange.local_ids("actor")
        present = {actor.id for actor in self.archive.actors.all()}
        for case in self.project.cases:
            if ACTOR_KIND not in case.variables:
                self.report.skip("case", case.name, "cases other than Briefing Reader's "
                                 "actors are not imported (their selections are)")
                continue
            actor_id = known.get(case.guid.lower())
            if actor_id not in present:
                actor_id = self._actor(case.name, case.variables.get(ACTOR_KIND, ""),
                                       case.variables.get(ACTOR_AFFILIATION, ""),
                                       case.variables.get(ACTOR_ALIASES, ""))
                if actor_id is None:
                    continue
                if case.guid.lower() not in known:
                    self.added.guids.append(("actor", actor_id, case.guid))
                    known[case.guid.lower()] = actor_id
            for guid in case.selection_guids:
                self.actor_of[guid.lower()] = actor_id

    def _actor(self, name: str, kind: str = "", affiliation: str = "",
               aliases: str = "") -> int | None:
        name = " ".join(name.split())
        if not name:
            return None
        if self.actor_names is None:  # as actors.find matches, read once (not per case)
            self.actor_names = {}
            for actor in self.archive.actors.all():
                for known in (actor.name, *actor.aliases):
                    self.actor_names.setdefault(fold_name(known), actor.id)
        found = self.actor_names.get(fold_name(name))
        if found is not None:
            return found
        alias_list = [alias.strip() for alias in aliases.split(ALIAS_SEPARATOR.strip())
                      if alias.strip()]
        actor_id = self.archive.actors.add(
            name, kind=kind if kind in ACTOR_KINDS else "person", affiliation=affiliation,
            aliases=alias_list)
        for known in (name, *alias_list):
            self.actor_names.setdefault(fold_name(known), actor_id)
        self.added.actor_ids.append(actor_id)
        self.report.actors_added += 1
        return actor_id

    # -- sources -----------------------------------------------------------------------

    def source(self, source: RefiSource) -> None:
        mapping = canonical(source.text)
        if not mapping.text:
            self.report.skip("source", source.name, "it holds no text")
            return
        article_id = self._article(source, mapping.text)
        text = self.archive.articles.text(article_id)
        same = text == mapping.text
        for selection in source.selections:
            self._selection(source, selection, article_id, text, mapping if same else None)
        self.flush()

    def _article(self, source: RefiSource, text: str) -> int:
        local = self.article_guids.get(source.guid.lower())
        if local is not None and self.archive.articles.read_states([local]):
            self.report.articles_matched += 1
            self.report.article_ids.append(local)
            return local
        values = {name.casefold(): value for name, value in source.variables.items()}
        url = values.get("url", "").strip()
        status, article_id = self.archive.articles.save(ImportedDocument(
            title=" ".join(source.name.split()) or "Untitled source", text=text,
            origin=f"{self.report.path.name}: {source.name}",
            byline=values.get("byline", ""), outlet=values.get("outlet", ""),
            published=normalise_date(values.get("published")),
            url=url if url and not any(ch.isspace() for ch in url) else None,
            language=values.get("language") or None, replaces_existing=False))
        if status == "imported":
            self.report.articles_new += 1
            self.added.article_ids.append(article_id)
            self._attributes(source, article_id)
            if source.notes:  # the source's memos: the article's memo
                self.archive.articles.set_memo(article_id, "\n\n".join(source.notes))
        else:
            self.report.articles_matched += 1
            if any(name.casefold() not in RESERVED for name in source.variables):
                self.kept_values += 1
        self.report.article_ids.append(article_id)
        if article_id not in self.article_guids.values():
            self.added.guids.append(("article", article_id, source.guid))
            self.article_guids[source.guid.lower()] = article_id
        return article_id

    def _attributes(self, source: RefiSource, article_id: int) -> None:
        """Other variables of a new article become its attributes (document variables),
        each attribute found by name or defined with the variable's type."""
        types = {variable.name: variable.type_of for variable in self.project.variables}
        for name, value in source.variables.items():
            if name.casefold() in RESERVED or not value.strip():
                continue
            attribute = self.archive.attributes.find(name)
            kind = attribute.kind if attribute is not None else \
                KIND_OF_TYPE.get(types.get(name, "Text"), "text")
            try:  # the value first: a refused one defines no attribute
                cleaned = clean_value(value, kind, attribute.name if attribute else name)
                if attribute is None:
                    _, attribute_id = self.archive.attributes.add(name, kind)
                    self.added.attribute_ids.append(attribute_id)
                    attribute = self.archive.attributes.get(attribute_id)
            except (BriefingError, ValueError) as error:
                self.report.skip("variable", f"{name} of {source.name}", str(error))
                continue
            self.archive.attributes.set_values(attribute.id, {article_id: cleaned})

    def _selection(self, source: RefiSource, selection: RefiSelection, article_id: int,
                   text: str, mapping: Mapping | None) -> None:
        known = self.passage_guids.get(selection.guid.lower())
        if known is not None and self.archive.annotations.by_ids([known]):
            self.report.skip("selection", selection.guid, "already in the archive (the same "
                             "passage, by its GUID)")
            return
        quote = source.text[selection.start:selection.end]
        shown = _shown(quote)
        span = _place(quote, selection, text, mapping)
        if isinstance(span, str):
            self.report.skip("selection", shown, f"in {source.name!r}: {span}")
            return
        stance, actor_name, rest = _description(selection.description)
        actor_id = self.actor_of.get(selection.guid.lower())
        if actor_id is None and actor_name:
            actor_id = self._actor(actor_name)
        note = "\n\n".join(part for part in [rest, *selection.notes] if part.strip())
        # One passage per coder: the codings' users (who applied the codes), else the
        # selection's creator, else the coder the caller named.
        groups: dict[str | None, list[int]] = {}
        unknown = 0
        for coding in selection.codings:
            code_id = self.code_ids.get(coding.code_guid.lower())
            codes = groups.setdefault(coding.user_guid or selection.user_guid, [])
            if code_id is None:
                unknown += 1
            elif code_id not in codes:
                codes.append(code_id)
        if unknown:
            self.report.skip("coding", shown, f"{unknown} coding(s) name a code the project's "
                             "codebook does not hold")
        groups = {user: codes for user, codes in groups.items() if codes}
        if not groups:
            if actor_id is None and not stance and not note:
                self.report.skip("selection", shown, f"in {source.name!r}: no coding of a "
                                 "code in the codebook, and nothing else to keep")
                return
            groups = {selection.user_guid: []}
        start, end = span
        for index, (user, code_ids) in enumerate(groups.items()):
            coder = self.project.user_name(user) or self.coder
            guid = selection.guid if index == 0 else \
                derived_guid(selection.guid, f"coder:{user or ''}")
            key = (article_id, start, end, coder)
            pending = self.pending.get(key)
            if pending is None:
                self.pending[key] = _Pending(code_ids, actor_id, stance, note,
                                             _stamp(selection.created),
                                             _stamp(selection.modified), guid)
                continue
            # Another selection of the same words by the same coder (NVivo writes one per
            # code): one passage with all the codes, as coding by hand gives.
            pending.code_ids += [code for code in code_ids if code not in pending.code_ids]
            pending.actor_id = pending.actor_id or actor_id
            pending.stance = pending.stance or stance
            if note and note not in pending.note:
                pending.note = "\n\n".join(part for part in (pending.note, note) if part)
            self.joined += 1

    def flush(self) -> None:
        """Write the passages gathered from one source."""
        created_here = set(self.added.passage_ids)
        times: list[tuple[int, str, str]] = []
        for (article_id, start, end, coder), item in self.pending.items():
            existing = self.archive.annotations.with_span(article_id, start, end, coder)
            if existing is not None and existing.id not in created_here:
                self.report.skip("selection", _shown(existing.exact), "already in the archive "
                                 "(a passage of the same words by the same coder)")
                continue
            if coder:
                self.coders.add(coder)
            passage_id = self.archive.annotations.add(NewAnnotation(
                article_id=article_id, start=start, end=end, code_ids=item.code_ids,
                actor_id=item.actor_id, stance=item.stance, note=item.note, coder=coder))
            if item.created:
                times.append((passage_id, item.created, item.modified or item.created))
            self.added.passage_ids.append(passage_id)
            self.added.guids.append(("passage", passage_id, item.guid))
            self.passage_guids[item.guid.lower()] = passage_id
            self.report.passages += 1
        self.archive.exchange.set_passage_times(times)
        self.pending.clear()


@dataclass
class _Pending:
    """A passage about to be written: the codes of every selection of its words."""

    code_ids: list[int]
    actor_id: int | None
    stance: str | None
    note: str
    created: str | None
    modified: str | None
    guid: str


def _place(quote: str, selection: RefiSelection, text: str,
           mapping: Mapping | None) -> tuple[int, int] | str:
    """Where the selection's quote lies in the article's text, checked; a reason if
    nowhere (or in several places)."""
    if not quote.strip():
        return "it selects only spaces"
    if mapping is not None:
        span = mapping.span(selection.start, selection.end)
        if span is not None and same_words(text[span[0]:span[1]], quote):
            return span
    try:
        return find_quote(text, " ".join(quote.split()))
    except QuoteNotFound:
        return "its quote does not occur in the article's text"
    except AmbiguousQuote as error:
        return f"its quote occurs {error.count} times in the article, and its positions " \
            "do not say which"
    except BriefingError as error:
        return error.message


def _description(description: str) -> tuple[str | None, str, str]:
    """(stance, actor name, the rest) of a selection's Description: our "Stance: …" and
    "Actor: …" lines are taken out, other text stays for the note."""
    stance, actor, rest = None, "", []
    for line in description.splitlines():
        text = line.strip()
        if text.startswith(STANCE_PREFIX) and text[len(STANCE_PREFIX):].strip() in STANCES:
            stance = text[len(STANCE_PREFIX):].strip()
        elif text.startswith(ACTOR_PREFIX) and text[len(ACTOR_PREFIX):].strip():
            actor = text[len(ACTOR_PREFIX):].strip()
        else:
            rest.append(line)
    return stance, actor, "\n".join(rest).strip()


def _stamp(value: str | None) -> str | None:
    """An xsd:dateTime as the archive keeps timestamps (UTC "+00:00", whole seconds)."""
    if not value:
        return None
    from datetime import UTC, datetime

    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat(timespec="seconds")


def branch_used(code: RefiCode, used: set[str]) -> bool:
    """Whether a selection to be written codes `code` or one of its sub-codes."""
    return code.guid.lower() in used or any(branch_used(child, used)
                                            for child in code.children)


def _free_name(name: str, siblings: dict[str, int]) -> str:
    number = 2
    while f"{name} ({number})".casefold() in siblings:
        number += 1
    return f"{name} ({number})"


def _shown(quote: str) -> str:
    words = " ".join(quote.split())
    return words if len(words) <= 60 else words[:57] + "..."
