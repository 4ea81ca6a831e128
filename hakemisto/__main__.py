"""``python -m hakemisto`` runs the CLI."""

from hakemisto.cli import main

main()
