"""A synthetic archive of 100,000 (or 1,000,000) articles, for the search and window benchmarks.

    python benchmarks/synthetic_archive.py --out PATH [--articles 100000] [--seed 1]
        [--batch-size 1000] [--analysis]

Deterministic: the same seed gives the same articles, passages and ids. What it holds:

- Text: ~600 words per article on average (lognormal lengths, sigma 0.7: most between 250
  and 1,500 words, a few over 5,000), in sentences and paragraphs. Words are drawn from a
  ranked vocabulary with a Zipf(-Mandelbrot) law: ~130 real English function words take the
  top ranks (about 45% of running text, as in English, so stop-word handling is exercised),
  then ~50,000 invented words. A rank's word is the same for a given seed (`vocabulary`), so
  the search benchmark can pick common and rare words by rank.
- Topic phrases planted at known article rates (`PHRASES`), in one to three sentences of the
  article and sometimes its title, so phrase queries have realistic hit counts.
- 60 outlets (a few large, many small), bylines, mostly English (`LANGUAGES`), published
  dates spread over 2020-2024, titles, unique URLs; about 30% of articles marked read.
- 5% of articles annotated: 1-5 sentence passages each, coded from the default codebook
  (resources/codebook/default.json), with actors and stances, through the archive's own
  `annotations.add`.
- `--analysis` (the analysis views' benchmark, benchmarks/analysis_speed.py): 17% of
  articles annotated (about 50,000 passages at 100k articles), 5,000 actors with
  affiliations, every passage's coder (three coders; 5% of the annotated articles coded
  again by a second coder on the same sentences, mostly with the same codes, so agreement
  has something to measure), and two article attributes: `country` (8 values) and
  `outlet type` (by outlet). Without it the archive is exactly what it was before.

Documents are generated as a stream and written through `archive.articles.save_many` (the bulk
path) in chunks, so memory stays flat at a million articles. The archive is written under a
temporary name and renamed when complete. Prints articles/s, total time, file size and
peak RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import math
import os
import random
import resource
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from desktop.core.archive import Archive  # noqa: E402
from desktop.core.codebook import load_codebook  # noqa: E402
from desktop.core.model import STANCES, ImportedDocument, NewAnnotation  # noqa: E402

# Real function words, most frequent first (their order sets their Zipf rank).
FUNCTION_WORDS = (
    "the", "of", "and", "to", "a", "in", "that", "is", "for", "it", "as", "was", "with", "be",
    "by", "on", "not", "he", "i", "this", "are", "or", "his", "from", "at", "which", "but", "have",
    "an", "they", "you", "were", "her", "she", "there", "would", "their", "we", "him", "been",
    "has", "when", "who", "will", "more", "no", "if", "out", "so", "said", "what", "up", "its",
    "about", "into", "than", "them", "can", "only", "other", "new", "some", "could", "time",
    "these", "two", "may", "then", "do", "first", "any", "my", "now", "such", "like", "our",
    "over", "man", "me", "even", "most", "made", "after", "also", "did", "many", "before", "must",
    "through", "back", "years", "where", "much", "your", "way", "well", "down", "should",
    "because", "each", "just", "those", "people", "how", "too", "little", "state", "good", "very",
    "make", "world", "still", "own", "see", "men", "work", "long", "get", "here", "between",
    "both", "life", "being", "under", "never", "day", "same", "another", "know", "while", "last",
    "might", "us", "great", "old", "year", "off", "come", "since", "against", "go", "came",
    "right", "used", "take", "three",
)
PHRASES = {  # phrase -> share of articles that contain it
    "open source": 0.08,
    "digital sovereignty": 0.03,
    "talent flight": 0.02,
    "compute threshold": 0.01,
    "regulatory sandbox": 0.005,
}
LANGUAGES = (("en", 0.86), ("de", 0.05), ("fr", 0.04), ("es", 0.03), ("it", 0.01),
             ("nl", 0.01))
VOCABULARY_SIZE = 50_000
OUTLET_COUNT = 60
ANNOTATED_SHARE = 0.05
ANALYSIS_ANNOTATED_SHARE = 0.17  # --analysis: ~50,000 passages at 100k articles
ANALYSIS_ACTORS = 5000
CODERS = ("ana", "ben", "chris")
SECOND_CODING_SHARE = 0.05  # annotated articles a second coder codes again
COUNTRIES = ("DE", "FR", "UK", "IT", "ES", "PL", "NL", "SE")
OUTLET_TYPES = ("national", "regional", "online", "tabloid")
AFFILIATIONS = ("Government", "Opposition", "Industry", "Unions", "Academia", "NGO",
                "European Commission", "")
READ_SHARE = 0.30
MEAN_WORDS = 600
SIGMA = 0.7
FIRST_DAY = dt.date(2020, 1, 1)
DAYS = (dt.date(2024, 12, 31) - FIRST_DAY).days + 1
CHUNK = 5000  # documents generated, saved and annotated per round

_ONSETS = (
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
    "br", "ch", "cr", "dr", "fl", "gr", "kl", "pl", "pr", "sh", "st", "tr", "th",
)
_VOWELS = (
    "a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ea", "ou",
)
_CODAS = ["", "", "", "n", "r", "s", "l", "m", "k", "nd", "st", "x"]
_OUTLET_KINDS = ("Herald", "Times", "Post", "Review", "Observer", "Gazette", "Journal",
                 "Chronicle", "Monitor", "Dispatch", "Ledger", "Courier")


def invented_words(rng: random.Random, count: int, avoid: set[str]) -> list[str]:
    """`count` distinct pronounceable non-words (2-4 syllables), none of them in `avoid`."""
    words: list[str] = []
    seen = set(avoid)
    while len(words) < count:
        syllables = rng.choice((2, 2, 3, 3, 3, 4))
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))
        word += rng.choice(_CODAS)
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def vocabulary(seed: int) -> list[str]:
    """Every word by Zipf rank (0 = most frequent) for `seed`: function words, then invented."""
    phrase_words = {w for phrase in PHRASES for w in phrase.split()}
    rng = random.Random(f"vocabulary-{seed}")
    return list(FUNCTION_WORDS) + invented_words(
        rng, VOCABULARY_SIZE, set(FUNCTION_WORDS) | phrase_words)


def zipf_cumulative(size: int, exponent: float = 1.0, shift: float = 2.7) -> list[float]:
    """Cumulative Zipf-Mandelbrot weights 1/(rank+shift)^exponent, for `random.choices`."""
    return list(itertools.accumulate(1.0 / (rank + shift) ** exponent for rank in range(size)))


@dataclass
class Outlet:
    name: str
    domain: str


def outlets(seed: int) -> list[Outlet]:
    rng = random.Random(f"outlets-{seed}")
    names = invented_words(rng, OUTLET_COUNT, set())
    result = []
    for index, word in enumerate(names):
        kind = _OUTLET_KINDS[index % len(_OUTLET_KINDS)]
        result.append(Outlet(f"The {word.capitalize()} {kind}", f"{word}{kind.lower()}.example"))
    return result


@dataclass
class Planned:
    """One generated article and what the generator will do with it after saving."""

    doc: ImportedDocument
    sentences: list[tuple[int, int]] = field(default_factory=list)  # for annotated ones only
    annotated: bool = False
    read: bool = False


class Generator:
    """Articles as a stream: article `i` depends only on (seed, i), never on the others."""

    def __init__(self, seed: int, annotated_share: float = ANNOTATED_SHARE) -> None:
        self.seed = seed
        self.annotated_share = annotated_share
        self.words = vocabulary(seed)
        self.cumulative = zipf_cumulative(len(self.words))
        self.content_words = self.words[len(FUNCTION_WORDS):]
        self.content_cumulative = zipf_cumulative(len(self.content_words), shift=20.0)
        self.outlets = outlets(seed)
        self.outlet_cumulative = zipf_cumulative(len(self.outlets), exponent=0.9, shift=1.0)
        names = invented_words(random.Random(f"people-{seed}"), 600, set())
        self.authors = [f"{a.capitalize()} {b.capitalize()}"
                        for a, b in zip(names[::2], names[1::2], strict=True)]
        self.mu = math.log(MEAN_WORDS) - SIGMA**2 / 2  # lognormal mean = MEAN_WORDS
        self.language_codes = [code for code, _ in LANGUAGES]
        self.language_cumulative = list(itertools.accumulate(w for _, w in LANGUAGES))

    def article(self, index: int) -> Planned:
        rng = random.Random(self.seed * 10_000_019 + index)
        length = max(30, min(40_000, round(rng.lognormvariate(self.mu, SIGMA))))
        tokens = rng.choices(self.words, cum_weights=self.cumulative, k=length)
        phrases = [p for p, share in PHRASES.items() if rng.random() < share]
        annotated = rng.random() < self.annotated_share
        text, sentences = self._text(rng, tokens, phrases)
        title = self._title(rng, phrases)
        outlet = rng.choices(self.outlets, cum_weights=self.outlet_cumulative)[0]
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        slug = "-".join(title.lower().split()[:6])
        doc = ImportedDocument(
            title=title,
            text=text,
            origin=f"synthetic:{self.seed}:{index}",
            byline=rng.choice(self.authors),
            outlet=outlet.name,
            published=day.isoformat(),
            url=f"https://{outlet.domain}/{day.year}/{day.month:02d}/{slug}-{index}",
            language=rng.choices(self.language_codes,
                                 cum_weights=self.language_cumulative)[0],
        )
        return Planned(doc, sentences if annotated else [], annotated,
                       rng.random() < READ_SHARE)

    def _text(
        self, rng: random.Random, tokens: list[str], phrases: list[str]
    ) -> tuple[str, list[tuple[int, int]]]:
        sentences_words: list[list[str]] = []
        position = 0
        while position < len(tokens):
            size = rng.randint(8, 28)
            sentences_words.append(tokens[position:position + size])
            position += size
        for phrase in phrases:
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                words = rng.choice(sentences_words)
                words.insert(rng.randrange(len(words) + 1), phrase)
        paragraphs: list[str] = []
        spans: list[tuple[int, int]] = []
        offset = 0
        current: list[str] = []
        left_in_paragraph = rng.randint(2, 6)
        for words in sentences_words:
            sentence = " ".join(words)
            sentence = sentence[0].upper() + sentence[1:] + "."
            start = offset + sum(len(s) + 1 for s in current)
            spans.append((start, start + len(sentence)))
            current.append(sentence)
            left_in_paragraph -= 1
            if left_in_paragraph == 0:
                block = " ".join(current)
                paragraphs.append(block)
                offset += len(block) + 2
                current = []
                left_in_paragraph = rng.randint(2, 6)
        if current:
            paragraphs.append(" ".join(current))
        return "\n\n".join(paragraphs), spans

    def _title(self, rng: random.Random, phrases: list[str]) -> str:
        words = rng.choices(self.content_words, cum_weights=self.content_cumulative,
                            k=rng.randint(4, 10))
        for index in range(1, len(words) - 1, 3):  # a few joining words, like real titles
            words[index] = rng.choice(("of", "and", "in", "for", "the", "on", "to"))
        if phrases and rng.random() < 0.3:
            words.insert(rng.randrange(len(words) + 1), phrases[0])
        return " ".join(w.capitalize() if i == 0 or len(w) > 3 else w
                        for i, w in enumerate(words))

    def stream(self, count: int) -> Iterator[Planned]:
        for index in range(count):
            yield self.article(index)


class Annotator:
    """Codes passages of the annotated articles through the archive's own methods."""

    def __init__(self, archive: Archive, seed: int, *, analysis: bool = False) -> None:
        self.archive = archive
        self.rng = random.Random(f"annotations-{seed}")
        # --analysis draws its extras (coders, second codings) from a generator of its own,
        # so the passages themselves are those the same seed always gave.
        self.extra = random.Random(f"analysis-{seed}") if analysis else None
        self.code_ids = list(load_codebook(archive).values())
        count = ANALYSIS_ACTORS if analysis else 150
        people = invented_words(random.Random(f"actors-{seed}"), 2 * count, set())
        self.actor_ids: list[int] = []
        with archive.transaction():
            for index in range(count):
                organisation = index % 3 == 0
                name = (f"{people[2 * index].capitalize()} Institute" if organisation else
                        f"{people[2 * index].capitalize()} {people[2 * index + 1].capitalize()}")
                self.actor_ids.append(archive.actors.add(
                    name, kind="organisation" if organisation else "person",
                    affiliation=AFFILIATIONS[index % len(AFFILIATIONS)] if analysis else ""))
        self.passages = 0
        self.second_codings = 0

    def annotate(self, article_id: int, sentences: list[tuple[int, int]]) -> None:
        rng = self.rng
        count = min(len(sentences), rng.randint(1, 5))
        extra = self.extra
        coder = extra.choice(CODERS) if extra else ""
        second = (extra.choice([c for c in CODERS if c != coder])
                  if extra and extra.random() < SECOND_CODING_SHARE else "")
        for first in sorted(rng.sample(range(len(sentences)), count)):
            last = min(len(sentences) - 1, first + rng.choice((0, 0, 0, 1, 2)))
            passage = NewAnnotation(
                article_id=article_id,
                start=sentences[first][0],
                end=sentences[last][1],
                code_ids=rng.sample(self.code_ids, rng.choice((1, 1, 1, 2))),
                actor_id=rng.choice(self.actor_ids) if rng.random() < 0.8 else None,
                stance=rng.choice((*STANCES, None)),
                coder=coder,
            )
            self.archive.annotations.add(passage)
            self.passages += 1
            if extra and second:  # the same sentences, mostly the same codes
                agrees = extra.random() < 0.8
                self.archive.annotations.add(NewAnnotation(
                    article_id=article_id, start=passage.start, end=passage.end,
                    code_ids=(passage.code_ids if agrees
                              else [extra.choice(self.code_ids)]),
                    actor_id=passage.actor_id, stance=passage.stance, coder=second))
                self.passages += 1
                self.second_codings += 1

    def set_attributes(self, article_ids: list[tuple[int, str]]) -> None:
        """--analysis: each article's country (drawn) and outlet type (by its outlet)."""
        assert self.extra is not None
        attributes = self.archive.attributes
        ids = {}
        for name in ("country", "outlet type"):
            found = attributes.find(name)
            ids[name] = found.id if found else attributes.add(name)[1]
        countries = {a: self.extra.choice(COUNTRIES) for a, _ in article_ids}
        types = {a: OUTLET_TYPES[sum(map(ord, outlet)) % len(OUTLET_TYPES)]
                 for a, outlet in article_ids}
        with self.archive.transaction():
            attributes.set_values(ids["country"], dict(countries))
            attributes.set_values(ids["outlet type"], dict(types))


def _chunks(planned: Iterator[Planned], size: int) -> Iterator[list[Planned]]:
    while chunk := list(itertools.islice(planned, size)):
        yield chunk


def build(out: Path, articles: int, seed: int, batch_size: int, *,
          analysis: bool = False) -> dict[str, float]:
    """Write the archive to `out` (via a temporary name); returns the figures it printed.
    `analysis`: the --analysis extras (more passages, actors, coders, attributes)."""
    partial = out.with_name(out.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    archive = Archive.open(partial)
    annotator = Annotator(archive, seed, analysis=analysis)
    generator = Generator(seed, ANALYSIS_ANNOTATED_SHARE if analysis else ANNOTATED_SHARE)
    saved = duplicates = 0
    write_seconds = 0.0
    for chunk in _chunks(generator.stream(articles), CHUNK):
        write_started = time.perf_counter()
        outcomes = archive.articles.save_many((p.doc for p in chunk), batch_size=batch_size)
        with archive.transaction():
            for plan, (status, article_id) in zip(chunk, outcomes, strict=True):
                if status == "imported" and plan.annotated:
                    annotator.annotate(article_id, plan.sentences)
        archive.articles.set_read(
            [i for p, (_, i) in zip(chunk, outcomes, strict=True) if p.read], True)
        if analysis:
            annotator.set_attributes(
                [(i, p.doc.outlet) for p, (status, i) in zip(chunk, outcomes, strict=True)
                 if status == "imported"])
        write_seconds += time.perf_counter() - write_started
        saved += sum(status == "imported" for status, _ in outcomes)
        duplicates += sum(status == "duplicate" for status, _ in outcomes)
        elapsed = time.perf_counter() - started
        print(f"  {saved:>9,} articles  {saved / elapsed:8,.0f}/s  {elapsed:7.1f} s",
              flush=True)
    load_seconds = time.perf_counter() - started
    optimize_seconds = archive.search.optimize_index()
    archive._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one file to move
    archive.close()
    os.replace(partial, out)
    total = time.perf_counter() - started
    figures = {
        "articles": saved,
        "duplicates": duplicates,
        "passages": annotator.passages,
        "second_codings": annotator.second_codings,
        "load_seconds": load_seconds,
        "write_seconds": write_seconds,
        "optimize_seconds": optimize_seconds,
        "total_seconds": total,
        "articles_per_second": saved / load_seconds,
        "file_bytes": out.stat().st_size,
    }
    print(f"articles:          {saved:,} ({duplicates} duplicates skipped), "
          f"{annotator.passages:,} coded passages")
    print(f"load:              {load_seconds:.1f} s, {saved / load_seconds:,.0f} articles/s "
          f"(of which archive writes {write_seconds:.1f} s, generation "
          f"{load_seconds - write_seconds:.1f} s)")
    print(f"FTS optimize:      {optimize_seconds:.1f} s")
    print(f"total:             {total:.1f} s")
    print(f"file size:         {figures['file_bytes'] / 1e6:,.0f} MB  ({out})")
    print(f"peak RSS:          {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--analysis", action="store_true",
                        help="more passages, 5,000 actors, coders and article attributes "
                             "(for benchmarks/analysis_speed.py)")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    build(args.out, args.articles, args.seed, args.batch_size, analysis=args.analysis)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
