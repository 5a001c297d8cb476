"""Encryption at rest: Fernet keys from the environment, rotation-friendly."""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

EXTENSION_KEY = "ressourcerie.keyring"


class KeyRingError(RuntimeError):
    pass


def build_keyring(keys: str) -> MultiFernet:
    """Build a MultiFernet from comma-separated keys, the newest first."""
    parts = [key.strip() for key in keys.split(",") if key.strip()]
    if not parts:
        raise KeyRingError("ENCRYPTION_KEYS is empty: set it in the environment")
    try:
        return MultiFernet([Fernet(key) for key in parts])
    except ValueError as error:
        raise KeyRingError("ENCRYPTION_KEYS holds a key that is not a Fernet key") from error


def init_app(app: Flask) -> None:
    keys = app.config.get("ENCRYPTION_KEYS") or ""
    app.extensions[EXTENSION_KEY] = build_keyring(keys) if keys else None


def keyring() -> MultiFernet:
    ring = current_app.extensions.get(EXTENSION_KEY)
    if ring is None:
        raise KeyRingError("ENCRYPTION_KEYS is not set: sensitive data cannot be stored")
    return ring


def encrypt(text: str) -> str:
    return keyring().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return keyring().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise KeyRingError("a value cannot be decrypted with the configured keys") from error


def rotate(token: str) -> str:
    """Re-encrypt a token under the newest key."""
    return keyring().rotate(token.encode("ascii")).decode("ascii")


class EncryptedText(TypeDecorator):
    """Text encrypted with the application key ring before it reaches the database."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        if value is None:
            return None
        return encrypt(value)

    def process_result_value(self, value: str | None, dialect) -> str | None:
        if value is None:
            return None
        return decrypt(value)
