"""Seeing the debate: arguments over time, actor × argument, co-occurrence, discourse networks
and coder agreement, computed in SQL aggregates through the stores (never by loading every
passage into Python objects) so each view stays under a second at 100k articles."""
