"""Discourse networks to files: GraphML and GEXF (Gephi, visone, Cytoscape) and CSV edge
lists (a spreadsheet, R, pandas).

networkx writes GraphML and GEXF; the node ids ("actor:12", "code:5") and every attribute
the graph holds (label, mode, kind, affiliation, activity, colour; weight, count, the stance
split and sign on edges) travel with them, so another tool reads the same network the app
drew. A network per period is one file per period for GraphML and GEXF (the period's label
before the extension: `debate-2024-Q1.graphml`) and one CSV with a `period` column.

A file is written beside its target and moved into place, so a failure (a folder that is
not writable, a full disk) never leaves half a file; `NetworkExportError` names the path
and the reason in words.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from desktop.core.analysis.networks import Network, NetworkSeries
from desktop.core.colours import distinct_palette, hex_rgb
from desktop.core.errors import BriefingError
from desktop.core.exporters.tables import escape_formula
from desktop.core.file_modes import give_final_mode

FORMATS = ("graphml", "gexf", "csv")
EDGE_COLUMNS = ("source", "target", "source_label", "target_label", "weight", "count",
                "sign", "supports", "opposes", "neutral", "unclear", "no_stance", "net")


class NetworkExportError(BriefingError):
    """A network could not be written where the analyst asked."""


def _write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise NetworkExportError(f"cannot be written: the folder {str(folder)!r} does not "
                                 "exist.", path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as error:
        raise NetworkExportError(f"cannot be written: {error.strerror or error}. Choose a "
                                 "folder you can write to.", path) from None
    os.close(handle)
    try:
        write(Path(temporary))
        give_final_mode(temporary, path)
        os.replace(temporary, path)
    except OSError as error:
        raise NetworkExportError(f"cannot be written: {error.strerror or error}.",
                                 path) from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _plain(graph: nx.Graph) -> nx.Graph:
    """A copy holding only values GraphML and GEXF can store (str, int, float, bool)."""
    plain = nx.Graph(**{k: v for k, v in graph.graph.items() if _storable(v)})
    for node, data in graph.nodes(data=True):
        plain.add_node(node, **{k: v for k, v in data.items() if _storable(v)})
    for source, target, data in graph.edges(data=True):
        plain.add_edge(source, target, **{k: v for k, v in data.items() if _storable(v)})
    return plain


def _storable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


def write_graphml(net: Network, path: str | Path) -> Path:
    target = Path(path)
    _write_atomically(target, lambda tmp: nx.write_graphml(_plain(net.graph), tmp))
    return target


def write_gexf(net: Network, path: str | Path) -> Path:
    """GEXF with Gephi's `viz` colours and sizes: arguments in their code's colour, actors
    by affiliation (the palette the window uses), sized by activity."""
    target = Path(path)
    _write_atomically(target, lambda tmp: nx.write_gexf(_with_viz(net.graph), tmp))
    return target


def _with_viz(graph: nx.Graph) -> nx.Graph:
    plain = _plain(graph)
    counts = Counter(str(d.get("affiliation", "")) for _, d in graph.nodes(data=True)
                     if d.get("mode") == "actor" and d.get("affiliation"))
    named = [name for name, _ in counts.most_common()]
    palette = dict(zip(named, distinct_palette(len(named)), strict=True)) if named else {}
    top = max((int(d.get("activity", 1)) for _, d in graph.nodes(data=True)), default=1) or 1
    for node, data in graph.nodes(data=True):
        colour = (str(data.get("colour") or "#888888") if data.get("mode") == "code"
                  else palette.get(str(data.get("affiliation", "")), "#b8c0c8"))
        try:
            red, green, blue = hex_rgb(colour)
        except (ValueError, TypeError):
            red, green, blue = 136, 136, 136
        plain.nodes[node]["viz"] = {
            "color": {"r": int(red), "g": int(green), "b": int(blue), "a": 1.0},
            "size": round(4 + 16 * (int(data.get("activity", 1)) / top) ** 0.5, 3)}
    return plain


def edge_rows(net: Network) -> list[dict[str, Any]]:
    """The network's edges as rows of EDGE_COLUMNS (stance columns empty for one-mode)."""
    graph = net.graph
    rows = []
    for source, target, data in graph.edges(data=True):
        # Two-mode edges run actor → argument, whichever way networkx stored them.
        if graph.nodes[source].get("mode") == "code" and graph.nodes[target].get(
                "mode") == "actor":
            source, target = target, source
        row = {column: data.get(column, "") for column in EDGE_COLUMNS}
        row.update(source=source, target=target,
                   source_label=graph.nodes[source]["label"],
                   target_label=graph.nodes[target]["label"])
        rows.append(row)
    rows.sort(key=lambda r: (-float(r["weight"] or 0), r["source_label"], r["target_label"]))
    return rows


def _csv_writer(networks: Sequence[Network], with_period: bool) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow((["period"] if with_period else []) + list(EDGE_COLUMNS))
            for net in networks:
                period = [net.window.label if net.window else ""] if with_period else []
                for row in edge_rows(net):
                    # Names are the analyst's text: a leading "=" must not become a formula.
                    for column in ("source_label", "target_label"):
                        row[column] = escape_formula(row[column])
                    writer.writerow(period + [row[c] for c in EDGE_COLUMNS])
    return write


def write_csv(net: Network | NetworkSeries, path: str | Path) -> Path:
    """An edge list (UTF-8 with a byte-order mark, as the passage export, so Excel reads
    accents); a series gets a `period` column first."""
    target = Path(path)
    if isinstance(net, NetworkSeries):
        _write_atomically(target, _csv_writer(net.networks, True))
    else:
        _write_atomically(target, _csv_writer([net], False))
    return target


def write(net: Network | NetworkSeries, path: str | Path, fmt: str | None = None,
          ) -> list[Path]:
    """Write in `fmt` (default: from the extension: .graphml, .gexf, .csv); the paths
    written (one per period for a series in GraphML or GEXF)."""
    target = Path(path)
    fmt = (fmt or target.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise NetworkExportError(f"has no network format the app writes: use "
                                 f"{', '.join('.' + f for f in FORMATS)}.", target)
    if fmt == "csv":
        return [write_csv(net, target)]
    writer = write_graphml if fmt == "graphml" else write_gexf
    if isinstance(net, NetworkSeries):
        written = []
        for one in net.networks:
            label = one.window.label if one.window else "all"
            written.append(writer(one, target.with_name(f"{target.stem}-{label}{target.suffix}")))
        return written
    return [writer(net, target)]
