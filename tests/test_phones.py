"""Phone numbers shown one way, however typed."""

import pytest

from ressourcerie.phones import readable_phone


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("0612345678", "06 12 34 56 78"),
        ("06.12.34.56.78", "06 12 34 56 78"),
        ("+33 6 12 34 56 78", "06 12 34 56 78"),
        ("+33 (0)5 59 35 40 11", "05 59 35 40 11"),
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("06 11 22 33", "06 11 22 33"),
        ("", ""),
    ],
)
def test_readable_phone(typed, shown):
    assert readable_phone(typed) == shown
