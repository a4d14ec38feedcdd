"""Where bundled resources (demo articles, codebook, stylesheets, icons) are on disk.

Installed, they sit inside the package (`desktop/resources`, see pyproject); in a source
checkout they are the repository's top-level `resources/` folder.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    package_dir = Path(__file__).resolve().parent.parent
    for candidate in (package_dir / "resources", package_dir.parent / "resources"):
        if (candidate / "codebook").is_dir():
            return candidate
    raise FileNotFoundError(
        "Briefing Reader's resources folder is missing; reinstall the application."
    )


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
