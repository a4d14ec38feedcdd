"""Text from files and feeds made safe to print on a terminal.

A file name or an article title can carry control characters: an escape sequence that
retitles the terminal or clears the screen, or a newline that forges an extra `failed:`
line in an import summary. Everything the CLI prints passes through `EscapingWriter`, and
the values it prints inside one line go through `printable`. JSON output stays faithful
instead: `json_text` keeps every character, spelling the dangerous ones as JSON escapes, so a
file name whose bytes are not UTF-8 comes back byte for byte (`os.fsencode(json.loads(...))`).
"""

from __future__ import annotations

import json
import re
from typing import Any, TextIO

# C0 controls, DEL and C1 controls, and the lone surrogates that stand for bytes that were
# not UTF-8 (Python's surrogateescape, used for file names).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\udc80-\udcff]")
_UNSAFE_IN_STREAM = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\udc80-\udcff]")
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the original byte of a non-UTF-8 file name
    return f"\\x{code:02x}"


def printable(text: object) -> str:
    """`text` on one line with every control character spelt out (`\\x1b`, `\\n`)."""
    return _UNSAFE.sub(_escape, str(text))


class EscapingWriter:
    """A text stream that spells out control characters, keeping line breaks and tabs
    (and carriage returns when `keep_returns`, for progress bars redrawn in place)."""

    def __init__(self, stream: TextIO, *, keep_returns: bool = False) -> None:
        self._stream = stream
        self._pattern = (re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\udc80-\udcff]")
                         if keep_returns else _UNSAFE_IN_STREAM)

    def write(self, text: str) -> int:
        self._stream.write(self._pattern.sub(_escape, text))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding ...
        return getattr(self._stream, name)


def json_text(data: Any) -> str:
    """Indented JSON keeping non-ASCII text readable, with C1 controls and surrogates as
    `\\uXXXX` escapes (they only ever occur inside strings, so the result stays valid)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
