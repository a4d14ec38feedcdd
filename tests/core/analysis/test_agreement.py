"""Coder agreement: a hand example with known kappa and alpha, and random codings checked
against a reference that walks every character with the textbook formulas."""

from __future__ import annotations

import itertools
import random

import pytest

from desktop.core.analysis.agreement import AgreementError, agreement, coders_in
from desktop.core.analysis.scope import AnalysisScope
from desktop.core.model import ImportedDocument, NewAnnotation


def add_article(archive, text: str, number: int) -> int:
    return archive.articles.save(ImportedDocument(
        title=f"Article {number}", text=text, origin="test",
        url=f"https://example.org/{number}"))[1]


def code(archive, article, start, end, codes, coder, *, stance=None):
    return archive.annotations.add(NewAnnotation(article, start, end, list(codes),
                                                 stance=stance, coder=coder))


def test_hand_example_kappa_alpha_percent_and_the_disagreement(archive):
    """Ten characters; A codes 0-4, B codes 2-6: 2 both, 4 one, 4 none.
    p_o = 0.6, p_e = 0.4·0.4 + 0.6·0.6 = 0.52, kappa = 0.08 / 0.48 = 1/6;
    alpha = 1 − (20 − 1)·4 / (8·12) = 20/96."""
    article = add_article(archive, "abcdefghij", 1)
    x = archive.codes.add("X")
    a = code(archive, article, 0, 4, [x], "A")
    b = code(archive, article, 2, 6, [x], "B")
    result = agreement(archive, ["A", "B"], article_ids=[article])
    (row,) = result.codes
    assert row.counts.histogram == (4, 4, 2) and row.counts.coded == (4, 4)
    assert row.percent == pytest.approx(0.6)
    assert row.kappa == pytest.approx(1 / 6)
    assert row.alpha == pytest.approx(20 / 96)
    assert row.overlap == pytest.approx(2 / 6)
    (found,) = result.disagreements
    assert (found.start, found.end, found.differing) == (0, 6, 4)
    assert [(coder, [(c.annotation_id, c.start, c.end) for c in cs])
            for coder, cs in found.codings] == [("A", [(a, 0, 4)]), ("B", [(b, 2, 6)])]
    assert result.to_json()["codes"][0]["kappa"] == pytest.approx(1 / 6, abs=1e-6)


def reference(texts, codings, coders, code_id):
    """Per character: is it coded by each coder? Then the textbook formulas."""
    units = []
    for article, length in texts.items():
        for ch in range(length):
            units.append([any(s <= ch < e for (art, c, k, s, e) in codings
                              if art == article and c == coder and k == code_id)
                          for coder in coders])
    n_units, m = len(units), len(coders)
    agree = sum(sum(1 for i, j in itertools.permutations(range(m), 2) if u[i] == u[j])
                for u in units) / (n_units * m * (m - 1))
    kappa = None
    if m == 2:
        table = {(x, y): sum(1 for u in units if (u[0], u[1]) == (x, y))
                 for x in (True, False) for y in (True, False)}
        p_o = (table[True, True] + table[False, False]) / n_units
        p1 = (table[True, True] + table[True, False]) / n_units
        p2 = (table[True, True] + table[False, True]) / n_units
        p_e = p1 * p2 + (1 - p1) * (1 - p2)
        kappa = (p_o - p_e) / (1 - p_e)
    # Krippendorff: coincidence matrix o[v][v'] = sum over units of pairs / (m_u - 1)
    o = {(v, w): 0.0 for v in (True, False) for w in (True, False)}
    for u in units:
        for i, j in itertools.permutations(range(m), 2):
            o[u[i], u[j]] += 1 / (m - 1)
    n_v = {v: o[v, True] + o[v, False] for v in (True, False)}
    n = n_v[True] + n_v[False]
    d_o = (o[True, False] + o[False, True]) / n
    d_e = (n_v[True] * n_v[False] * 2) / (n * (n - 1))
    alpha = 1 - d_o / d_e
    return agree, kappa, alpha


@pytest.mark.parametrize("coders", [["A", "B"], ["A", "B", "C"]])
def test_random_codings_match_the_per_character_reference(archive, coders):
    rng = random.Random(7)
    texts, codings = {}, []
    codes = [archive.codes.add(name) for name in ("X", "Y")]
    for number in range(3):
        length = rng.randint(120, 200)
        article = add_article(archive, "".join(rng.choice("abc de") for _ in range(length)),
                              number)
        texts[article] = length
        for coder in coders:
            for _ in range(rng.randint(2, 6)):
                start = rng.randrange(0, length - 5)
                end = rng.randint(start + 1, min(length, start + 60))
                chosen = rng.sample(codes, rng.randint(1, 2))
                code(archive, article, start, end, chosen, coder)
                codings.extend((article, coder, k, start, end) for k in chosen)
    result = agreement(archive, coders, article_ids=list(texts))
    assert [row.code_id for row in result.codes] == codes
    for row in result.codes:
        agree, kappa, alpha = reference(texts, codings, coders, row.code_id)
        assert row.percent == pytest.approx(agree)
        assert row.alpha == pytest.approx(alpha)
        if len(coders) == 2:
            assert row.kappa == pytest.approx(kappa)
        else:
            assert row.kappa is None
    assert result.characters == sum(texts.values())
    # Every differing character is inside exactly one listed disagreement.
    for row in result.codes:
        differing = row.counts.units - row.counts.histogram[0] - row.counts.histogram[-1]
        assert sum(d.differing for d in result.disagreements if d.code_id == row.code_id) \
            == differing


def test_scope_picks_articles_every_coder_coded(archive):
    shared = add_article(archive, "x" * 50, 1)
    alone = add_article(archive, "y" * 50, 2)
    x = archive.codes.add("X")
    code(archive, shared, 0, 10, [x], "A")
    code(archive, shared, 0, 10, [x], "B")
    code(archive, alone, 0, 10, [x], "A")
    result = agreement(archive, ["A", "B"], scope=AnalysisScope())
    assert result.article_ids == (shared,)
    assert result.codes[0].percent == 1.0 and result.codes[0].kappa == 1.0
    assert result.disagreements == ()
    assert [c for c, _, _ in coders_in(archive)] == ["A", "B"]


def test_single_coder_unknown_coder_and_no_shared_article_are_explained(archive):
    first = add_article(archive, "x" * 50, 1)
    second = add_article(archive, "y" * 50, 2)
    x = archive.codes.add("X")
    code(archive, first, 0, 10, [x], "A")
    with pytest.raises(AgreementError, match="only one coder"):
        agreement(archive, ["A"])
    with pytest.raises(AgreementError, match="No passages were coded by 'Zed'"):
        agreement(archive, ["A", "Zed"])
    code(archive, second, 0, 10, [x], "B")
    with pytest.raises(AgreementError, match=r"No article in this scope .* was coded by all"):
        agreement(archive, ["A", "B"])
    one_sided = agreement(archive, ["A", "B"], article_ids=[first])
    assert any("'B' coded nothing in these articles" in n for n in one_sided.notes)
    assert one_sided.codes[0].kappa == pytest.approx(0.0)


def test_nobody_used_a_code_gives_undefined_figures(archive):
    article = add_article(archive, "x" * 40, 1)
    x, y = archive.codes.add("X"), archive.codes.add("Y")
    code(archive, article, 0, 10, [x], "A")
    code(archive, article, 0, 10, [x], "B")
    result = agreement(archive, ["A", "B"], article_ids=[article], code_ids=[x, y])
    unused = result.codes[1]
    assert unused.kappa is None and unused.alpha is None and unused.percent == 1.0
    assert any("Nobody coded 'Y'" in n for n in result.notes)
