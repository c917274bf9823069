"""The simulation: SimPy clock, world state, changes and the drill loop (no terminal I/O)."""
