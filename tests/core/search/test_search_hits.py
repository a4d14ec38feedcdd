"""Snippet marks: shown as HTML bold, as brackets, or removed, and never as markup."""

from __future__ import annotations

from desktop.core.search.search_hits import marked_snippet, plain_snippet, snippet_html
from desktop.core.search_model import MATCH_END, MATCH_START

SNIPPET = f"…rules for {MATCH_START}open{MATCH_END}-{MATCH_START}source{MATCH_END} <AI> & co…"


def test_html_escapes_text_and_bolds_matches():
    assert snippet_html(SNIPPET) == (
        "…rules for <b>open</b>-<b>source</b> &lt;AI&gt; &amp; co…")


def test_html_closes_a_mark_left_open_and_ignores_a_stray_end():
    assert snippet_html(f"a {MATCH_START}b") == "a <b>b</b>"
    assert snippet_html(f"a{MATCH_END} b") == "a b"


def test_plain_and_bracketed():
    assert plain_snippet(SNIPPET) == "…rules for open-source <AI> & co…"
    assert marked_snippet(SNIPPET, "[", "]") == "…rules for [open]-[source] <AI> & co…"
