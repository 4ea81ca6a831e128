"""The web front end: ``create_app(settings)`` serves search, documents and the regional report."""

from hakemisto.web.app import create_app

__all__ = ["create_app"]
