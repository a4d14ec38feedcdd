"""The bundled demo content and default codebook meet what the window needs."""

from __future__ import annotations

import pytest

from desktop.core.archive import Archive
from desktop.core.archive.annotations import AnnotationStore
from desktop.core.codebook import read_codebook
from desktop.core.demo import build_demo, demo_dir
from desktop.core.errors import InvalidResource
from desktop.core.importers import extract_one

REQUIRED_CODES = {
    "Talent flight", "Lost investment", "Regulatory fragmentation", "Legal uncertainty",
    "Delayed product access", "Competitiveness gap (US/Asia)", "Innovation slowdown",
    "Rights protection", "Safety", "Trust as an advantage", "Level playing field",
}


def test_demo_articles_are_between_300_and_900_words():
    paths = sorted((demo_dir() / "articles").glob("*.md"))
    assert len(paths) >= 12
    outlets = set()
    for path in paths:
        document = extract_one(path)
        words = len(document.text.split())
        assert 300 <= words <= 900, (path.name, words)
        assert document.title and document.byline and document.published and document.url
        outlets.add(document.outlet)
    assert len(outlets) >= 8


def test_default_codebook_is_hierarchical_with_descriptions_and_colours():
    from desktop.core.codebook import default_codebook_path

    data = read_codebook(default_codebook_path())
    names, colours = set(), set()

    def walk(codes, depth):
        for code in codes:
            names.add(code["name"])
            colours.add(code["colour"].lower())
            assert code["description"].strip(), code["name"]
            walk(code.get("children", []), depth + 1)

    walk(data["codes"], 0)
    assert names >= REQUIRED_CODES
    assert len(colours) == len(names)
    assert all(code.get("children") for code in data["codes"])


def test_demo_archive_has_coded_annotations_with_actor_and_stance(demo_archive):
    annotations = demo_archive.annotations.all()
    assert len(annotations) >= 30
    assert all(a.codes and a.actor and a.stance for a in annotations)
    assert all(a.anchor_state == "exact" for a in annotations)
    assert demo_archive.check().ok


def test_demo_build_is_one_transaction(monkeypatch):
    """A fault in the demo content half-way leaves the archive empty, not half-filled."""
    archive = Archive.open(":memory:")
    real_add = AnnotationStore.add
    calls = []

    def failing_add(self, new):
        calls.append(new)
        if len(calls) == 10:
            raise InvalidResource("forced failure mid-build")
        return real_add(self, new)

    monkeypatch.setattr(AnnotationStore, "add", failing_add)
    with pytest.raises(InvalidResource):
        build_demo(archive)
    assert all(count == 0 for count in archive.counts().values())
    archive.close()


def test_malformed_codebook_names_the_file(tmp_path):
    bad = tmp_path / "codebook.json"
    bad.write_text('{"codes": [{"name": "X", "colour": "red"}]}')
    with pytest.raises(InvalidResource) as error:
        read_codebook(bad)
    assert str(bad) in str(error.value)
    assert "invalid colour" in str(error.value)
