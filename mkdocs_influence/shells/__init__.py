"""The shells: the CLI, the MkDocs plugin, init, and the two jobs both run (pipeline)."""
