"""Passages as offsets into an article's canonical text, and keeping them there."""
