"""Property tests over every importer with mutated real files (issue 14, "Fuzzing").

Seeds and mutations are benchmarks/fuzz_importers.py's (which runs 10,000 inputs per
importer); here hypothesis draws a seed and the mutator's random seed, 100 examples per
importer, so every test run covers each importer a little. The properties: only
`ImportFailed` subclasses escape, each input takes far less than an import worker's budget,
and an input that fails to import leaves the archive exactly as it was.
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from desktop.core.archive import Archive  # noqa: E402
from desktop.core.errors import ImportFailed  # noqa: E402
from desktop.core.importers import extract_data  # noqa: E402
from desktop.core.importers.feeds import extract_feed  # noqa: E402
from desktop.core.importing import import_paths  # noqa: E402

REPO = Path(__file__).resolve().parents[3]


def _fuzzer():
    spec = importlib.util.spec_from_file_location(
        "fuzz_importers", REPO / "benchmarks" / "fuzz_importers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FUZZER = _fuzzer()
MISSING = FUZZER.corpus_missing()
SUFFIX = {"html": ".html", "mhtml": ".mhtml", "feed": ".xml", "pdf": ".pdf",
          "docx": ".docx", "markdown": ".md", "text": ".txt"}
# Far below an import worker's 120 s: a mutant of a small seed that takes this long is a
# finding (the deadline applies to each example; hypothesis retries to confirm it).
DEADLINE_MS = 20_000


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    archive = Archive.open(tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite")
    yield archive
    archive.close()


@pytest.mark.skipif(MISSING is not None, reason=MISSING or "")
@pytest.mark.parametrize("kind", FUZZER.KINDS)
def test_mutated_files_raise_only_typed_import_errors(kind, archive, tmp_path_factory):
    pool = FUZZER.seeds(kind)
    assert pool, f"no seeds for {kind}"
    folder = tmp_path_factory.mktemp(f"fuzz-{kind}")

    @settings(max_examples=100, deadline=DEADLINE_MS, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(seed=st.integers(0, len(pool) - 1), mutation=st.integers(0, 2**32))
    def check(seed: int, mutation: int) -> None:
        data = FUZZER.mutate(pool[seed], pool, random.Random(mutation))
        try:
            extract_data(data, kind, "fuzz-input")
        except ImportFailed:
            path = folder / f"input{SUFFIX[kind]}"
            path.write_bytes(data)
            before = _state(archive)
            summary = import_paths(archive, [path], workers=0)
            assert summary.failed and not summary.imported and not summary.updated
            assert _state(archive) == before

    check()


def _state(archive: Archive) -> tuple:
    """Everything an import could change: the row counts and SQLite's change counter."""
    return (tuple(sorted(archive.counts().items())),
            archive._db.scalar("PRAGMA data_version"),
            archive._db.scalar("SELECT total_changes()"))


def test_a_feed_with_an_undeclared_prefix_on_its_root_is_a_typed_failure():
    """Found by the fuzzer: a recovered tree keeps 'rdf:RDF' (or 'ref:') as its tag when no
    namespace is declared, and lxml's QName refused it with a ValueError."""
    for data in (b"<rdf:RDF><channel><title>x</title></channel>", b"<ref:>text</ref:>"):
        with pytest.raises(ImportFailed):
            extract_feed(data, "odd.rdf")


def test_a_feed_link_that_is_no_address_is_dropped_not_raised():
    """Found by the fuzzer: an entry link with an unclosed IPv6 bracket made urlsplit raise
    ValueError out of the feed importer; the entry keeps no link instead."""
    data = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
            b"<link>https://example.org/</link><item><title>Entry</title>"
            b"<link>https://www.red[dit.com/a</link>"
            b"<description>Talent flight is debated by ministers.</description>"
            b"</item></channel></rss>")
    [document] = extract_feed(data, "f.rss").documents
    assert document.url is None
    assert "Talent flight" in document.text


def test_an_mhtml_part_in_utf7_with_a_lone_surrogate_is_a_typed_failure_or_text():
    """Found by the atheris run: a part whose charset (utf-7) decodes to a lone surrogate
    made re-encoding it as UTF-8 raise UnicodeEncodeError out of the MHTML importer."""
    data = (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n'
            b'--b\r\nContent-Type: text/html; charset="utf-7"\r\n'
            b"Content-Location: https://example.org/a\r\n\r\n"
            b"<html><head><title>T</title></head><body><p>Talent flight +2C8- is debated "
            b"by ministers in the capital this week.</p></body></html>\r\n--b--\r\n")
    try:
        extraction = extract_data(data, "mhtml", "odd.mhtml")
    except ImportFailed:
        return
    assert "Talent flight" in extraction.documents[0].text


def test_an_mhtml_charset_with_a_nul_in_its_name_is_read_as_utf8():
    """Found by the atheris run: the codec lookup refuses a name holding a NUL with a
    ValueError (not LookupError), which escaped the MHTML importer."""
    data = (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n'
            b'--b\r\nContent-Type: text/html; charset="utf\x00-8"\r\n'
            b"Content-Location: https://example.org/a\r\n\r\n"
            b"<html><head><title>T</title></head><body><p>Talent flight is debated by "
            b"ministers in the capital this week, again.</p></body></html>\r\n--b--\r\n")
    try:
        extraction = extract_data(data, "mhtml", "odd.mhtml")
    except ImportFailed:
        return
    assert "Talent flight" in extraction.documents[0].text
