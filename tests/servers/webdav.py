"""A real WebDAV server for tests."""
