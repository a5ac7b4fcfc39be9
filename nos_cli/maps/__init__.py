"""Everything about a map file: loading, the format, building the graph, the search index and its cache, and
the catalog that resolves a map reference."""
