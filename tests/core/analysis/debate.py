"""A small, irregular debate for the analysis tests, and plain-Python counts over it.

The archive is built through the stores (articles, codes with a sub-code, actors with and
without affiliations, passages with one or two codes, with and without actor or stance,
undated articles, article attributes, a collection). The `facts` are read back as model
objects and every test counts from them in Python, never through the analysis SQL, so a
view's number is checked against an independent computation.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from desktop.core.archive import Archive
from desktop.core.model import STANCES, ImportedDocument, NewAnnotation

PLANTED = "brainflight"  # a word planted in some articles, for query scopes
NOTE_WORD = "memorable"  # a word in some passages' notes, for in:notes scopes


@dataclass(frozen=True)
class Fact:
    """One passage as the tests count it."""

    id: int
    article_id: int
    codes: tuple[int, ...]
    actor_id: int | None
    stance: str | None
    published: str | None
    outlet: str
    note: str


def build_debate(archive: Archive, seed: int = 7) -> None:
    rng = random.Random(seed)
    outlets = ["The Herald", "Daily Post", "Le Monde", ""]
    ids = []
    for index in range(40):
        undated = index % 13 == 5
        day = dt.date(2023, 1, 2) + dt.timedelta(days=rng.randrange(540))
        words = " ".join(rng.choice(["policy", "debate", "talent", "market", "state"])
                         for _ in range(12))
        planted = f" {PLANTED}" if index % 4 == 0 else ""
        sentences = [f"Sentence {n} of article {index} says {words}{planted}." for n in
                     range(8)]
        status, article_id = archive.articles.save(ImportedDocument(
            title=f"Article {index}", text=" ".join(sentences), origin=f"test:{index}",
            outlet=outlets[index % len(outlets)],
            published=None if undated else day.isoformat(), url=f"https://x.example/{index}"))
        assert status == "imported"
        ids.append(article_id)
    economy = archive.codes.add("Economy")
    codes = [economy, archive.codes.add("Talent flight", parent_id=economy),
             archive.codes.add("Sovereignty"), archive.codes.add("Costs"),
             archive.codes.add("Innovation")]
    archive.codes.add("Never used")
    actors = [archive.actors.add("Jane Doe", affiliation="Government"),
              archive.actors.add("Max Muster", affiliation="Opposition"),
              archive.actors.add("Acme Institute", kind="organisation", affiliation="Industry"),
              archive.actors.add("Ann Other", affiliation="Government"),
              archive.actors.add("No Party")]  # no affiliation
    for article_id in ids:
        if rng.random() < 0.2:
            continue  # some articles have no passages
        text = archive.articles.get(article_id).text
        starts = [i for i, ch in enumerate(text) if i == 0 or text[i - 2:i] == ". "]
        for start in rng.sample(starts, rng.randint(1, 4)):
            end = text.index(".", start) + 1
            chosen = rng.sample(codes, rng.choice((1, 1, 2, 2, 3)))
            archive.annotations.add(NewAnnotation(
                article_id=article_id, start=start, end=end, code_ids=chosen,
                actor_id=rng.choice(actors) if rng.random() < 0.75 else None,
                stance=rng.choice(STANCES) if rng.random() < 0.8 else None,
                note=f"a {NOTE_WORD} remark" if rng.random() < 0.2 else "",
                coder=rng.choice(("ana", "ben"))))
    country = archive.attributes.add("country")[1]
    archive.attributes.add("size", "number")
    archive.attributes.set_values(country, {
        article_id: ("DE", "FR", "UK")[n % 3] for n, article_id in enumerate(ids)
        if n % 7 != 3})  # some articles without a country
    _, collection = archive.collections.add("Picked")
    archive.collections.add_articles(collection, ids[::3])
    archive.saved_searches.add("Planted", PLANTED)


def facts(archive: Archive) -> list[Fact]:
    found = []
    for passage in archive.annotations.all():
        article = archive.articles.get(passage.article_id)
        found.append(Fact(id=passage.id, article_id=passage.article_id,
                          codes=tuple(code.id for code in passage.codes),
                          actor_id=passage.actor_id, stance=passage.stance,
                          published=article.published, outlet=article.outlet,
                          note=passage.note))
    return found


def stance_key(stance: str | None) -> str:
    return stance or "none"
