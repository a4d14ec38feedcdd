"""Start the Briefing Reader window (same as the `briefing-reader` command)."""

from desktop.ui.app import main

if __name__ == "__main__":
    raise SystemExit(main())
