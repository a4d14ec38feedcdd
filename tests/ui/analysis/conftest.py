"""Fixtures of the Analysis workspace tests (kept in workspace_helpers.py with their helpers)."""

from tests.ui.analysis.workspace_helpers import analysis  # noqa: F401  (a fixture)
