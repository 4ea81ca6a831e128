"""``Document`` → facts: the spaCy pipeline and its rule components, money and its roles, contacts,
canonical entities, twins, near-duplicates and project records.
"""
