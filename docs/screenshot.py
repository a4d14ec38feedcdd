"""Save the pictures in docs/: the main window, and the reader in its light and dark themes.

Usage: QT_QPA_PLATFORM=offscreen python docs/screenshot.py [window|reader ...] [--out DIR]

With no names, all are saved. Works offscreen (no display needed):

- main-window.png: the main window on the demo archive (the README's picture);
- search.png: a query with ranked results and a result opened with its matches marked;
- briefing-workspace.png: the Briefing workspace on the demo's briefing;
- autocode.png: the autocode dialog reviewing candidates;
- analysis-matrix.png, analysis-timeline.png, analysis-network.png: the Analysis workspace
  (actor × argument with a cell's passages listed; arguments over time; the discourse
  network);
- reader-light.png, reader-dark.png: the reader on the demo's most densely coded article,
  with a few more overlapping passages added to the temporary demo copy, so overlaps of
  two and three passages show. The demo resources are never touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from desktop.core.archive import Archive
from desktop.core.demo import temporary_demo_archive
from desktop.core.model import NewAnnotation
from desktop.ui.widgets.style import apply_style
from desktop.ui.widgets.theme import apply_theme

DOCS = Path(__file__).resolve().parent

# Passages added to the demo copy of the CEOs' statement: (quote, code, actor, stance, note).
EXTRA_PASSAGES = [
    ("fragmented, applied inconsistently from one country to the next, and shaped by an "
     "aversion to risk that leaves developers unsure what they are allowed to do",
     "Legal uncertainty", "Daniel Ek", "supports", "Uncertainty, not the rules themselves."),
    ("leaves developers unsure what they are allowed to do", "Innovation slowdown",
     "Mark Zuckerberg", "supports", "Nested inside the uncertainty passage."),
    ("freely available models can narrow the distance between large incumbents and smaller "
     "companies", "Level playing field", "Daniel Ek", "supports",
     "Open models as a leveller."),
    ("smaller companies. Their worry, they said, is that the regulatory climate is pushing in "
     "the opposite direction", "Innovation slowdown", "Mark Zuckerberg", "supports", ""),
]


def settings_in_temp() -> QSettings:
    return QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)


def densest_article(archive: Archive) -> int:
    """The article with the most coded passages (ties: the lowest id, the CEOs' statement)."""
    counts = {}
    for annotation in archive.annotations.all():
        counts[annotation.article_id] = counts.get(annotation.article_id, 0) + 1
    return min(counts, key=lambda article_id: (-counts[article_id], article_id))


def add_overlaps(archive: Archive, article_id: int) -> None:
    text = archive.articles.get(article_id).text
    for quote, code, actor, stance, note in EXTRA_PASSAGES:
        start = text.find(quote)
        if start < 0:
            continue  # the demo text changed: the picture simply has fewer overlaps
        found = archive.actors.find(actor)
        archive.annotations.add(NewAnnotation(
            article_id, start, start + len(quote), [archive.codes.by_name(code).id],
            actor_id=found.id if found else None, stance=stance, note=note))


def save_reader(app: QApplication, out_dir: Path) -> list[Path]:
    from desktop.ui.reader.reader_pane import ReaderPane

    path = temporary_demo_archive()
    archive = Archive.open(path)
    article_id = densest_article(archive)
    add_overlaps(archive, article_id)
    article = archive.articles.get(article_id)
    annotations = archive.annotations.of_article(article_id)
    saved = []
    for theme in ("light", "dark"):
        apply_theme(app, theme)
        pane = ReaderPane(settings_in_temp())
        pane.resize(900, 1040)
        pane.show()
        app.processEvents()
        pane.reader.show_article(article, annotations)
        app.processEvents()
        out = out_dir / f"reader-{theme}.png"
        pane.grab().save(str(out))
        saved.append(out)
        pane.close()
    archive.close()
    apply_theme(app, "light")
    return saved


def save_window(app: QApplication, out_dir: Path) -> list[Path]:
    from desktop.ui.main_window import MainWindow, open_demo_session

    apply_theme(app, "light")
    window = MainWindow(settings_in_temp(), open_demo_session())
    window.resize(1440, 880)
    window.show()
    app.processEvents()
    row = window.library_model.row_of(1) or 0  # the CEOs' statement: overlapping highlights
    window.library_view.selectRow(row)
    app.processEvents()
    # A passage selected, with a note, so the editor shows what it holds.
    passage = window.annotation_model.annotation(0)
    session = window.session
    session.notify(session.archive.annotations.update(
        passage.id, note="Both CEOs frame **fragmentation** as the core problem; compare "
        "the Commission's reply in the *Policy Circuit* piece."))
    window.select_annotation(passage.id)
    app.processEvents()
    cursor = window.reader.textCursor()
    cursor.clearSelection()  # the highlight colours show, not the selection
    window.reader.setTextCursor(cursor)
    window.reader.verticalScrollBar().setValue(0)
    app.processEvents()
    out = out_dir / "main-window.png"
    window.grab().save(str(out))
    window.close()
    return [out]


def _wait(app: QApplication, done, limit_ms: int = 10000) -> None:
    """Spin the event loop until `done()` (workers answer through it), or give up."""
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    deadline = QDeadlineTimer(limit_ms)
    while not done() and not deadline.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def save_search(app: QApplication, out_dir: Path) -> list[Path]:
    """The search bar with a query, ranked results with marked snippets, a match opened."""
    from desktop.ui.main_window import MainWindow, open_demo_session

    apply_theme(app, "light")
    window = MainWindow(settings_in_temp(), open_demo_session())
    window.resize(1440, 880)
    window.show()
    app.processEvents()
    window.search_bar.edit.setText('"open source" OR talent*')
    _wait(app, lambda: window.results_model.rowCount() > 3)
    index = window.results_model.index(0, 0)
    window.results_view.setCurrentIndex(index)
    window.results_view.activated.emit(index)
    _wait(app, lambda: window.reader.article is not None)
    app.processEvents()
    out = out_dir / "search.png"
    window.grab().save(str(out))
    window.close()
    return [out]


def save_briefing(app: QApplication, out_dir: Path) -> list[Path]:
    """The Briefing workspace on the demo's briefing: list, quotes, editor, preview."""
    from desktop.ui.main_window import MainWindow, open_demo_session

    apply_theme(app, "light")
    window = MainWindow(settings_in_temp(), open_demo_session())
    window.resize(1440, 880)
    window.show()
    window.workspaces.show("briefing")
    workspace = window.workspaces.briefing
    _wait(app, lambda: workspace.current is not None)
    editor = workspace.editor
    block = editor.document().find("Talent flight")
    if not block.isNull():
        editor.setTextCursor(block)
        editor.centerCursor()
    _wait(app, lambda: False, 1200)  # the preview renders after a short pause
    out = out_dir / "briefing-workspace.png"
    window.grab().save(str(out))
    window.close()
    return [out]


def save_autocode(app: QApplication, out_dir: Path) -> list[Path]:
    """The autocode dialog after "Find Similar Wording" on a demo passage."""
    from desktop.ui.main_window import MainWindow, open_demo_session

    apply_theme(app, "light")
    window = MainWindow(settings_in_temp(), open_demo_session())
    window.resize(1440, 880)
    window.show()
    app.processEvents()
    dialog = window.autocode_search()
    dialog.query_edit.setText('"talent" OR "brain drain" OR leave*')
    dialog.find()
    _wait(app, lambda: dialog.model.rowCount() > 2)
    dialog.resize(980, 680)
    app.processEvents()
    out = out_dir / "autocode.png"
    dialog.grab().save(str(out))
    window.close()
    return [out]


def save_analysis(app: QApplication, out_dir: Path) -> list[Path]:
    """The Analysis workspace: the actor × argument matrix with the passages of its fullest
    cell listed, arguments over time by quarter, and the actor × argument network."""
    from desktop.ui.analysis.matrix_model import CAPTION_ROLE, KEYS_ROLE
    from desktop.ui.analysis.views import ACTOR_MATRIX, NETWORK, TIMELINE
    from desktop.ui.main_window import MainWindow, open_demo_session

    apply_theme(app, "light")
    window = MainWindow(settings_in_temp(), open_demo_session())
    window.resize(1440, 880)
    window.show()
    window.workspaces.show("analysis")
    workspace = window.workspaces.analysis
    saved = []

    def settle(title: str):
        workspace.show_view(title)
        page = workspace.current_page()
        _wait(app, lambda: not workspace.is_computing() and not page.stale)
        _wait(app, lambda: False, 300)
        return page

    view = settle(ACTOR_MATRIX).view
    proxy = view.table.proxy
    cells = [proxy.index(r, c) for r in range(proxy.rowCount())
             for c in range(2, proxy.columnCount()) if proxy.index(r, c).data()]
    fullest = max(cells, key=lambda index: (index.data(), -index.row()))
    view.table.setCurrentIndex(fullest)
    view.table.cell_activated.emit(fullest.data(KEYS_ROLE), fullest.data(CAPTION_ROLE))
    _wait(app, lambda: workspace.panel.model.rowCount() > 0)
    _wait(app, lambda: False, 300)
    for name, title in (("analysis-matrix.png", None), ("analysis-timeline.png", TIMELINE),
                        ("analysis-network.png", NETWORK)):
        if title is not None:
            page = settle(title)
            if title == TIMELINE:
                interval = page.view.interval
                interval.setCurrentIndex(interval.findData("quarter"))
                interval.activated.emit(interval.currentIndex())
                _wait(app, lambda p=page: p.view.result is not None
                      and p.view.result.interval == "quarter" and not workspace.is_computing())
                _wait(app, lambda: False, 300)
        out = out_dir / name
        window.grab().save(str(out))
        saved.append(out)
    window.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description="Save the pictures in docs/.")
    parser.add_argument("which", nargs="*",
                        choices=["window", "reader", "search", "briefing", "autocode",
                                 "analysis"],
                        help="which pictures (default: all)")
    parser.add_argument("--out", type=Path, default=DOCS, help="folder to save them in")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    apply_style(app)
    makers = {"window": save_window, "reader": save_reader, "search": save_search,
              "briefing": save_briefing, "autocode": save_autocode,
              "analysis": save_analysis}
    for name in args.which or list(makers):
        for path in makers[name](app, args.out):
            print(path)


if __name__ == "__main__":
    main()
