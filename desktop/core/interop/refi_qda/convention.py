"""How Briefing Reader spells its own things in REFI-QDA (docs/refi-qda.md), shared by
the export (`desktop/core/exchange/refi.py`) and the import (`desktop/core/ops/
refi_import.py`).

GUIDs that need no table are derived (UUID version 5) from a fixed namespace: our
variables' from their names and coders' from theirs, so every archive and every export
names them alike, and the round trip gives the same file.
"""

from __future__ import annotations

import uuid

ORIGIN = "Briefing Reader"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:briefing-reader:refi-qda")

# Article details as source variables: (variable name, REFI type).
SOURCE_VARIABLES = (("Outlet", "Text"), ("Byline", "Text"), ("Published", "Date"),
                    ("URL", "Text"), ("Language", "Text"))
# An actor is a Case with these variables; `Actor kind` marks a case as one of ours.
ACTOR_KIND, ACTOR_AFFILIATION, ACTOR_ALIASES = "Actor kind", "Actor affiliation", "Actor aliases"
ACTOR_VARIABLES = ((ACTOR_KIND, "Text"), (ACTOR_AFFILIATION, "Text"), (ACTOR_ALIASES, "Text"))
ALIAS_SEPARATOR = "; "
# Lines of a selection's Description.
STANCE_PREFIX, ACTOR_PREFIX = "Stance: ", "Actor: "
RESERVED = {name.casefold() for name, _ in (*SOURCE_VARIABLES, *ACTOR_VARIABLES)}

# Article attributes (document variables) <-> REFI variable types.
TYPE_OF_KIND = {"text": "Text", "number": "Float", "date": "Date", "boolean": "Boolean"}
KIND_OF_TYPE = {"Text": "text", "Integer": "number", "Float": "number", "Date": "date",
                "DateTime": "date", "Boolean": "boolean"}


def fixed_guid(part: str) -> str:
    """A GUID every Briefing Reader derives alike."""
    return str(uuid.uuid5(NAMESPACE, part))


def coder_guid(name: str) -> str:
    """A coder's User GUID: derived from the name (coders are names, not rows)."""
    return fixed_guid(f"coder:{name}")


def attribute_guid(name: str) -> str:
    """An article attribute's Variable GUID, from its name (ignoring case)."""
    return fixed_guid(f"attribute:{name.casefold()}")
