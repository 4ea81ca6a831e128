"""What a reader takes away: the planner report, the change log and its digest, saved-search delivery,
euro formatting and spreadsheet export.
"""
