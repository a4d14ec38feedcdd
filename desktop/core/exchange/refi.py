"""REFI-QDA exchange with the archive: gather a project or codebook to export, read one
to import.

The XML itself is `desktop/core/interop/refi_qda/` (pure, no archive); this module decides
what of the archive leaves and how it is spelled (docs/refi-qda.md has the convention):
the passages of a `PassageScope` as PlainTextSelections on their articles (TextSources
whose plain text is the article's canonical text, so positions need no mapping), the whole
codebook, coders as Users, actors as Cases with variables, stances as a line of the
selection's Description, notes as Notes, article details as source variables. GUIDs are
those recorded in `exchange_guids` (minted and recorded when missing), so a second export
is the same project. Reading (`read_refi`) touches no archive, so it runs before, and
outside, the one write transaction `ops/refi_import.import_refi` makes.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from decimal import Decimal, InvalidOperation
from pathlib import Path

from desktop.core.archive import Archive
from desktop.core.errors import ArchiveReadOnly, BriefingError
from desktop.core.interop.refi_qda import reader, writer
from desktop.core.interop.refi_qda.convention import (
    ACTOR_AFFILIATION,
    ACTOR_ALIASES,
    ACTOR_KIND,
    ACTOR_PREFIX,
    ACTOR_VARIABLES,
    ALIAS_SEPARATOR,
    ORIGIN,
    RESERVED,
    SOURCE_VARIABLES,
    STANCE_PREFIX,
    TYPE_OF_KIND,
    attribute_guid,
    coder_guid,
    fixed_guid,
)
from desktop.core.interop.refi_qda.model import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
    RefiVariable,
)
from desktop.core.jobs import NO_PROGRESS, Progress
from desktop.core.model import Annotation, Attribute, Code
from desktop.core.passage_table import PassageScope, TableExport, selected_passages

FORMATS = ("qdpx", "qdc")
__all__ = ["ACTOR_KIND", "code_collisions", "coder_guid", "export_qdc", "export_qdpx",
           "read_refi"]
def _variables() -> list[RefiVariable]:
    described = {
        "Outlet": "Where the article was published (Briefing Reader).",
        "Byline": "The article's author(s) as printed (Briefing Reader).",
        "Published": "The article's publication date (Briefing Reader).",
        "URL": "The article's web address (Briefing Reader).",
        "Language": "The article's language code (Briefing Reader).",
        ACTOR_KIND: "person or organisation (Briefing Reader actor).",
        ACTOR_AFFILIATION: "The actor's organisation or role (Briefing Reader actor).",
        ACTOR_ALIASES: "Other names of the actor, separated by '; ' (Briefing Reader actor).",
    }
    return [RefiVariable(fixed_guid(f"variable:{name}"), name, kind, described[name])
            for name, kind in (*SOURCE_VARIABLES, *ACTOR_VARIABLES)]


def _variable_value(value: str, kind: str) -> str | None:
    """An attribute's value as its REFI type wants it (xsd:decimal, xsd:date, xsd:boolean);
    None when it cannot be (then it is left out rather than failing the schema)."""
    if kind == "number":
        try:
            number = Decimal(value)
        except InvalidOperation:
            return None
        return f"{number:f}" if number.is_finite() else None
    if kind == "date":
        return value[:10] if len(value) >= 10 and value[4] == "-" else None
    if kind == "boolean":
        return value if value in ("true", "false") else None
    return value


class _Guids:
    """The recorded GUIDs of one kind, minting (and remembering to record) missing ones."""

    def __init__(self, archive: Archive, kind: str) -> None:
        self.kind = kind
        self.known = archive.exchange.guids(kind)
        self.minted: list[tuple[str, int, str]] = []

    def __call__(self, local_id: int) -> str:
        guid = self.known.get(local_id)
        if guid is None:
            guid = self.known[local_id] = str(uuid.uuid4())
            self.minted.append((self.kind, local_id, guid))
        return guid


def _record(archive: Archive, *minted: _Guids) -> None:
    rows = [row for guids in minted for row in guids.minted]
    if not rows:
        return
    with contextlib.suppress(ArchiveReadOnly):  # a read-only archive still exports
        archive.exchange.record(rows)


def _code_tree(codes: list[Code], guid: _Guids) -> list[RefiCode]:
    nodes = {code.id: RefiCode(guid(code.id), code.name, code.colour.upper(),
                               code.description.strip()) for code in codes}
    roots = []
    for code in codes:  # tree order: a parent comes before its children
        if code.parent_id is not None and code.parent_id in nodes:
            nodes[code.parent_id].children.append(nodes[code.id])
        else:
            roots.append(nodes[code.id])
    return roots


def gather_project(archive: Archive, scope: PassageScope | None = None,
                   progress: Progress = NO_PROGRESS, name: str = "") -> RefiProject:
    """The archive's passages in `scope` (all by default) as a REFI-QDA project called
    `name` (the export's file name: what the analyst chose to call it)."""
    progress.report(0.05, "Gathering passages…")
    passages = selected_passages(archive, scope or PassageScope())
    progress.check()
    code_guid, article_guid = _Guids(archive, "code"), _Guids(archive, "article")
    passage_guid, actor_guid = _Guids(archive, "passage"), _Guids(archive, "actor")
    codes = archive.codes.all()
    project = RefiProject(name=name or Path(archive.path).stem or "Briefing Reader", fmt="qdpx",
                          origin=ORIGIN, codes=_code_tree(codes, code_guid),
                          variables=_variables())
    by_article: dict[int, list[Annotation]] = {}
    for passage in passages:
        by_article.setdefault(passage.article_id, []).append(passage)
    actors = {actor.id: actor for actor in archive.actors.all()}
    cases: dict[int, RefiCase] = {}
    used: dict[int, Attribute] = {}
    coders: dict[str, RefiUser] = {}
    for index, (article_id, notes) in enumerate(by_article.items()):
        progress.report(0.1 + 0.7 * index / max(1, len(by_article)), "Gathering articles…")
        progress.check()
        article = archive.articles.get(article_id)
        source = RefiSource(guid=article_guid(article.id), name=article.title,
                            text=article.text, variables={
                                "Outlet": article.outlet, "Byline": article.byline,
                                "Published": article.published or "",
                                "URL": article.url or "", "Language": article.language or ""},
                            notes=[article.memo] if article.memo.strip() else [])
        for attribute, value in archive.attributes.of_article(article.id):
            written = _variable_value(value, attribute.kind)
            if attribute.name.casefold() not in RESERVED and written is not None:
                source.variables[attribute.name] = written
                used[attribute.id] = attribute
        for passage in notes:
            user = None
            if passage.coder:
                user = coders.setdefault(passage.coder, RefiUser(coder_guid(passage.coder),
                                                                 passage.coder)).guid
            guid = passage_guid(passage.id)
            description = []
            actor = actors.get(passage.actor_id) if passage.actor_id is not None else None
            if actor is not None:
                description.append(ACTOR_PREFIX + actor.name)
                case = cases.get(actor.id)
                if case is None:
                    case = cases[actor.id] = RefiCase(
                        actor_guid(actor.id), actor.name, variables={
                            ACTOR_KIND: actor.kind, ACTOR_AFFILIATION: actor.affiliation,
                            ACTOR_ALIASES: ALIAS_SEPARATOR.join(actor.aliases)})
                case.selection_guids.append(guid)
            if passage.stance:
                description.append(STANCE_PREFIX + passage.stance)
            modified = passage.updated_at if passage.updated_at != passage.created_at else None
            source.selections.append(RefiSelection(
                guid=guid, start=passage.start, end=passage.end, user_guid=user,
                created=passage.created_at or None, modified=modified or None,
                description="\n".join(description),
                codings=[RefiCoding(writer.derived_guid(guid, f"coding:{code_guid(code.id)}"),
                                    code_guid(code.id), user, passage.created_at or None)
                         for code in passage.codes],
                notes=[passage.note] if passage.note.strip() else []))
        project.sources.append(source)
    project.variables += [  # the attributes the exported articles have values of
        RefiVariable(attribute_guid(attribute.name), attribute.name,
                     TYPE_OF_KIND.get(attribute.kind, "Text"),
                     "An article attribute (Briefing Reader).")
        for attribute in archive.attributes.all() if attribute.id in used]
    project.users = sorted(coders.values(), key=lambda user: user.name.casefold())
    project.cases = sorted(cases.values(), key=lambda case: case.name.casefold())
    _record(archive, code_guid, article_guid, passage_guid, actor_guid)
    return project


def _write(path: Path, write: object, data: object) -> None:
    """Write through a temporary file beside `path`, so a failure leaves no half file."""
    partial = path.with_name(path.name + ".part")
    try:
        write(data, partial)  # type: ignore[operator]
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BriefingError(f"could not write the export: {error.strerror or error}.",
                            path) from None


def export_qdpx(archive: Archive, path: str | Path, scope: PassageScope | None = None,
                progress: Progress = NO_PROGRESS) -> TableExport:
    """Write the scope's passages, their articles (as plain-text sources) and the whole
    codebook to `path` as a REFI-QDA project (.qdpx: project.qde + sources/), valid against
    the REFI Project schema. GUIDs already recorded for an article, code, passage or actor
    are reused; new ones are minted and recorded. Raises JobCancelled if cancelled before
    the file is written, BriefingError naming the file if it cannot be written."""
    path = Path(path)
    scope = scope or PassageScope()
    project = gather_project(archive, scope, progress, path.stem)
    progress.check()
    progress.report(0.85, "Writing the project…")
    _write(path, writer.write_qdpx, project)
    return TableExport(path=path, fmt="qdpx",
                       passages=sum(len(s.selections) for s in project.sources),
                       articles=len(project.sources),
                       codes=sum(1 for _ in project.all_codes()), scope=scope.describe())


def export_qdc(archive: Archive, path: str | Path,
               progress: Progress = NO_PROGRESS) -> TableExport:
    """Write the whole codebook (hierarchy, colours, descriptions) to `path` as a REFI-QDA
    codebook (.qdc), valid against the REFI Codebook schema."""
    path = Path(path)
    progress.report(0.1, "Gathering the codebook…")
    code_guid = _Guids(archive, "code")
    project = RefiProject(name=path.stem, fmt="qdc", origin=ORIGIN,
                          codes=_code_tree(archive.codes.all(), code_guid))
    _record(archive, code_guid)
    progress.check()

    def write_codebook(value: RefiProject, target: Path) -> None:
        target.write_bytes(writer.codebook_xml(value))

    _write(path, write_codebook, project)
    return TableExport(path=path, fmt="qdc", passages=0, articles=0,
                       codes=sum(1 for _ in project.all_codes()), scope="the codebook")


def read_refi(path: str | Path, progress: Progress = NO_PROGRESS) -> RefiProject:
    """Parse and validate a .qdpx or .qdc file (by its content, not only its suffix).
    Reads no archive. Raises InvalidExchangeFile (file + reason) for anything malformed or
    unsafe: not a qdpx zip, XML failing the schema, missing sources, `../` or absolute
    member names, oversized members or zip bombs, entity declarations."""
    return reader.read(path, progress)


def code_collisions(archive: Archive, project: RefiProject, coder: str = "") -> list[str]:
    """Incoming codes whose name a code already has at the same place in the tree (among
    the same parent's children, ignoring case) and that are not that code by GUID: what
    the caller asks about before importing (merge into the existing code, or rename the
    incoming one). Named by path, "Parent / Child". Of a project (.qdpx) only codes a new
    passage would use count (`codes_for_new_passages`): importing a project again adds
    none, so there is nothing to ask; of a codebook (.qdc) the codes are the point."""
    from desktop.core.ops.refi_import import branch_used, codes_for_new_passages

    used = codes_for_new_passages(archive, project, coder) if project.fmt == "qdpx" else None
    known = archive.exchange.local_ids("code")
    codes = archive.codes.all()
    children: dict[int | None, dict[str, Code]] = {}
    for code in codes:
        children.setdefault(code.parent_id, {})[code.name.strip().casefold()] = code
    found: list[str] = []

    def walk(code: RefiCode, parent_id: int | None, trail: str) -> None:
        existing = children.get(parent_id, {}).get(code.name.strip().casefold())
        path = f"{trail} / {code.name}" if trail else code.name
        if existing is None:
            return  # new: its sub-codes will be new too
        if known.get(code.guid.lower()) != existing.id and (
                used is None or branch_used(code, used)):
            found.append(path)
        for child in code.children:
            walk(child, existing.id, path)

    for root in project.codes:
        walk(root, None, "")
    return found
