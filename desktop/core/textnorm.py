"""Text normalisation shared by deduplication and name matching."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


def normalise_for_hash(text: str) -> str:
    """The form two copies of one article share: NFKC, case-folded, whitespace collapsed."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def content_hash(text: str) -> str:
    """Identity of an article's text for deduplication (insensitive to spacing and case)."""
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()


def fold_name(name: str) -> str:
    """A name with case, accents and spacing removed, so 'José  Díaz' matches 'jose diaz'."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WHITESPACE.sub(" ", stripped).strip().casefold()
