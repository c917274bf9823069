"""A run on disk: the journal and its record models, safe output files, signals."""
