"""The core: domain model, archive, services, importers. Pure Python; never imports Qt.

Importing the services below installs the rules the archive applies but does not own
(desktop/core/rules.py: query parsing, re-anchoring, snapping): every import of a core
module runs this first, so no archive is ever opened without them.
"""

from desktop.core.anchoring import spans as _spans  # noqa: F401
from desktop.core.search import query as _query  # noqa: F401
