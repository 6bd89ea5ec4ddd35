"""Platforms (the tenant), their regulations and inclusion targets."""
