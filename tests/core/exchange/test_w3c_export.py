"""W3C Web Annotation export: every annotation, page and collection passes the W3C
annotation-model test suite's schemas (../shared/corpus/w3c-annotation, offline), the file
expands as JSON-LD to the model's terms and ours, positions count code points, and the
export is stable and cancellable."""

from __future__ import annotations

import copy
import json

import pytest

from desktop.core.anchoring.passages import save_document
from desktop.core.exchange.refi import export_qdpx
from desktop.core.exchange.w3c import ARTICLE_URN, export_w3c
from desktop.core.jobs import JobCancelled, Progress
from desktop.core.model import ImportedDocument
from desktop.core.ops.passages import annotate
from desktop.core.passage_table import PassageScope
from tests.core.exchange.w3c_archive import coded_archive
from tests.core.exchange.w3c_suite import expand, failures, schemas

OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"
BR = "urn:briefing-reader:vocab:"

# Optional features of the model our annotations implement (each a suite assertion that
# fails when the feature is missing).
IMPLEMENTED = [
    "annotations/3.3.1-annotationCreatedImplemented.json",
    "annotations/3.3.1-annotationModifiedImplemented.json",
    "annotations/3.3.1-annotationSingleCreatorImplemented.json",
    "annotations/3.3.5-annotationMotivationImplemented.json",
    "annotations/3.1-bodyKeyFound.json",
    "annotations/bodiesTargets/3.2.4-bodyETBTypeTextualBody.json",
    "annotations/bodiesTargets/3.3.5-bodyPurpose.json",
    "annotations/bodiesTargets/4-targSpecificResource.json",
    "annotations/specificResource/4.2-selectorFound.json",
    "annotations/specificResource/4.2.4-textQuoteSelector.json",
    "annotations/specificResource/4.2.4-prefix.json",
    "annotations/specificResource/4.2.4-suffix.json",
    "annotations/specificResource/4.2.5-textPositionSelector.json",
]


@pytest.fixture
def coded(archive):
    return coded_archive(archive)


def _export(archive, tmp_path, scope=None, **kwargs):
    path = tmp_path / "out.jsonld"
    result = export_w3c(archive, path, scope or PassageScope(), **kwargs)
    return result, json.loads(path.read_text(encoding="utf-8"))


def _pages(collection):
    return [collection["first"], *collection.get("@included", [])] if "first" in collection \
        else []


def _annotations(collection):
    return [item for page in _pages(collection) for item in page["items"]]


def _bodies(annotation):
    body = annotation.get("body", [])
    return body if isinstance(body, list) else [body]


def _with_context(node, context):
    return {"@context": context, **node}


def test_every_annotation_passes_the_suite_musts_and_our_features(coded, tmp_path):
    result, data = _export(coded, tmp_path)
    musts = schemas("annotations/annotationMusts.test")
    optional = [(name, v) for name, v in schemas("annotations/annotationOptionals.test")
                if name in IMPLEMENTED]
    assert len(optional) == len(IMPLEMENTED)
    annotations = _annotations(data)
    assert result.passages == len(annotations) == 4
    for annotation in annotations:
        standalone = _with_context(annotation, data["@context"])
        assert failures(musts, standalone) == [], annotation["id"]
        assert failures(optional, standalone) == [], annotation["id"]


def test_the_suite_schemas_do_catch_broken_annotations(coded, tmp_path):
    """The checks above can fail: the same schemas reject an annotation we broke."""
    _, data = _export(coded, tmp_path)
    good = _with_context(_annotations(data)[0], data["@context"])
    musts = schemas("annotations/annotationMusts.test")
    for damage in (
        lambda a: a.update(created="yesterday"),
        lambda a: a.update({"@context": "http://example.org/other.jsonld"}),
        lambda a: a.pop("target"),
        lambda a: a.update(id="not an iri"),
        lambda a: a["target"]["selector"][0].pop("exact"),
    ):
        broken = copy.deepcopy(good)
        damage(broken)
        assert failures(musts, broken), broken


def test_collection_and_pages_pass_the_suite(coded, tmp_path):
    _, data = _export(coded, tmp_path, page_size=3)
    assert failures(schemas("collections/collectionMusts.test"), data) == []
    page_musts = schemas("collections/pages/pageMusts.test")
    pages = _pages(data)
    assert [len(page["items"]) for page in pages] == [3, 1]
    for page in pages:
        assert failures(page_musts, _with_context(page, data["@context"])) == [], page["id"]
    assert data["type"] == "AnnotationCollection" and data["total"] == 4
    assert data["last"] == pages[1]["id"] and pages[0]["next"] == pages[1]["id"]
    assert pages[1]["prev"] == pages[0]["id"] and "next" not in pages[1]
    assert [page["partOf"] for page in pages] == [
        {"id": data["id"], "label": data["label"], "total": 4}] * 2
    assert [page["startIndex"] for page in pages] == [0, 3]


def test_annotation_content(coded, tmp_path):
    _, data = _export(coded, tmp_path)
    by_quote = {a["target"]["selector"][0]["exact"]: a for a in _annotations(data)}
    claim = by_quote["compliance costs would push start-ups abroad"]
    assert claim["motivation"] == ["classifying", "commenting"]
    assert claim["creator"] == {"type": "Person", "nickname": "ana"}
    assert claim["created"].endswith("Z") and claim["modified"].endswith("Z")
    code_ids = [body.pop("code") for body in claim["body"][:2]]
    assert claim["body"] == [
        {"type": "TextualBody", "purpose": "tagging", "value": "Compliance costs",
         "codePath": ["Costs of regulation", "Compliance costs"]},
        {"type": "TextualBody", "purpose": "tagging", "value": "Data economy"},
        {"type": "TextualBody", "purpose": "commenting", "format": "text/markdown",
         "value": "Claim with **no** figures."},
    ]
    # A code has one id wherever it tags: "Data economy" also tags another passage.
    assert all(code.startswith("urn:uuid:") for code in code_ids)
    other = by_quote["“single market for data” remains a promise"]["body"]
    assert other["value"] == "Data economy" and other["code"] == code_ids[1]
    coded.exchange.record([("code", coded.codes.by_name("Data economy").id,
                            "7E57C0DE-0000-4000-8000-000000000001")])
    _, again = _export(coded, tmp_path)
    tags = [b for a in _annotations(again) for b in _bodies(a) if b["value"] == "Data economy"]
    assert {b["code"] for b in tags} == {"urn:uuid:7e57c0de-0000-4000-8000-000000000001"}
    assert claim["actor"] == {"type": "Organization", "name": "Industry groups",
                              "affiliation": "Trade bodies"}
    assert claim["stance"] == "supports"
    assert claim["target"]["source"] == "https://ledger.example/ai-act?id=7"
    note_only = by_quote["data portability"]
    assert note_only["motivation"] == "commenting" and "stance" not in note_only
    assert note_only["body"]["purpose"] == "commenting"


def test_positions_count_code_points_and_a_text_without_address_gets_a_urn(coded, tmp_path):
    _, data = _export(coded, tmp_path)
    article = coded.articles.get(2)
    text = article.text
    for annotation in _annotations(data):
        if annotation["target"]["source"] != f"{ARTICLE_URN}{article.content_hash}":
            continue
        quote, position = annotation["target"]["selector"]
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"]
        assert text[:start].endswith(quote["prefix"]) and text[end:].startswith(quote["suffix"])
        # The flag (two regional indicators) and the rocket before it are 3 code points
        # outside the BMP: 6 UTF-16 units, which a JavaScript client would count.
        utf16_start = len(text[:start].encode("utf-16-le")) // 2
        assert utf16_start == start + 3
    sources = {a["target"]["source"] for a in _annotations(data)}
    assert f"{ARTICLE_URN}{article.content_hash}" in sources


def test_expands_as_json_ld_to_the_model_and_our_terms(coded, tmp_path):
    _, data = _export(coded, tmp_path, page_size=3)
    [collection] = expand(data)
    assert collection["@type"] == [f"{AS}OrderedCollection"]
    pages = [collection[f"{AS}first"][0], *collection["@included"]]
    assert all(page["@type"] == [f"{AS}OrderedCollectionPage"] for page in pages)
    annotations = [item for page in pages for item in page[f"{AS}items"][0]["@list"]]
    assert len(annotations) == 4
    claim = next(a for a in annotations if f"{BR}actor" in a and a[f"{BR}stance"][0][
        "@value"] == "supports")
    assert claim["@type"] == [f"{OA}Annotation"]
    target = claim[f"{OA}hasTarget"][0]
    assert target[f"{OA}hasSource"] == [{"@id": "https://ledger.example/ai-act?id=7"}]
    selectors = {s["@type"][0]: s for s in target[f"{OA}hasSelector"]}
    assert selectors[f"{OA}TextQuoteSelector"][f"{OA}exact"][0]["@value"] == \
        "compliance costs would push start-ups abroad"
    assert f"{OA}start" in selectors[f"{OA}TextPositionSelector"]
    purposes = {b[f"{OA}hasPurpose"][0]["@id"] for b in claim[f"{OA}hasBody"]}
    assert purposes == {f"{OA}tagging", f"{OA}commenting"}
    assert {m["@id"] for m in claim[f"{OA}motivatedBy"]} == {f"{OA}classifying",
                                                              f"{OA}commenting"}
    actor = claim[f"{BR}actor"][0]
    assert actor["@type"] == ["http://xmlns.com/foaf/0.1/Organization"]
    assert actor[f"{BR}affiliation"] == [{"@value": "Trade bodies"}]
    assert claim["http://purl.org/dc/terms/creator"][0]["http://xmlns.com/foaf/0.1/nick"] == [
        {"@value": "ana"}]
    tagged = [b for b in claim[f"{OA}hasBody"] if f"{BR}codePath" in b]
    assert tagged[0][f"{BR}codePath"][0]["@list"][0] == {"@value": "Costs of regulation"}
    assert tagged[0][f"{BR}code"][0]["@id"].startswith("urn:uuid:")


def test_scope_narrows_and_ids_are_stable(coded, tmp_path):
    result, data = _export(coded, tmp_path, PassageScope(codes=("Costs of regulation",)))
    assert result.passages == 2 and result.articles == 1 and result.fmt == "w3c"
    assert {a["target"]["selector"][0]["exact"] for a in _annotations(data)} == {
        "compliance costs would push start-ups abroad", "replace a patchwork, said"}
    first = (tmp_path / "out.jsonld").read_bytes()
    _export(coded, tmp_path, PassageScope(codes=("Costs of regulation",)))
    assert (tmp_path / "out.jsonld").read_bytes() == first
    ids = [a["id"] for a in _annotations(data)]
    assert len(set(ids)) == 2 and all(i.startswith("urn:uuid:") for i in ids)
    _, everything = _export(coded, tmp_path)
    assert set(ids) <= {a["id"] for a in _annotations(everything)}


def test_an_empty_scope_is_an_empty_collection(archive, tmp_path):
    result, data = _export(archive, tmp_path)
    assert result.passages == 0 and data["total"] == 0 and "first" not in data
    assert failures(schemas("collections/collectionMusts.test"), data) == []


def test_cancel_writes_nothing(coded, tmp_path):
    path = tmp_path / "out.jsonld"
    with pytest.raises(JobCancelled):
        export_w3c(coded, path, PassageScope(), Progress(is_cancelled=lambda: True))
    assert not path.exists()


def test_an_orphaned_passage_keeps_its_quote_but_not_offsets_that_moved_on(coded, tmp_path):
    """Its article's text changed and the quote is gone: the offsets would point at other
    words, so only the TextQuoteSelector goes (still a valid annotation)."""
    article = coded.articles.get(3)
    passage_id = annotate(coded, 3, code_names=["Data economy"],
                          quote="fisheries quotas").value.annotation_id
    save_document(coded, ImportedDocument(title=article.title, origin="test", url=article.url,
                                          text="A new text about rail freight and ports."))
    passage = coded.annotations.get(passage_id)
    assert passage.anchor_state == "orphaned"
    _, data = _export(coded, tmp_path)
    [orphan] = [a for a in _annotations(data) if a["target"]["source"] == article.url]
    assert orphan["target"]["selector"] == {
        "type": "TextQuoteSelector", "exact": passage.exact, "prefix": passage.prefix,
        "suffix": passage.suffix}
    standalone = _with_context(orphan, data["@context"])
    assert failures(schemas("annotations/annotationMusts.test"), standalone) == []
    others = [a for a in _annotations(data) if a is not orphan]
    assert all(len(a["target"]["selector"]) == 2 for a in others)


def test_after_a_refi_qda_export_passages_are_named_by_their_guids(coded, tmp_path):
    """One identity per passage across formats: the GUIDs a .qdpx export records name the
    same passages in the W3C export."""
    export_qdpx(coded, tmp_path / "p.qdpx", PassageScope())
    guids = coded.exchange.guids("passage")
    assert len(guids) == 4
    _, data = _export(coded, tmp_path)
    assert sorted(a["id"] for a in _annotations(data)) == sorted(
        f"urn:uuid:{guid.lower()}" for guid in guids.values())


def test_the_export_gets_the_umask_mode_like_any_new_file(coded, tmp_path):
    """Written through mkstemp (0600) it was private while other exports were 0644."""
    import os

    old = os.umask(0o022)
    try:
        _export(coded, tmp_path)
        assert (tmp_path / "out.jsonld").stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)
