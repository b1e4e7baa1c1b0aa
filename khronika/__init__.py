"""Khronika: the network database of a human-rights movement."""

__version__ = "0.1.0"
