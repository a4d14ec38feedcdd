"""The search language analysts type, parsed into a safe FTS5 expression plus filters.

Words, "exact phrases", prefix*, AND / OR / NOT (upper case, as FTS5 spells them), `-word`,
parentheses, NEAR(a b, 10) and filters (`code:` `actor:` `stance:` `outlet:` `lang:`
`after:` `before:` `is:` `collection:` `in:`). Every word reaches FTS5 as a quoted string, so
FTS5's own syntax characters (`"*^:()`, column filters) can never be typed into it raw: the
operators we map explicitly are the only syntax it sees. Mistakes raise `QuerySyntaxError`
with a sentence for the analyst and the character offset of the problem, never an SQLite
message.

Words so common that they match nearly every article ("the", "of") are dropped from free
text, because a query made of them would rank the whole index for nothing; phrases keep
them ("the rule of law").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from desktop.core.errors import QuerySyntaxError
from desktop.core.model import STANCES
from desktop.core.search_model import Filter, SearchQuery

# The error and value types live at the model level (the archive runs a `SearchQuery`
# without importing this parser): import them from desktop.core.search_model and errors.
__all__ = ["FILTERS", "MAX_TERMS", "STOP_WORDS", "fold", "parse_query", "token_words"]

MAX_TERMS = 64  # words in one query (phrases count each of their words)
MAX_DEPTH = 16  # nested parentheses
DEFAULT_NEAR = 10

FILTERS = (
    "code", "actor", "stance", "outlet", "lang", "after", "before", "is", "collection", "in",
)
IS_VALUES = ("annotated", "unread", "read", "starred")
IN_VALUES = ("notes", "annotations")

# Very common English words: alone they match (nearly) every article.
STOP_WORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had",
    "has", "have", "he", "her", "his", "i", "if", "in", "into", "is", "it", "its", "of", "on",
    "or", "our", "she", "so", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "to", "was", "we", "were", "what", "when", "which", "who", "will", "with", "you",
    "your",
))

_FILTER_WORD = re.compile(r"([A-Za-z]+):")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


# -- folding, shared with matching.py -----------------------------------------------------


def fold(text: str) -> str:
    """Case and accents removed the way FTS5's unicode61 (remove_diacritics 2) does."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def token_words(text: str) -> list[str]:
    """The words FTS5 sees in `text`: runs of letters and digits, folded."""
    return re.findall(r"[^\W_]+", fold(text))


# -- tokens -----------------------------------------------------------------------------


@dataclass
class _Token:
    kind: str  # word, phrase, filter, near, lparen, rparen, and, or, not
    pos: int
    text: str = ""
    negated: bool = False
    prefix: bool = False
    near_terms: list[_Token] = field(default_factory=list)
    distance: int = DEFAULT_NEAR
    filter_name: str = ""


def _quoted(text: str, pos: int) -> tuple[str, int]:
    """The text of a quoted string starting at `pos` (a `"`) and the offset after it."""
    end = text.find('"', pos + 1)
    if end < 0:
        shown = text[pos:pos + 24]
        raise QuerySyntaxError(
            f'Unbalanced quote: add a closing " after {shown}{"…" if len(text) > pos + 24 else ""}',
            pos,
        )
    return text[pos + 1:end], end + 1


def _word_end(text: str, pos: int) -> int:
    end = pos
    while end < len(text) and not text[end].isspace() and text[end] not in '"()':
        end += 1
    return end


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        ch = text[pos]
        if ch.isspace():
            pos += 1
            continue
        if ch == "(":
            tokens.append(_Token("lparen", pos))
            pos += 1
            continue
        if ch == ")":
            tokens.append(_Token("rparen", pos))
            pos += 1
            continue
        start = pos
        negated = False
        if ch == "-" and pos + 1 < len(text) and not text[pos + 1].isspace():
            negated, pos = True, pos + 1
        if text[pos] == '"':
            phrase, pos = _quoted(text, pos)
            prefix = pos < len(text) and text[pos] == "*"
            pos += prefix
            tokens.append(_Token("phrase", start, phrase, negated=negated, prefix=prefix))
            continue
        if text[pos] == "(":  # only after a '-': "(" alone was handled above
            raise QuerySyntaxError(
                "A '-' before parentheses is not understood: write NOT ( … ) after "
                "what the search should find", start)
        filter_match = _FILTER_WORD.match(text, pos)
        if filter_match and not text.startswith("//", filter_match.end()):
            token, pos = _filter_token(text, filter_match, start, negated)
            tokens.append(token)
            continue
        end = _word_end(text, pos)
        word = text[pos:end]
        if word == "NEAR" and end < len(text) and text[end] == "(" and not negated:
            token, pos = _near_token(text, start, end)
            tokens.append(token)
            continue
        pos = end
        if not negated and word in ("AND", "OR", "NOT"):
            tokens.append(_Token(word.lower(), start, word))
            continue
        tokens.append(_Token("word", start, word, negated=negated))
    return tokens


def _filter_token(
    text: str, match: re.Match[str], start: int, negated: bool
) -> tuple[_Token, int]:
    name = match.group(1).lower()
    if name not in FILTERS:
        raise QuerySyntaxError(
            f"Unknown filter {match.group(1)}: — try "
            + ", ".join(f"{known}:" for known in FILTERS),
            start,
        )
    pos = match.end()
    if pos < len(text) and text[pos] == '"':
        value, pos = _quoted(text, pos)
    else:
        end = _word_end(text, pos)
        value, pos = text[pos:end], end
    if not value.strip():
        raise QuerySyntaxError(
            f'{name}: needs a value right after the colon, e.g. {_EXAMPLES[name]}', start)
    token = _Token("filter", start, value.strip(), negated=negated, filter_name=name)
    return token, pos


_EXAMPLES = {
    "code": 'code:"Talent flight"', "actor": 'actor:"Jane Doe"', "stance": "stance:opposes",
    "outlet": 'outlet:"The Guardian"', "lang": "lang:en", "after": "after:2024-05",
    "before": "before:2024-05-01", "is": "is:annotated", "collection": "collection:Inbox",
    "in": "in:notes",
}


def _near_token(text: str, start: int, open_paren: int) -> tuple[_Token, int]:
    close = open_paren + 1
    while close < len(text) and text[close] != ")":
        if text[close] == '"':
            _, close = _quoted(text, close)
        else:
            close += 1
    if close >= len(text):
        raise QuerySyntaxError("NEAR( needs a closing ): write NEAR(word1 word2, 10)", start)
    inner = text[open_paren + 1:close]
    distance = DEFAULT_NEAR
    comma = inner.rfind(",")
    if comma >= 0 and inner.count('"', comma) == 0:
        number = inner[comma + 1:].strip()
        if not number.isdigit():
            raise QuerySyntaxError(
                f"NEAR's distance must be a whole number of words, not {number!r}: "
                "write NEAR(word1 word2, 10)", open_paren + 1 + comma)
        distance = int(number)
        inner = inner[:comma]
    terms = _tokenize(inner)
    for term in terms:
        term.pos += open_paren + 1
        if term.kind not in ("word", "phrase") or term.negated:
            raise QuerySyntaxError(
                "NEAR( … ) takes only words and \"phrases\": write NEAR(word1 word2, 10)",
                term.pos)
    terms = [t for t in terms if token_words(t.text)]
    if not terms:
        raise QuerySyntaxError("NEAR( ) is empty: write NEAR(word1 word2, 10)", start)
    if len(terms) < 2:
        raise QuerySyntaxError(
            "NEAR needs at least two words or phrases to bring together: "
            "NEAR(word1 word2, 10)", start)
    return _Token("near", start, text[start:close + 1], near_terms=terms,
                  distance=distance), close + 1


# -- filters ----------------------------------------------------------------------------


def _check_filter(token: _Token) -> Filter:
    name, value = token.filter_name, token.text
    if name == "stance":
        folded = value.lower()
        chosen = [s for s in STANCES if s.startswith(folded)] if len(folded) >= 3 else []
        if len(chosen) != 1:
            raise QuerySyntaxError(
                f"Unknown stance {value!r}: use stance:supports, opposes, neutral or unclear",
                token.pos)
        value = chosen[0]
    elif name in ("after", "before"):
        value = _start_of(value, token.pos, name)
    elif name == "is":
        if value.lower() not in IS_VALUES:
            raise QuerySyntaxError(
                f"Unknown is:{value} — try " + ", ".join(f"is:{v}" for v in IS_VALUES),
                token.pos)
        value = value.lower()
    elif name == "in":
        if value.lower() not in IN_VALUES:
            raise QuerySyntaxError(
                f"Unknown in:{value} — try in:notes or in:annotations", token.pos)
        if token.negated:
            raise QuerySyntaxError(
                "-in: cannot be negated: leave it out to search articles", token.pos)
        value = value.lower()
    elif name == "lang":
        value = value.lower()
    return Filter(name, value, token.negated)


def _start_of(value: str, pos: int, name: str) -> str:
    """The first day of a YYYY, YYYY-MM or YYYY-MM-DD period, as ISO text."""
    match = _DATE.fullmatch(value)
    problem = f"Bad date {value!r} in {name}: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. {name}:2024-05)"
    if not match:
        raise QuerySyntaxError(problem, pos)
    year, month, day = int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1)
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise QuerySyntaxError(problem, pos) from None


def _pull_filters(tokens: list[_Token]) -> tuple[list[_Token], list[Filter]]:
    """Separate filters (which always narrow, wherever they stand) from the text."""
    kept: list[_Token] = []
    filters: list[Filter] = []
    for index, token in enumerate(tokens):
        if token.kind != "filter":
            kept.append(token)
            continue
        before = kept[-1] if kept else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        for neighbour in (before, after):
            if neighbour is not None and neighbour.kind == "or":
                raise QuerySyntaxError(
                    "Filters always narrow the search; OR cannot join a filter: "
                    "search once for each value instead", neighbour.pos)
        if before is not None and before.kind == "not":
            kept.pop()
            token.negated = not token.negated
        elif before is not None and before.kind == "and":
            kept.pop()
        filters.append(_check_filter(token))
    return kept, filters


# -- syntax tree ------------------------------------------------------------------------


@dataclass
class _Node:
    kind: str  # term, and, or, not, near
    pos: int = 0
    children: list[_Node] = field(default_factory=list)
    token: _Token | None = None

    @property
    def leaf(self) -> _Token:
        """The token of a term or NEAR node (the parser gives every such node one)."""
        if self.token is None:
            raise ValueError(f"a {self.kind} node has no token")
        return self.token


class _Parser:
    """Recursive descent over the tokens; NOT binds tighter than AND, AND than OR (FTS5)."""

    def __init__(self, tokens: list[_Token], *, exclude_only_ok: bool = False) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        # With filters, the whole query may be only exclusions ("code:X -salary").
        self.exclude_only_ok = exclude_only_ok

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def parse(self) -> _Node | None:
        if not self.tokens:
            return None
        node = self.expr()
        token = self.peek()
        if token is not None:  # only a stray ")" stops expr() early
            raise QuerySyntaxError(
                "Unbalanced parentheses: this ) has no ( before it", token.pos)
        return node

    def expr(self) -> _Node:
        first = self.and_expr()
        children = [first]
        while (token := self.peek()) is not None and token.kind == "or":
            self.index += 1
            if (following := self.peek()) is None or following.kind in (
                    "rparen", "or", "and", "not"):
                raise QuerySyntaxError("OR needs a word after it", token.pos)
            children.append(self.and_expr())
        if len(children) > 1 and any(child.kind == "exclude" for child in children):
            where = next(child.pos for child in children if child.kind == "exclude")
            raise QuerySyntaxError(
                "A search cannot only exclude words: add a word to look for before the "
                "'-' or NOT", where)
        return children[0] if len(children) == 1 else _Node("or", first.pos, children)

    def and_expr(self) -> _Node:
        positives: list[_Node] = []
        negatives: list[_Node] = []
        start = self.peek()
        while (token := self.peek()) is not None and token.kind not in ("or", "rparen"):
            if token.kind == "and":
                if not positives and not negatives:
                    raise QuerySyntaxError("AND needs a word before it", token.pos)
                self.index += 1
                if (following := self.peek()) is None or following.kind in (
                        "rparen", "or", "and"):
                    raise QuerySyntaxError("AND needs a word after it", token.pos)
                continue
            if token.kind == "not":
                if not positives:
                    raise QuerySyntaxError(
                        "NOT needs something before it: write cats NOT dogs", token.pos)
                self.index += 1
                if (following := self.peek()) is None or following.kind in (
                        "rparen", "or", "and", "not"):
                    raise QuerySyntaxError("NOT needs a word after it", token.pos)
                negatives.append(self.primary())
                continue
            if token.negated:
                token.negated = False
                negatives.append(self.primary())
                token.negated = True
                continue
            positives.append(self.primary())
        if start is None or (not positives and not negatives):
            where = start.pos if start is not None else 0
            if start is not None and start.kind == "rparen":
                raise QuerySyntaxError("Empty parentheses: put a word inside ( )", where)
            if start is not None and start.kind == "or":
                raise QuerySyntaxError("OR needs a word before it", where)
            raise QuerySyntaxError("Nothing to search for here", where)
        if not positives and self.exclude_only_ok and self.depth == 0:
            return _Node("exclude", start.pos, negatives)
        if not positives:
            raise QuerySyntaxError(
                "A search cannot only exclude words: add a word to look for before the "
                "'-' or NOT", start.pos)
        node = positives[0] if len(positives) == 1 else _Node("and", start.pos, positives)
        for negative in negatives:
            node = _Node("not", negative.pos, [node, negative])
        return node

    def primary(self) -> _Node:
        token = self.tokens[self.index]
        self.index += 1
        if token.kind == "lparen":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QuerySyntaxError(
                    f"Too many nested parentheses (at most {MAX_DEPTH})", token.pos)
            closing = self.peek()
            if closing is not None and closing.kind == "rparen":
                raise QuerySyntaxError("Empty parentheses: put a word inside ( )", token.pos)
            if closing is None:  # "foo (" at the end: the missing ")" is the news
                raise QuerySyntaxError(
                    "Unbalanced parentheses: add a closing ) for this (", token.pos)
            node = self.expr()
            closing = self.peek()
            if closing is None or closing.kind != "rparen":
                raise QuerySyntaxError(
                    "Unbalanced parentheses: add a closing ) for this (", token.pos)
            self.index += 1
            self.depth -= 1
            return node
        if token.kind == "near":
            return _Node("near", token.pos, token=token)
        return _Node("term", token.pos, token=token)


# -- stop-words, terms, FTS text ---------------------------------------------------------


def _is_stop(node: _Node) -> bool:
    token = node.token
    if node.kind != "term" or token is None or token.kind != "word" or token.text.endswith("*"):
        return False
    words = token_words(token.text)
    return len(words) == 1 and words[0] in STOP_WORDS


def _prune(node: _Node, keep_stops: bool) -> _Node | None:
    """Drop tokenless words, and stop-words unless the query is made only of them."""
    if node.kind == "term":
        if not token_words(node.leaf.text):
            return None
        return None if (not keep_stops and _is_stop(node)) else node
    if node.kind == "near":
        return node
    children = [_prune(child, keep_stops) for child in node.children]
    if node.kind == "not":
        kept_part, excluded = children
        if kept_part is None:
            return None
        return kept_part if excluded is None else _Node("not", node.pos, [kept_part, excluded])
    kept = [child for child in children if child is not None]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else _Node(node.kind, node.pos, kept)


def _leaves(node: _Node, positive: bool = True) -> Iterator[tuple[_Node, bool]]:
    if node.kind in ("term", "near"):
        yield node, positive
        return
    for index, child in enumerate(node.children):
        yield from _leaves(child, positive and not (node.kind == "not" and index == 1))


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _term_fts(token: _Token) -> str:
    prefix = token.kind == "word" and token.text.endswith("*")
    text = token.text.rstrip("*") if prefix else token.text
    return _fts_string(text) + (" *" if prefix or token.prefix else "")


def _to_fts(node: _Node) -> str:
    if node.kind == "term":
        return _term_fts(node.leaf)
    if node.kind == "near":
        inner = " ".join(_term_fts(t) for t in node.leaf.near_terms)
        return f"NEAR({inner}, {node.leaf.distance})"
    joiner = {"and": " AND ", "or": " OR ", "not": " NOT "}[node.kind]
    return "(" + joiner.join(_to_fts(child) for child in node.children) + ")"


def _highlight_terms(tokens: list[_Token]) -> list[str]:
    terms = []
    for token in tokens:
        words = token_words(token.text)
        prefix = token.prefix or (token.kind == "word" and token.text.endswith("*"))
        if token.kind == "phrase" or len(words) > 1:
            terms.append('"' + " ".join(words) + '"' + ("*" if prefix else ""))
        else:
            terms.append(words[0] + ("*" if prefix else ""))
    return terms


def _check_prefixes(tokens: list[_Token]) -> None:
    for token in tokens:
        if token.kind == "word" and token.text.endswith("*"):
            words = token_words(token.text)
            if words and len(words[-1]) < 2:
                raise QuerySyntaxError(
                    f"{token.text} is too short a prefix: type at least two letters "
                    "before *", token.pos)


def _all_tokens(tokens: list[_Token]) -> list[_Token]:
    flat = []
    for token in tokens:
        flat.extend(token.near_terms if token.kind == "near" else [token])
    return flat


@lru_cache(maxsize=256)
def parse_query(text: str) -> SearchQuery:
    """Parse what the analyst typed; raises QuerySyntaxError with a message and position."""
    tokens, filters = _pull_filters(_tokenize(text))
    words = [t for t in _all_tokens(tokens) if t.kind in ("word", "phrase")]
    count = sum(len(token_words(t.text)) for t in words)
    if count > MAX_TERMS:
        raise QuerySyntaxError(
            f"The query has {count:,} words; a search takes at most {MAX_TERMS}. "
            "Keep the words that matter, or a short \"phrase\".", 0)
    scope = "articles"
    for item in filters:
        if item.name == "in":
            scope = item.value
    filters = [f for f in filters if f.name != "in"]
    tree = _Parser(tokens, exclude_only_ok=bool(filters) and scope == "articles").parse()
    fts = None
    terms: list[str] = []
    if tree is not None and tree.kind == "exclude":
        _check_prefixes(words)
        excluded = tree.children[0] if len(tree.children) == 1 else _Node(
            "or", tree.pos, tree.children)
        pruned = _prune(excluded, keep_stops=False)
        return SearchQuery(text=text, filters=tuple(filters), scope=scope,
                           exclude=_to_fts(pruned) if pruned is not None else None)
    if tree is not None:
        _check_prefixes(words)
        pruned = _prune(tree, keep_stops=False)
        only_common = pruned is None and _prune(tree, keep_stops=True) is not None
        if only_common and not filters:
            common = ", ".join(dict.fromkeys(w for t in words for w in token_words(t.text)))
            raise QuerySyntaxError(
                f"Only common words ({common}) — they are in nearly every article: "
                'add a more specific word or a "phrase"', 0)
        if pruned is not None:
            fts = _to_fts(pruned)
            if scope == "notes":
                fts = f"note : ({fts})"
            positive = [n.leaf for n, pos in _leaves(pruned) if pos]
            terms = _highlight_terms(_all_tokens(positive))
        elif not filters and scope == "articles":
            raise QuerySyntaxError(
                "No words to search for: type a word, a \"phrase\" or a filter such as "
                "code:", 0)
    return SearchQuery(
        text=text, fts=fts, terms=tuple(dict.fromkeys(terms)), filters=tuple(filters),
        scope=scope,
    )
