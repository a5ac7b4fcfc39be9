"""The command line: the only package that imports typer. Each module registers one command group."""
