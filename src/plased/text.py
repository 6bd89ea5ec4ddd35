"""How names are compared: one rule for duplicates and for search.

Two names are the same name when they differ only by Unicode normalisation (composed or
decomposed Khmer vowels), case, width (full-width Latin letters typed on a phone keyboard),
invisible characters (zero-width spaces, which Khmer text uses between words, joiners, soft
hyphens, byte-order marks) or runs of white space.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Separators people write or leave out at will: "Ban Lung", "Banlung", "Ban-Lung", "O'Chum".
_SEPARATORS = re.compile("[\\s\\-\u2010-\u2014'\u2019`.\u00b7]+")


def _visible(text: str) -> str:
    """Drop format characters (Unicode category Cf: ZWSP, ZWNJ, ZWJ, BOM, soft hyphen…)."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


KEY_LENGTH = 200  # the name_key columns' length: NFKC may lengthen a name, the key never


def name_key(name: str) -> str:
    """The key under which two spellings of one name collide (stored, indexed)."""
    folded = unicodedata.normalize("NFKC", _visible(unicodedata.normalize("NFKC", name)))
    return _SPACES.sub(" ", folded).strip().casefold()[:KEY_LENGTH]


def compact_key(text: str) -> str:
    """``name_key`` without separators: what search compares, so "Banlung" finds "Ban Lung"."""
    return _SEPARATORS.sub("", name_key(text))
