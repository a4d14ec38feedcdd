"""`python -m desktop ...`: the command-line interface over the core."""

from desktop.cli import main

# Guarded: import worker processes re-import the main module, and must not run the CLI.
if __name__ == "__main__":
    raise SystemExit(main())
