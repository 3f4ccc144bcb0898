"""Frozen entry point of `coffre` (the PyInstaller bundle's command line)."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
