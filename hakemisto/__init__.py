"""hakemisto: search over Finland's wellbeing services counties' development projects."""

import hashlib
from pathlib import Path

__version__ = "0.1.0"

# Stored documents carry the pipeline version they were processed with, and the next ingest or nightly
# run re-extracts everything older (rebuild and swap). The version is a hash of what decides the
# stored facts and index terms — every data file (vocabularies, registries, word lists) and the rule
# modules — so a changed vocabulary can't be forgotten. The neural model's output cache
# (``modelcache``) is keyed without it: a rules-only change re-runs only the rule components.
# SCHEMA_EPOCH is the manual part: bump it for a change these files don't show (a dependency's rules).
SCHEMA_EPOCH = "2026.12.01-3"
RULE_MODULES = (  # by file name, wherever they live (crawl/, documents/, core/, facts/, search/)
    # documents and their text
    "extract.py", "titles.py", "loaders.py", "lang.py", "model.py",
    # facts
    "entities.py", "money.py", "roles.py", "contacts.py", "attach.py", "mentions.py", "regions.py",
    "glossary.py", "canon.py", "twins.py", "dedup.py", "projects.py",
    # index terms
    "analysis.py", "index.py",
)  # fmt: skip


def _pipeline_hash(package: Path) -> str:
    """sha256 over the data files and the rule modules (names and bytes), first 12 hex digits.

    Rule modules are found by file name anywhere in the package and hashed under that name, so moving
    a module into a stage sub-package does not change the version; a missing one counts as missing."""
    digest = hashlib.sha256()
    for path in sorted(p for p in (package / "data").rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    modules: dict[str, list[Path]] = {}
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" not in path.parts and "web" not in path.relative_to(package).parts:
            modules.setdefault(path.name, []).append(path)
    for name in RULE_MODULES:
        digest.update(name.encode() + b"\0")
        for path in modules.get(name, ()):
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


PIPELINE_VERSION = f"{SCHEMA_EPOCH}+{_pipeline_hash(Path(__file__).parent)}"
