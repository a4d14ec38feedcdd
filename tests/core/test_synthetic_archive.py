"""The synthetic archive generator (benchmarks/synthetic_archive.py) on a few hundred articles.

Its figures are only worth something if the archive is what it claims: deterministic, Zipf
text with real function words, planted phrases, outlets, dates and coded passages written
through the archive's own methods.
"""

from __future__ import annotations

import collections
import importlib.util
import statistics
import sys
from pathlib import Path

import pytest

from desktop.core.archive import Archive

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "synthetic_archive.py"


@pytest.fixture(scope="module")
def synthetic():
    spec = importlib.util.spec_from_file_location("synthetic_archive", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic_archive"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("synthetic_archive", None)


@pytest.fixture(scope="module")
def built(synthetic, tmp_path_factory):
    out = tmp_path_factory.mktemp("synthetic") / "s.sqlite"
    figures = synthetic.build(out, 200, seed=3, batch_size=64)
    return out, figures


def test_build_writes_the_archive_under_its_name_only_when_complete(built, capsys):
    out, figures = built
    assert out.exists()
    assert not out.with_name(out.name + ".partial").exists()
    assert figures["articles"] == 200 and figures["file_bytes"] == out.stat().st_size
    archive = Archive.open(out)
    try:
        assert archive.check().problems == []
        counts = archive.counts()
    finally:
        archive.close()
    assert counts["articles"] == 200
    assert counts["sources"] <= 60
    assert counts["annotations"] == figures["passages"] > 0


def test_same_seed_same_articles_other_seed_other_articles(synthetic):
    first, again, other = (synthetic.Generator(seed) for seed in (5, 5, 6))
    for index in (0, 17, 123):
        assert first.article(index).doc == again.article(index).doc
        assert first.article(index).doc.text != other.article(index).doc.text


def test_text_has_zipf_ranks_and_realistic_lengths(synthetic):
    generator = synthetic.Generator(1)
    lengths, counts = [], collections.Counter()
    for index in range(300):
        words = generator.article(index).doc.text.lower().replace(".", "").split()
        lengths.append(len(words))
        counts.update(words)
    assert 450 < statistics.mean(lengths) < 780
    assert statistics.median(lengths) < statistics.mean(lengths)  # long tail to the right
    ranked = [word for word, _ in counts.most_common(5)]
    assert ranked[0] == "the" and set(ranked) <= set(synthetic.FUNCTION_WORDS)
    function_share = sum(counts[w] for w in synthetic.FUNCTION_WORDS) / sum(counts.values())
    assert 0.35 < function_share < 0.6
    assert len(counts) > 10_000  # a wide vocabulary, not a handful of words


def test_planted_phrases_metadata_and_passages(synthetic, built):
    out, _ = built
    generator = synthetic.Generator(1)
    docs = [generator.article(i).doc for i in range(2000)]
    with_open_source = sum("open source" in d.text for d in docs) / len(docs)
    assert 0.05 < with_open_source < 0.11  # planted in 8% of articles
    assert len({d.url for d in docs}) == len(docs)
    assert collections.Counter(d.language for d in docs).most_common(1)[0][0] == "en"
    assert all("2020-01-01" <= d.published <= "2024-12-31" for d in docs)
    assert len({d.outlet for d in docs}) > 40
    archive = Archive.open(out)
    try:
        passages = archive.annotations.all()
        code_names = {code.name for code in archive.codes.all()}
    finally:
        archive.close()
    assert "Regulatory fragmentation" in code_names  # the default codebook
    assert all(p.codes and p.exact.endswith(".") for p in passages)
    assert any(p.actor_id is not None for p in passages)
    assert {p.stance for p in passages} >= {"supports", "opposes"}


def test_analysis_extras_give_coders_attributes_affiliations_and_second_codings(
        synthetic, tmp_path):
    out = tmp_path / "analysis.sqlite"
    figures = synthetic.build(out, 300, seed=3, batch_size=64, analysis=True)
    archive = Archive.open(out)
    try:
        passages = archive.annotations.all()
        attributes = {a.name: a.article_count for a in archive.attributes.all()}
        actors = archive.actors.all()
    finally:
        archive.close()
    assert len(passages) == figures["passages"]
    # About 17% of articles annotated (5% without --analysis), 1-5 passages each.
    assert 300 * 0.17 * 1.5 < figures["passages"] < 300 * 0.17 * 4.5
    assert {p.coder for p in passages} <= set(synthetic.CODERS)
    assert len({p.coder for p in passages}) == len(synthetic.CODERS)
    assert attributes == {"country": 300, "outlet type": 300}
    assert len(actors) == synthetic.ANALYSIS_ACTORS
    assert {a.affiliation for a in actors} == set(synthetic.AFFILIATIONS)
    twins = collections.Counter((p.article_id, p.start, p.end) for p in passages)
    assert sum(count == 2 for count in twins.values()) == figures["second_codings"]
