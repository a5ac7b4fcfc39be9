"""Importers and exporters: the IfATE standards JSON in; CASE, CSV, GraphML and JSON out; and comparison of
two versions of a map."""
