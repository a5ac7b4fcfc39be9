"""Coverage matrices: KSBs against key areas, functions, kinds or the items of mapping files."""
