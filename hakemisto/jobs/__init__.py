"""Running the stages: the ingest pipeline, the nightly job, worker processes and Dask extraction."""
