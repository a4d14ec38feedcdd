"""The Qt binding must not leak or drop references (PySide6 6.12.0 dropped None's)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextBlockFormat, QTextCursor, QTextDocument


def test_calls_returning_nothing_keep_none_alive():
    document = QTextDocument()
    cursor = QTextCursor(document)
    holder = QObject()
    before = sys.getrefcount(None)
    for _ in range(5000):
        cursor.insertBlock(QTextBlockFormat())
        holder.setObjectName("x")
    # A broken binding loses 10,000 references here; a sound one stays within noise.
    assert sys.getrefcount(None) - before > -100
