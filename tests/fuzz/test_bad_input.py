"""Bad input refused calmly: NUL characters anywhere, bodies over the size limit."""

import io
from pathlib import Path

import pytest

from tests.fuzz.test_forms import row_counts

LIMIT = 10 * 1024 * 1024


def test_nul_character_in_a_form_is_refused_and_nothing_is_written(app, client, login_as):
    login_as("reception")
    before = row_counts(app)
    response = client.post(
        "/members/people/new", data={"first_name": "Marie\x00", "last_name": "Dupont"}
    )
    assert response.status_code == 400
    assert "caractère invisible" in response.text
    assert row_counts(app) == before


def test_nul_character_in_a_search_is_refused(app, client, login_as):
    login_as("reception")
    response = client.get("/members/people?q=mat%00")
    assert response.status_code == 400
    assert "Caractère non autorisé" in response.text


def test_nul_character_in_an_upload_name_is_refused(app, client, login_as):
    login_as("reception")
    response = client.post(
        "/directory/import",
        data={"file": (io.BytesIO(b"nom;type\n"), "liste\x00.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


def test_ordinary_unicode_is_still_accepted(app, client, login_as):
    login_as("reception")
    response = client.post(
        "/members/people/new",
        data={
            "first_name": "Zoé 👩‍👧",
            "last_name": "\u0645\u0631\u064a\u0645",
            "gender": "woman",
            "consent_method": "",
        },
    )
    assert response.status_code == 302


def multipart_file(content: bytes, filename: str = "liste.csv") -> bytes:
    """A real multipart body, built as bytes (the test client would spool it to a file)."""
    head = (
        "--xyz\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    )
    return head.encode() + content + b"\r\n--xyz--\r\n"


@pytest.mark.parametrize("url", ["/members/import", "/directory/import"])
def test_oversized_upload_gets_a_calm_413_and_writes_nothing(app, client, login_as, url):
    login_as("coordinator")
    folder = Path(app.instance_path)
    files_before = sorted(folder.rglob("*"))
    before = row_counts(app)
    response = client.post(
        url,
        data=multipart_file(b"nom;prenom\n" + b"a;b\n" * (LIMIT // 4)),
        content_type="multipart/form-data; boundary=xyz",
    )
    assert response.status_code == 413
    assert "Fichier trop volumineux" in response.text
    assert "Traceback" not in response.text
    assert row_counts(app) == before
    assert sorted(folder.rglob("*")) == files_before


@pytest.mark.parametrize("url", ["/members/import", "/directory/import"])
def test_the_upload_limit_said_is_the_configured_one(app, client, login_as, monkeypatch, url):
    login_as("coordinator")
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    assert "2 Mo au plus" in client.get(url).text
    response = client.post(
        url,
        data=multipart_file(b"a;b\n" * (1024 * 1024)),
        content_type="multipart/form-data; boundary=xyz",
    )
    assert response.status_code == 413
    assert "Le fichier dépasse 2 Mo." in response.text


def test_upload_just_under_the_limit_is_read(app, client, login_as):
    login_as("coordinator")
    response = client.post(
        "/directory/import",
        data=multipart_file(b"nom;type\n" + b"a" * (LIMIT - 1000)),
        content_type="multipart/form-data; boundary=xyz",
    )
    assert response.status_code in (200, 302)


def test_oversized_plain_form_gets_413_not_500(app, client, login_as):
    login_as("reception")
    before = row_counts(app)
    response = client.post(
        "/members/people/new",
        data=b"last_name=Dupont&first_name=" + b"a" * LIMIT,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert row_counts(app) == before
