"""``nos search``: grep semantics over the search index of maps."""
