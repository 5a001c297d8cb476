"""Browser journeys of the foundation: signing in (with and without two factors), language."""

import pyotp


def test_receptionist_signs_in_and_reaches_the_dashboard(page, live_server, sign_in, make_user):
    receptionist = make_user("reception")
    sign_in(page, receptionist)
    assert page.url.endswith("/dashboard")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{live_server.url}/**")
    assert page.get_by_role("link", name="Connexion").count() or "/login" in page.url


def test_social_worker_needs_the_two_factor_code(page, live_server, make_user):
    social_worker = make_user("social_worker")
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Adresse e-mail").fill(social_worker.email)
    page.get_by_label("Mot de passe").fill(social_worker.password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/login/code")
    page.get_by_label("Code à 6 chiffres").fill("000000")
    page.get_by_role("button", name="Valider").click()
    assert "/login/code" in page.url  # a wrong code keeps the person on the code page


def test_wrong_password_gets_a_neutral_message(page, live_server, make_user):
    user = make_user("reception")
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill("not the right password")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("alert").first.wait_for()
    assert user.email not in page.get_by_role("alert").first.inner_text()


def test_language_switch_to_english(page, live_server):
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Langue").select_option("en")
    page.locator("form[action='/language'] button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"


def test_phone_width_has_no_horizontal_scroll(phone_page, live_server, sign_in, make_user):
    sign_in(phone_page, make_user("reception"))
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_new_admin_enrols_two_factor_and_sees_recovery_codes(page, live_server, make_user):
    admin = make_user("admin", two_factor=False)
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Adresse e-mail").fill(admin.email)
    page.get_by_label("Mot de passe").fill(admin.password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/login/setup")
    secret = page.locator("#totp-secret").inner_text().strip()
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Activer la double authentification").click()
    page.locator(".recovery-codes li").first.wait_for()
    assert page.locator(".recovery-codes li").count() >= 8


def test_language_switch_to_english_and_back(page, live_server):
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Langue").select_option("en")
    page.locator("form[action='/language'] button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("form[action='/language'] select").select_option("fr")
    page.locator("form[action='/language'] button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"


def test_phone_width_collapses_the_navigation(phone_page, live_server, sign_in, make_user):
    sign_in(phone_page, make_user("reception"))
    toggler = phone_page.locator(".navbar-toggler")
    assert toggler.is_visible()
    toggler.click()
    phone_page.locator(".navbar-collapse.show").wait_for()
