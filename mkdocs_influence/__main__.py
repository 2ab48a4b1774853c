"""``python -m mkdocs_influence`` runs the CLI."""

from mkdocs_influence.cli import main

main()
