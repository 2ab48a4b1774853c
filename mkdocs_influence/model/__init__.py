"""The model: pure functions of the ledger and a date (score, history, topics, report)."""
