"""A small debate whose networks a test can count by hand (shared by the network tests)."""

from __future__ import annotations

from desktop.core.model import ImportedDocument, NewAnnotation

TEXT = " ".join(f"Sentence number {i} says something about the rules." for i in range(40))

# (article, actor, codes, stance): the passages. Articles 0-1 are published in 2024-01,
# article 2 in 2024-03, article 3 has no date.
PASSAGES = [
    (0, "Ann", ["X"], "supports"),
    (0, "Ann", ["X"], "supports"),
    (0, "Ann", ["Y"], "opposes"),
    (1, "Ann", ["Z"], "supports"),
    (1, "Bob", ["X"], "supports"),
    (1, "Bob", ["Y"], "opposes"),
    (2, "Bob", ["Z"], "opposes"),
    (2, "Cy", ["X"], "opposes"),
    (2, "Cy", ["Y"], "supports"),
    (2, "Cy", ["X", "Z"], "opposes"),
    (0, "Dee", ["X"], "neutral"),
    (3, "Dee", ["Y"], None),
    (3, "Ann", ["Y"], "supports"),
    (0, None, ["X"], "supports"),
]
DATES = ["2024-01-05", "2024-01-20", "2024-03-02", None]
ACTORS = {"Ann": ("person", "Government"), "Bob": ("organisation", "Government"),
          "Cy": ("organisation", "NGO"), "Dee": ("person", "")}


def build_debate(archive):
    """Fill `archive`; returns ({name: actor id}, {name: code id}, [annotation ids])."""
    articles = []
    for number, date in enumerate(DATES):
        _, article_id = archive.articles.save(ImportedDocument(
            title=f"Article {number}", text=f"Article {number}. {TEXT}", origin="test",
            published=date,
            url=f"https://example.org/{number}"))
        articles.append(article_id)
    actors = {name: archive.actors.add(name, kind=kind, affiliation=affiliation)
              for name, (kind, affiliation) in ACTORS.items()}
    codes = {name: archive.codes.add(name, colour=colour)
             for name, colour in (("X", "#aa0000"), ("Y", "#00aa00"), ("Z", "#0000aa"))}
    ids = []
    for slot, (article, actor, names, stance) in enumerate(PASSAGES):
        start = 20 + slot * 60
        ids.append(archive.annotations.add(NewAnnotation(
            articles[article], start, start + 20, [codes[n] for n in names],
            actor_id=actors[actor] if actor else None, stance=stance)))
    return actors, codes, ids


def statements(kept=lambda article: True):
    """(actor, code, stance, passage index) for every passage with an actor, per code."""
    return [(actor, code, stance, index)
            for index, (article, actor, names, stance) in enumerate(PASSAGES)
            if actor is not None and kept(article) for code in names]
