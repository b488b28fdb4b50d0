"""Version of the curator-example-dedupe distribution (read by hatchling)."""

__version__ = "0.1.0"
