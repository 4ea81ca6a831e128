"""hakemisto: search over Finland's wellbeing services counties' development projects."""

__version__ = "0.1.0"

# Bump whenever extraction rules, vocabularies or analyzers change: stored documents carry the
# version they were processed with, and the nightly job re-processes everything older.
PIPELINE_VERSION = "2026.12.01-3"  # issue 14: Swedish stems (programmet → program); before: issue 12 titles, regions, twins…
