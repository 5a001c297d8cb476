"""Password hashing (argon2id) and the password policy."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from zxcvbn.frequency_lists import FREQUENCY_LISTS

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
# The 30,000 most common passwords of the zxcvbn project.
COMMON_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"])
MAX_LENGTH = 256
# A hash to verify against when the account does not exist, so timing reveals nothing.
DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def configure(*, time_cost: int, memory_cost: int) -> None:
    """Lighter hashing for the test suite only (TestingConfig.PASSWORD_HASH_LIGHT)."""
    global _hasher, DUMMY_HASH
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=1)
    DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def policy_errors(password: str, *, min_length: int = 12, email: str = "") -> list[str]:
    """Return the reasons a password is refused, in plain words (empty when fine)."""
    errors = []
    if len(password) < min_length:
        errors.append(
            str(_l("Le mot de passe doit contenir au moins %(n)s caractères.", n=min_length))
        )
    if len(password) > MAX_LENGTH:
        errors.append(
            str(_l("Le mot de passe est trop long (%(n)s caractères au plus).", n=MAX_LENGTH))
        )
    lowered = password.lower()
    stripped = lowered.rstrip("0123456789!?.")
    if lowered in COMMON_PASSWORDS or (len(stripped) >= 4 and stripped in COMMON_PASSWORDS):
        errors.append(
            str(_l("Ce mot de passe fait partie des plus courants : choisissez-en un autre."))
        )
    elif len(set(password)) < 4:
        errors.append(str(_l("Ce mot de passe est trop répétitif.")))
    local_part = email.split("@")[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        errors.append(str(_l("Le mot de passe ne doit pas contenir votre adresse e-mail.")))
    return errors
