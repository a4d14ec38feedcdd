"""The permissions of a file written beside its target and renamed over it.

`tempfile.mkstemp` creates its file 0600 (private), so an export written that way and
renamed into place stayed unreadable to the analyst's colleagues while every other export
was 0644. `give_final_mode` gives the temporary file the mode the target would have had
if written directly: an existing target's mode, else 0666 less the process umask.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def current_umask() -> int:
    """The process umask (read from /proc when it can be, which changes nothing)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def give_final_mode(temporary: str | Path, target: str | Path) -> None:
    """Set `temporary`'s mode to what `target` has (if it exists) or would get when
    created (0666 & ~umask); best effort: a file system without modes keeps its own."""
    target = Path(target)
    try:
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~current_umask()
    except OSError:
        mode = 0o666 & ~current_umask()
    with contextlib.suppress(OSError):
        os.chmod(temporary, mode)
