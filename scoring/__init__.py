"""The scorer: grades a drill journal against the incident process rubric."""
