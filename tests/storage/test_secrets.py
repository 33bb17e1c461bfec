"""SecretBox: what it encrypts opens again, under rotated keys too, and no key ever shows."""

from __future__ import annotations

import traceback

import pytest
from cryptography.fernet import Fernet

from dialogs.ports import StorageError
from storage.secrets import SecretBox

OLD_KEY = "oZ0qXhZ6yq7yqJ9t1vQmH8f3cM2Vx5Yw4kR1nL0pTsA="
NEW_KEY = "Qm9vbGVhbi1zb3VwLWZvci10aGUtdGVzdHMtb25seSE="
TOKEN = "xoxb-1234-5678-abcdefghijkl"
UNDECRYPTABLE = "a stored secret could not be decrypted: wrong ADVISOR_ENCRYPTION_KEY?"


def test_an_encrypted_text_decrypts_to_its_utf8_bytes() -> None:
    box = SecretBox([NEW_KEY])

    assert box.decrypt(box.encrypt("café " + TOKEN)) == ("café " + TOKEN).encode()


def test_encrypted_bytes_decrypt_to_the_same_bytes() -> None:
    box = SecretBox([NEW_KEY])

    assert box.decrypt(box.encrypt(b"\x00\xff raw")) == b"\x00\xff raw"


def test_the_ciphertext_does_not_contain_the_secret_and_differs_each_time() -> None:
    box = SecretBox([NEW_KEY])

    first, second = box.encrypt(TOKEN), box.encrypt(TOKEN)

    assert TOKEN not in first
    assert first != second


def test_a_wrong_key_is_a_storage_error_that_suggests_the_setting() -> None:
    sealed = SecretBox([OLD_KEY]).encrypt(TOKEN)

    with pytest.raises(StorageError) as raised:
        SecretBox([NEW_KEY]).decrypt(sealed)

    assert str(raised.value) == UNDECRYPTABLE
    assert raised.value.__cause__ is None


@pytest.mark.parametrize("garbage", ["", "not-a-token", "é-not-ascii"])
def test_text_that_is_no_token_is_the_same_storage_error(garbage: str) -> None:
    with pytest.raises(StorageError, match="wrong ADVISOR_ENCRYPTION_KEY"):
        SecretBox([NEW_KEY]).decrypt(garbage)


def test_a_rotated_box_opens_what_the_old_key_sealed() -> None:
    sealed_before = SecretBox([OLD_KEY]).encrypt(TOKEN)

    rotated = SecretBox([NEW_KEY, OLD_KEY])

    assert rotated.decrypt(sealed_before) == TOKEN.encode()


def test_a_rotated_box_seals_with_the_new_key_only() -> None:
    sealed_after = SecretBox([NEW_KEY, OLD_KEY]).encrypt(TOKEN)

    assert SecretBox([NEW_KEY]).decrypt(sealed_after) == TOKEN.encode()
    with pytest.raises(StorageError):
        SecretBox([OLD_KEY]).decrypt(sealed_after)


def test_rotating_a_token_moves_it_to_the_new_key() -> None:
    sealed_before = SecretBox([OLD_KEY]).encrypt(TOKEN)

    moved = SecretBox([NEW_KEY, OLD_KEY]).rotate(sealed_before)

    assert SecretBox([NEW_KEY]).decrypt(moved) == TOKEN.encode()


def test_the_setting_takes_comma_separated_keys_newest_first() -> None:
    box = SecretBox.from_setting(f" {NEW_KEY} , {OLD_KEY},")

    assert SecretBox([NEW_KEY]).decrypt(box.encrypt(TOKEN)) == TOKEN.encode()
    assert box.decrypt(SecretBox([OLD_KEY]).encrypt(TOKEN)) == TOKEN.encode()


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "is empty"),
        (" , ", "is empty"),
        ("not-a-fernet-key-at-all", "is malformed: key 1 of 1 is not a Fernet key"),
        (f"{NEW_KEY},short", "is malformed: key 2 of 2 is not a Fernet key"),
        (NEW_KEY[:-2], "is malformed: key 1 of 1"),
    ],
)
def test_a_malformed_setting_names_the_setting_and_never_the_key(value: str, problem: str) -> None:
    with pytest.raises(ValueError, match="ADVISOR_ENCRYPTION_KEY") as raised:
        SecretBox.from_setting(value)

    assert problem in str(raised.value)
    shown = "".join(traceback.format_exception(raised.value))
    for key in filter(None, (part.strip() for part in value.split(","))):
        assert key not in shown


def test_a_box_without_keys_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one key"):
        SecretBox([])


def test_the_repr_shows_how_many_keys_but_no_key() -> None:
    box = SecretBox([NEW_KEY, OLD_KEY])

    assert repr(box) == "SecretBox(keys=2)"


def test_a_generated_key_is_a_fresh_fernet_key_given_as_text() -> None:
    key = SecretBox.generate_key()

    assert isinstance(key, str)
    assert key != SecretBox.generate_key()
    assert Fernet(key).decrypt(SecretBox([key]).encrypt(TOKEN)) == TOKEN.encode()
