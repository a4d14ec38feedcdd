"""W3C Web Annotations as plain values: build the JSON-LD we export, read what others wrote.

Why pure: the same JSON goes out of the archive (`exchange/w3c.py` gathers the passages)
and comes into it (`ops/w3c_import.py` anchors and writes), and both directions must agree
on one reading of the W3C Web Annotation Data Model (https://www.w3.org/TR/annotation-model/)
without a database in the way of their tests. Nothing here reads the archive (import-linter).

What a passage becomes (docs/web-annotation.md says it for people):
- an `Annotation` motivated by `classifying` (it has codes), `commenting` (it has a note) or
  `highlighting` (neither), with a `TextualBody` of purpose `tagging` per code (the code's
  name; `codePath` names its parents; `code` is the code's id, the same in every
  annotation) and one of purpose `commenting` (`text/markdown`) for the note;
- its `target`: the article (`source`: its address, or a URN naming its text) and two
  selectors for the same words, a `TextQuoteSelector` (exact, prefix, suffix) and a
  `TextPositionSelector` (start, end) counted in Unicode code points of the article's
  canonical text, as the model asks (and Python's str indexes count);
- `creator` the coder, `created` / `modified` its timestamps;
- actor and stance in our own terms (`actor`, `stance`, `affiliation`, `codePath`,
  `code`), defined by an inline context in the namespace `urn:briefing-reader:vocab:`
  (`VOCAB`).

Many passages make one `AnnotationCollection` whose `first` page is embedded; the other
`AnnotationPage`s (chained by `next`, each `partOf` the collection) sit in the collection's
`@included` block, so the file holds every page and each page is a valid page on its own.

Reading accepts a single Annotation, a list of them, a collection or page (following
`next` through the pages the file holds), a JSON-LD `@graph`, and Hypothesis API rows (a
row, a list of rows, a search result's `rows`, an export's `annotations`). Whatever cannot
become a passage is said, with the reason, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
VOCAB = "urn:briefing-reader:vocab:"
# Our extension terms, inline so no processor has to fetch anything to read them.
EXTENSION_CONTEXT: dict[str, Any] = {
    "br": VOCAB,
    "actor": {"@id": "br:actor", "@type": "@id"},
    "affiliation": "br:affiliation",
    "stance": "br:stance",
    "codePath": {"@id": "br:codePath", "@container": "@list"},
    "code": {"@id": "br:code", "@type": "@id"},
}
CONTEXT: list[Any] = [ANNO_CONTEXT, EXTENSION_CONTEXT]
GENERATOR = {"type": "Software", "name": "Briefing Reader"}
PAGE_SIZE = 500
STANCE_VALUES = ("supports", "opposes", "neutral", "unclear")
KINDS = {"person": "Person", "organisation": "Organization"}
_TEXT_SELECTORS = ("TextQuoteSelector", "TextPositionSelector")


class NotAnnotations(ValueError):
    """The JSON is not Web Annotations (nor Hypothesis rows): the message says why."""


@dataclass(frozen=True)
class Tag:
    """A code: its name and, for a sub-code, the names of its parents from the root."""

    name: str
    parents: tuple[str, ...] = ()
    id: str = ""  # the tagging body's `code`: `urn:uuid:` + the code's GUID


@dataclass(frozen=True)
class ActorRef:
    name: str
    kind: str = "person"  # model.ACTOR_KINDS
    affiliation: str = ""


@dataclass(frozen=True)
class Selection:
    """Where in the source's text: a quote with its context, offsets, or both."""

    exact: str | None = None
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Passage:
    """One passage leaving the archive, as the builder needs it."""

    id: str
    source: str
    exact: str
    prefix: str
    suffix: str
    start: int | None  # None: the offsets no longer hold the quote (an orphaned passage)
    end: int | None
    codes: tuple[Tag, ...] = ()
    note: str = ""
    coder: str = ""
    created: str = ""
    modified: str = ""
    actor: ActorRef | None = None
    stance: str | None = None


@dataclass(frozen=True)
class Incoming:
    """One annotation read from a file. `unanchorable` says why it cannot be a passage
    (not a text target …); `selection` is None then. `warnings` name parts left out."""

    name: str  # its id, or "annotation N" when it has none
    source: str = ""
    selection: Selection | None = None
    unanchorable: str = ""
    tags: tuple[Tag, ...] = ()
    note: str = ""
    creator: str = ""
    created: str = ""
    modified: str = ""
    actor: ActorRef | None = None
    stance: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """What a file held: its annotations in order, items that were not annotations
    (what, name, reason), notes about the whole file, and its flavour."""

    annotations: tuple[Incoming, ...]
    skipped: tuple[tuple[str, str, str], ...] = ()
    warnings: tuple[str, ...] = ()
    flavour: str = "w3c"  # "w3c" or "hypothesis"
    label: str = ""
    ours: bool = False  # written by Briefing Reader (our context): no creator = unknown


# -- building --------------------------------------------------------------------------------


def w3c_time(stamp: str) -> str:
    """Our ISO timestamps ("…+00:00") in the model's customary UTC form ("…Z")."""
    return stamp[:-6] + "Z" if stamp.endswith("+00:00") else stamp


def annotation_json(passage: Passage, *, context: bool = True) -> dict[str, Any]:
    """The Web Annotation for one passage (with `@context` unless it sits in a page)."""
    motivations = (["classifying"] if passage.codes else []) + (
        ["commenting"] if passage.note else [])
    bodies: list[dict[str, Any]] = []
    for tag in passage.codes:
        body: dict[str, Any] = {"type": "TextualBody", "purpose": "tagging", "value": tag.name}
        if tag.id:  # not the body's `id`: the suite takes a body with an id and a
            body["code"] = tag.id  # purpose for a web resource, which may not have one
        if tag.parents:
            body["codePath"] = [*tag.parents, tag.name]
        bodies.append(body)
    if passage.note:
        bodies.append({"type": "TextualBody", "purpose": "commenting",
                       "format": "text/markdown", "value": passage.note})
    data: dict[str, Any] = {"@context": CONTEXT} if context else {}
    data.update({"id": passage.id, "type": "Annotation"})
    if not motivations:
        data["motivation"] = "highlighting"
    else:
        data["motivation"] = motivations[0] if len(motivations) == 1 else motivations
    if passage.coder:
        data["creator"] = {"type": "Person", "nickname": passage.coder}
    if passage.created:
        data["created"] = w3c_time(passage.created)
    if passage.modified:
        data["modified"] = w3c_time(passage.modified)
    if bodies:
        data["body"] = bodies[0] if len(bodies) == 1 else bodies
    selectors: list[dict[str, Any]] = [
        {"type": "TextQuoteSelector", "exact": passage.exact, "prefix": passage.prefix,
         "suffix": passage.suffix}]
    if passage.start is not None and passage.end is not None:
        selectors.append({"type": "TextPositionSelector", "start": passage.start,
                          "end": passage.end})
    data["target"] = {"type": "SpecificResource", "source": passage.source,
                      "selector": selectors if len(selectors) > 1 else selectors[0]}
    if passage.actor is not None:
        actor: dict[str, Any] = {"type": KINDS.get(passage.actor.kind, "Person"),
                                 "name": passage.actor.name}
        if passage.actor.affiliation:
            actor["affiliation"] = passage.actor.affiliation
        data["actor"] = actor
    if passage.stance:
        data["stance"] = passage.stance
    return data


def collection_json(passages: Sequence[Passage], *, collection_id: str, label: str,
                    page_size: int = PAGE_SIZE) -> dict[str, Any]:
    """An AnnotationCollection of the passages in pages of `page_size`: `first` embedded,
    the rest in `@included`, every page `partOf` the collection and `next` to the
    following one (ids `<collection>:page:<n>`)."""
    page_size = max(1, page_size)
    chunks = [passages[i:i + page_size] for i in range(0, len(passages), page_size)]
    page_ids = [f"{collection_id}:page:{n}" for n in range(1, len(chunks) + 1)]
    pages = []
    for number, chunk in enumerate(chunks):
        page: dict[str, Any] = {
            "id": page_ids[number], "type": "AnnotationPage",
            # The collection described, not only named: the model allows either, the test
            # suite's page schemas read `total` and `label` inside `partOf` (and reject a
            # bare IRI there), and a page read alone still says what it is part of.
            "partOf": {"id": collection_id, "label": label, "total": len(passages)},
            "startIndex": number * page_size}
        if number + 1 < len(chunks):
            page["next"] = page_ids[number + 1]
        if number:
            page["prev"] = page_ids[number - 1]
        page["items"] = [annotation_json(p, context=False) for p in chunk]
        pages.append(page)
    data: dict[str, Any] = {"@context": CONTEXT, "id": collection_id,
                            "type": "AnnotationCollection", "label": label,
                            "generator": GENERATOR, "total": len(passages)}
    if pages:
        data["first"] = pages[0]
        data["last"] = page_ids[-1]
    if len(pages) > 1:
        data["@included"] = pages[1:]
    return data


# -- reading ---------------------------------------------------------------------------------


def _types(node: dict[str, Any]) -> list[str]:
    value = node.get("type", node.get("@type", []))
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] \
        if isinstance(value, list) else []


def _id(node: dict[str, Any]) -> str:
    """A node's id (`id`, as the model's context names it, or JSON-LD's own `@id`)."""
    value = node.get("id", node.get("@id"))
    return value if isinstance(value, str) else ""


def _many(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    """A string property that may come as a one-item list or a language-tagged object."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("@value", "")
    return value if isinstance(value, str) else ""


def _is_hypothesis(node: Any) -> bool:
    return isinstance(node, dict) and "type" not in node and (
        "uri" in node or "user" in node) and ("target" in node or "text" in node)


def read_document(data: Any) -> Document:
    """Read parsed JSON. Raises NotAnnotations when it holds no annotation at all."""
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        return _hypothesis(data["rows"])  # the Hypothesis search API's answer
    if isinstance(data, dict) and isinstance(data.get("annotations"), list) and not _types(data):
        return _hypothesis(data["annotations"])  # Hypothesis' "export annotations" file
    if _is_hypothesis(data) or (isinstance(data, list) and data and all(
            _is_hypothesis(item) for item in data)):
        return _hypothesis(_many(data))
    nodes = _many(data)
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        nodes = data["@graph"]
    if not nodes or not all(isinstance(node, dict) for node in nodes):
        raise NotAnnotations(
            "holds no Web Annotation: expected a JSON object of type Annotation, "
            "AnnotationCollection or AnnotationPage, a list of annotations, or Hypothesis "
            "annotations.")
    return _w3c(nodes)


def _w3c(nodes: list[dict[str, Any]]) -> Document:
    pages: dict[str, dict[str, Any]] = {}
    order: list[dict[str, Any]] = []  # top-level nodes and their pages, in file order
    for node in _walk(nodes):
        types = _types(node)
        if "AnnotationPage" in types and _id(node):
            pages.setdefault(_id(node), node)
        order.append(node)
    items: list[Any] = []
    warnings: list[str] = []
    labels: list[str] = []
    seen_pages: set[int] = set()
    announced = 0

    def read_chain(page: Any) -> None:
        while isinstance(page, dict) and id(page) not in seen_pages:
            seen_pages.add(id(page))
            items.extend(_many(page.get("items")))
            nxt = page.get("next")
            page = pages.get(nxt) if isinstance(nxt, str) else nxt

    for node in order:  # collections first: their pages in `first` → `next` order
        if "AnnotationCollection" in _types(node):
            labels.append(_text(node.get("label")))
            total = node.get("total")
            announced += total if isinstance(total, int) else 0
            first = node.get("first")
            read_chain(pages.get(first) if isinstance(first, str) else first)
    for node in order:  # then annotations, and pages no collection led to, as they come
        types = _types(node)
        if "Annotation" in types:
            items.append(node)
        elif "AnnotationPage" in types:
            read_chain(node)
    unique = items  # each page was read once, so each annotation object is here once
    if not unique and not labels:
        raise NotAnnotations(
            "holds no Web Annotation: no object of type Annotation, AnnotationCollection or "
            "AnnotationPage.")
    if announced and announced > len(unique):
        warnings.append(f"the collection announces {announced} annotations but the file "
                        f"holds {len(unique)}; pages not in the file were not read.")
    annotations: list[Incoming] = []
    skipped: list[tuple[str, str, str]] = []
    for index, item in enumerate(unique, 1):
        if isinstance(item, str):
            skipped.append(("annotation", item, "only its address is in the file, not the "
                            "annotation itself"))
        elif not isinstance(item, dict) or "Annotation" not in _types(item):
            name = item.get("id", f"item {index}") if isinstance(item, dict) else f"item {index}"
            skipped.append(("item", str(name), "it is not of type Annotation"))
        else:
            annotations.append(_annotation(item, index))
    ours = any(isinstance(context, dict) and context.get("br") == VOCAB
               for node in nodes for context in _many(node.get("@context")))
    return Document(tuple(annotations), tuple(skipped), tuple(warnings), "w3c",
                    next((label for label in labels if label), ""), ours)


def _walk(nodes: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """The top-level nodes and the pages they embed (`first`, `@included`), depth first,
    so pages are found by id wherever the file put them. Annotations inside pages are
    reached through the pages' `items`."""
    for node in nodes:
        if not isinstance(node, dict):
            continue
        yield node
        first = node.get("first")
        if isinstance(first, dict):
            yield from _walk([first])
        nxt = node.get("next")
        if isinstance(nxt, dict):
            yield from _walk([nxt])
        yield from _walk(_many(node.get("@included")))


def _annotation(node: dict[str, Any], index: int) -> Incoming:
    name = _id(node) or f"annotation {index}"
    motivations = [m for m in _many(node.get("motivation")) if isinstance(m, str)]
    warnings: list[str] = []
    tags: list[Tag] = []
    notes: list[str] = []
    if isinstance(node.get("bodyValue"), str):
        notes.append(node["bodyValue"])
    for body in _many(node.get("body")):
        if isinstance(body, dict) and "Choice" in _types(body):
            choices = _many(body.get("items"))
            body = choices[0] if choices else None  # the model's default: the first
        if isinstance(body, str):
            warnings.append(f"its body {body!r} is a resource on the web; it was not fetched")
            continue
        if not isinstance(body, dict):
            continue
        purposes = [p for p in _many(body.get("purpose")) if isinstance(p, str)]
        value = _text(body.get("value"))
        textual = "TextualBody" in _types(body) or ("value" in body and not _types(body))
        as_tag = "tagging" in purposes or "classifying" in purposes or (
            not purposes and set(motivations) & {"tagging", "classifying"})
        if textual and value.strip() and as_tag:
            path = [p for p in _many(body.get("codePath")) if isinstance(p, str) and p.strip()]
            parents = tuple(path[:-1]) if path and path[-1] == value.strip() else ()
            code = body.get("code")
            tags.append(Tag(value.strip(), parents, code if isinstance(code, str) else ""))
        elif textual and value.strip():
            notes.append(value)
        else:
            what = body.get("source") or body.get("id") or "a body"
            warnings.append(f"its body {what!r} is not text (a {'/'.join(_types(body)) or 'web'}"
                            " resource); it was not imported")
    source, selection, reason, extra = _target(node.get("target"))
    if extra:
        warnings.append(f"only its first text target was imported ({extra} more left out)")
    actor = node.get("actor")
    actor_ref = None
    if isinstance(actor, dict) and _text(actor.get("name")).strip():
        kind = "organisation" if "Organization" in _types(actor) else "person"
        actor_ref = ActorRef(_text(actor["name"]).strip(), kind,
                             _text(actor.get("affiliation")).strip())
    stance = node.get("stance") if node.get("stance") in STANCE_VALUES else None
    if node.get("stance") is not None and stance is None:
        warnings.append(f"its stance {node.get('stance')!r} is not one of "
                        f"{', '.join(STANCE_VALUES)}; it was left out")
    return Incoming(
        name=name, source=source, selection=selection, unanchorable=reason,
        tags=tuple(dict.fromkeys(tags)), note="\n\n".join(n.strip() for n in notes if n.strip()),
        creator=_creator(node.get("creator")), created=_text(node.get("created")),
        modified=_text(node.get("modified")), actor=actor_ref, stance=stance,
        warnings=tuple(warnings))


def _creator(value: Any) -> str:
    """A coder's name from a creator: an agent's nickname or name, else its IRI (an
    `acct:` or `mailto:` address shortened to the user)."""
    for creator in _many(value):
        if isinstance(creator, dict):
            for key in ("nickname", "name"):
                if _text(creator.get(key)).strip():
                    return _text(creator[key]).strip()
            creator = creator.get("id", "")
        if isinstance(creator, str) and creator.strip():
            return _user(creator.strip())
    return ""


def _user(iri: str) -> str:
    match = re.fullmatch(r"(?:acct:|mailto:)([^@]+)@.*", iri)
    return match.group(1) if match else iri


def _target(value: Any) -> tuple[str, Selection | None, str, int]:
    """(source, selection, why not a text target, how many more text targets)."""
    reasons: list[str] = []
    found: list[tuple[str, Selection]] = []
    for target in _many(value):
        if isinstance(target, str):
            reasons.append(f"it targets the whole resource {target!r}, not words in its text")
            continue
        if not isinstance(target, dict):
            continue
        types = _types(target)
        if {"Composite", "List", "Independents"} & set(types):
            reasons.append(f"its target is a {types[0]} of several resources")
            continue
        source = target.get("source")
        source = _id(source) if isinstance(source, dict) else source
        if not isinstance(source, str) or not source:
            source = _id(target)
        selection, why = _selection(target.get("selector"))
        if selection is None:
            reasons.append(why or f"its target {source!r} has no selector: it is the whole "
                           "resource, not words in its text")
            continue
        found.append((source, selection))
    if not found:
        return "", None, reasons[0] if reasons else "it has no target", 0
    source, selection = found[0]
    return source, selection, "", len(found) - 1


def _selection(value: Any) -> tuple[Selection | None, str]:
    exact: str | None = None
    prefix = suffix = ""
    start: int | None = None
    end: int | None = None
    others: list[str] = []
    for selector in _many(value):
        if isinstance(selector, str):
            others.append("a selector given only by its address")
            continue
        if not isinstance(selector, dict):
            continue
        types = _types(selector)
        refined = selector.get("refinedBy")
        if "TextQuoteSelector" in types and isinstance(selector.get("exact"), str):
            exact = selector["exact"]
            prefix = _text(selector.get("prefix"))
            suffix = _text(selector.get("suffix"))
        elif "TextPositionSelector" in types and _offsets(selector):
            start, end = _offsets(selector) or (0, 0)
        elif isinstance(refined, dict) and set(_types(refined)) & set(_TEXT_SELECTORS):
            # Offsets inside a fragment count from the fragment: only its quote is usable.
            inner, _ = _selection(refined)
            if inner is not None and inner.exact:
                exact, prefix, suffix = inner.exact, inner.prefix, inner.suffix
        else:
            others.append(f"a {types[0] if types else 'untyped'} selector")
    if exact is not None and exact.strip():
        return Selection(exact, prefix, suffix, start, end), ""
    if start is not None:
        return Selection(None, "", "", start, end), ""
    reason = (f"it selects with {' and '.join(dict.fromkeys(others))}, which says nothing "
              "about words in a text" if others else "")
    return None, reason


def _offsets(selector: dict[str, Any]) -> tuple[int, int] | None:
    start, end = selector.get("start"), selector.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end \
            and not isinstance(start, bool) and not isinstance(end, bool):
        return start, end
    return None


def _hypothesis(rows: list[Any]) -> Document:
    """Hypothesis API rows: `target[].selector` (TextQuote/TextPosition/Range selectors),
    `uri`, `text` (Markdown), `tags`, `user` ("acct:name@host"), `created`, `updated`."""
    annotations: list[Incoming] = []
    skipped: list[tuple[str, str, str]] = []
    for index, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            skipped.append(("item", f"item {index}", "it is not an annotation object"))
            continue
        raw_id = row.get("id")
        links: dict[str, Any] = row["links"] if isinstance(row.get("links"), dict) else {}
        html = links.get("html")
        name: str = html if isinstance(html, str) and html else (
            f"https://hypothes.is/a/{raw_id}" if isinstance(raw_id, str) and raw_id and
            ":" not in raw_id else str(raw_id or f"annotation {index}"))
        if row.get("references"):  # kept in the file's order, placed nowhere
            annotations.append(Incoming(name=name, unanchorable="it is a reply to another "
                                        "annotation, not a passage"))
            continue
        targets = _many(row.get("target"))
        uri: str = row["uri"] if isinstance(row.get("uri"), str) else ""
        source, selection, reason, extra = _target(targets or uri)
        if selection is None and targets and not any(
                isinstance(t, dict) and t.get("selector") for t in targets):
            reason = f"it is a page note on {uri or source!r}, not on words in its text"
        warnings = [f"only its first text target was imported ({extra} more left out)"] \
            if extra else []
        tags = tuple(dict.fromkeys(Tag(t.strip()) for t in _many(row.get("tags"))
                                   if isinstance(t, str) and t.strip()))
        annotations.append(Incoming(
            name=name, source=source or uri, selection=selection, unanchorable=reason,
            tags=tags, note=_text(row.get("text")).strip(),
            creator=_user(row["user"]) if isinstance(row.get("user"), str) else "",
            created=_text(row.get("created")), modified=_text(row.get("updated")),
            warnings=tuple(warnings)))
    if not annotations and not skipped:
        raise NotAnnotations("holds no Hypothesis annotation (its list of rows is empty).")
    return Document(tuple(annotations), tuple(skipped), (), "hypothesis")


def looks_like_annotations(head: str) -> bool:
    """Whether the first few kilobytes of a JSON file look like Web Annotations (the
    context, or an Annotation type) or Hypothesis rows: a cheap sniff, not a parse."""
    return bool(re.search(r"w3\.org/ns/anno\.jsonld|\"type\"\s*:\s*\"Annotation"
                          r"(Collection|Page)?\"|\"(TextQuoteSelector|TextPositionSelector)\"|"
                          r"hypothes\.is|\"acct:[^\"]+@", head))

