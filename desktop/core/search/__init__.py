"""Search services: the query language, match offsets, hits, regex and autocode.

They read through the archive's stores; the SQL itself stays in `desktop.core.archive`.
"""
