"""Annotator: hand-code the claims in conflict and terrorism reports."""

__version__ = "0.1.0"
