"""Discourse networks as Discourse Network Analyzer (DNA, Leifeld) builds them.

A coded passage with an actor, a code (the argument) and a stance is a DNA statement
(organisation, concept, agreement). From the statements in a scope:

- **two-mode** ("affiliation") network: actors and arguments, an edge where an actor makes
  an argument, weighted by the passages, signed by stance (`net` = supports − opposes,
  `sign` "+", "-", "±" or "0" for neutral/unclear/no stance only, DNA's "combine");
- **congruence** network of actors: two actors tied when they take the same stance on the
  same argument, weight = the number of (argument, stance) statements both make — the
  arguments they agree on (DNA's one-mode network with qualifier aggregation
  "congruence" and duplicates counted once);
- **conflict** network: opposite stances on the same argument (aggregation "conflict");
- **concept congruence / conflict**: the same with the roles swapped: two arguments tied
  when an actor takes the same (opposite) stances on both.

Only "supports" and "opposes" make congruence and conflict (DNA's binary agreement
qualifier); neutral, unclear and unstated stances are left out, and said so in `notes`.
Normalisations (one-mode), with a_i a node's statements and w the raw weight: "average"
w / ((a_i + a_j) / 2), "jaccard" w / (m10 + m01 + m11) as DNA computes it, "cosine"
w / √(Σa_i² · Σa_j²) (the textbook cosine; DNA's code divides by a_i · a_j); two-mode
"activity" (an edge over its actor's passages) and "prominence" (over its argument's).

Time windows: `networks_over_time` gives a network per week, month, quarter or year, from
the first period with a statement to the last, so the debate's change can be seen.

The statements are grouped in SQL (`archive.networks`, archive/analysis_networks.py), the
one-mode ties are matrix products of them (network_ties.py), and this module turns both
into networkx graphs; `max_nodes` keeps the most active nodes only (what the window draws),
which keeps a debate of 5,000 actors quick. Node ids are "actor:<id>" and
"code:<id>"; nodes carry `label` (the actor's or code's name), `mode` ("actor" or
"code"), `kind` (the actor's kind, or "code"), `affiliation`, `activity` (statements:
passages × codes, in this network) and `colour`. Exports: network_export.py.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from desktop.core.analysis import network_ties
from desktop.core.analysis.common import Resolved, resolve
from desktop.core.analysis.scope import AnalysisScope, ScopeError
from desktop.core.archive import Archive

KINDS = ("two-mode", "congruence", "conflict", "concept-congruence", "concept-conflict")
ONE_MODE_NORMALISATIONS = ("none", "average", "jaccard", "cosine")
TWO_MODE_NORMALISATIONS = ("none", "activity", "prominence")
NETWORK_INTERVALS = ("week", "month", "quarter", "year")
STANCE_KEYS = ("supports", "opposes", "neutral", "unclear", "none")


def actor_node(actor_id: int) -> str:
    return f"actor:{actor_id}"


def code_node(code_id: int) -> str:
    return f"code:{code_id}"


def node_id(node: str) -> tuple[str, int]:
    """("actor" or "code", database id) of a node id such as "actor:12"."""
    mode, _, number = node.partition(":")
    if mode not in ("actor", "code") or not number.isdigit():
        raise ValueError(f"{node!r} is not a network node (actor:ID or code:ID)")
    return mode, int(number)


@dataclass(frozen=True)
class Window:
    """A network's period: `key` its first day (ISO), `label` as an axis says it."""

    key: str
    label: str

    def to_json(self) -> dict[str, str]:
        return {"start": self.key, "label": self.label}


@dataclass(frozen=True)
class Network:
    """One discourse network: the graph and what the analyst should know about it."""

    kind: str
    graph: nx.Graph = field(compare=False)
    scope: str = "whole archive"
    normalisation: str = "none"
    distinct: bool = True
    window: Window | None = None
    notes: tuple[str, ...] = ()
    nodes_total: int = 0  # nodes before `max_nodes` kept the most active (0: all kept)

    @property
    def is_empty(self) -> bool:
        return self.graph.number_of_nodes() == 0

    @property
    def capped(self) -> bool:
        return self.nodes_total > self.graph.number_of_nodes()

    def to_json(self) -> dict[str, Any]:
        graph = self.graph
        nodes = [{"id": node, **data} for node, data in graph.nodes(data=True)]
        edges = []
        for source, target, data in graph.edges(data=True):
            edges.append({"source": source, "target": target,
                          "source_label": graph.nodes[source]["label"],
                          "target_label": graph.nodes[target]["label"], **data})
        return {"view": "network", "kind": self.kind, "scope": self.scope,
                "normalisation": self.normalisation,
                "duplicates": "distinct" if self.distinct else "include",
                "period": self.window.to_json() if self.window else None,
                "nodes_total": max(self.nodes_total, graph.number_of_nodes()),
                "nodes": nodes, "edges": edges, "notes": list(self.notes)}


@dataclass(frozen=True)
class NetworkSeries:
    """A network per period, oldest first (empty periods included, so gaps show)."""

    kind: str
    interval: str
    networks: tuple[Network, ...]
    scope: str = "whole archive"
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"view": "network-series", "kind": self.kind, "interval": self.interval,
                "scope": self.scope, "networks": [n.to_json() for n in self.networks],
                "notes": list(self.notes)}


# -- building ---------------------------------------------------------------------------


def _check(kind: str, normalise: str, interval: str | None) -> None:
    if kind not in KINDS:
        raise ScopeError(f"There is no network kind {kind!r}: use one of {', '.join(KINDS)}.")
    allowed = TWO_MODE_NORMALISATIONS if kind == "two-mode" else ONE_MODE_NORMALISATIONS
    if normalise not in allowed:
        raise ScopeError(f"A {kind} network is normalised by one of {', '.join(allowed)}, "
                         f"not {normalise!r}.")
    if interval is not None and interval not in NETWORK_INTERVALS:
        raise ScopeError(f"A time window is one of {', '.join(NETWORK_INTERVALS)}, "
                         f"not {interval!r}.")


def network(archive: Archive, scope: AnalysisScope, kind: str = "two-mode", *,
            normalise: str = "none", distinct: bool = True,
            code_ids: Sequence[int] | None = None, max_nodes: int | None = None) -> Network:
    """The `kind` network of the passages in `scope` (see the module's docstring);
    `code_ids` limits the arguments; `max_nodes` keeps only the most active nodes (the
    window draws no more; `nodes_total` and a note say how many there were). Raises
    ScopeError for a kind, normalisation or scope that cannot be used."""
    _check(kind, normalise, None)
    resolved = resolve(archive, scope)
    built, _ = _build(archive, resolved, kind, normalise, distinct, code_ids, None,
                      max_nodes)
    return built[None] if None in built else _empty(archive, resolved, kind, normalise,
                                                       distinct, None, code_ids)


def networks_over_time(archive: Archive, scope: AnalysisScope, kind: str = "two-mode", *,
                       interval: str = "quarter", normalise: str = "none",
                       distinct: bool = True, code_ids: Sequence[int] | None = None,
                       max_nodes: int | None = None) -> NetworkSeries:
    """A `kind` network per `interval` ("week", "month", "quarter", "year"), from the first
    period holding a statement to the last; passages of undated articles are left out
    (a note says how many). `max_nodes`: as `network`, per period."""
    _check(kind, normalise, interval)
    resolved = resolve(archive, scope)
    built, undated = _build(archive, resolved, kind, normalise, distinct, code_ids, interval,
                            max_nodes)
    notes = list(resolved.notes)
    dated = {key: net for key, net in built.items() if key is not None}
    if undated:
        notes.append(f"{undated:,} statements (passage × code) of undated articles are in no "
                     "period.")
    keys = sorted(dated)
    networks = []
    for key in _periods(keys[0], keys[-1], interval) if keys else []:
        window = Window(key, period_label(key, interval))
        found = dated.get(key)
        if found is None:
            found = _empty(archive, resolved, kind, normalise, distinct, window, code_ids)
        networks.append(Network(found.kind, found.graph, found.scope, found.normalisation,
                                found.distinct, window, found.notes, found.nodes_total))
    if not networks:
        notes.append(f"No dated passages with an actor and a code in this scope "
                     f"({resolved.description}).")
    return NetworkSeries(kind, interval, tuple(networks), resolved.description, tuple(notes))


def _empty(archive: Archive, resolved: Resolved, kind: str, normalise: str, distinct: bool,
           window: Window | None, code_ids: Sequence[int] | None) -> Network:
    graph = nx.Graph(kind=kind)
    notes = list(resolved.notes)
    if window is None:
        unattributed = archive.networks.unattributed(resolved.sql, code_ids)
        notes.append(f"No passages with an actor and a code in this scope "
                     f"({resolved.description})."
                     + (f" {unattributed:,} coded passages have no actor: give them one "
                        "in the passage editor to see them here." if unattributed else ""))
    else:
        notes.append(f"No statements in {window.label}.")
    return Network(kind, graph, resolved.description, normalise, distinct, window,
                   tuple(notes))


def _build(archive: Archive, resolved: Resolved, kind: str, normalise: str, distinct: bool,
           code_ids: Sequence[int] | None, interval: str | None, max_nodes: int | None,
           ) -> tuple[dict[str | None, Network], int]:
    """A network per period key (None: the whole scope, or undated with an interval), and
    the statements of undated articles when `interval` is given."""
    statements = archive.networks.statements(resolved.sql, interval=interval,
                                             code_ids=code_ids)
    by_period: dict[str | None, list[tuple[int, int, str, int]]] = defaultdict(list)
    undated = 0
    for period, actor, code, stance, count in statements:
        by_period[period].append((actor, code, stance, count))
        if period is None and interval is not None:
            undated += count
    actors = _Actors(archive)
    codes = {c.id: c for c in archive.codes.all()}
    notes = list(resolved.notes)
    unattributed = archive.networks.unattributed(resolved.sql, code_ids)
    if unattributed:
        notes.append(f"{unattributed:,} coded passages without an actor are not in the "
                     "network.")
    result: dict[str | None, Network] = {}
    for period, rows in by_period.items():
        period_notes = list(notes)
        if kind == "two-mode":
            graph, total = _two_mode(rows, actors, codes, normalise, max_nodes)
        else:
            graph, total = _one_mode(kind, rows, actors, codes, normalise, distinct,
                                     max_nodes)
            unsigned = sum(count for _, _, stance, count in rows if stance not in
                           ("supports", "opposes"))
            if unsigned:
                period_notes.append(
                    f"{unsigned:,} statements without a stance of supports or opposes "
                    "(neutral, unclear or none) make no congruence or conflict.")
            if graph.number_of_nodes() and not graph.number_of_edges():
                period_notes.append("No two " + ("arguments" if kind.startswith("concept")
                                                 else "actors") + " are tied here.")
        window = Window(period, period_label(period, interval)) if (
            interval is not None and period is not None) else None
        if total > graph.number_of_nodes():
            period_notes.append(f"Only the {graph.number_of_nodes():,} most active of "
                                f"{total:,} nodes are in this network.")
        result[period] = Network(kind, graph, resolved.description, normalise, distinct,
                                 window, tuple(period_notes), total)
    return result, undated


class _Actors:
    """Actors' names, kinds and affiliations, read once for the nodes that need them."""

    def __init__(self, archive: Archive) -> None:
        self._archive = archive
        self._known: dict[int, tuple[str, str, str]] = {}

    def load(self, actor_ids: Iterable[int]) -> None:
        wanted = [i for i in actor_ids if i not in self._known]
        if wanted:
            self._known.update(self._archive.networks.actors(wanted))

    def get(self, actor_id: int) -> tuple[str, str, str] | None:
        if actor_id not in self._known:
            self.load([actor_id])
        return self._known.get(actor_id)


def _actor_attrs(actor: tuple[str, str, str] | None, actor_id: int) -> dict[str, Any]:
    if actor is None:  # deleted meanwhile
        return {"label": f"actor {actor_id}", "mode": "actor", "kind": "person",
                "affiliation": "", "colour": "", "db_id": actor_id}
    name, kind, affiliation = actor
    return {"label": name, "mode": "actor", "kind": kind, "affiliation": affiliation or "",
            "colour": "", "db_id": actor_id}


def _code_attrs(code: Any, code_id: int) -> dict[str, Any]:
    if code is None:
        return {"label": f"code {code_id}", "mode": "code", "kind": "code",
                "affiliation": "", "colour": "#888888", "db_id": code_id}
    return {"label": code.name, "mode": "code", "kind": "code", "affiliation": "",
            "colour": code.colour, "db_id": code_id}


def _sign(supports: int, opposes: int) -> str:
    if supports and opposes:
        return "±"
    return "+" if supports else "-" if opposes else "0"


def _most_active(activity: dict[Any, int], max_nodes: int | None) -> set[Any] | None:
    """The `max_nodes` nodes with most statements (ties to the lower id), or None: all."""
    if max_nodes is None or len(activity) <= max_nodes:
        return None
    ranked = sorted(activity, key=lambda node: (-activity[node], node))
    return set(ranked[:max_nodes])


_STANCE_INDEX = {stance: index for index, stance in enumerate(STANCE_KEYS)}
_ACTOR, _CODE = 0, 1


def _two_mode(rows: Iterable[tuple[int, int, str, int]], actors: _Actors,
              codes: dict[int, Any], normalise: str, max_nodes: int | None,
              ) -> tuple[nx.Graph, int]:
    graph = nx.Graph(kind="two-mode")
    split: dict[tuple[int, int], list[int]] = {}
    activity: dict[tuple[int, int], int] = defaultdict(int)  # (_ACTOR or _CODE, id)
    for actor, code, stance, count in rows:
        cell = split.get((actor, code))
        if cell is None:
            cell = split[(actor, code)] = [0] * len(STANCE_KEYS)
        cell[_STANCE_INDEX[stance]] += count
        activity[(_ACTOR, actor)] += count
        activity[(_CODE, code)] += count
    keep = _most_active(activity, max_nodes)
    if keep is not None:
        split = {pair: cell for pair, cell in split.items()
                 if (_ACTOR, pair[0]) in keep and (_CODE, pair[1]) in keep}
    actors.load(actor for actor, _ in split)
    for actor, code in split:
        for node, attrs, key in (
                (actor_node(actor), _actor_attrs(actors.get(actor), actor), (_ACTOR, actor)),
                (code_node(code), _code_attrs(codes.get(code), code), (_CODE, code))):
            if node not in graph:
                graph.add_node(node, **attrs, activity=activity[key],
                               bipartite=0 if attrs["mode"] == "actor" else 1)
    for (actor, code), cell in split.items():
        supports, opposes, neutral, unclear, none = cell
        count = sum(cell)
        weight: float = count
        if normalise == "activity":
            weight = count / activity[(_ACTOR, actor)]
        elif normalise == "prominence":
            weight = count / activity[(_CODE, code)]
        graph.add_edge(actor_node(actor), code_node(code), weight=weight, count=count,
                       supports=supports, opposes=opposes, neutral=neutral,
                       unclear=unclear, no_stance=none, net=supports - opposes,
                       sign=_sign(supports, opposes))
    return graph, len(activity)


def _one_mode(kind: str, rows: Sequence[tuple[int, int, str, int]], actors: _Actors,
              codes: dict[int, Any], normalise: str, distinct: bool,
              max_nodes: int | None) -> tuple[nx.Graph, int]:
    concept = kind.startswith("concept")
    congruence = not kind.endswith("conflict")
    graph = nx.Graph(kind=kind)
    activity = network_ties.activity(rows, concept=concept, distinct=distinct)
    found = network_ties.ties(rows, concept=concept, distinct=distinct,
                              conflict=not congruence,
                              keep=_most_active(activity, max_nodes))
    names = [code_node(n) if concept else actor_node(n) for n in found.nodes]
    if not concept:
        actors.load(found.nodes)
    for node, name in zip(found.nodes, names, strict=True):
        attrs = _code_attrs(codes.get(node), node) if concept else _actor_attrs(
            actors.get(node), node)
        graph.add_node(name, **attrs, activity=activity[node])
    total, squares = found.total.tolist(), found.squares.tolist()
    for a, b, raw, same, share_a, share_b in zip(
            found.first.tolist(), found.second.tolist(), found.raw.tolist(),
            found.same.tolist(), found.share_first.tolist(), found.share_second.tolist(),
            strict=True):
        if normalise == "average":
            norm = (total[a] + total[b]) / 2
        elif normalise == "jaccard":
            # DNA: m10 (a's cells b lacks) + m01 (b's cells a lacks) + m11 (both, products)
            norm = (total[a] - share_a) + (total[b] - share_b) + same
        elif normalise == "cosine":
            norm = math.sqrt(squares[a] * squares[b])
        else:
            norm = 1
        weight: float = raw if normalise == "none" else (raw / norm if norm else 0.0)
        graph.add_edge(names[a], names[b], weight=weight, count=raw,
                       sign="+" if congruence else "-")
    return graph, len(activity)


# -- periods ----------------------------------------------------------------------------


def period_label(key: str | None, interval: str | None) -> str:
    """"2024-W05", "2024-03", "2024-Q1", "2024" for a period's first day."""
    if key is None or interval is None:
        return "undated" if interval else "all"
    day = _dt.date.fromisoformat(key)
    if interval == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if interval == "month":
        return f"{day.year}-{day.month:02d}"
    if interval == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def _next(day: _dt.date, interval: str) -> _dt.date:
    if interval == "week":
        return day + _dt.timedelta(days=7)
    if interval == "year":
        return day.replace(year=day.year + 1)
    months = 1 if interval == "month" else 3
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def _periods(first: str, last: str, interval: str) -> list[str]:
    keys, day, end = [], _dt.date.fromisoformat(first), _dt.date.fromisoformat(last)
    while day <= end:
        keys.append(day.isoformat())
        day = _next(day, interval)
    return keys


# -- drill-down -------------------------------------------------------------------------


def passages_behind(archive: Archive, scope: AnalysisScope, kind: str, *,
                    node: str | None = None, edge: tuple[str, str] | None = None,
                    interval: str | None = None, period: str | None = None,
                    code_ids: Sequence[int] | None = None) -> list[int]:
    """Annotation ids behind a node or an edge of the `kind` network (in `period` of
    `interval` for a time window): a node's statements; a two-mode edge's passages (that
    actor on that argument); a congruence or conflict edge's passages of both ends on the
    arguments (or by the actors) that tie them, with the stances that do."""
    _check(kind, "none", interval)
    resolved = resolve(archive, scope)
    store = archive.networks
    signed = () if kind == "two-mode" else ("supports", "opposes")
    limit = list(code_ids) if code_ids is not None else []
    if node is not None:
        mode, number = node_id(node)
        if mode == "actor":
            return store.passage_ids(resolved.sql, actor_ids=[number], code_ids=limit,
                                     stances=signed, interval=interval, period=period)
        if limit and number not in limit:
            return []
        return store.passage_ids(resolved.sql, code_ids=[number], stances=signed,
                                 interval=interval, period=period)
    if edge is None:
        raise ValueError("give a node or an edge")
    (mode_a, first), (_, second) = node_id(edge[0]), node_id(edge[1])
    if kind == "two-mode":
        actor, code = (first, second) if mode_a == "actor" else (second, first)
        return store.passage_ids(resolved.sql, actor_ids=[actor], code_ids=[code],
                                 interval=interval, period=period)
    over = "actors" if kind.startswith("concept") else "codes"
    pairs = store.agreeing_pairs(resolved.sql, first, second, over=over,
                                 same=not kind.endswith("conflict"), interval=interval,
                                 period=period, code_ids=code_ids)
    statements: list[tuple[int, int, str]] = []  # (actor, code, stance) of both ends
    for via, stance_first, stance_second in pairs:
        for end, stance in ((first, stance_first), (second, stance_second)):
            statements.append((end, via, stance) if over == "codes" else (via, end, stance))
    return store.statement_passages(resolved.sql, statements, interval=interval,
                                    period=period)
