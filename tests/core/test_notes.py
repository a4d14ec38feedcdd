"""Notes render as Markdown, never as raw HTML, foreign links or loaded images."""

from __future__ import annotations

from desktop.core.notes import note_excerpt, render_note, render_note_excerpt


def test_markdown_features_render():
    html = render_note("Some *emphasis* and **strong**.\nA line break.\n\n- one\n- two\n\n"
                       "| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<em>emphasis</em>" in html and "<strong>strong</strong>" in html
    assert "<br" in html  # nl2br: a single newline is a line break
    assert "<li>one</li>" in html and "<td>2</td>" in html  # lists, tables (extra)


def test_raw_html_is_escaped_not_passed_through():
    html = render_note("Hi <script>alert(1)</script> <b onclick='x'>bold</b>\n\n<div>block</div>")
    assert "<script" not in html and "<b " not in html and "<div" not in html
    assert "&lt;script&gt;" in html and "&lt;div&gt;block&lt;/div&gt;" in html


def test_only_web_and_mail_links_survive():
    html = render_note("[web](https://example.org/a) [plain](http://x.org) "
                       "[mail](mailto:a@example.org) [js](javascript:alert(1)) "
                       "[file](file:///etc/passwd) [rel](notes.html)")
    assert 'href="https://example.org/a"' in html and 'href="http://x.org"' in html
    assert 'href="mailto:a@example.org"' in html
    assert "javascript" not in html and "file:" not in html and "notes.html" not in html
    assert "<span>js</span>" in html and "<span>rel</span>" in html


def test_images_are_replaced_by_their_alt_text():
    html = render_note("Look: ![a chart of funding](https://tracker.example/pixel.png) here")
    assert "<img" not in html and "tracker.example" not in html
    assert "a chart of funding" in html and "here" in html


def test_empty_note_renders_empty():
    assert render_note("") == ""


def test_an_excerpt_is_the_first_lines_cut_at_a_word():
    note = "First **line**\n\nsecond\nthird\nfourth"
    assert note_excerpt(note) == "First **line**\n\nsecond\nthird …"  # blank lines kept
    assert "<li>Berlin</li>" in render_note_excerpt("Where:\n\n- Berlin\n- Paris")
    long = "word " * 60
    cut = note_excerpt(long, max_characters=30)
    assert cut.endswith("word…") and len(cut) <= 30
    assert note_excerpt("   \n  ") == ""


def test_an_excerpt_renders_like_the_note():
    html = render_note_excerpt("**Check** the *figure* <script>x</script>\n[a](javascript:x)")
    assert "<strong>Check</strong>" in html and "<em>figure</em>" in html
    assert "**" not in html and "<script>" not in html and "javascript" not in html
    assert render_note_excerpt("") == ""
