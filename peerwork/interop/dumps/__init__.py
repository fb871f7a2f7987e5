"""MediaWiki XML dumps in and out of a space, and the JSON Lines open-data dump.

MediaWiki writes a revision's SHA-1 in base 36, 31 digits (`Wikimedia\\base_convert`);
peerwork stores it in hex, 40 digits. These two helpers turn one into the other.
"""

from __future__ import annotations

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def sha1_hex_to_base36(hex_digest: str) -> str:
    number = int(hex_digest, 16)
    digits = []
    while number:
        number, remainder = divmod(number, 36)
        digits.append(_DIGITS[remainder])
    return "".join(reversed(digits)).rjust(31, "0")


def sha1_base36_to_hex(base36: str) -> str:
    """Raises ValueError for text that is not a base-36 SHA-1."""
    number = int(base36.strip().lower(), 36)
    if number >= 1 << 160:
        raise ValueError(f"{base36!r} is too large for a SHA-1")
    return format(number, "040x")


def software_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("peerwork")
    except PackageNotFoundError:
        return "development"
