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

The counting is SQL in the archive (`archive.networks`, archive/analysis_networks.py);
this module turns the groups into networkx graphs. Node ids are "actor:<id>" and
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

    @property
    def is_empty(self) -> bool:
        return self.graph.number_of_nodes() == 0

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
            code_ids: Sequence[int] | None = None) -> Network:
    """The `kind` network of the passages in `scope` (see the module's docstring);
    `code_ids` limits the arguments. Raises ScopeError for a kind, normalisation or scope
    that cannot be used."""
    _check(kind, normalise, None)
    resolved = resolve(archive, scope)
    built, _ = _build(archive, resolved, kind, normalise, distinct, code_ids, None)
    return built[None] if None in built else _empty(archive, resolved, kind, normalise,
                                                       distinct, None, code_ids)


def networks_over_time(archive: Archive, scope: AnalysisScope, kind: str = "two-mode", *,
                       interval: str = "quarter", normalise: str = "none",
                       distinct: bool = True,
                       code_ids: Sequence[int] | None = None) -> NetworkSeries:
    """A `kind` network per `interval` ("week", "month", "quarter", "year"), from the first
    period holding a statement to the last; passages of undated articles are left out
    (a note says how many)."""
    _check(kind, normalise, interval)
    resolved = resolve(archive, scope)
    built, undated = _build(archive, resolved, kind, normalise, distinct, code_ids, interval)
    notes = list(resolved.notes)
    dated = {key: net for key, net in built.items() if key is not None}
    if undated:
        notes.append(f"{undated} statements (passage × code) of undated articles are in no "
                     "period.")
    keys = sorted(dated)
    networks = []
    for key in _periods(keys[0], keys[-1], interval) if keys else []:
        window = Window(key, period_label(key, interval))
        found = dated.get(key)
        if found is None:
            found = _empty(archive, resolved, kind, normalise, distinct, window, code_ids)
        networks.append(Network(found.kind, found.graph, found.scope, found.normalisation,
                                found.distinct, window, found.notes))
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
                     + (f" {unattributed} coded passages have no actor: give them one "
                        "in the passage editor to see them here." if unattributed else ""))
    else:
        notes.append(f"No statements in {window.label}.")
    return Network(kind, graph, resolved.description, normalise, distinct, window,
                   tuple(notes))


def _build(archive: Archive, resolved: Resolved, kind: str, normalise: str, distinct: bool,
           code_ids: Sequence[int] | None, interval: str | None,
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
    actors = {a.id: a for a in archive.actors.all()}
    codes = {c.id: c for c in archive.codes.all()}
    ties: dict[str | None, list[tuple[int, int, int, int, int, int]]] = defaultdict(list)
    if kind != "two-mode":
        over = "actors" if kind.startswith("concept") else "codes"
        for period, a, b, same, opposite, share_a, share_b in archive.networks.ties(
                resolved.sql, over=over, interval=interval, code_ids=code_ids,
                distinct=distinct):
            ties[period].append((a, b, same, opposite, share_a, share_b))
    notes = list(resolved.notes)
    unattributed = archive.networks.unattributed(resolved.sql, code_ids)
    if unattributed:
        notes.append(f"{unattributed} coded passages without an actor are not in the "
                     "network.")
    result: dict[str | None, Network] = {}
    for period, rows in by_period.items():
        period_notes = list(notes)
        if kind == "two-mode":
            graph = _two_mode(rows, actors, codes, normalise)
        else:
            graph = _one_mode(kind, rows, ties.get(period, []), actors, codes, normalise,
                              distinct)
            unsigned = sum(count for _, _, stance, count in rows if stance not in
                           ("supports", "opposes"))
            if unsigned:
                period_notes.append(
                    f"{unsigned} statements without a stance of supports or opposes "
                    "(neutral, unclear or none) make no congruence or conflict.")
            if graph.number_of_nodes() and not graph.number_of_edges():
                period_notes.append("No two " + ("arguments" if kind.startswith("concept")
                                                 else "actors") + " are tied here.")
        window = Window(period, period_label(period, interval)) if (
            interval is not None and period is not None) else None
        result[period] = Network(kind, graph, resolved.description, normalise, distinct,
                                 window, tuple(period_notes))
    return result, undated


def _actor_attrs(actor: Any, actor_id: int) -> dict[str, Any]:
    if actor is None:  # deleted meanwhile
        return {"label": f"actor {actor_id}", "mode": "actor", "kind": "person",
                "affiliation": "", "colour": "", "db_id": actor_id}
    return {"label": actor.name, "mode": "actor", "kind": actor.kind,
            "affiliation": actor.affiliation or "", "colour": "", "db_id": actor_id}


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


def _two_mode(rows: Iterable[tuple[int, int, str, int]], actors: dict[int, Any],
              codes: dict[int, Any], normalise: str) -> nx.Graph:
    graph = nx.Graph(kind="two-mode")
    split: dict[tuple[int, int], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(STANCE_KEYS, 0))
    activity: dict[str, int] = defaultdict(int)
    for actor, code, stance, count in rows:
        split[(actor, code)][stance] += count
        activity[actor_node(actor)] += count
        activity[code_node(code)] += count
    for actor, code in split:
        for node, attrs in ((actor_node(actor), _actor_attrs(actors.get(actor), actor)),
                            (code_node(code), _code_attrs(codes.get(code), code))):
            if node not in graph:
                graph.add_node(node, **attrs, activity=activity[node],
                               bipartite=0 if attrs["mode"] == "actor" else 1)
    for (actor, code), stances in split.items():
        count = sum(stances.values())
        weight: float = count
        if normalise == "activity":
            weight = count / activity[actor_node(actor)]
        elif normalise == "prominence":
            weight = count / activity[code_node(code)]
        graph.add_edge(actor_node(actor), code_node(code), weight=weight, count=count,
                       supports=stances["supports"], opposes=stances["opposes"],
                       neutral=stances["neutral"], unclear=stances["unclear"],
                       no_stance=stances["none"],
                       net=stances["supports"] - stances["opposes"],
                       sign=_sign(stances["supports"], stances["opposes"]))
    return graph


def _one_mode(kind: str, rows: Sequence[tuple[int, int, str, int]],
              ties: Sequence[tuple[int, int, int, int, int, int]], actors: dict[int, Any],
              codes: dict[int, Any], normalise: str, distinct: bool) -> nx.Graph:
    concept = kind.startswith("concept")
    graph = nx.Graph(kind=kind)
    # Each node's statements (a_i) and their squares, as the ties were counted.
    total: dict[int, int] = defaultdict(int)
    squares: dict[int, int] = defaultdict(int)
    for actor, code, stance, count in rows:
        if stance not in ("supports", "opposes"):
            continue
        node = code if concept else actor
        cell = 1 if distinct else count
        total[node] += cell
        squares[node] += cell * cell
    for node in sorted(total):
        attrs = _code_attrs(codes.get(node), node) if concept else _actor_attrs(
            actors.get(node), node)
        graph.add_node(code_node(node) if concept else actor_node(node), **attrs,
                       activity=total[node])
    congruence = not kind.endswith("conflict")
    for a, b, same, opposite, share_a, share_b in ties:
        raw = same if congruence else opposite
        if not raw:
            continue
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
        node_a = code_node(a) if concept else actor_node(a)
        node_b = code_node(b) if concept else actor_node(b)
        graph.add_edge(node_a, node_b, weight=weight, count=raw,
                       sign="+" if congruence else "-")
    return graph


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
    ids: set[int] = set()
    for via, stance_first, stance_second in pairs:
        for end, stance in ((first, stance_first), (second, stance_second)):
            if over == "codes":
                found = store.passage_ids(resolved.sql, actor_ids=[end], code_ids=[via],
                                          stances=[stance], interval=interval, period=period)
            else:
                found = store.passage_ids(resolved.sql, actor_ids=[via], code_ids=[end],
                                          stances=[stance], interval=interval, period=period)
            ids.update(found)
    found_passages = archive.annotations.by_ids(sorted(ids))
    return [a.id for a in sorted(found_passages, key=lambda a: (a.article_id, a.start, a.id))]
