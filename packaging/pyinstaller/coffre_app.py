"""Frozen entry point of `coffre-app` (the PyInstaller bundle's desktop app)."""

import sys

from app.gui.main import main

if __name__ == "__main__":
    sys.exit(main())
