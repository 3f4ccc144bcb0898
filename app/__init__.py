"""Coffre's front-ends: the desktop app, the `coffre` command line, configuration."""
