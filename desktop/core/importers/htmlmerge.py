"""Two extractors' bodies of one page made into one: where they agree is the article.

trafilatura (in precision mode) and Readability fail differently. trafilatura leaves
things out: a whole run of the article on some pages, a single paragraph on others (a
lead set apart by odd markup, prose set as a `<span>` in a `<div>`). Readability keeps
more and sometimes too much: captions, "Related" teasers, share prompts, a byline line.
Neither is right on every page, and no measure on the page alone says which one is; but
where both found the same paragraphs, that run is the article, and the question becomes
only what to do with what one of them found and the other did not.

The rules, applied in order (`combine`); rule 1 is the one this importer always had, the
others make the second opinion count on every page, not only on truncated ones:

1. **trafilatura's body looks truncated** (under SHORT_BODY_CHARS, or under half the text
   the page holds in `<p>` elements). Readability's replaces it when it is at least twice
   as long and either holds 80% of trafilatura's paragraphs (the same article, only more
   of it) or trafilatura's is under SHORT_BODY_CHARS (a line of page furniture: nothing
   to lose). A longer body that does not hold trafilatura's is another part of the page
   (comments, a link list), and trafilatura's is kept.
2. **Otherwise trafilatura's body is the spine**, every block of it kept, and Readability
   adds the paragraphs it alone found *inside the article*: between two paragraphs both
   found. A paragraph found only by Readability above or below the shared run is left
   out: that is where standfirsts, video captions, teasers, related stories and comment
   prompts sit (a lead that is loose text is kept by `htmlprep` instead).
3. **Only prose is added**: a paragraph (not a heading, caption, figure or table cell) of
   at least PROSE_WORDS words that ends like a sentence, with under a third of its words
   in links. Captions, credits, datelines and share prompts fail one of these.
4. **What only trafilatura kept above or below the shared run goes when it is not prose**:
   a dateline, a repeated headline, "Share on Twitter", "You might also like", a slide
   show's "Previous"/"Next". Its prose there stays (Readability may have missed it).

Rules 2 to 4 apply only when the two agree on the article: the paragraphs both found
hold at least AGREEMENT of trafilatura's text. Otherwise they read different parts of the
page, and trafilatura's body is kept as it is.

A paragraph counts as found by both when most of its word trigrams occur in the other
body; the two extractors cut paragraphs and punctuation differently, so exact matching
would see disagreement where there is none.
"""

from __future__ import annotations

import re
from collections import Counter

Block = tuple[str, str]
LinkedBlock = tuple[str, str, str]  # tag, text, the part of the text inside links

SHORT_BODY_CHARS = 200
TRUNCATED_SHARE = 0.5  # of the page's paragraph text
PROSE_WORDS = 12
SHARED_SHARE = 0.6  # of a paragraph's word trigrams found in the other body
MAX_LINK_SHARE = 1 / 3
AGREEMENT = 0.5  # of trafilatura's text the two must share before either's extras count
_PROSE_TAGS = frozenset({"p", "div", "blockquote", "li", "dd", "section", "article", "main"})
_WORDS = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")


def combine(primary: list[Block], second: list[LinkedBlock], page_chars: int) -> list[Block]:
    """One body from trafilatura's blocks (`primary`) and Readability's (see the module);
    `page_chars` is the text the page holds in `<p>` elements."""
    plain = [(tag, text) for tag, text, _ in second]
    if not plain:
        return primary
    length = chars(primary)
    truncated = length < SHORT_BODY_CHARS or length < TRUNCATED_SHARE * page_chars
    if truncated and chars(plain) >= 2 * length and (
            length < SHORT_BODY_CHARS or _holds(plain, primary)):
        return plain
    return _fill_in(primary, second)


def chars(blocks: list[Block]) -> int:
    return sum(len(text) for _, text in blocks)


def normalised(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def _holds(longer: list[Block], shorter: list[Block]) -> bool:
    """Whether 80% of `shorter`'s paragraphs occur word for word in `longer`."""
    haystack = f" {' '.join(normalised(text) for _, text in longer)} "
    paragraphs = [normalised(text) for _, text in shorter if normalised(text)]
    contained = sum(1 for p in paragraphs if f" {p} " in haystack)
    return contained >= 0.8 * len(paragraphs)


def _trigrams(text: str) -> set[str]:
    words = _WORDS.findall(text.lower())
    if len(words) < 3:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + 3]) for i in range(len(words) - 2)}


def _fill_in(primary: list[Block], second: list[LinkedBlock]) -> list[Block]:
    """Rules 2 to 4: the primary body, with the second's prose found inside the article
    added and the primary's own furniture outside it taken off."""
    second_plain = [(tag, text) for tag, text, _ in second]
    anchors = _anchors(second_plain, primary)  # per second block: the primary block it is in
    own = _anchors(primary, second_plain)
    matched = [i for i, anchor in enumerate(anchors) if anchor is not None]
    inside = [i for i, anchor in enumerate(own) if anchor is not None]
    if not matched or not inside or (
            chars([primary[i] for i in inside]) < AGREEMENT * chars(primary)):
        return primary  # the two read different parts of the page: trust neither's extras
    inserts: dict[int, list[Block]] = {}  # primary index -> blocks to add before it
    for index, (tag, text, links) in enumerate(second):
        if anchors[index] is not None or not _is_prose(tag, text, links):
            continue
        if not matched[0] < index < matched[-1]:
            continue  # above or below the shared run: teasers, captions, prompts
        at = anchors[next(i for i in matched if i > index)]
        assert at is not None
        inserts.setdefault(at, []).append((tag, text))
    merged: list[Block] = []
    for index, (tag, text) in enumerate(primary):
        merged.extend(inserts.get(index, []))
        outside = index < inside[0] or index > inside[-1]
        if outside and own[index] is None and not _is_prose(tag, text, ""):
            continue  # rule 4: furniture only trafilatura kept, above or below the article
        merged.append((tag, text))
    return merged


def _anchors(blocks: list[Block], other: list[Block]) -> list[int | None]:
    """For each block, the block of `other` holding most of its word trigrams, when
    `other` holds most of them (SHARED_SHARE); else None."""
    where: dict[str, list[int]] = {}
    for index, (_, text) in enumerate(other):
        for gram in _trigrams(text):
            where.setdefault(gram, []).append(index)
    anchors: list[int | None] = []
    for _, text in blocks:
        grams = _trigrams(text)
        found = [gram for gram in grams if gram in where]
        if not grams or len(found) < SHARED_SHARE * len(grams):
            anchors.append(None)
            continue
        votes = Counter(index for gram in found for index in where[gram])
        anchors.append(max(votes, key=lambda index: (votes[index], -index)))
    return anchors


def _is_prose(tag: str, text: str, links: str) -> bool:
    words = len(_WORDS.findall(text))
    return (tag in _PROSE_TAGS and words >= PROSE_WORDS
            and bool(_SENTENCE_END.search(text.strip()))
            and len(_WORDS.findall(links)) < MAX_LINK_SHARE * words)
