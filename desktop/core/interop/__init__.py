"""Other tools' formats, in and out, as plain values: REFI-QDA projects and codebooks, W3C Web
Annotations. Like the importers and exporters they never import the archive (import-linter):
an operation writes what they read, and `desktop/core/exchange/` gathers what they write."""
