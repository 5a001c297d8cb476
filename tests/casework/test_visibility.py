"""Who reads which note: visibility × author profession × reader × consent to share.

The expected table is written out by hand from DESIGN §4, not computed by the code
under test.
"""

import pytest

from ressourcerie.casework import services
from ressourcerie.casework.models import Entry
from ressourcerie.casework.permissions import can_read_entry
from ressourcerie.columns import local_today
from ressourcerie.extensions import db
from ressourcerie.security.models import User
from tests.casework.builders import make_case

# (visibility, author, reader, sharing) -> sees.  Authors: "sw" (social worker A) and
# "psy" (psychologist B); readers: the author, a colleague of the same profession,
# a member of the other profession.
EXPECTED = {}
for sharing in (True, False):
    for author in ("sw", "psy"):
        EXPECTED[("private", author, "self", sharing)] = True
        EXPECTED[("private", author, "same_profession", sharing)] = False
        EXPECTED[("private", author, "other_profession", sharing)] = False
        EXPECTED[("profession", author, "self", sharing)] = True
        EXPECTED[("profession", author, "same_profession", sharing)] = True
        EXPECTED[("profession", author, "other_profession", sharing)] = False
        EXPECTED[("team", author, "self", sharing)] = True
        EXPECTED[("team", author, "same_profession", sharing)] = True
        # The heart of it: "team" reaches the other profession only with the person's consent.
        EXPECTED[("team", author, "other_profession", sharing)] = sharing

PROFESSION = {"sw": "social_worker", "psy": "psychologist"}
OTHER = {"sw": "psy", "psy": "sw"}


def note_text(visibility, author, sharing):
    return f"note-{visibility}-{author}-{'partage' if sharing else 'sans-partage'}"


@pytest.fixture
def team(signed_in):
    """Two social workers and two psychologists of the default site, signed in."""
    return {
        "sw": signed_in("social_worker"),
        "sw2": signed_in("social_worker"),
        "psy": signed_in("psychologist"),
        "psy2": signed_in("psychologist"),
    }


def _build(team, sharing):
    case = make_case(sharing=sharing)
    for author in ("sw", "psy"):
        user = db.session.get(User, team[author][1].id)
        for visibility in ("team", "profession", "private"):
            services.add_entry(
                case,
                by=user,
                occurred_on=local_today(),
                duration_minutes=30,
                kind="in_person",
                visibility=visibility,
                note=note_text(visibility, author, sharing),
            )
    db.session.commit()
    return case.id


def _reader_key(author, reader_name):
    if reader_name == author:
        return "self"
    if reader_name.rstrip("2") == author:
        return "same_profession"
    return "other_profession"


@pytest.mark.parametrize("sharing", [True, False], ids=["sharing", "no-sharing"])
def test_case_page_shows_exactly_the_notes_each_reader_may_see(app, team, sharing):
    with app.app_context():
        case_id = _build(team, sharing)
    checked = 0
    for reader_name, (client, _user) in team.items():
        page = client.get(f"/casework/cases/{case_id}").get_data(as_text=True)
        for author in ("sw", "psy"):
            for visibility in ("team", "profession", "private"):
                expected = EXPECTED[(visibility, author, _reader_key(author, reader_name), sharing)]
                shown = note_text(visibility, author, sharing) in page
                assert shown == expected, (reader_name, author, visibility, sharing)
                checked += 1
    assert checked == 4 * 6


@pytest.mark.parametrize("sharing", [True, False], ids=["sharing", "no-sharing"])
def test_permission_function_agrees_with_the_table(db, team, sharing):
    case_id = _build(team, sharing)
    from ressourcerie.casework.models import Case

    case = db.session.get(Case, case_id)
    for reader_name, (_client, record) in team.items():
        reader = db.session.get(User, record.id)
        for entry in db.session.query(Entry).filter_by(case_id=case_id):
            author = "sw" if entry.profession == "social_worker" else "psy"
            if entry.author_id not in (team["sw"][1].id, team["psy"][1].id):
                continue
            expected = EXPECTED[
                (entry.visibility, author, _reader_key(author, reader_name), sharing)
            ]
            assert can_read_entry(reader, entry, case) == expected


@pytest.mark.parametrize("role", ["coordinator", "admin", "reception", "animator", "member"])
def test_no_one_outside_the_care_team_reads_a_line(app, team, signed_in, role):
    with app.app_context():
        case_id = _build(team, True)
    client, _user = signed_in(role)
    response = client.get(f"/casework/cases/{case_id}")
    assert response.status_code == 403
    assert "note-" not in response.get_data(as_text=True)
    pdf = client.get(f"/casework/cases/{case_id}/access-file.pdf")
    assert pdf.status_code == 403


def test_search_lists_names_never_notes(app, team):
    with app.app_context():
        case_id = _build(team, True)
    client = team["sw"][0]
    page = client.get("/casework/?q=lefort").get_data(as_text=True)
    assert f"/casework/cases/{case_id}" in page
    assert "note-" not in page
