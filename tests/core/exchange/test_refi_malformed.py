"""Malformed and unsafe REFI-QDA files are refused with the file and the reason, and the
archive is left as it was."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from desktop.core.errors import InvalidExchangeFile
from desktop.core.exchange import formats
from desktop.core.exchange.refi import export_qdpx, read_refi
from desktop.core.interop.refi_qda import safezip

GOOD_QDE = b"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
  <Sources>
    <TextSource guid="11111111-1111-1111-1111-111111111111" name="s"
                plainTextPath="internal://11111111-1111-1111-1111-111111111111.txt"/>
  </Sources>
</Project>"""
SOURCE = "sources/11111111-1111-1111-1111-111111111111.txt"


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def assert_refused(path: Path, *words: str) -> InvalidExchangeFile:
    with pytest.raises(InvalidExchangeFile) as caught:
        read_refi(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    for word in words:
        assert word in caught.value.reason
    return caught.value


def test_a_well_formed_minimal_project_reads(tmp_path):
    project = read_refi(_zip(tmp_path / "ok.qdpx", {"project.qde": GOOD_QDE,
                                                    SOURCE: b"Some text."}))
    assert [source.text for source in project.sources] == ["Some text."]


def test_a_qdpx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "x.qdpx"
    path.write_text("just text")
    assert_refused(path, "not a REFI-QDA project", "zip")


def test_a_zip_without_project_qde(tmp_path):
    assert_refused(_zip(tmp_path / "x.qdpx", {"word/document.xml": b"<w/>"}), "no project.qde")


def test_a_project_failing_the_schema(tmp_path):
    qde = GOOD_QDE.replace(b' name="p"', b"")  # name is required
    assert_refused(_zip(tmp_path / "x.qdpx", {"project.qde": qde, SOURCE: b"t"}),
             "does not follow the REFI-QDA project schema", "line 2, <Project> lacks the "
             "required attribute 'name'")


def test_a_project_in_another_namespace(tmp_path):
    qde = GOOD_QDE.replace(b"urn:QDA-XML:project:1.0", b"urn:other")
    assert_refused(_zip(tmp_path / "x.qdpx", {"project.qde": qde}), "not Project")


def test_xml_that_is_not_well_formed(tmp_path):
    assert_refused(_zip(tmp_path / "x.qdpx", {"project.qde": GOOD_QDE[:-12]}), "not well-formed")


def test_a_missing_source(tmp_path):
    assert_refused(_zip(tmp_path / "x.qdpx", {"project.qde": GOOD_QDE}), "incomplete", SOURCE)


@pytest.mark.parametrize("name", ["../evil.txt", "sources/../../evil.txt", "/etc/evil",
                                  "C:/evil.txt", "..\\evil.txt"])
def test_paths_outside_the_project_in_the_zip(tmp_path, name):
    assert_refused(_zip(tmp_path / "x.qdpx", {"project.qde": GOOD_QDE, SOURCE: b"t", name: b"x"}),
             "outside the project")


def test_a_source_path_outside_the_sources_folder(tmp_path):
    qde = GOOD_QDE.replace(b"internal://11111111-1111-1111-1111-111111111111.txt",
                           b"internal://../project.qde")
    assert_refused(_zip(tmp_path / "x.qdpx", {"project.qde": qde}), "outside the project's sources")


def test_a_zip_bomb(tmp_path):
    path = _zip(tmp_path / "x.qdpx", {"project.qde": GOOD_QDE,
                                      SOURCE: b"a" * (20 * 1024 * 1024)})
    assert_refused(path, "zip bomb", SOURCE)


def test_a_member_larger_than_we_read(tmp_path, monkeypatch):
    monkeypatch.setattr(safezip, "MAX_MEMBER_BYTES", 1000)
    text = bytes(range(256)) * 8  # barely compressible: no ratio alarm, only the size
    assert_refused(_zip(tmp_path / "x.qdpx", {"project.qde": GOOD_QDE, SOURCE: text}),
             "larger than Briefing Reader reads")


def test_the_total_read_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(safezip, "MAX_TOTAL_BYTES", len(GOOD_QDE) + 10)
    assert_refused(_zip(tmp_path / "x.qdpx", {"project.qde": GOOD_QDE, SOURCE: b"x" * 100}),
             "larger than Briefing Reader reads")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE Project [
  <!ENTITY a "aaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&c;"/>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>"""


@pytest.mark.parametrize("qde", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entity_declarations_are_refused(tmp_path, qde):
    assert_refused(_zip(tmp_path / "x.qdpx", {"project.qde": qde}), "entities")


def test_a_codebook_with_entities_or_the_wrong_root(tmp_path):
    bomb = tmp_path / "x.qdc"
    bomb.write_bytes(BILLION_LAUGHS)
    assert_refused(bomb, "entities")
    wrong = tmp_path / "y.qdc"
    wrong.write_bytes(GOOD_QDE)
    assert_refused(wrong, "not a REFI-QDA codebook")


def test_a_refused_file_changes_nothing(demo_archive, tmp_path):
    before = (demo_archive.articles.count(), demo_archive.annotations.count(),
              len(demo_archive.codes.all()), demo_archive.exchange.guids("code"))
    # A project whose codebook and first source are fine but whose second source is gone.
    good = tmp_path / "good.qdpx"
    export_qdpx(demo_archive, good)
    with zipfile.ZipFile(good) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members.pop(sorted(name for name in members if name.startswith("sources/"))[1])
    broken = _zip(tmp_path / "broken.qdpx", members)
    after_export = demo_archive.exchange.guids("code")
    with pytest.raises(InvalidExchangeFile, match="incomplete"):
        formats.import_exchange(demo_archive, broken)
    assert (demo_archive.articles.count(), demo_archive.annotations.count(),
            len(demo_archive.codes.all())) == before[:3]
    assert demo_archive.exchange.guids("code") == after_export


MIXED_QDE = b"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="mixed" origin="Some Tool 1.0">
  <Users><User guid="22222222-2222-2222-2222-222222222222" name="Dana"/></Users>
  <CodeBook><Codes>
    <Code guid="33333333-3333-3333-3333-333333333333" name="Risk" isCodable="true" color="#f00"/>
  </Codes></CodeBook>
  <Cases><Case guid="44444444-4444-4444-4444-444444444444" name="Interviewee A"/></Cases>
  <Sources>
    <PDFSource guid="55555555-5555-5555-5555-555555555555" name="Report" path="internal://r.pdf">
      <PDFSelection guid="66666666-6666-6666-6666-666666666666" page="1" firstX="0" firstY="0"
                    secondX="10" secondY="10"/>
      <Representation guid="77777777-7777-7777-7777-777777777777">
        <PlainTextContent>The risk is real.</PlainTextContent>
        <PlainTextSelection guid="88888888-8888-8888-8888-888888888888" startPosition="4"
                            endPosition="16" creatingUser="22222222-2222-2222-2222-222222222222">
          <Coding guid="99999999-9999-9999-9999-999999999999">
            <CodeRef targetGUID="33333333-3333-3333-3333-333333333333"/>
          </Coding>
        </PlainTextSelection>
        <PlainTextSelection guid="aaaaaaaa-8888-8888-8888-888888888888" startPosition="10"
                            endPosition="99"/>
      </Representation>
    </PDFSource>
    <PictureSource guid="bbbbbbbb-5555-5555-5555-555555555555" name="Photo" path="internal://p.png">
      <PictureSelection guid="cccccccc-6666-6666-6666-666666666666" firstX="0" firstY="0"
                        secondX="1" secondY="1"/>
    </PictureSource>
    <AudioSource guid="dddddddd-5555-5555-5555-555555555555" name="Talk" path="relative:///t.mp3"/>
    <TextSource guid="eeeeeeee-5555-5555-5555-555555555555" name="Elsewhere"
                plainTextPath="absolute:///C:/data/elsewhere.txt"/>
  </Sources>
  <Sets><Set guid="ffffffff-5555-5555-5555-555555555555" name="A set"/></Sets>
</Project>"""


def test_what_is_not_text_is_skipped_with_its_reason(archive, tmp_path):
    from desktop.core.ops.refi_import import import_refi

    path = _zip(tmp_path / "mixed.qdpx", {"project.qde": MIXED_QDE})
    report = import_refi(archive, read_refi(path), path=str(path)).value
    assert (report.articles_new, report.passages, report.codes_added) == (1, 1, 1)
    passage = archive.annotations.all()[0]
    assert (passage.exact, passage.coder, [c.name for c in passage.codes]) == (
        "risk is real", "Dana", ["Risk"])
    assert archive.codes.by_name("Risk").colour == "#ff0000"
    skipped = {(item.what, item.name): item.reason for item in report.skipped}
    assert set(skipped) == {
        ("PDF regions", "Report"), ("selection", "aaaaaaaa-8888-8888-8888-888888888888"),
        ("picture source", "Photo"), ("audio source", "Talk"), ("source", "Elsewhere"),
        ("case", "Interviewee A"), ("sets", "")}
    assert "coordinates" in skipped[("PDF regions", "Report")]
    assert "outside the text" in skipped[("selection", "aaaaaaaa-8888-8888-8888-888888888888")]
    assert "1 coded selection" in skipped[("picture source", "Photo")]
    assert "outside the project file" in skipped[("source", "Elsewhere")]


TRANSCRIBED_QDE = b"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="talk">
  <CodeBook><Codes>
    <Code guid="33333333-3333-3333-3333-333333333333" name="Risk" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <VideoSource guid="dddddddd-5555-5555-5555-555555555555" name="Hearing" path="internal://h.mp4">
      <Transcript guid="12121212-5555-5555-5555-555555555555" name="Hearing transcript">
        <PlainTextContent>Chair: the risk is real.\nWitness: I disagree.</PlainTextContent>
        <SyncPoint guid="a1a1a1a1-0000-0000-0000-000000000001" timeStamp="0" position="7"/>
        <SyncPoint guid="a1a1a1a1-0000-0000-0000-000000000002" timeStamp="900" position="24"/>
        <TranscriptSelection guid="b1b1b1b1-0000-0000-0000-000000000001"
            fromSyncPoint="a1a1a1a1-0000-0000-0000-000000000001"
            toSyncPoint="a1a1a1a1-0000-0000-0000-000000000002">
          <Coding guid="c1c1c1c1-0000-0000-0000-000000000001">
            <CodeRef targetGUID="33333333-3333-3333-3333-333333333333"/>
          </Coding>
        </TranscriptSelection>
      </Transcript>
      <VideoSelection guid="e1e1e1e1-0000-0000-0000-000000000001" begin="0" end="900"/>
    </VideoSource>
  </Sources>
</Project>"""


def test_a_video_transcript_becomes_an_article_with_its_coded_selections(archive, tmp_path):
    from desktop.core.ops.refi_import import import_refi

    path = _zip(tmp_path / "talk.qdpx", {"project.qde": TRANSCRIBED_QDE})
    report = import_refi(archive, read_refi(path), path=str(path)).value
    assert (report.articles_new, report.passages) == (1, 1)
    article = archive.articles.get(report.article_ids[0])
    assert article.title == "Hearing transcript"
    [passage] = archive.annotations.all()
    assert passage.exact == "the risk is real." and [c.name for c in passage.codes] == ["Risk"]
    [skipped] = report.skipped
    assert (skipped.what, skipped.name) == ("video source", "Hearing")
    assert "1 coded selection" in skipped.reason


def test_notes_on_codes_and_the_project_are_reported_and_source_memos_kept(archive, tmp_path):
    from desktop.core.ops.refi_import import import_refi

    qde = b"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="memos">
  <CodeBook><Codes>
    <Code guid="33333333-3333-3333-3333-333333333333" name="Risk" isCodable="true">
      <NoteRef targetGUID="44444444-4444-4444-4444-444444444444"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="11111111-1111-1111-1111-111111111111" name="s">
      <PlainTextContent>Some text.</PlainTextContent>
      <NoteRef targetGUID="55555555-5555-5555-5555-555555555555"/>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="44444444-4444-4444-4444-444444444444">
      <PlainTextContent>On the code.</PlainTextContent></Note>
    <Note guid="55555555-5555-5555-5555-555555555555">
      <PlainTextContent>On the source.</PlainTextContent></Note>
  </Notes>
  <NoteRef targetGUID="44444444-4444-4444-4444-444444444444"/>
</Project>"""
    path = _zip(tmp_path / "memos.qdpx", {"project.qde": qde})
    report = import_refi(archive, read_refi(path), path=str(path)).value
    assert archive.articles.get(report.article_ids[0]).memo == "On the source."
    assert sorted((item.what, item.name) for item in report.skipped) == [
        ("notes", ""), ("notes", "memos")]


def test_a_source_with_only_a_formatted_copy_is_read_from_its_docx(archive, tmp_path):
    import io

    import docx

    from desktop.core.ops.refi_import import import_refi

    document = docx.Document()
    document.add_paragraph("First paragraph of the memo, long enough to be text.")
    document.add_paragraph("Second paragraph.")
    buffer = io.BytesIO()
    document.save(buffer)
    qde = GOOD_QDE.replace(b'plainTextPath="internal://11111111-1111-1111-1111-111111111111.txt"',
                           b'plainTextPath="internal://11111111-1111-1111-1111-111111111111.txt"'
                           b' richTextPath="internal://11111111-1111-1111-1111-111111111111.docx"')
    path = _zip(tmp_path / "rich.qdpx", {"project.qde": qde, SOURCE: b"\n",
                                          SOURCE.replace(".txt", ".docx"): buffer.getvalue()})
    report = import_refi(archive, read_refi(path), path=str(path)).value
    assert report.articles_new == 1 and report.skipped == []
    assert "Second paragraph." in archive.articles.get(report.article_ids[0]).text
    assert any("formatted copy" in warning for warning in report.warnings)
