"""Every passage records its coder, and two coders coding the same words keep a passage each.

Agreement (core/analysis/agreement.py) compares coders' passages: if the second coder's
codes landed on the first coder's passage (the "same span, no twin" rule), there would be
nothing to compare.
"""

from __future__ import annotations

from desktop.core.model import NewAnnotation
from desktop.core.ops import autocode as autocode_ops
from desktop.core.ops import passages


def test_code_passage_records_coder_and_keeps_coders_apart(demo_archive):
    code = demo_archive.codes.by_name("Talent flight").id
    other = demo_archive.codes.by_name("Safety").id
    first = passages.code_passage(demo_archive, 1, 0, 12, [code], coder="alice").value
    again = passages.code_passage(demo_archive, 1, 0, 12, [other], coder="alice").value
    second = passages.code_passage(demo_archive, 1, 0, 12, [code], coder="bob").value
    assert first.created and not again.created and again.annotation_id == first.annotation_id
    assert second.created and second.annotation_id != first.annotation_id
    alice = demo_archive.annotations.get(first.annotation_id)
    bob = demo_archive.annotations.get(second.annotation_id)
    assert (alice.coder, bob.coder) == ("alice", "bob")
    assert {c.id for c in alice.codes} == {code, other}
    assert [c.id for c in bob.codes] == [code]


def test_named_coder_gets_her_own_passage_beside_an_unknown_coders(demo_archive):
    """A passage with no coder name ('') is someone else's: a named coder coding the same
    words gets her own passage (codes, stance untouched on the old one), by hand and by
    autocode; only an unknown coder coding again extends it."""
    code = demo_archive.codes.by_name("Talent flight").id
    other = demo_archive.codes.by_name("Safety").id
    old = demo_archive.annotations.add(NewAnnotation(1, 0, 12, [code], stance="supports"))
    coded = passages.code_passage(demo_archive, 1, 0, 12, [other], stance="opposes",
                                  coder="carol").value
    assert coded.created and coded.annotation_id != old
    kept = demo_archive.annotations.get(old)
    assert [c.id for c in kept.codes] == [code] and kept.stance == "supports"
    carol = demo_archive.annotations.get(coded.annotation_id)
    assert carol.coder == "carol" and [c.id for c in carol.codes] == [other]
    run = autocode_ops.autocode(demo_archive, [(1, 0, 12)], [other], coder="gus")
    assert len(run.value.created) == 1 and run.value.created[0].coder == "gus"
    assert [c.id for c in demo_archive.annotations.get(old).codes] == [code]
    again = passages.code_passage(demo_archive, 1, 0, 12, [other], coder="").value
    assert again.annotation_id == old and not again.created
    assert {c.id for c in demo_archive.annotations.get(old).codes} == {code, other}


def test_coding_the_words_of_a_demo_passage_makes_the_coders_own(demo_archive):
    """The trial: coding exactly a demo passage's words changed the demo's passage."""
    demo = demo_archive.annotations.of_article(1)[0]
    assert demo.coder == "Demo coder"
    other = next(c for c in demo_archive.codes.all() if c.id not in {x.id for x in demo.codes})
    coded = passages.code_passage(demo_archive, 1, demo.start, demo.end, [other.id],
                                  coder="ana").value
    assert coded.created and coded.annotation_id != demo.id
    assert demo_archive.annotations.get(demo.id).codes == demo.codes


def test_new_code_annotate_and_autocode_record_the_coder(demo_archive):
    made = passages.code_passage_with_new_code(demo_archive, 1, 0, 12, "Brand new",
                                               coder="dana").value
    assert demo_archive.annotations.get(made.annotation_id).coder == "dana"
    text = demo_archive.articles.get(1).text
    quote = " ".join(text.split()[2:6])
    annotated = passages.annotate(demo_archive, 1, code_names=["Safety"], quote=quote,
                                  coder="erin").value
    assert demo_archive.annotations.get(annotated.annotation_id).coder == "erin"
    code = demo_archive.codes.by_name("Safety").id
    run = autocode_ops.autocode(demo_archive, [(1, 0, 12)], [code], coder="fay")
    created = run.value.created
    assert len(created) == 1 and created[0].coder == "fay"  # dana's passage is not fay's
    assert run.inverse is not None
    run.inverse(demo_archive)
    assert created[0].id not in {a.id for a in demo_archive.annotations.of_article(1)}
