"""The window, driven for crash_harness.py: opens an archive and codes passages until killed.

    QT_QPA_PLATFORM=offscreen python benchmarks/crash_window_driver.py ARCHIVE SEED

Builds the real MainWindow (automatic backups on, as an analyst has them), then codes a
random span every few milliseconds through the controller, exactly as a key press would
(CreateAnnotationCommand on the undo stack), and prints `coded ID ARTICLE START END EXACT`
once each step has returned, i.e. committed: that line is the acknowledgement the harness
checks after it kills this process. It also reopens the archive's articles in the reader
between steps so the kill can land in a read as well as a write.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.core.model import NewAnnotation
    from desktop.ui.coding.annotation_commands import CreateAnnotationCommand
    from desktop.ui.main_window import MainWindow, open_session

    path, seed = Path(sys.argv[1]), int(sys.argv[2])
    chooser = random.Random(seed)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings_dir = tempfile.mkdtemp(prefix="crash-window-")
    settings = QSettings(str(Path(settings_dir, "settings.ini")), QSettings.Format.IniFormat)
    session = open_session(path)
    window = MainWindow(settings, session)
    window.show()
    archive = session.archive
    articles = [(row.id, len(archive.articles.get(row.id).text))
                for row in archive.articles.rows(archive.articles.ids("", "published")).values()]
    articles = [item for item in articles if item[1] > 200][:40]
    code_ids = [archive.codes.by_name("Talent flight").id]

    def step() -> None:
        article_id, length = chooser.choice(articles)
        start = chooser.randrange(0, length - 30)
        end = start + chooser.randint(5, 25)
        if chooser.random() < 0.3:
            window.controller.open_article(article_id)
        command = CreateAnnotationCommand(session, NewAnnotation(article_id, start, end,
                                                                 code_ids), ["Talent flight"])
        window.controller.execute(command)
        annotation_id = command.annotation_id
        if annotation_id is not None:
            row = archive.annotations.get(annotation_id)
            print(f"coded {row.id} {row.article_id} {row.start} {row.end} "
                  f"{json.dumps(row.exact)}", flush=True)

    timer = QTimer()
    timer.timeout.connect(step)
    timer.start(5)
    # Stops by itself after a while if nobody kills it (the harness learns its length).
    QTimer.singleShot(8000, app.quit)
    app.exec()
    if os.environ.get("CRASH_WINDOW_SCREENSHOT"):  # to see what the harness drives
        window.grab().save(os.environ["CRASH_WINDOW_SCREENSHOT"])
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
