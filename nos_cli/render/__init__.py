"""Renderers: results in, text out. The only package that imports rich.

Each output format is one function in a registry dict, so adding a format is one function and one entry.
"""
