"""Running the CLI in-process on any archive: `run` gives (exit code, stdout)."""

from __future__ import annotations

import io
import json
from typing import Any

from desktop.cli import main


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def run_json(*argv: str) -> Any:
    code, text = run(*argv, "--json")
    assert code == 0, text
    return json.loads(text)
