"""What is kept on disk: the ledger, the activity a source delivers, atomic writes, safe YAML."""
