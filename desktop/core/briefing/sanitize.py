"""Makes the HTML rendered from a briefing's Markdown safe to preview, print and share.

A briefing's Markdown may carry raw HTML pasted from anywhere. Whatever it holds, the
HTML we hand to the preview, WeasyPrint, a browser or Word must never run code (no script,
no event handlers, no iframes or objects), never style itself (no `style` attributes or
`<style>` blocks: their `url()`s could fetch), and never fetch anything from the network:
an image whose source is on the web (http, https or protocol-relative `//host/...`) loses
its source here, and the renderer reports it. Local image paths and `data:` images stay;
the renderer checks that they exist. A `chart:` source (a chart reference from the Analysis
workspace) stays too: it names no file and no host, and the renderer replaces it with the
chart it draws from the archive, or a note, never fetching or running anything.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "u", "ul", "var", "wbr",
})

ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
    "li": {"value"},
    "abbr": {"title"},
    "time": {"datetime"},
}

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_DATA_TYPES = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")
CHART_SCHEME = "chart:"


def is_remote(url: str) -> bool:
    """True for a URL that would be fetched from the network (http, https, `//host`)."""
    url = url.strip()
    if url.startswith(("//", "\\\\")):  # also a Windows share (\\server\share): SMB
        return True
    parts = urlsplit(url)
    if parts.scheme.lower() == "file" and parts.netloc not in ("", "localhost"):
        return True  # file://server/share/x.png is a network path too
    return parts.scheme.lower() in {"http", "https", "ftp", "ftps"}


def _link_ok(url: str) -> bool:
    url = url.strip()
    if url.startswith("#"):
        return True
    return urlsplit(url).scheme.lower() in LINK_SCHEMES and not url.startswith("//")


def is_chart(url: str) -> bool:
    """A chart reference (`chart:timeline?…`), drawn by the renderer from the archive."""
    return url.strip().lower().startswith(CHART_SCHEME)


def _image_ok(url: str) -> bool:
    url = url.strip()
    if is_chart(url):
        return True
    if url.lower().startswith("data:"):
        return url.lower().startswith(IMAGE_DATA_TYPES)
    if is_remote(url):
        return False
    scheme = urlsplit(url).scheme.lower()
    # A Windows path ("C:\\x.png") parses with a one-letter scheme; it is a local file.
    return scheme in {"", "file"} or len(scheme) == 1


def sanitize_html(html: str, dropped: list[str] | None = None) -> str:
    """`html` with only safe tags and attributes; URLs it refused are appended to `dropped`."""

    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if tag == "a" and attr == "href":
            return value if _link_ok(value) else None
        if tag == "img" and attr == "src":
            if _image_ok(value):
                return value
            if dropped is not None:
                dropped.append(value)
            return None
        return value

    return nh3.clean(
        html,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=attribute_filter,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript",
                            "template", "svg", "math"},
        url_schemes={"http", "https", "mailto", "file", "data", "chart"},
        link_rel=None,
        strip_comments=True,
    )
