"""``nos diff``: role parsing, text normalisation, matching and the coverage report."""
