"""Briefings: the cited Markdown document an analyst hands to the people they advise.

`model` holds the stored values (a briefing and its export settings), `draft` writes a first
draft from coded arguments, `citations` turns a passage into a quote with its footnote, and
`scope` says which articles a draft reads. Rendering and export live beside them.
"""
