"""`python -m desktop ...`: the command-line interface over the core."""

from desktop.cli import main

raise SystemExit(main())
