"""Briefing Reader: read, code and brief on public debates."""

__version__ = "0.1.0"
APP_NAME = "Briefing Reader"
