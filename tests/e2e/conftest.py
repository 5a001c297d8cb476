"""Browser fixtures: the test app served on localhost, Debian's Chromium driven by Playwright.

`live_server` serves the `app` fixture (same test database, so `make_user` and builders
work); `page` and `phone_page` are fresh browser contexts; `sign_in(page, user)` logs in,
typing the two-factor code when asked.
"""

import os
import threading
from pathlib import Path
from types import SimpleNamespace

import pyotp
import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        for name in ("page", "phone_page"):
            page = item.funcargs.get(name)
            if page is not None:
                ARTIFACTS.mkdir(exist_ok=True)
                try:
                    page.screenshot(path=str(ARTIFACTS / f"{item.name}-{name}.png"), full_page=True)
                except Exception:  # noqa: BLE001, S110 - a screenshot must not hide the failure
                    pass
    return report


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", app=app)
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("E2E_OPTIONAL") == "1":
            pytest.skip(f"{CHROMIUM} is missing (E2E_OPTIONAL=1)")
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (scripts/test.sh does it)")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    yield browser
    browser.close()
    playwright.stop()


def _new_page(browser, **options):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", **options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server):
    context, page = _new_page(browser, viewport={"width": 1280, "height": 800})
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context, page = _new_page(
        browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    yield page
    context.close()


@pytest.fixture
def sign_in(live_server):
    def sign_in(page, user):
        page.goto(f"{live_server.url}/login")
        page.get_by_label("Adresse e-mail").fill(user.email)
        page.get_by_label("Mot de passe").fill(user.password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()
        if "/login/code" in page.url:
            page.locator("input[name=code]").fill(pyotp.TOTP(user.totp_secret).now())
            page.get_by_role("button", name="Valider").click()
            page.wait_for_load_state()
        assert "/login" not in page.url, f"sign-in failed, still on {page.url}"

    return sign_in
