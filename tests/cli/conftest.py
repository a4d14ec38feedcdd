"""Fixtures of the command-line tests."""

from __future__ import annotations

import io

import pytest

from desktop.cli import main


@pytest.fixture
def cli(demo_path, capsys):
    """Run a command on the demo copy: (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        out = io.StringIO()
        code = main(["--archive", str(demo_path), *argv], out=out)
        return code, out.getvalue(), capsys.readouterr().err

    return run
