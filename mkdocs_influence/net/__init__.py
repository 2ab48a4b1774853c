"""HTTP plumbing shared by the network sources: limits, rate, validator cache, redaction."""
