"""Configuration classes; every value can be overridden from the environment."""

import os
from datetime import timedelta
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def sqlite_default_url() -> str:
    INSTANCE_DIR.mkdir(exist_ok=True)
    return f"sqlite:///{INSTANCE_DIR / 'ressourcerie.sqlite'}"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # Comma-separated Fernet keys, newest first (see `flask keys rotate`).
    ENCRYPTION_KEYS = os.environ.get("ENCRYPTION_KEYS", "")
    SQLALCHEMY_DATABASE_URI = normalise_database_url(os.environ.get("DATABASE_URL", ""))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = {"fr": "Français", "en": "English"}

    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BOOTSWATCH_THEME = None

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    SESSION_COOKIE_NAME = "ressourcerie_session"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = 12 * 3600

    STAFF_IDLE_TIMEOUT = timedelta(minutes=30)
    STAFF_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    MEMBER_IDLE_TIMEOUT = timedelta(hours=2)
    MEMBER_ABSOLUTE_TIMEOUT = timedelta(days=1)
    PASSWORD_RESET_MAX_AGE = 3600  # seconds
    WELCOME_LINK_MAX_AGE = 48 * 3600  # first password of a new account
    PASSWORD_MIN_LENGTH = 12
    TOTP_ISSUER = os.environ.get("TOTP_ISSUER", "Ressourcerie")

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    # Failed attempts only. Per account and address, and, looser, per account from anywhere
    # (a distributed guess), so that one attacker cannot lock the owner out for long.
    LOGIN_ACCOUNT_RATE_LIMIT = os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "5 per 15 minutes")
    LOGIN_ACCOUNT_WIDE_RATE_LIMIT = os.environ.get("LOGIN_ACCOUNT_WIDE_RATE_LIMIT", "30 per hour")
    # Number of reverse proxies in front of the app (nginx: 1), so that the client's address
    # (X-Forwarded-For) is used for limits and logs instead of the proxy's. 0: none.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    MAIL_FROM = os.environ.get("MAIL_FROM", "Ressourcerie <ne-pas-repondre@ressourcerie.example>")
    # SMTP delivery of the outbox; without MAIL_SERVER mails are only stored.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "30"))
    # Uploaded files (people import) are limited to 10 MB.
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "365"))
    DEMO_EMAIL_DOMAIN = "demo.ressourcerie.example"


class DevelopmentConfig(Config):
    DEBUG = False
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-secret-key-change-me")
    # Development key only: production sets ENCRYPTION_KEYS in the environment.
    ENCRYPTION_KEYS = os.environ.get(
        "ENCRYPTION_KEYS", "ZGV2LW9ubHktZW5jcnlwdGlvbi1rZXktMzJieXRlcyE="
    )


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only  # nosec B105
    ENCRYPTION_KEYS = "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTMyYnl0ZXM="
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = False
    SQLALCHEMY_DATABASE_URI = ""
    RATELIMIT_STORAGE_URI = "memory://"
    # Cheap argon2 parameters so hundreds of test accounts take no time.
    PASSWORD_HASH_LIGHT = True


class ProductionConfig(Config):
    pass


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
