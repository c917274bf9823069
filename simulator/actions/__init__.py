"""The IC's actions: the catalogue and the mechanisms of the conversational ones."""
