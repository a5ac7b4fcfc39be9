"""Versions of a map: what changed between two of them."""
