"""Codebooks as files: load a hierarchical codebook (JSON) into an archive.

A code's "colour" may be left out: it then gets the colour farthest from the others
(core/colours.py), as a code added in the window does.
"""

from __future__ import annotations

import json
from pathlib import Path

from desktop.core.archive import Archive
from desktop.core.archive.codebook import COLOUR as _COLOUR
from desktop.core.archive.codebook import SHORTCUTS
from desktop.core.colours import next_colour
from desktop.core.errors import InvalidResource
from desktop.core.resources import resource


def _walk(codes: list) -> list[dict]:
    """Every code of a codebook file's tree, parents before their children."""
    found: list[dict] = []
    for code in codes:
        found.append(code)
        found.extend(_walk(code.get("children", [])))
    return found


def default_codebook_path() -> Path:
    return resource("codebook", "default.json")


def read_codebook(path: Path) -> dict:
    """Parse and validate a codebook file; errors name the file and the faulty code."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidResource(f"is not a readable codebook ({error}).", path) from error
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise InvalidResource("is not a codebook: it needs a top-level 'codes' list.", path)

    shortcuts: dict[str, str] = {}

    def validate(codes: list, trail: str) -> None:
        siblings: set[str] = set()
        for code in codes:
            name = code.get("name") if isinstance(code, dict) else None
            if not isinstance(name, str) or not name.strip():
                raise InvalidResource(f"has a code without a name under {trail or 'the top'}.",
                                      path)
            if name.strip().casefold() in siblings:
                raise InvalidResource(
                    f"has two codes named {name!r} under {trail or 'the top'}.", path)
            siblings.add(name.strip().casefold())
            colour = code.get("colour")
            if colour is not None and (not isinstance(colour, str)
                                       or not _COLOUR.match(colour)):
                raise InvalidResource(f"code {name!r} has an invalid colour {colour!r}.", path)
            shortcut = code.get("shortcut")
            if shortcut is not None:
                if shortcut not in SHORTCUTS:
                    raise InvalidResource(
                        f"code {name!r} has an invalid shortcut {shortcut!r} (use 1-9).", path)
                if shortcut in shortcuts:
                    raise InvalidResource(
                        f"codes {shortcuts[shortcut]!r} and {name!r} share the shortcut "
                        f"{shortcut!r}.", path)
                shortcuts[shortcut] = name
            validate(code.get("children", []), f"{trail}/{name}")

    validate(data["codes"], "")
    return data


def load_codebook(archive: Archive, path: Path | None = None) -> dict[str, int]:
    """Add every code of the file to the archive in one transaction; returns name -> id."""
    data = read_codebook(path or default_codebook_path())
    ids: dict[str, int] = {}
    used = [code.colour for code in archive.codes.all()]
    used += [code["colour"] for code in _walk(data["codes"]) if code.get("colour")]

    def add(codes: list, parent_id: int | None) -> None:
        for order, code in enumerate(codes):
            colour = code.get("colour")
            if not colour:  # the colour farthest from those in use (core/colours.py)
                colour = next_colour(used)
                used.append(colour)
            code_id = archive.codes.add(
                code["name"],
                parent_id=parent_id,
                description=code.get("description", ""),
                colour=colour,
                shortcut=code.get("shortcut"),
                sort_order=order,
            )
            ids[code["name"]] = code_id
            add(code.get("children", []), code_id)

    with archive.transaction():
        add(data["codes"], None)
    return ids
