from tests.valuechains.conftest import chains

__all__ = ["chains"]
