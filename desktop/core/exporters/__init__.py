"""Writers of files other tools read (spreadsheets now; REFI-QDA and W3C annotations later).

An exporter takes plain values gathered by a caller (e.g. `desktop/core/passage_table.py`)
and never imports the archive (import-linter forbids it): what leaves the app is decided in
one place, and a writer can be tested with hand-made values.
"""
