"""``python -m hakemisto`` runs the CLI."""

from .cli import main

main()
