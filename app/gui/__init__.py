"""The PySide6 desktop app: thin widgets over testable objects."""
