"""W3C Web Annotation import: our own files round-trip, the W3C suite's examples and
Hypothesis rows are anchored or reported with a reason (never dropped), malformed files are
refused naming the file and the problem, and one import is one undo step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.anchoring.passages import save_document
from desktop.core.archive import Archive
from desktop.core.errors import AmbiguousQuote, InvalidExchangeFile
from desktop.core.exchange import w3c as w3c_module
from desktop.core.exchange.w3c import export_w3c, looks_like_w3c, read_w3c
from desktop.core.interop.web_annotation import NotAnnotations, Selection, read_document
from desktop.core.jobs import JobCancelled, Progress
from desktop.core.model import ImportedDocument
from desktop.core.ops.passages import annotate
from desktop.core.ops.w3c_import import import_w3c, locate, url_key
from desktop.core.passage_table import PassageScope
from tests.core.exchange.w3c_archive import coded_archive, fill
from tests.core.exchange.w3c_suite import suite_root


def _rows(archive: Archive) -> list[tuple]:
    """Every passage as plain values, to compare archives row by row."""
    return sorted(
        (p.id, p.article_id, p.start, p.end, p.exact, p.note, p.stance, p.actor, p.coder,
         p.created_at, p.updated_at, tuple(c.name for c in p.codes))
        for p in archive.annotations.all())


def _state(archive: Archive) -> tuple:
    return (_rows(archive), [(c.id, c.name, c.parent_id) for c in archive.codes.all()],
            [(a.id, a.name, a.kind, a.affiliation) for a in archive.actors.all()],
            archive.exchange.guids("passage"), archive.exchange.guids("code"))


def _import(archive: Archive, path: Path, **kwargs):
    return import_w3c(archive, read_w3c(path), **kwargs)


def _annotations(data: dict) -> list[dict]:
    pages = [data["first"], *data.get("@included", [])] if "first" in data else []
    return [item for page in pages for item in page["items"]]


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def exported(archive, tmp_path):
    coded_archive(archive)
    path = tmp_path / "ours.jsonld"
    export_w3c(archive, path, PassageScope(), page_size=3)
    return path


def test_round_trip_into_a_fresh_archive_gives_the_same_annotations(exported, tmp_path):
    first = json.loads(exported.read_text(encoding="utf-8"))
    fresh = Archive.open(":memory:")
    try:
        save_document(fresh, ImportedDocument(title="Filler", origin="t", text="Shifts ids."))
        fill(fresh)
        result = _import(fresh, exported, coder="nobody")
        report = result.value
        assert report.passages == 4 and report.skipped == [] and report.fmt == "w3c"
        assert report.codes_added == 4 and report.actors_added == 2
        assert sorted(report.coders) == ["ana", "ben"]
        again = tmp_path / "again.jsonld"
        export_w3c(fresh, again, PassageScope(), page_size=3)
        second = json.loads(again.read_text(encoding="utf-8"))
        key = lambda a: a["id"]  # noqa: E731
        assert sorted(_annotations(second), key=key) == sorted(_annotations(first), key=key)
        assert second["total"] == first["total"] == 4
        # The sub-codes came back under their parent.
        parent = fresh.codes.by_name("Costs of regulation")
        assert fresh.codes.by_name("Compliance costs").parent_id == parent.id
    finally:
        fresh.close()


def test_import_is_one_undo_step_with_an_exact_inverse(exported):
    fresh = Archive.open(":memory:")
    try:
        fill(fresh)
        fresh.codes.add("Data economy", colour="#123456")  # an existing code is used
        before = _state(fresh)
        result = _import(fresh, exported)
        assert result.value.codes_merged == 1 and result.value.codes_added == 3
        after = _state(fresh)
        assert after != before and result.changes.annotations and result.changes.codes
        undone = result.inverse(fresh)
        assert _state(fresh) == before
        undone.inverse(fresh)  # redo: the same rows under the same ids
        assert _state(fresh) == after
    finally:
        fresh.close()


def test_ids_are_kept_as_guids_shared_with_refi_qda(exported, tmp_path):
    """An imported urn:uuid id is recorded as the passage's GUID (what a REFI-QDA export
    names it by), undone with the import; a GUID recorded for a passage is its id."""
    ids = sorted(a["id"] for a in _annotations(json.loads(exported.read_text("utf-8"))))
    fresh = Archive.open(":memory:")
    try:
        fill(fresh)
        result = _import(fresh, exported)
        guids = fresh.exchange.guids("passage")
        assert sorted(f"urn:uuid:{g}" for g in guids.values()) == ids
        result.inverse(fresh)
        assert fresh.exchange.guids("passage") == {}
        # A GUID another format gave a passage (upper case, as NVivo writes them) names it.
        passage = annotate_first(fresh)
        fresh.exchange.record([("passage", passage, "0A1B2C3D-0000-4000-8000-00000000ABCD")])
        export_w3c(fresh, tmp_path / "g.jsonld", PassageScope())
        [only] = _annotations(json.loads((tmp_path / "g.jsonld").read_text("utf-8")))
        assert only["id"] == "urn:uuid:0a1b2c3d-0000-4000-8000-00000000abcd"
    finally:
        fresh.close()


def annotate_first(archive: Archive) -> int:
    """A passage of unknown coder on the first article; its id."""
    return annotate(archive, 1, code_names=[], quote="Ministers met", note="n").value.annotation_id


def test_our_passages_of_unknown_coder_stay_unknown(archive, tmp_path):
    fill(archive)
    annotate_first(archive)
    path = tmp_path / "unknown.jsonld"
    export_w3c(archive, path, PassageScope())
    assert "creator" not in _annotations(json.loads(path.read_text("utf-8")))[0]
    fresh = Archive.open(":memory:")
    try:
        fill(fresh)
        report = _import(fresh, path, coder="importer").value
        assert [p.coder for p in fresh.annotations.all()] == [""] and report.coders == []
    finally:
        fresh.close()


def test_a_hypothesis_client_export_file_is_read(archive, tmp_path):
    fill(archive)
    path = _write(tmp_path, "hypothesis-export.json", {
        "export_date": "2024-05-01T00:00:00.000Z", "export_userid": "acct:alice@hypothes.is",
        "client_version": "1.1", "annotations": [_hypothesis_row()]})
    assert looks_like_w3c(path)
    report = _import(archive, path).value
    assert report.fmt == "hypothesis" and report.passages == 1
    # An annotation's own page (links.html) names it in the report.
    page_note = _hypothesis_row(id="x1", target=[{"source": "https://ledger.example/x"}],
                                links={"html": "https://hyp.example/a/x1"})
    report = _import(archive, _write(tmp_path, "one.json", {"rows": [page_note]})).value
    assert [s.name for s in report.skipped] == ["https://hyp.example/a/x1"]


def test_importing_our_file_twice_adds_nothing_the_second_time(exported):
    fresh = Archive.open(":memory:")
    try:
        fill(fresh)
        _import(fresh, exported)
        before = _state(fresh)
        second = _import(fresh, exported)
        assert second.inverse is None and second.value.passages == 0
        assert len(second.value.skipped) == 4
        assert all("already in the archive" in s.reason for s in second.value.skipped)
        assert _state(fresh) == before
    finally:
        fresh.close()


def test_the_suites_examples_are_anchored_or_reported(archive, tmp_path):
    samples = suite_root() / "annotation-model" / "tools" / "samples" / "correct"
    save_document(archive, ImportedDocument(
        title="Page one", origin="t", url="http://example.org/page1",
        text="Intro: this is an anotation that has some typos. Then text before the "
             "Selected Text and text after it ends the page."))
    placed, reasons = {}, {}
    total = 0
    for path in sorted(samples.glob("*.json")):
        parsed = read_w3c(path)
        total += parsed.count + len(parsed.document.skipped)
        report = import_w3c(archive, parsed).value
        placed[path.stem] = report.passages
        for skipped in report.skipped:
            reasons[(path.stem, skipped.name)] = skipped.reason
    # anno26 (a TextQuoteSelector) and anno32 (a FragmentSelector refined by one) land on
    # the page's words; the collection repeats both, and adds nothing new the second time.
    assert placed["anno26"] == placed["anno32"] == 1
    quotes = sorted(p.exact for p in archive.annotations.all())
    assert quotes == ["Selected Text", "anotation"]
    # Everything else is reported with its reason: nothing vanished.
    assert sum(placed.values()) + len(reasons) == total
    assert "whole resource 'http://example.com/page1'" in reasons[
        ("anno1", "http://example.org/anno1")]
    assert "CssSelector" in reasons[("anno24", "http://example.org/anno24")]
    assert "List of several resources" in reasons[("anno12", "http://example.org/anno12")]
    assert reasons[("anno27", "http://example.org/anno27")] == (
        "no article matches its target 'http://example.org/ebook1', and it has no quote "
        "to look for")
    assert "already in the archive" in reasons[("collection1", "http://example.org/anno26")]


def _hypothesis_row(**overrides):
    row = {
        "id": "Zx3aT1", "created": "2024-03-01T10:00:00.000000+00:00",
        "updated": "2024-03-02T11:30:00.000000+00:00",
        "user": "acct:alice@hypothes.is", "uri": "http://www.ledger.example/ai-act/?id=7#top",
        "text": "Costs *claimed*, not shown.", "tags": ["Compliance costs", "Lobbying"],
        "group": "__world__", "references": [],
        "target": [{"source": "https://ledger.example/ai-act?id=7", "selector": [
            {"type": "RangeSelector", "startContainer": "/main[1]/p[3]", "startOffset": 0,
             "endContainer": "/main[1]/p[3]", "endOffset": 44},
            {"type": "TextPositionSelector", "start": 1210, "end": 1254},
            {"type": "TextQuoteSelector", "exact": "compliance costs would push start-ups",
             "prefix": "Industry groups said ", "suffix": " abroad. The AI"}]}],
        "document": {"title": ["Ministers split"]},
    }
    row.update(overrides)
    return row


def test_hypothesis_rows_become_passages_or_reasons(archive, tmp_path):
    fill(archive)
    archive.codes.add("Compliance costs", colour="#aa0000")
    rows = [
        _hypothesis_row(),
        _hypothesis_row(id="page-note", target=[{"source": "https://ledger.example/x"}]),
        _hypothesis_row(id="reply", references=["Zx3aT1"]),
        _hypothesis_row(id="elsewhere", uri="https://mirror.example/copy", tags=[], target=[
            {"source": "https://mirror.example/copy", "selector": [
                {"type": "TextQuoteSelector", "exact": "fisheries quotas"}]}]),
        _hypothesis_row(id="ambiguous", uri="https://mirror.example/copy", target=[
            {"source": "https://mirror.example/copy", "selector": [
                {"type": "TextQuoteSelector", "exact": "The"}]}]),
        _hypothesis_row(id="missing", target=[{"source": "https://ledger.example/ai-act?id=7",
                                               "selector": [{"type": "TextQuoteSelector",
                                                             "exact": "never said"}]}]),
        _hypothesis_row(id="range-only", target=[{"source": "https://ledger.example/ai-act",
                                                  "selector": [{"type": "RangeSelector"}]}]),
    ]
    path = _write(tmp_path, "hypothesis.json", {"total": len(rows), "rows": rows})
    assert looks_like_w3c(path)
    result = _import(archive, path, coder="me")
    report = result.value
    assert report.fmt == "hypothesis" and report.passages == 2
    reasons = {s.name: s.reason for s in report.skipped}
    assert set(reasons) == {f"https://hypothes.is/a/{name}" for name in (
        "page-note", "reply", "ambiguous", "missing", "range-only")}
    assert "page note" in reasons["https://hypothes.is/a/page-note"]
    assert "reply" in reasons["https://hypothes.is/a/reply"]
    assert "ambiguous" in reasons["https://hypothes.is/a/ambiguous"]
    assert "'never said' is not in the text of article 1" in reasons[
        "https://hypothes.is/a/missing"]
    assert "RangeSelector" in reasons["https://hypothes.is/a/range-only"]
    [claim] = archive.annotations.of_article(1)
    assert claim.exact == "compliance costs would push start-ups"
    assert [c.name for c in claim.codes] == ["Compliance costs", "Lobbying"]
    assert claim.note == "Costs *claimed*, not shown." and claim.coder == "alice"
    assert claim.created_at == "2024-03-01T10:00:00+00:00"
    assert claim.updated_at == "2024-03-02T11:30:00+00:00"
    [fish] = archive.annotations.of_article(3)  # no address matched: the quote is unique
    assert fish.exact == "fisheries quotas"
    assert report.codes_added == 1 and report.codes_merged == 1
    assert any("'Lobbying'" in w for w in report.warnings)
    assert any("placed by quote" in w for w in report.warnings)


def test_a_quote_is_placed_by_offsets_context_or_nearness():
    text = "aa X bb X cc X dd"
    assert locate(text, Selection("X", start=8, end=9)) == (8, 9)
    assert locate(text, Selection("X", prefix="cc ", suffix=" dd")) == (13, 14)
    assert locate(text, Selection("X", start=6, end=7)) == (8, 9)  # nearest to the offsets
    assert locate(text, Selection("X", prefix="aa ", start=12)) == (3, 4)  # context first
    assert locate("He said “yes” there.", Selection('"yes"')) == (8, 13)
    with pytest.raises(Exception, match="occurs 3 times"):
        locate(text, Selection("X"))
    with pytest.raises(Exception, match="is not in the text"):
        locate(text, Selection("Y"))


def test_addresses_match_without_scheme_www_fragment_or_slash():
    assert url_key("http://www.Ledger.example/ai-act/?id=7#top") == url_key(
        "https://ledger.example/ai-act?id=7")
    assert url_key("https://ledger.example/a") != url_key("https://ledger.example/b")
    assert url_key("https://ledger.example:8080/a") != url_key("https://ledger.example/a")
    for odd in ("http://[::1", "http://host:port/x", "urn:isbn:123", ""):  # never raise
        assert url_key(odd) == odd


def test_ours_without_creator_is_credited_to_the_given_coder(archive, tmp_path):
    fill(archive)
    path = _write(tmp_path, "one.jsonld", {
        "@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x:1", "type": "Annotation",
        "motivation": "tagging",
        "body": {"type": "TextualBody", "value": "Markets"},
        "target": {"source": "urn:briefing-reader:article:sha256:unknown", "selector": {
            "type": "TextQuoteSelector", "exact": "Markets react"}}})
    report = _import(archive, path, coder="carol").value
    [passage] = archive.annotations.all()
    assert passage.coder == "carol" and [c.name for c in passage.codes] == ["Markets"]
    assert report.coders == ["carol"]


@pytest.mark.parametrize(("content", "problem"), [
    (b"{\"@context\": \"http://www.w3.org/ns/anno.jsonld\", ", "is not valid JSON"),
    (b"", "is not valid JSON"),
    (b"{\"name\": \"a package\", \"version\": \"1.0\"}", "holds no Web Annotation"),
    (b"[1, 2, 3]", "holds no Web Annotation"),
    (b"\xff\xfe{}", "is not UTF-8"),
    (b"[" * 100000 + b"]" * 100000, "too deeply"),
])
def test_malformed_files_are_refused_naming_file_and_problem(archive, tmp_path, content,
                                                             problem):
    fill(archive)
    before = _state(archive)
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(InvalidExchangeFile) as caught:
        read_w3c(path)
    assert str(path) in str(caught.value) and problem in caught.value.reason
    assert _state(archive) == before


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path, monkeypatch, exported):
    monkeypatch.setattr(w3c_module, "MAX_BYTES", 1000)
    with pytest.raises(InvalidExchangeFile, match="over the"):
        read_w3c(exported)


def test_the_suites_ill_formed_samples_are_refused_or_read(archive):
    """Deliberately broken examples: each one that is not JSON is refused with a reason;
    the rest are read without error (the reader is lenient about the model's rules and
    the import reports what it cannot place)."""
    samples = suite_root() / "annotation-model" / "tools" / "samples" / "incorrect"
    not_json = 0
    for path in sorted(samples.glob("*.json")):
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            not_json += 1
            with pytest.raises(InvalidExchangeFile, match="is not valid JSON"):
                read_w3c(path)
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("type") != "Annotation":  # {}, no type, "Squirrel": not annotations
            with pytest.raises(InvalidExchangeFile, match="holds no Web Annotation"):
                read_w3c(path)
            continue
        parsed = read_w3c(path)
        report = import_w3c(archive, parsed).value  # nothing to anchor in: all reported
        assert report.passages == 0
        assert len(report.skipped) == parsed.count + len(parsed.document.skipped)
    assert not_json == 17  # as the corpus README counts them


def test_sniffing(tmp_path, exported):
    assert looks_like_w3c(exported)
    other = _write(tmp_path, "package.json", {"name": "x", "dependencies": {}})
    assert not looks_like_w3c(other)
    binary = tmp_path / "blob.json"
    binary.write_bytes(b"\x00\x01PK\x03\x04")
    assert not looks_like_w3c(binary)
    assert not looks_like_w3c(tmp_path / "absent.json")


def test_cancel_rolls_the_whole_import_back(exported):
    fresh = Archive.open(":memory:")
    try:
        fill(fresh)
        before = _state(fresh)
        calls = []

        def cancelled() -> bool:
            calls.append(1)
            return len(calls) > 1

        with pytest.raises(JobCancelled):
            import_w3c(fresh, read_w3c(exported), progress=Progress(is_cancelled=cancelled))
        assert _state(fresh) == before
    finally:
        fresh.close()



_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.floats(allow_nan=False)
    | st.sampled_from(["Annotation", "AnnotationPage", "AnnotationCollection", "TextualBody",
                       "TextQuoteSelector", "TextPositionSelector", "RangeSelector",
                       "Choice", "tagging", "commenting", "acct:a@b", "x", ""]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["type", "id", "body", "target", "selector", "source", "exact",
                         "prefix", "suffix", "start", "end", "items", "first", "next",
                         "@included", "@graph", "purpose", "value", "creator", "tags",
                         "rows", "uri", "user", "text", "references", "refinedBy",
                         "actor", "stance", "codePath", "motivation", "total", "name"]),
        inner, max_size=6),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_any_json_is_read_or_refused_with_a_reason(data):
    """Whatever JSON a file holds, reading it either gives annotations or says why not;
    no other exception escapes (the window and CLI show the reason, not a traceback)."""
    try:
        document = read_document(data)
    except NotAnnotations as error:
        refusal = str(error)
    else:
        refusal = ""
    if refusal:
        assert refusal.startswith("holds no")
        return
    for item in document.annotations:
        assert isinstance(item.name, str) and (item.selection is None) == bool(
            item.unanchorable)


_SELECTOR = st.fixed_dictionaries({"type": st.sampled_from(
    ["TextQuoteSelector", "TextPositionSelector", "RangeSelector", "CssSelector"])}, optional={
    "exact": st.sampled_from(["Ministers met", "The AI Act", "data", "absent words", "",
                              "“single market for data”", '"single market for data"']),
    "prefix": st.text(max_size=5), "suffix": st.text(max_size=5),
    "start": st.integers(-3, 400), "end": st.integers(-3, 400)})
_ANNOTATION = st.fixed_dictionaries({"type": st.just("Annotation")}, optional={
    "id": st.sampled_from(["urn:uuid:0b6c4a3e-1111-4222-8333-444455556666", "x", "urn:y"]),
    "target": st.one_of(st.sampled_from(["https://ledger.example/ai-act?id=7", "urn:z"]),
                        st.fixed_dictionaries({"source": st.sampled_from([
                            "https://ledger.example/ai-act?id=7", "http://other.example/page",
                            "https://nowhere.example/", "http://[::1", ""])}, optional={
                            "selector": st.one_of(_SELECTOR, st.lists(_SELECTOR, max_size=3))})),
    "body": st.lists(st.fixed_dictionaries(
        {"type": st.just("TextualBody"),
         "value": st.sampled_from(["Tag A", "tag a", "Costs", ""])},
        optional={"purpose": st.sampled_from(["tagging", "commenting", "describing"]),
                  "code": st.sampled_from(["urn:uuid:0b6c4a3e-1111-4222-8333-444455556666",
                                           "urn:uuid:0b6c4a3e-1111-4222-8333-444455556667",
                                           "x"])}),
        max_size=3),
    "stance": st.sampled_from(["supports", "against", 3]),
    "actor": st.fixed_dictionaries({"name": st.sampled_from(["Ann", "", "ann"])}),
    "creator": st.sampled_from(["acct:zed@h.is", "", {"name": "Yo"}]),
    "created": st.sampled_from(["2024-01-01T00:00:00Z", "not a date", ""])})


@settings(max_examples=150, deadline=None)
@given(st.lists(_ANNOTATION, min_size=1, max_size=6))
def test_every_annotation_is_imported_or_reported_and_undone_exactly(items):
    """Whatever annotations a file holds, each one becomes a passage, adds to one, or is
    reported with a reason; and the inverse restores the archive exactly."""
    archive = Archive.open(":memory:")
    try:
        fill(archive)
        before = _state(archive)
        document = read_document(items)
        parsed = w3c_module.W3cAnnotations(Path("f.jsonld"), document)
        result = import_w3c(archive, parsed, coder="me")
        report = result.value
        skipped = [s for s in report.skipped if s.what == "annotation"]
        added = [w for w in report.warnings if ": added to passage " in w]
        assert report.passages + len(skipped) + len(added) == len(document.annotations)
        assert all(s.reason for s in skipped)
        if result.inverse is None:
            assert _state(archive) == before
        else:
            result.inverse(archive)
            assert _state(archive) == before
    finally:
        archive.close()


def test_json_ld_keywords_stand_for_the_context_terms(archive, tmp_path):
    """`@id` and `@type` (JSON-LD's own keywords) read as `id` and `type`."""
    fill(archive)
    path = _write(tmp_path, "keywords.jsonld", {
        "@context": "http://www.w3.org/ns/anno.jsonld", "@id": "urn:uuid:"
        "0b6c4a3e-1111-4222-8333-444455556667", "@type": "Annotation",
        "target": {"@type": "SpecificResource", "source": {"@id": "http://other.example/page"},
                   "selector": {"@type": "TextQuoteSelector", "exact": "fisheries quotas"}}})
    report = _import(archive, path).value
    assert report.passages == 1 and report.skipped == []
    assert archive.exchange.guids("passage") == {
        archive.annotations.all()[0].id: "0b6c4a3e-1111-4222-8333-444455556667"}


def test_pages_are_followed_wherever_the_file_holds_them():
    """`first` as an IRI, pages in a JSON-LD @graph out of order, one page missing: every
    annotation held is read in page order and the missing page is said."""
    def note(n):
        return {"id": f"urn:a:{n}", "type": "Annotation", "target": {
            "source": "urn:s", "selector": {"type": "TextQuoteSelector", "exact": f"q{n}"}}}

    document = read_document({"@context": "http://www.w3.org/ns/anno.jsonld", "@graph": [
        {"id": "urn:p:2", "type": "AnnotationPage", "items": [note(3)], "next": "urn:p:3"},
        {"id": "urn:c", "type": "AnnotationCollection", "total": 5, "first": "urn:p:1"},
        {"id": "urn:p:1", "type": "AnnotationPage", "items": [note(1), note(2)],
         "next": "urn:p:2"},
    ]})
    assert [a.name for a in document.annotations] == ["urn:a:1", "urn:a:2", "urn:a:3"]
    assert document.warnings == ("the collection announces 5 annotations but the file holds "
                                 "3; pages not in the file were not read.",)


def test_actors_are_found_by_name_or_alias_and_created_once(archive, tmp_path):
    fill(archive)
    known = archive.actors.add("José Díaz", aliases=["J. Díaz"])

    def note(quote, actor):
        return {"id": f"urn:q:{quote}", "type": "Annotation", "actor": actor, "target": {
            "source": "https://ledger.example/ai-act?id=7",
            "selector": {"type": "TextQuoteSelector", "exact": quote}}}

    path = _write(tmp_path, "actors.jsonld", [
        note("Ministers met", {"type": "Person", "name": "j. diaz"}),
        note("Industry groups", {"type": "Organization", "name": "Trade Union X",
                                 "affiliation": "Labour"}),
        note("a second official", {"type": "Organization", "name": "trade union x"}),
    ])
    report = _import(archive, path).value
    assert report.passages == 3 and report.actors_added == 1
    by_quote = {p.exact: p.actor_id for p in archive.annotations.all()}
    assert by_quote["Ministers met"] == known
    created = archive.actors.find("Trade Union X")
    assert (created.kind, created.affiliation) == ("organisation", "Labour")
    assert by_quote["Industry groups"] == by_quote["a second official"] == created.id


def test_a_tag_goes_to_the_code_its_id_names_even_renamed(exported, tmp_path):
    fresh = Archive.open(":memory:")
    try:
        fill(fresh)
        _import(fresh, exported)  # creates the codes and keeps their ids
        data_economy = fresh.codes.by_name("Data economy")
        assert data_economy.id in fresh.exchange.guids("code")
        fresh.codes.update(data_economy.id, name="Digital economy")
        code_id = next(b["code"] for a in _annotations(json.loads(exported.read_text("utf-8")))
                       for b in (a["body"] if isinstance(a["body"], list) else [a["body"]])
                       if b["value"] == "Data economy")
        path = _write(tmp_path, "later.jsonld", {
            "@context": json.loads(exported.read_text("utf-8"))["@context"],
            "id": "urn:later", "type": "Annotation",
            "body": {"type": "TextualBody", "purpose": "tagging", "value": "Data economy",
                     "code": code_id},
            "target": {"source": "http://other.example/page",
                       "selector": {"type": "TextQuoteSelector", "exact": "fisheries"}}})
        codes_before = len(fresh.codes.all())
        report = _import(fresh, path).value
        [passage] = fresh.annotations.of_article(3)
        assert [c.name for c in passage.codes] == ["Digital economy"]
        assert len(fresh.codes.all()) == codes_before and report.codes_added == 0
        assert any("renamed since" in warning for warning in report.warnings)
    finally:
        fresh.close()


def test_an_id_repeated_in_a_file_is_imported_once_and_undone_exactly(archive, tmp_path):
    """Two annotations under one urn:uuid id (and a code id equal to it): one passage keeps
    the id, the other is reported, and the inverse leaves no GUID behind."""
    fill(archive)
    before = _state(archive)
    same = "urn:uuid:0b6c4a3e-1111-4222-8333-444455556666"

    def note(quote):
        return {"id": same, "type": "Annotation", "body": {
            "type": "TextualBody", "purpose": "tagging", "value": f"Tag {quote}",
            "code": same}, "target": {"source": "https://ledger.example/ai-act?id=7",
                                      "selector": {"type": "TextQuoteSelector",
                                                   "exact": quote}}}

    path = _write(tmp_path, "repeated.jsonld", [note("Ministers met"), note("Industry")])
    result = _import(archive, path)
    report = result.value
    assert report.passages == 1
    assert [s.reason for s in report.skipped] == [
        f"it is already in the archive (passage {archive.annotations.all()[0].id} was "
        "imported or exported with this id)"]
    assert list(archive.exchange.guids("passage").values()) == [same[9:]]
    result.inverse(archive)
    assert _state(archive) == before


def test_context_decides_spacing_aside():
    """A web page's prefix has tabs and line breaks where our text has a space or a
    paragraph break: it still says which occurrence is meant."""
    text = "The rule applies. Costs rise.\n\nThe rule applies. Jobs go."
    second = text.rindex("The rule applies")
    assert locate(text, Selection("The rule applies", prefix="Costs\t rise.\n",
                                  suffix=". Jobs\n go")) == (second, second + 16)
    assert locate(text, Selection("The rule applies", prefix="", suffix=".  Costs")) == (
        0, 16)
    # At our text's start, a prefix running past it fits (the page had a header we do
    # not keep); in the middle of the text, a prefix that is not there fits nowhere.
    assert locate(text, Selection("The rule applies", prefix="Site menu. ")) == (0, 16)
    with pytest.raises(AmbiguousQuote):
        locate("A. " + text, Selection("The rule applies", prefix="Site menu. "))
