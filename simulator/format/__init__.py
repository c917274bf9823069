"""The scenario format: reading, validating and checking a scenario file."""
