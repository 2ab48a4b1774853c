"""``python -m mkdocs_influence`` runs the CLI."""

from mkdocs_influence.shells.cli import main

main()
