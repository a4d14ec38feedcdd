"""REFI-QDA 1.5 (QDA-XML 1.0) projects (.qdpx) and codebooks (.qdc) as plain values.

`model` holds the values, `reader` checks and parses a file into them (safely: zip members
and XML are bounded and entities never expand; `structure` is our own check that the XML
follows REFI-QDA, as no XSD is shipped), `writer` turns them into XML valid against the
REFI schemas. Nothing here touches the archive (import-linter): `desktop/core/exchange/
refi.py` gathers an archive into these values and `desktop/core/ops/refi_import.py` writes
them into one.
"""
