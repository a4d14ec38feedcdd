"""An import as an undo step: undo deletes what it added, redo brings it back as it was."""

from __future__ import annotations

from desktop.core.importing import import_paths
from desktop.core.ops.articles import record_import


def test_an_import_undone_and_redone_leaves_the_archive_as_imported(archive, tmp_path):
    for name in ("one", "two"):
        (tmp_path / f"{name}.txt").write_text(f"{name}\n\nThe {name} page on talent flight.\n")
    summary = import_paths(archive, [tmp_path], workers=0)
    imported = {i: archive.articles.get(i) for i in summary.imported}
    step = record_import(archive, summary.imported)
    assert step.changed and archive.articles.count() == 2  # recording writes nothing
    undone = step.inverse(archive)
    assert archive.articles.count() == 0
    undone.inverse(archive)
    assert {i: archive.articles.get(i) for i in summary.imported} == imported
    assert archive.check().ok


def test_an_import_that_added_nothing_is_no_step(archive):
    step = record_import(archive, [])
    assert not step.changed and step.inverse is None
