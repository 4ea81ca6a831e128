"""The Whoosh index and everything that reads it: analyzers and query building, BM25F scoring, the
search engine, suggestions and explanations, OpenSearch export.
"""
