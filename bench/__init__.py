"""The benchmark: ``python -m bench`` (docs/performance.md)."""
