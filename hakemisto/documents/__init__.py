"""Local files and crawl snapshots → ``Document`` s with their language (fi / sv per page and per
paragraph).
"""
