"""Shared by every stage and knowing none: settings, errors, the dataclasses that travel the pipeline,
crash-safe writes, output sanitising, the voikko service, the county registry, the index writer lock
and child-process helpers.
"""
