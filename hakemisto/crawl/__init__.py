"""The web to stored snapshots: source registry, URL keys, polite fetching, the snapshot store, and the
HTML → ``Document`` extractor the crawler runs at fetch time.
"""
