"""The work queue: what a committee's staff should do next (the home page and its API)."""
