"""Users, password hashing, tokens, refresh tokens, the current user and role gates."""
