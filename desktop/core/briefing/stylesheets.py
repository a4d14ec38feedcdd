"""The briefing's stylesheets: ours from resources/briefing, and the analyst's own.

A user stylesheet is applied after ours. It is checked first with tinycss2 (and selectors
with cssselect2, which WeasyPrint uses): a file that cannot be read or has syntax errors
is left out entirely, so the export still succeeds with our look, and the warning says
which line is wrong. For the standalone HTML every `url()` that is not a `data:` URL is
removed from the user's CSS, so the page never refers to anything outside itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import cssselect2
import tinycss2

from desktop.core.resources import resource

PAGE_SIZES = {"a4": "A4", "letter": "letter"}


@cache
def default_css() -> str:
    """The print stylesheet shipped in resources/briefing/briefing.css."""
    return resource("briefing", "briefing.css").read_text(encoding="utf-8")


@cache
def preview_css() -> str:
    """The (Qt rich-text subset) stylesheet of the editor's preview."""
    return resource("briefing", "preview.css").read_text(encoding="utf-8")


def page_size_css(page_size: str) -> str:
    size = PAGE_SIZES.get((page_size or "A4").strip().lower(), "A4")
    return f"@page {{ size: {size}; }}"


@dataclass
class UserCss:
    """The analyst's stylesheet when usable (`css` None otherwise) and why not."""

    css: str | None = None
    base_url: str | None = None
    warnings: list[str] = field(default_factory=list)


def read_user_css(path: str) -> UserCss:
    if not (path or "").strip():
        return UserCss()
    file = Path(path).expanduser()
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return UserCss(warnings=[f"Your stylesheet {file} could not be read ({reason}); "
                                 "the default stylesheet was used."])
    problem = css_syntax_problem(text)
    if problem:
        return UserCss(warnings=[f"Your stylesheet {file} has a syntax error ({problem}); "
                                 "it was ignored and the default stylesheet was used."])
    return UserCss(text, file.resolve().as_uri())


def css_syntax_problem(text: str) -> str | None:
    """The first syntax error in `text` as "line N: what", or None for a clean sheet."""
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    return _problem_in(rules) or _unclosed_block(text)


_COMMENT_OR_STRING = re.compile(r"/\*.*?(\*/|$)|\"(\\.|[^\"\\\n])*\"|'(\\.|[^'\\\n])*'", re.S)


def _unclosed_block(text: str) -> str | None:
    """CSS closes blocks left open at the end silently; a user's sheet means a mistake."""
    plain = _COMMENT_OR_STRING.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    opened: list[int] = []
    for index, char in enumerate(plain):
        if char == "{":
            opened.append(index)
        elif char == "}" and opened:
            opened.pop()
    if opened:
        line = plain.count("\n", 0, opened[-1]) + 1
        return f"line {line}: a {{ block is never closed"
    return None


def _problem_in(rules: list) -> str | None:
    for rule in rules:
        if rule.type == "error":
            return f"line {rule.source_line}: {rule.message}"
        if rule.type == "qualified-rule":
            if rule.content is None:
                return f"line {rule.source_line}: a rule without its {{ }} block"
            try:
                cssselect2.compile_selector_list(rule.prelude)
            except cssselect2.SelectorError as error:
                name = error.args[1] if len(error.args) > 1 else str(error)
                return f"line {rule.source_line}: invalid selector ({name})"
            except Exception:  # cssselect2 itself trips on some bad selectors (n+)
                selector = tinycss2.serialize(rule.prelude).strip()
                return f"line {rule.source_line}: invalid selector ({selector})"
            problem = _problem_in_block(rule.content)
        elif rule.type == "at-rule" and rule.content is not None:
            keyword = rule.lower_at_keyword
            if keyword in {"media", "supports", "layer", "document"}:
                problem = _problem_in(tinycss2.parse_rule_list(
                    rule.content, skip_comments=True, skip_whitespace=True))
            else:
                problem = _problem_in_block(rule.content)
        else:
            problem = None
        if problem:
            return problem
    return None


def _problem_in_block(content: list) -> str | None:
    for item in tinycss2.parse_blocks_contents(content, skip_comments=True,
                                               skip_whitespace=True):
        if item.type == "error":
            return f"line {item.source_line}: {item.message}"
        if item.type == "qualified-rule" and item.content is not None:
            problem = _problem_in_block(item.content)
            if problem:
                return problem
    return None


_REMOTE = re.compile(r"\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def without_external_urls(text: str) -> tuple[str, list[str]]:
    """`text` with every non-`data:` url() and @import removed; the URLs that went."""
    removed: list[str] = []
    rules = tinycss2.parse_stylesheet(text, skip_comments=True)
    kept = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            removed.append(tinycss2.serialize(rule.prelude).strip())
            continue
        kept.append(_scrub(rule, removed))
    return tinycss2.serialize(kept), removed


# A tinycss2 node (token, block or rule). tinycss2 ships no types; the checks below go by
# its `type` attribute, as its own serializer does.
_CssNode = Any


def _scrub(node: _CssNode, removed: list[str]) -> _CssNode:
    kind = getattr(node, "type", "")
    if kind == "string" and _REMOTE.match(str(node.value)):
        # image-set("https://…" 1x) and friends fetch from strings, not url().
        removed.append(node.value)
        return tinycss2.ast.StringToken(node.source_line, node.source_column, "", '""')
    if kind == "url" and not str(node.value).lower().startswith("data:"):
        removed.append(node.value)
        return tinycss2.ast.IdentToken(node.source_line, node.source_column, "none")
    if kind == "function" and node.lower_name == "url":
        value = tinycss2.serialize(node.arguments).strip().strip("\"'")
        if not value.lower().startswith("data:"):
            removed.append(value)
            return tinycss2.ast.IdentToken(node.source_line, node.source_column, "none")
    for attribute in ("prelude", "content", "arguments"):
        children = getattr(node, attribute, None)
        if isinstance(children, list):
            setattr(node, attribute, [_scrub(child, removed) for child in children])
    return node
