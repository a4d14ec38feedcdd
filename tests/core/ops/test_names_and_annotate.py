"""Coding by name: codes and actors resolved as people type them, passages by quote."""

from __future__ import annotations

import pytest

from desktop.core.errors import AmbiguousQuote, NotFound, QuoteNotFound
from desktop.core.ops.names import resolve_actor, resolve_codes, similar_actor
from desktop.core.ops.passages import annotate as annotate_op
from tests.core.archive.test_annotations_store import snapshot

QUOTE = "fragmented, applied inconsistently"


def annotate(archive, article_id, **kwargs):
    """The passage `annotate` coded, read back."""
    return archive.annotations.get(annotate_op(archive, article_id, **kwargs).value.annotation_id)


def test_resolve_codes_exact_case_and_accent_insensitive(demo_archive):
    talent = demo_archive.codes.by_name("Talent flight").id
    safety = demo_archive.codes.by_name("Safety").id
    assert resolve_codes(demo_archive, ["Talent flight", "SAFETY", " talent FLIGHT "]) == \
        [talent, safety]
    demo_archive.codes.update(safety, name="Sécurité")
    assert resolve_codes(demo_archive, ["securite"]) == [safety]


def test_unknown_code_suggests_close_names(demo_archive):
    with pytest.raises(NotFound, match=r"no code named 'Talnt flght'.*'Talent flight'"):
        resolve_codes(demo_archive, ["Talent flight", "Talnt flght"])
    with pytest.raises(NotFound) as error:
        resolve_codes(demo_archive, ["Quantum entanglement"])
    assert "Did you mean" not in str(error.value)


def test_resolve_actor_by_name_or_alias_never_creates(demo_archive):
    draghi = demo_archive.actors.find("Mario Draghi").id
    assert resolve_actor(demo_archive, "mario DRAGHI") == draghi
    assert resolve_actor(demo_archive, "draghi") == draghi  # an alias
    before = len(demo_archive.actors.all())
    with pytest.raises(NotFound, match="no actor named 'Nobody Atall'"):
        resolve_actor(demo_archive, "Nobody Atall")
    assert len(demo_archive.actors.all()) == before
    with pytest.raises(ValueError, match="needs a name"):
        resolve_actor(demo_archive, "  ")


def test_similar_actor_spotted_only_when_spelled_differently(archive):
    jose = archive.actors.add("José Díaz")
    assert similar_actor(archive, "jose  diaz").id == jose
    assert similar_actor(archive, "José Díaz") is None  # the same spelling: not "similar"
    assert similar_actor(archive, "Jose Diaz Junior") is None


def test_annotate_by_quote_with_new_actor(demo_archive):
    note = annotate(demo_archive, 1, code_names=["Talent flight", "legal uncertainty"],
                    quote=QUOTE, actor="Ada Example", stance="opposes", note="*n*")
    assert note.exact == QUOTE and note.stance == "opposes" and note.note == "*n*"
    assert {c.name for c in note.codes} == {"Talent flight", "Legal uncertainty"}
    assert note.actor == "Ada Example" and demo_archive.actors.find("ada example")
    assert demo_archive.check().ok


def test_annotate_by_offsets_reuses_actor(demo_archive):
    text = demo_archive.articles.get(1).text
    start = text.index(QUOTE)
    note = annotate(demo_archive, 1, code_names=["Safety"], start=start,
                    end=start + len(QUOTE), actor="mark zuckerberg")
    assert note.actor == "Mark Zuckerberg" and note.stance is None
    assert (note.start, note.end) == (start, start + len(QUOTE))


def test_annotate_failures_write_nothing_not_even_the_actor(demo_archive):
    before = snapshot(demo_archive)
    with pytest.raises(NotFound, match="Talent flight"):
        annotate(demo_archive, 1, code_names=["Talent flite"], quote=QUOTE, actor="New One")
    with pytest.raises(QuoteNotFound):
        annotate(demo_archive, 1, code_names=["Safety"], quote="no such words", actor="N")
    with pytest.raises(AmbiguousQuote):
        annotate(demo_archive, 1, code_names=["Safety"], quote="the", actor="New One")
    with pytest.raises(ValueError, match="outside the article"):
        annotate(demo_archive, 1, code_names=["Safety"], start=0, end=10**6, actor="N")
    with pytest.raises(ValueError, match="stance"):
        annotate(demo_archive, 1, code_names=["Safety"], quote=QUOTE, stance="for")
    with pytest.raises(ValueError, match="offsets, or a quote"):
        annotate(demo_archive, 1, code_names=["Safety"], quote=QUOTE, start=1, end=5)
    with pytest.raises(ValueError, match="offsets, or a quote"):
        annotate(demo_archive, 1, code_names=["Safety"], start=1)
    with pytest.raises(NotFound, match="no article"):
        annotate(demo_archive, 999, code_names=["Safety"], quote=QUOTE)
    assert snapshot(demo_archive) == before
