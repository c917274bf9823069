"""Who decides: decision files, bots, sessions, and the API that plays or re-plays a run."""
