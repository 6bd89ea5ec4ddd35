"""Organisations, people, representatives, memberships and the Cambodian geography."""
