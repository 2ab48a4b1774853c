"""Words out of post text: markup removed, tokens, terms, and the terms cache."""
