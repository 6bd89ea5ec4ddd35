"""Strategic initiatives: what the platform supports to carry its strategies into action."""
