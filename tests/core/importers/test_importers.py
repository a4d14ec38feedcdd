"""Text and Markdown import: canonical text, metadata, encodings and refusals."""

from __future__ import annotations

import pytest

from desktop.core.errors import EmptyDocument, UndecodableText, UnsupportedFormat
from desktop.core.importers import extract_one
from desktop.core.importing import import_paths


def test_plain_text_with_blank_lines_joins_wrapped_lines(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("A short title\n\nFirst line of a paragraph\nwrapped here.\n\n\nSecond one.\n")
    document = extract_one(path)
    assert document.title == "A short title"
    assert document.text == "First line of a paragraph wrapped here.\n\nSecond one."
    assert document.origin == str(path)


def test_plain_text_without_blank_lines_makes_each_line_a_paragraph(tmp_path):
    path = tmp_path / "eu-ai-statement.txt"
    path.write_text("The CEOs argued rules are fragmented.\nThey warned of talent flight.\n")
    document = extract_one(path)
    # the first line reads as a sentence; the text uses none of the name's words
    assert document.title == "eu ai statement"
    assert document.text.split("\n\n") == [
        "The CEOs argued rules are fragmented.", "They warned of talent flight."]


def test_markdown_metadata_headings_and_inline_markup(tmp_path):
    path = tmp_path / "article.md"
    path.write_text(
        "Title: Rules and talent\nByline: A. Writer\nOutlet: Policy Desk\n"
        "Published: 2024-09-19\nURL: https://policy.example/rules\nLanguage: en\n\n"
        "Intro with *emphasis* and a [link](https://x.example).\n\n"
        "## The argument\n\n- first point\n- second point\n"
    )
    document = extract_one(path)
    assert document.title == "Rules and talent"
    assert (document.byline, document.outlet, document.published, document.url,
            document.language) == ("A. Writer", "Policy Desk", "2024-09-19",
                                   "https://policy.example/rules", "en")
    assert document.text == (
        "Intro with emphasis and a link.\n\nThe argument\n\nfirst point\n\nsecond point")
    [heading] = document.headings
    assert document.text[heading.start:heading.end] == "The argument"
    assert heading.level == 2


def test_markdown_without_metadata_takes_first_h1_as_title(tmp_path):
    path = tmp_path / "plain.md"
    path.write_text("# Big title\n\nBody text.\n")
    document = extract_one(path)
    assert (document.title, document.text, document.published) == ("Big title", "Body text.",
                                                                  None)


def test_non_utf8_text_is_decoded_with_detected_encoding(tmp_path):
    path = tmp_path / "latin.txt"
    text = ("Les dirigeants européens ont déclaré que la réglementation était fragmentée. "
            "Ils évoquent une fuite des talents et un déficit d'investissement à l'été. ") * 4
    path.write_bytes(text.encode("cp1252"))
    document = extract_one(path)
    assert "européens" in document.text
    assert "fuite des talents" in document.text


def test_binary_file_is_refused_with_its_name(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(UndecodableText) as error:
        extract_one(path)
    assert str(path) in str(error.value)


def test_empty_and_unsupported_files_are_refused(tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_text("   \n\n")
    with pytest.raises(EmptyDocument, match="no text"):
        extract_one(empty)
    other = tmp_path / "slides.pptx"
    other.write_bytes(b"PK")
    with pytest.raises(UnsupportedFormat, match=r"\.pptx is not a supported format"):
        extract_one(other)


def test_import_paths_walks_folders_and_summarises(archive, tmp_path):
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "one.txt").write_text("One\n\nFirst article text.")
    (folder / "sub" / "two.md").write_text("# Two\n\nSecond article text.")
    (folder / "sub" / "copy.txt").write_text("One\n\nFirst article text.")
    (folder / "ignored.bin").write_bytes(b"\x00\x01")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    missing = tmp_path / "missing.txt"
    summary = import_paths(archive, [folder, missing])
    assert len(summary.imported) == 2
    assert summary.duplicates == [str(folder / "sub" / "copy.txt")]
    failed = dict(summary.failed)
    assert set(failed) == {str(folder / "bad.txt"), str(missing)}
    assert "binary" in failed[str(folder / "bad.txt")]
    assert archive.articles.count() == 2


def test_import_stops_between_files_when_cancelled(archive, tmp_path):
    from desktop.core.jobs import Progress

    for number in range(5):
        (tmp_path / f"{number}.txt").write_text(f"Title {number}\n\nBody {number}.")
    seen: list[str] = []  # one report at the start, then one per finished file
    progress = Progress(report=lambda f, text: seen.append(text),
                        is_cancelled=lambda: len(seen) >= 3)
    summary = import_paths(archive, [tmp_path], progress)
    assert summary.cancelled
    assert len(summary.imported) == 2
    assert archive.articles.count() == 2


def test_seed_article_imports_as_a_user_would(archive, seed_dir):
    summary = import_paths(archive, [seed_dir])
    assert len(summary.imported) == 1, summary.failed
    article = archive.articles.get(summary.imported[0])
    assert "talent" in article.text.lower() or "developer" in article.text.lower()
    assert len(article.text.split("\n\n")) > 3
    # the file name spelled as the statement spells its words, not "Eu open source ai ..."
    assert article.title == "EU open source AI statement"


def test_markdown_keeps_reading_order_of_nested_and_unclosed_blocks(tmp_path):
    path = tmp_path / "nested.md"
    path.write_text("# T\n\n- Item A\n    - sub A1\n- Item B\n\n<p>one<p>two</p>\n")
    text = extract_one(path).text
    assert text.split("\n\n") == ["Item A", "sub A1", "Item B", "one", "two"]


def test_utf8_with_a_stray_byte_keeps_the_utf8_reading(tmp_path):
    path = tmp_path / "mixed.txt"
    body = "Europäische Regeln für offene KI-Modelle werden überarbeitet. " * 20
    path.write_bytes(body.encode("utf-8") + b" stray \x96 byte.")
    text = extract_one(path).text
    assert "Europäische" in text and "für" in text
    assert "\ufffd" in text


def test_one_odd_file_never_stops_the_import(archive, tmp_path, monkeypatch):
    import desktop.core.importing as importing

    (tmp_path / "a.txt").write_text("A\n\nFirst.")
    (tmp_path / "b.txt").write_text("B\n\nSecond.")
    real = importing.extract_file

    def flaky(path, password=None):
        if path.name == "a.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, password=password)

    monkeypatch.setattr(importing, "extract_file", flaky)
    summary = import_paths(archive, [tmp_path], workers=0)  # the spy is in this process
    assert len(summary.imported) == 1
    [(failed_path, reason)] = summary.failed
    assert failed_path.endswith("a.txt") and "RecursionError" in reason


def test_hidden_files_are_skipped_and_empty_folders_reported(archive, tmp_path):
    (tmp_path / "docs" / ".git").mkdir(parents=True)
    (tmp_path / "docs" / ".git" / "notes.txt").write_text("N\n\nHidden.")
    (tmp_path / "docs" / ".draft.md").write_text("# D\n\nHidden too.")
    (tmp_path / "odts").mkdir()
    (tmp_path / "odts" / "a.odt").write_bytes(b"PK\x03\x04")
    summary = import_paths(archive, [tmp_path / "docs", tmp_path / "odts"])
    assert summary.imported == []
    reasons = dict(summary.failed)
    assert set(reasons) == {str(tmp_path / "docs"), str(tmp_path / "odts")}
    assert "no files of a supported type" in reasons[str(tmp_path / "odts")]


# -- titles -----------------------------------------------------------------------------


def test_file_name_title_takes_the_spelling_the_text_uses(tmp_path):
    path = tmp_path / "eu-open-source-ai-statement.txt"
    path.write_text("Two founders wrote to the EU about open source models.\n"
                    "They said AI rules in the EU were unclear; open source needs room.\n")
    assert extract_one(path).title == "EU open source AI statement"


def test_file_name_title_keeps_the_case_it_is_written_in(tmp_path):
    path = tmp_path / "EU-AI-Act_notes.md"
    path.write_text("Some notes on the act were written here.\n\nAnd more notes.\n")
    assert extract_one(path).title == "EU AI Act notes"


def test_file_name_title_capitalises_only_a_known_ordinary_first_word(tmp_path):
    ordinary = tmp_path / "climate-policy-memo.txt"
    ordinary.write_text("Our climate memo covers the policy.\nClimate is hard.\n")
    assert extract_one(ordinary).title == "Climate policy memo"
    unknown = tmp_path / "nato-memo.txt"  # "nato" never appears: it could be an acronym
    unknown.write_text("The alliance met on Friday.\nIt met again.\n")
    assert extract_one(unknown).title == "nato memo"


def test_a_first_line_that_reads_as_a_title_wins_over_the_file_name(tmp_path):
    path = tmp_path / "draft-3.txt"
    path.write_text("Pressure against the regulators\nTwo founders wrote a letter.\n"
                    "It asked for simpler rules.\n")
    document = extract_one(path)
    assert document.title == "Pressure against the regulators"
    assert document.text.startswith("Two founders wrote a letter.")
    question = tmp_path / "q.txt"
    question.write_text("Will the rules slow research?\n\nThe letter says they will.\n")
    assert extract_one(question).title == "Will the rules slow research?"


@pytest.mark.parametrize("first", [
    "5 December 2026",  # a dateline
    "The founders wrote a letter.",  # a sentence
    "- first point of a list",
    "Dear colleagues,",
    "Wrapped first paragraph that runs\nover two lines",
])
def test_a_first_line_that_does_not_read_as_a_title_stays_in_the_text(tmp_path, first):
    path = tmp_path / "memo-on-rules.txt"
    path.write_text(f"{first}\n\nThe body of the memo follows here.\n")
    document = extract_one(path)
    assert document.title == "Memo on rules"  # "memo" is an ordinary word in the text
    assert document.text.startswith(" ".join(first.split()))


def test_markdown_single_top_heading_of_any_level_is_the_title(tmp_path):
    path = tmp_path / "n.md"
    path.write_text("## Notes on the act\n\nBody.\n\n### Detail\n\nMore.\n")
    assert extract_one(path).title == "Notes on the act"
    sections = tmp_path / "sections.md"
    sections.write_text("## First part\n\nBody.\n\n## Second part\n\nMore.\n")
    document = extract_one(sections)
    assert document.title == "sections"
    assert document.text.startswith("First part")


def test_a_title_like_line_between_paragraphs_of_plain_text_is_a_heading(tmp_path):
    path = tmp_path / "statement.txt"
    path.write_text("The founders wrote to the regulators about training data at length.\n"
                    "Pressure on the regulators\n"
                    "They asked for one rule book instead of twenty-seven of them.\n"
                    "Kind regards\n")
    document = extract_one(path)
    assert [(document.text[h.start:h.end], h.level) for h in document.headings] == [
        ("Pressure on the regulators", 2)]
    assert document.text.split("\n\n")[1] == "Pressure on the regulators"  # text unchanged


def test_a_run_of_short_lines_is_text_not_headings(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text("The committee met in the spring to discuss the new rules.\n"
                    "Policy Desk\n12 Harbour Road\nSeaton\n"
                    "We look forward to hearing from you about the rules.\n")
    assert extract_one(path).headings == []
