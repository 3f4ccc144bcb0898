"""Real servers for integration tests, started on 127.0.0.1 with free ports.

Each module is a pytest plugin (registered in tests/conftest.py) that starts
one kind of server, waits until it answers, and stops it at the end.
"""
