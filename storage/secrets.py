"""Secrets at rest: Fernet encryption under keys that can rotate (ADVISOR_ENCRYPTION_KEY)."""

from __future__ import annotations

import binascii
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from dialogs.ports import StorageError

ENCRYPTION_KEY_SETTING = "ADVISOR_ENCRYPTION_KEY"
_UNDECRYPTABLE = f"a stored secret could not be decrypted: wrong {ENCRYPTION_KEY_SETTING}?"
_HOW_TO_GENERATE = (
    "give one or more comma-separated Fernet keys, newest first; make one with "
    '`python -c "from storage.secrets import SecretBox; print(SecretBox.generate_key())"`'
)


class SecretBox:
    """Encrypts with the first key and decrypts with any, so keys can rotate.

    To rotate, put a new key first and keep the old one after it until every stored secret has
    been encrypted again under the new one (`rotate`). Neither `repr` nor any error message
    shows key material.

    Args:
        keys: Fernet keys (32 url-safe base64-encoded bytes each), the encrypting one first.

    Raises:
        ValueError: there is no key, or one is not a Fernet key.
    """

    __slots__ = ("_fernet", "_key_count")

    def __init__(self, keys: Sequence[str | bytes]) -> None:
        if not keys:
            raise ValueError("a SecretBox needs at least one key")
        fernets = []
        for position, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key))
            except (ValueError, TypeError, binascii.Error):
                # `from None`: the original error is about the key's text, keep it out of logs.
                raise ValueError(
                    f"key {position} of {len(keys)} is not a Fernet key "
                    "(32 url-safe base64-encoded bytes)"
                ) from None
        self._fernet = MultiFernet(fernets)
        self._key_count = len(fernets)

    @classmethod
    def from_setting(cls, value: str) -> SecretBox:
        """The box for the ADVISOR_ENCRYPTION_KEY setting: comma-separated keys, newest first.

        Raises:
            ValueError: the setting is empty or malformed; the message names the setting, never
                the key.
        """
        keys = [key.strip() for key in value.split(",") if key.strip()]
        if not keys:
            raise ValueError(f"{ENCRYPTION_KEY_SETTING} is empty: {_HOW_TO_GENERATE}")
        try:
            return cls(keys)
        except ValueError as error:
            raise ValueError(
                f"{ENCRYPTION_KEY_SETTING} is malformed: {error}; {_HOW_TO_GENERATE}"
            ) from None

    @staticmethod
    def generate_key() -> str:
        """A new random Fernet key, as text for ADVISOR_ENCRYPTION_KEY."""
        return Fernet.generate_key().decode("ascii")

    def encrypt(self, plaintext: bytes | str) -> str:
        """The plaintext (text is encoded as UTF-8) as a Fernet token under the first key."""
        data = plaintext.encode("utf-8") if isinstance(plaintext, str) else plaintext
        return self._fernet.encrypt(data).decode("ascii")

    def decrypt(self, token: str) -> bytes:
        """The plaintext of a token made under any of the keys.

        Raises:
            StorageError: no key opens the token, or it is not a Fernet token at all.
        """
        try:
            return self._fernet.decrypt(token.encode("ascii"))
        except (InvalidToken, UnicodeEncodeError):
            raise StorageError(_UNDECRYPTABLE) from None

    def rotate(self, token: str) -> str:
        """The same plaintext encrypted again under the first key.

        Raises:
            StorageError: no key opens the token.
        """
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeEncodeError):
            raise StorageError(_UNDECRYPTABLE) from None

    def __repr__(self) -> str:
        return f"SecretBox(keys={self._key_count})"
