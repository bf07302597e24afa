"""The window (PySide6). A thin layer over annotator.core.project.Project."""
