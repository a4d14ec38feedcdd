"""A small coded archive for the W3C Web Annotation tests: articles with and without an
address, a text with characters outside the BMP before a passage (so code points and
UTF-16 units differ), sub-codes, notes, actors of both kinds, stances and two coders."""

from __future__ import annotations

from desktop.core.anchoring.passages import save_document
from desktop.core.archive import Archive
from desktop.core.model import ImportedDocument
from desktop.core.ops.actors import add_actor
from desktop.core.ops.codebook import add_code
from desktop.core.ops.passages import annotate

ARTICLES = [
    ImportedDocument(
        title="Ministers split over the AI Act", origin="test", outlet="Ledger",
        url="https://ledger.example/ai-act?id=7",
        text=("Brussels. Ministers met on Tuesday. The AI Act was supposed to replace a "
              "patchwork, said the commissioner. Industry groups said compliance costs "
              "would push start-ups abroad. The AI Act was supposed to replace a patchwork "
              "of national rules, a second official added.")),
    ImportedDocument(
        title="Émoji 🇪🇺 and the single market", origin="test", outlet="Notes",
        text=("🇪🇺🚀 Markets react. Europe’s “single market for data” remains a promise, "
              "critics say; the Commission disagrees and cites progress on data portability.")),
    ImportedDocument(
        title="Unrelated", origin="test", url="http://other.example/page",
        text="Nothing here is coded. A sentence about fisheries quotas and nets."),
]


def fill(archive: Archive) -> list[int]:
    """Save ARTICLES; returns their ids."""
    return [save_document(archive, doc)[1] for doc in ARTICLES]


def coded_archive(archive: Archive) -> Archive:
    """ARTICLES with passages coded by two coders (notes, actors, stances, sub-codes)."""
    first, second, _ = fill(archive)
    costs = add_code(archive, "Costs of regulation").value
    add_code(archive, "Compliance costs", parent_id=costs)
    add_code(archive, "Fragmentation", parent_id=costs)
    add_code(archive, "Data economy")
    add_actor(archive, "Industry groups", kind="organisation", affiliation="Trade bodies")
    annotate(archive, first, code_names=["Compliance costs", "Data economy"],
             quote="compliance costs would push start-ups abroad", actor="Industry groups",
             stance="supports", note="Claim with **no** figures.", coder="ana")
    annotate(archive, first, code_names=["Fragmentation"],
             quote="replace a patchwork, said", coder="ben", stance="opposes")
    annotate(archive, second, code_names=["Data economy"],
             quote="“single market for data” remains a promise", actor="Critics",
             stance="opposes", coder="ana")
    annotate(archive, second, code_names=[], quote="data portability", coder="ben",
             note="Check the Commission's figures.")
    return archive
