"""Curator executors on Ray."""
