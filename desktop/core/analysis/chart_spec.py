"""A chart as a short text: what to draw, over which scope, with which options.

A chart inserted into a briefing is kept in its Markdown as an image whose source is this
text, `![Arguments over time](chart:timeline?interval=month&query=brussels)`, not as a
picture: the briefing stays plain text (it survives reopening, diffing and the DOCX/HTML
exports), and the renderer redraws the chart from the archive when the preview or the PDF is
made, so it shows the archive as it is now. The Analysis workspace makes the spec of the
chart on screen; the briefing renderer parses it back (`ChartSpec.from_src`) and refuses
anything it does not know with a sentence, never running or fetching anything: the spec
names a view, plain options and a scope, all checked here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from desktop.core.analysis.results import INTERVALS, LEVELS, ROW_KINDS
from desktop.core.analysis.scope import AnalysisScope
from desktop.core.errors import BriefingError

SCHEME = "chart:"
KINDS = ("timeline", "matrix", "cooccurrence")
TITLES = {"timeline": "Arguments over time", "matrix": "Actor × argument",
          "cooccurrence": "Code co-occurrence"}
# Each kind's options and their defaults; a value outside a tuple's choices is refused.
OPTIONS: dict[str, dict[str, str]] = {
    "timeline": {"interval": "month", "split": "", "normalise": "", "codes": ""},
    "matrix": {"rows": "actor", "codes": "", "limit": "25"},
    "cooccurrence": {"level": "passage", "codes": ""},
}
_SCOPE_KEYS = ("query", "collection", "saved", "from", "to", "attr")
MAX_SRC = 4000  # a longer source is not one we wrote


class ChartError(BriefingError):
    """A chart that cannot be drawn: a spec we do not understand, a deleted code, a path
    that cannot be written. The message is for the analyst."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ChartSpec:
    """Which chart: `kind` (timeline, matrix, cooccurrence), the scope, the options."""

    kind: str
    scope: AnalysisScope = field(default_factory=AnalysisScope)
    options: tuple[tuple[str, str], ...] = ()
    title: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ChartError(f"Unknown chart “{self.kind}”: a chart is one of "
                             f"{', '.join(KINDS)}.")
        known = OPTIONS[self.kind]
        given = dict(self.options)
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise ChartError(f"The {self.kind} chart has no option {unknown[0]!r}.")
        merged = {**known, **{k: str(v) for k, v in given.items()}}
        _check(self.kind, merged)
        object.__setattr__(self, "options", tuple(sorted(merged.items())))
        if not self.title:
            object.__setattr__(self, "title", TITLES[self.kind])

    def option(self, name: str) -> str:
        return dict(self.options)[name]

    def flag(self, name: str) -> bool:
        return self.option(name).lower() in ("1", "true", "yes", "on")

    def code_ids(self) -> list[int] | None:
        text = self.option("codes")
        return [int(x) for x in text.split(",") if x.strip()] if text.strip() else None

    # -- as text ------------------------------------------------------------------------------

    def to_src(self) -> str:
        """`chart:<kind>?…`: options that differ from their defaults, then the scope."""
        defaults = OPTIONS[self.kind]
        params: list[tuple[str, str]] = [(k, v) for k, v in self.options if v != defaults[k]]
        scope = self.scope
        if scope.query.strip():
            params.append(("query", scope.query.strip()))
        if scope.collection_id is not None:
            params.append(("collection", str(scope.collection_id)))
        if scope.saved_search_id is not None:
            params.append(("saved", str(scope.saved_search_id)))
        if scope.date_from:
            params.append(("from", scope.date_from))
        if scope.date_to:
            params.append(("to", scope.date_to))
        params += [("attr", f"{name}={value}") for name, value in scope.attributes]
        query = urlencode(params)
        return f"{SCHEME}{self.kind}" + (f"?{query}" if query else "")

    def markdown(self) -> str:
        """The Markdown image a briefing holds: `![title](chart:…)`."""
        alt = self.title.replace("[", "(").replace("]", ")").replace("\n", " ")
        return f"![{alt}]({self.to_src()})"

    @classmethod
    def from_src(cls, src: str, title: str = "") -> ChartSpec:
        """Parse what `to_src` wrote; ChartError (or the scope's ScopeError) explains a
        source that is not a chart we can draw."""
        src = src.strip()
        if not src.lower().startswith(SCHEME) or len(src) > MAX_SRC:
            raise ChartError(f"“{src[:60]}” is not a chart reference (chart:timeline?…).")
        rest = src[len(SCHEME):]
        kind, _, query = rest.partition("?")
        kind = kind.strip().lower()
        if kind not in KINDS:
            raise ChartError(f"Unknown chart “{kind}”: a chart is one of {', '.join(KINDS)}.")
        options: dict[str, str] = {}
        scope: dict[str, object] = {}
        attributes: list[tuple[str, str]] = []
        for key, value in parse_qsl(query, keep_blank_values=True):
            if key == "attr":
                name, sep, attr_value = value.partition("=")
                if not sep or not name.strip():
                    raise ChartError(f"Chart attribute filter {value!r} is not name=value.")
                attributes.append((name, attr_value))
            elif key in ("collection", "saved"):
                if not value.isdigit():
                    raise ChartError(f"Chart {key} {value!r} is not a number.")
                scope["collection_id" if key == "collection" else "saved_search_id"] = int(value)
            elif key in ("query", "from", "to"):
                scope[{"query": "query", "from": "date_from", "to": "date_to"}[key]] = value
            elif key in OPTIONS[kind]:
                options[key] = value
            else:
                raise ChartError(f"The {kind} chart has no option {key!r}.")
        analysis_scope = AnalysisScope(attributes=tuple(attributes), **scope)  # type: ignore[arg-type]
        return cls(kind, analysis_scope, tuple(options.items()), title.strip())


def _check(kind: str, options: dict[str, str]) -> None:
    def refuse(name: str, choices: tuple[str, ...]) -> None:
        raise ChartError(f"Chart option {name}={options[name]!r}: choose one of "
                         f"{', '.join(c or '(none)' for c in choices)}.")

    if kind == "timeline":
        if options["interval"] not in INTERVALS:
            refuse("interval", INTERVALS)
        if options["split"] not in ("", "stance"):
            refuse("split", ("", "stance"))
    elif kind == "matrix":
        rows = options["rows"]
        if rows not in ROW_KINDS and not (rows.startswith("attribute:") and rows[10:].strip()):
            refuse("rows", (*ROW_KINDS, "attribute:<name>"))
        if not options["limit"].isdigit() or not 1 <= int(options["limit"]) <= 200:
            raise ChartError(f"Chart option limit={options['limit']!r}: a number of rows "
                             "from 1 to 200.")
    elif options["level"] not in LEVELS:
        refuse("level", LEVELS)
    codes = options.get("codes", "")
    if codes and not all(part.strip().isdigit() for part in codes.split(",")):
        raise ChartError(f"Chart option codes={codes!r}: code ids separated by commas.")
