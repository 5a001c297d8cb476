"""The upload size limit (MAX_CONTENT_LENGTH), as the forms and the 413 page state it."""

from flask import current_app


def limit_mb() -> int:
    """MAX_CONTENT_LENGTH in whole megabytes (Mo), as people read it."""
    return max(1, round(current_app.config["MAX_CONTENT_LENGTH"] / (1024 * 1024)))
