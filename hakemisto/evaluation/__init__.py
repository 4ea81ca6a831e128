"""Measuring the product against gold: extraction, project records and search relevance."""
