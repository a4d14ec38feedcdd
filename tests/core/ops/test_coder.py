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


def test_unknown_coder_passage_is_extended_not_twinned(demo_archive):
    """A passage coded before coders were recorded ('') is the analyst's own."""
    code = demo_archive.codes.by_name("Talent flight").id
    other = demo_archive.codes.by_name("Safety").id
    old = demo_archive.annotations.add(NewAnnotation(1, 0, 12, [code]))
    coded = passages.code_passage(demo_archive, 1, 0, 12, [other], coder="carol").value
    assert coded.annotation_id == old and not coded.created


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
