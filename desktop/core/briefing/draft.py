"""A first draft of a briefing, written from the arguments the analyst coded.

The draft is Markdown the analyst then edits freely: a title, a line naming the scope, an
executive summary placeholder, and one section per chosen argument (a code, counted with
its sub-codes) giving how often it is made, by whom and with what stance, and its strongest
quotes (pinned passages first, then the most recent) with their citations.

Each argument section is fenced by HTML comments naming its code, so `regenerate_section`
can rewrite that block alone and leave every edit outside it as the analyst made it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from desktop.core.briefing.citations import (
    UNATTRIBUTED,
    cited_annotation_ids,
    escape_inline,
    quote_block,
)
from desktop.core.briefing_model import ActorStance, ArticleScope, InvalidScope, QuoteSource
from desktop.core.errors import BriefingError
from desktop.core.jobs import NO_PROGRESS, Progress
from desktop.core.model import STANCES
from desktop.core.search.query import parse_query

if TYPE_CHECKING:
    from desktop.core.archive import Archive

SCOPE_KINDS = ("archive", "collection", "search", "dates")
SUMMARY_HEADING = "Executive summary"
SUMMARY_PLACEHOLDER = (
    "*Replace this paragraph with the two or three points your readers must take away: "
    "which arguments dominate the debate, who makes them, and what follows for the "
    "decision at hand.*"
)
MAX_ACTOR_ROWS = 12
NO_ACTOR = UNATTRIBUTED  # the word the quotes' lead-ins use for the same passages
NO_STANCE = "no stance"

_OPEN = re.compile(r"^<!--[ \t]*briefing:argument[ \t]+code=(\d+)[ \t]*-->[ \t]*\r?$",
                   re.MULTILINE)
_CLOSE_TEMPLATE = r"^<!--[ \t]*/briefing:argument[ \t]+code={code}[ \t]*-->[ \t]*\r?$"


class DraftError(BriefingError):
    """A draft that cannot be written as asked: no argument chosen, a broken section fence."""


@dataclass(frozen=True)
class DraftScope:
    """Which articles a draft draws on, as the analyst chose it.

    kind "archive": all; "collection": the articles of `collection_id`; "search": those
    matching `query` (the search language); "dates": published between `after` and
    `before` (ISO, either may be empty, both inclusive).
    """

    kind: str = "archive"
    collection_id: int | None = None
    query: str = ""
    after: str = ""
    before: str = ""

    def __post_init__(self) -> None:
        if self.kind not in SCOPE_KINDS:
            raise InvalidScope(f"scope must be one of {', '.join(SCOPE_KINDS)}, "
                               f"not {self.kind!r}.")
        if self.kind == "collection" and self.collection_id is None:
            raise InvalidScope("a collection scope needs a collection.")
        if self.kind == "search" and not self.query.strip():
            raise InvalidScope("a search scope needs a query.")
        if self.kind == "dates":
            if not (self.after.strip() or self.before.strip()):
                raise InvalidScope("a date scope needs a start date, an end date or both.")
            ArticleScope(after=self.after, before=self.before)  # checks the dates now


def resolve_scope(archive: Archive, scope: DraftScope) -> ArticleScope:
    """The archive-level scope: a search is run once here and becomes its article ids."""
    if scope.kind == "collection":
        if archive.briefings.scope_collection_name(scope.collection_id) is None:
            raise InvalidScope(f"there is no collection with id {scope.collection_id}.")
        return ArticleScope(collection_id=scope.collection_id)
    if scope.kind == "search":
        ids = archive.search.article_ids(parse_query(scope.query))
        return ArticleScope(article_ids=frozenset(ids))
    if scope.kind == "dates":
        return ArticleScope(after=scope.after.strip(), before=scope.before.strip())
    return ArticleScope()


def describe_scope(archive: Archive, scope: DraftScope) -> str:
    """The scope in words, for the line under the draft's title."""
    if scope.kind == "collection":
        name = archive.briefings.scope_collection_name(scope.collection_id) or "?"
        return f"Collection \u201c{name}\u201d"
    if scope.kind == "search":
        return f"Articles matching \u201c{scope.query.strip()}\u201d"
    if scope.kind == "dates":
        after, before = _scope_date(scope.after), _scope_date(scope.before)
        if after and before:
            return f"Articles published {after} to {before}"
        return f"Articles published since {after}" if after else \
            f"Articles published up to {before}"
    return "Whole archive"


def _scope_date(value: str) -> str:
    """A scope bound for the scope line: a whole day stays ISO (the export writes it in the
    briefing's date style); a month or a year reads as words, "January 2025"."""
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return f"{date(int(value[:4]), int(value[5:]), 1):%B %Y}"
    return value


def generate_draft(
    archive: Archive, code_ids: list[int], scope: DraftScope, *, title: str = "Briefing",
    quotes_per_argument: int = 5, today: date | None = None, progress: Progress = NO_PROGRESS,
) -> str:
    """The Markdown draft for these arguments (code ids, in the order given).

    A passage quoted in one section is not quoted again in a later one, so each footnote
    is defined once. Over a large archive each section is a few queries, so the window runs
    this as a job: `progress` hears of each section and a Cancel raises `JobCancelled`
    between them (a half-written draft is worth nothing).
    """
    code_ids = list(dict.fromkeys(code_ids))
    if not code_ids:
        raise DraftError("choose at least one argument (code) for the draft.")
    for code_id in code_ids:
        archive.codes.get(code_id)  # NotFound before any work
    articles = resolve_scope(archive, scope)
    stamp = (today or date.today()).isoformat()
    parts = [
        f"# {escape_inline(' '.join(title.split()) or 'Briefing')}",
        f"*{escape_inline(describe_scope(archive, scope))} \u00b7 drafted {stamp}*",
        f"## {SUMMARY_HEADING}",
        SUMMARY_PLACEHOLDER,
    ]
    used: set[int] = set()
    for number, code_id in enumerate(code_ids):
        progress.check()
        progress.report(number / len(code_ids),
                        f"Section {number + 1} of {len(code_ids)}")
        section, quoted = _section(archive, code_id, articles, quotes_per_argument,
                                   frozenset(used))
        used.update(quoted)
        parts.append(section)
    return "\n\n".join(parts) + "\n"


def regenerate_section(
    archive: Archive, body: str, code_id: int, scope: DraftScope, *, quotes_per_argument: int = 5,
) -> str:
    """`body` with the generated block of `code_id` rewritten from the archive.

    Only the text between that code's fence comments changes. A body without the block
    gets it appended at the end. A block whose closing fence was deleted is refused rather
    than guessed at, since guessing could swallow the analyst's text.
    """
    articles = resolve_scope(archive, scope)
    span = _block_span(body, code_id)
    if span is None:
        exclude = frozenset(cited_annotation_ids(body))
        section, _ = _section(archive, code_id, articles, quotes_per_argument, exclude)
        return f"{body.rstrip()}\n\n{section}\n" if body.strip() else f"{section}\n"
    start, end = span
    exclude = frozenset(cited_annotation_ids(body[:start] + body[end:]))
    section, _ = _section(archive, code_id, articles, quotes_per_argument, exclude)
    return body[:start] + section + body[end:]


def generated_code_ids(body: str) -> list[int]:
    """The codes that have a complete generated block in `body`, in order."""
    found: list[int] = []
    for match in _OPEN.finditer(body):
        code_id = int(match.group(1))
        if code_id not in found and _close_after(body, code_id, match.end()) is not None:
            found.append(code_id)
    return found


def fence_open(code_id: int) -> str:
    return f"<!-- briefing:argument code={code_id} -->"


def fence_close(code_id: int) -> str:
    return f"<!-- /briefing:argument code={code_id} -->"


# -- inside ------------------------------------------------------------------------------


def _close_after(body: str, code_id: int, position: int) -> re.Match[str] | None:
    pattern = re.compile(_CLOSE_TEMPLATE.format(code=code_id), re.MULTILINE)
    return pattern.search(body, position)


def _block_span(body: str, code_id: int) -> tuple[int, int] | None:
    """(start of the opening fence, end of the closing fence) of the code's first block."""
    for match in _OPEN.finditer(body):
        if int(match.group(1)) != code_id:
            continue
        close = _close_after(body, code_id, match.end())
        if close is None:
            raise DraftError(
                f"the section of argument {code_id} has lost its end marker "
                f"({fence_close(code_id)}); put it back where the generated text ends, "
                "then regenerate.")
        end = close.end()
        if body[end - 1:end] == "\r":
            end -= 1
        return match.start(), end
    return None


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _section(
    archive: Archive, code_id: int, articles: ArticleScope, quotes: int, exclude: frozenset[int],
) -> tuple[str, list[int]]:
    """The fenced Markdown block for one argument, and the passages it quotes."""
    code = archive.codes.get(code_id)
    name = escape_inline(code.name)
    stats = archive.briefings.argument_stats(code_id, articles)
    parts = [fence_open(code_id), f"## {name}"]
    children = [c.name for c in archive.codes.all() if c.parent_id == code_id]
    counted = ""
    if children:
        counted = f" (counting its sub-codes: {escape_inline(', '.join(children))})"
    if not stats.passages:
        parts.append(f"No passage in this scope is coded *{name}*{counted}.")
        parts.append(fence_close(code_id))
        return "\n\n".join(parts), []
    sentence = (f"*{name}*{counted} appears in {_plural(stats.passages, 'passage')} "
                f"in {_plural(stats.articles, 'article')}")
    if stats.outlets:
        sentence += f" from {_plural(stats.outlets, 'outlet')}"
    if stats.first and stats.last:
        first, last = stats.first[:10], stats.last[:10]
        sentence += f", on {first}" if first == last else f", from {first} to {last}"
    parts.append(sentence + ".")
    parts.append(_actor_table(archive.briefings.argument_actor_stances(code_id, articles)))
    chosen = archive.briefings.argument_quotes(code_id, articles, limit=quotes, exclude=exclude)
    if chosen:
        lead = "The strongest quotes, pinned passages first:" if any(
            q.pinned for q in chosen) else "The most recent quotes:"
        parts.append(lead)
        previous: QuoteSource | None = None
        for source in chosen:
            # A second quote in a row by the same speaker, same stance: no second lead-in.
            again = (previous is not None and source.actor is not None
                     and (source.actor, source.stance) == (previous.actor, previous.stance))
            parts.append(quote_block(source, with_lead_in=not again).rstrip("\n"))
            previous = source
    parts.append(fence_close(code_id))
    return "\n\n".join(parts), [q.annotation_id for q in chosen]


def _stance_order(stance: str | None) -> int:
    return STANCES.index(stance) if stance in STANCES else len(STANCES)


def _actor_table(rows: list[ActorStance]) -> str:
    """Actor | Stance | Passages: one row per actor, "Unattributed" last, the tail folded.

    The stance column names the stance alone when all of an actor's passages share it
    (the count is in the last column); only a mixed row breaks the count down by stance."""
    by_actor: dict[int | None, dict] = {}
    for row in rows:
        entry = by_actor.setdefault(row.actor_id, {"name": row.actor, "stances": {}, "n": 0})
        entry["stances"][row.stance] = entry["stances"].get(row.stance, 0) + row.count
        entry["n"] += row.count
    named = sorted((e for key, e in by_actor.items() if key is not None),
                   key=lambda e: (-e["n"], (e["name"] or "").casefold()))
    shown, folded = named[:MAX_ACTOR_ROWS], named[MAX_ACTOR_ROWS:]
    lines = ["| Actor | Stance | Passages |", "| --- | --- | ---: |"]
    for entry in shown:
        lines.append(_table_row(escape_inline(entry["name"]), entry["stances"], entry["n"]))
    if folded:
        stances: dict[str | None, int] = {}
        for entry in folded:
            for stance, count in entry["stances"].items():
                stances[stance] = stances.get(stance, 0) + count
        lines.append(_table_row(f"{_plural(len(folded), 'other actor')}", stances,
                                sum(e["n"] for e in folded)))
    if None in by_actor:
        lines.append(_table_row(NO_ACTOR, by_actor[None]["stances"], by_actor[None]["n"]))
    return "\n".join(lines)


def _table_row(actor: str, stances: dict[str | None, int], total: int) -> str:
    ordered = sorted(stances.items(), key=lambda item: _stance_order(item[0]))
    if len(ordered) == 1:
        summary = ordered[0][0] or NO_STANCE
    else:
        summary = ", ".join(f"{stance or NO_STANCE} {count}" for stance, count in ordered)
    return f"| {actor.replace('|', '/')} | {summary} | {total} |"
