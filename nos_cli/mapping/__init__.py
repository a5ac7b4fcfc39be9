"""Curriculum mapping files: the file, its edits and its review."""
