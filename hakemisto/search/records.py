"""Project records as the index holds them: the stored ``projects.json`` beside the index, or, when it
is missing or from an older pipeline, rebuilt in memory from the indexed documents.
"""

from __future__ import annotations

from hakemisto.core.config import Settings
from hakemisto.facts.projects import ProjectSet, build_projects, load_stored
from hakemisto.search import index as idx


def load_projects(settings: Settings) -> ProjectSet:
    """The stored records; rebuilt in memory from the index when missing or from an older pipeline."""
    stored = load_stored(settings.index_dir)
    if stored is not None:
        return stored
    idx.open_index(settings.index_dir)  # a clear error when there is no index at all
    return build_projects(idx.iter_documents(settings))
