"""The plugin author's kit: conformance suites and fake installed distributions for tests."""
