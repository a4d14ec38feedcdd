"""The "what changed" value every core write returns (Anki's OpChanges pattern).

The UI emits one `archive_changed(changes)` signal with it, and each view refreshes only
when the part it shows is named here.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    articles: bool = False
    annotations: bool = False
    codes: bool = False
    actors: bool = False
    # Saved searches, collections (names, members) and briefings: the library sidebar and
    # the briefing workspace refresh on these.
    searches: bool = False
    collections: bool = False
    briefings: bool = False
    feeds: bool = False  # feed subscriptions
    attributes: bool = False  # article attributes: their names or values (analysis groups)
    article_ids: frozenset[int] = field(default_factory=frozenset)
    # With `annotations`: the passages created, edited or deleted, when the writer knows
    # them (empty: any may have changed). A view showing 2,000 passages then re-reads one.
    annotation_ids: frozenset[int] = field(default_factory=frozenset)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            articles=self.articles or other.articles,
            annotations=self.annotations or other.annotations,
            codes=self.codes or other.codes,
            actors=self.actors or other.actors,
            searches=self.searches or other.searches,
            collections=self.collections or other.collections,
            briefings=self.briefings or other.briefings,
            feeds=self.feeds or other.feeds,
            attributes=self.attributes or other.attributes,
            article_ids=self.article_ids | other.article_ids,
            annotation_ids=_union_of_known(self, other),
        )

    @classmethod
    def everything(cls) -> Changes:
        return cls(articles=True, annotations=True, codes=True, actors=True, searches=True,
                   collections=True, briefings=True, feeds=True, attributes=True)


def _union_of_known(one: Changes, other: Changes) -> frozenset[int]:
    """Annotation ids of both, unless either changed passages it could not name."""
    if (one.annotations and not one.annotation_ids) or (
            other.annotations and not other.annotation_ids):
        return frozenset()
    return one.annotation_ids | other.annotation_ids
