"""Axe scans of the foundation pages: no serious or critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

PAGES = [
    ("/login", None),
    ("/dashboard", "reception"),
    ("/account", "reception"),
    ("/admin/", "admin"),  # the staff accounts list,
]


@pytest.mark.parametrize(("path", "role"), PAGES)
def test_page_has_no_serious_accessibility_violation(
    page, live_server, sign_in, make_user, path, role
):
    if role:
        sign_in(page, make_user(role))
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200 and page.url.endswith(path), page.url
    results = Axe().run(page)
    serious = [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation.get("impact") in {"serious", "critical"}
    ]
    assert not serious, f"{path}: {serious}"
