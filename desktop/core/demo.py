"""The demo archive: our own articles about the EU open-source AI debate, coded.

Built from `resources/demo` through the same import path an analyst uses, so the demo
exercises the real code and never drifts from the schema. Opening the demo always makes a
fresh copy in a temporary folder; the analyst's own archive is never touched.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

from desktop.core.anchoring.passages import save_document
from desktop.core.archive import Archive
from desktop.core.briefing.draft import SUMMARY_PLACEHOLDER, DraftScope, generate_draft
from desktop.core.briefing_model import BriefingSettings
from desktop.core.codebook import load_codebook
from desktop.core.errors import InvalidResource
from desktop.core.importers import extract_one
from desktop.core.model import NewAnnotation
from desktop.core.resources import resource

DEMO_FILE_NAME = "demo-archive.sqlite"
# Who coded the demo's passages: a neutral name, never a real person's. A named coder so
# an analyst coding the same words gets her own passage and Agreement compares the two.
DEMO_CODER = "Demo coder"


def demo_dir() -> Path:
    return resource("demo")


def build_demo(archive: Archive) -> None:
    """Fill an (empty) archive with the codebook, demo articles, actors and annotations.

    One transaction: if anything in the demo content is wrong, nothing is written.
    """
    with archive.transaction():
        code_ids = load_codebook(archive)
        article_ids: dict[str, int] = {}
        for path in sorted((demo_dir() / "articles").glob("*.md")):
            document = extract_one(path)
            document.origin = f"demo:{path.name}"  # not this machine's install path
            _, article_ids[path.name] = save_document(archive, document)
        for annotations_file in sorted(demo_dir().glob("annotations-*.json")):
            _add_annotations(archive, annotations_file, article_ids, code_ids)
        attributes_file = demo_dir() / "attributes.json"
        if attributes_file.is_file():
            _add_attributes(archive, attributes_file, article_ids)
        briefing_file = demo_dir() / "briefing.json"
        if briefing_file.is_file():
            _add_briefing(archive, briefing_file, article_ids, code_ids)


def _add_annotations(
    archive: Archive, path: Path, article_ids: dict[str, int], code_ids: dict[str, int]
) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for actor in data.get("actors", []):
        if archive.actors.find(actor["name"]) is None:
            archive.actors.add(
                actor["name"], kind=actor.get("kind", "person"),
                affiliation=actor.get("affiliation", ""), aliases=actor.get("aliases", []),
            )
    for item in data["annotations"]:
        article_id = article_ids.get(item["article"])
        if article_id is None:
            raise InvalidResource(f"names an unknown article {item['article']!r}.", path)
        text = archive.articles.get(article_id).text
        if text.count(item["quote"]) != 1:
            raise InvalidResource(
                f"quote {item['quote'][:40]!r}... must occur exactly once in "
                f"{item['article']}.",
                path,
            )
        start = text.index(item["quote"])
        actor = archive.actors.find(item["actor"]) if item.get("actor") else None
        try:
            codes = [code_ids[name] for name in item["codes"]]
        except KeyError as error:
            raise InvalidResource(f"uses a code not in the codebook: {error}.", path) from None
        archive.annotations.add(
            NewAnnotation(
                article_id=article_id,
                start=start,
                end=start + len(item["quote"]),
                code_ids=codes,
                actor_id=actor.id if actor else None,
                stance=item.get("stance") or None,
                note=item.get("note", ""),
                coder=item.get("coder", DEMO_CODER),
            )
        )


def _add_attributes(archive: Archive, path: Path, article_ids: dict[str, int]) -> None:
    """Article attributes (format, outlet type) for the Analysis workspace to group by."""
    data = json.loads(path.read_text(encoding="utf-8"))
    ids = {item["name"]: archive.attributes.add(item["name"], item.get("kind", "text"))[1]
           for item in data.get("attributes", [])}
    for name, attribute_id in ids.items():
        archive.attributes.set_values(attribute_id, {
            article_ids[file]: values[name] for file, values in data["values"].items()
            if name in values and file in article_ids})


def _add_briefing(
    archive: Archive, path: Path, article_ids: dict[str, int], code_ids: dict[str, int]
) -> None:
    """Pin the demo's key passages and store a briefing drafted from its main arguments.

    The draft comes from `generate_draft`, as the analyst's would; our own executive summary
    replaces its placeholder and an assessment follows the argument sections.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    for pin in data.get("pins", []):
        article_id = article_ids.get(pin["article"])
        if article_id is None:
            raise InvalidResource(f"pins a passage in an unknown article {pin['article']!r}.",
                                  path)
        found = [n.id for n in archive.annotations.of_article(article_id)
                 if n.exact == pin["quote"]]
        if len(found) != 1:
            raise InvalidResource(
                f"pins {pin['quote'][:40]!r}..., which is not one passage of {pin['article']}.",
                path)
        archive.annotations.update(found[0], pinned=True)
    spec = data["briefing"]
    try:
        codes = [code_ids[name] for name in spec["arguments"]]
    except KeyError as error:
        raise InvalidResource(f"drafts a code not in the codebook: {error}.", path) from None
    settings = BriefingSettings(**spec.get("settings", {}))
    day = date.fromisoformat(settings.date) if settings.date else None
    body = generate_draft(archive, codes, DraftScope(), title=spec["title"],
                          quotes_per_argument=spec.get("quotes_per_argument", 5), today=day)
    summary = (path.parent / spec["summary"]).read_text(encoding="utf-8").strip()
    body = body.replace(SUMMARY_PLACEHOLDER, summary, 1)
    if spec.get("appendix"):
        appendix = (path.parent / spec["appendix"]).read_text(encoding="utf-8").strip()
        body = f"{body.rstrip()}\n\n{appendix}\n"
    archive.briefings.add(spec["title"], body, settings)


def write_demo_archive(path: Path) -> Path:
    """Write a fresh demo archive at `path` (which must not exist yet)."""
    if path.exists():
        raise FileExistsError(f"{path}: already exists; choose a new file for the demo archive.")
    archive = Archive.open(path)
    try:
        build_demo(archive)
    except BaseException:
        archive.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    archive.close()
    return path


def temporary_demo_archive() -> Path:
    """A fresh demo archive in a new temporary folder (the caller may delete the folder)."""
    folder = Path(tempfile.mkdtemp(prefix="briefing-reader-demo-"))
    return write_demo_archive(folder / DEMO_FILE_NAME)
