"""Browser journey of reports: a coordinator picks last quarter, reads the dashboard and
downloads the PDF they will hand to the board."""

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ressourcerie.columns import LOCAL_TZ, local_today
from ressourcerie.extensions import db
from ressourcerie.reports.periods import last_quarter
from tests.reports.builders import activity, booking, first_site, person, session, visit

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).parent / "artifacts"


def build_last_quarter(app):
    from datetime import datetime, time

    quarter = last_quarter(local_today())
    with app.test_request_context():
        site = first_site()
        act = activity(site)
        start = datetime.combine(quarter.start + timedelta(days=10), time(14), LOCAL_TZ)
        held = session(act, start, capacity=20)
        for index in range(12):
            who = person(site, gender="woman" if index % 4 else "man", birth_year=1950 + index)
            visit(site, who, start + timedelta(days=index, hours=-3))
            booking(held, who, "attended" if index % 5 else "no_show", "full", 500)
        db.session.commit()
    return quarter


def test_coordinator_reads_last_quarter_and_downloads_the_pdf(
    app, live_server, page, sign_in, make_user
):
    build_last_quarter(app)
    coordinator = make_user("coordinator")
    sign_in(page, coordinator)
    page.get_by_role("link", name="Rapports").click()
    page.get_by_label("Période").select_option("last_quarter")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**preset=last_quarter**")
    expect(page.get_by_role("heading", name="Fréquentation")).to_be_visible()
    expect(page.locator("#attendance .key-figure").first).to_contain_text("12")
    for title in ("Public", "Adhésions", "Ateliers", "Accompagnement", "Impact"):
        assert page.get_by_role("heading", name=title, exact=True).count() == 1
    assert page.locator("svg.report-chart").count() >= 4
    # Three men: hidden as "< 5" on the page.
    expect(page.locator("#table-public_gender")).to_contain_text("< 5")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "reports-dashboard.png"), full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith(
        "rapport-"
    ) and download.suggested_filename.endswith(".pdf")
    path = download.path()
    assert Path(path).read_bytes().startswith(b"%PDF")


def test_the_dashboard_fits_a_phone(app, live_server, phone_page, sign_in, make_user):
    build_last_quarter(app)
    sign_in(phone_page, make_user("coordinator"))
    phone_page.goto(f"{live_server.url}/reports/")
    expect(phone_page.get_by_role("heading", name="Fréquentation")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1
    SHOTS.mkdir(exist_ok=True)
    phone_page.screenshot(path=str(SHOTS / "reports-phone.png"), full_page=False)
