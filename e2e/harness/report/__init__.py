"""The behaviour record of a run, its baselines, the HTML report, merging and comparing records."""
