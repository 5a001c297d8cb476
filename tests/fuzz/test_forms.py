"""Every form of the app fuzzed with hypothesis: never a 500, and no write when refused.

Each POST route of the route × role matrix gets the objects its URL needs, a user of the
role that may post it, the field names read from the page that shows the form, then
fixed hostile payloads (NUL, 10,000 characters, huge numbers, right-to-left marks, emoji,
lone surrogates, all fields missing) and hypothesis-generated ones (random unicode, wrong
types, repeated fields, missing fields, unknown fields). When the form is shown again or
refused (200/400/413/422), the row count of every table must be unchanged.
"""

import io
import uuid
from urllib.parse import quote_from_bytes

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ressourcerie import create_app
from ressourcerie.extensions import db
from ressourcerie.members.models import Person
from ressourcerie.security.models import LoginSession, Site
from ressourcerie.workshops.models import WorkshopSession
from ressourcerie.workshops.services import bookings
from tests.fuzz.forms import Field, fields_of, role_for
from tests.security.test_route_matrix import MATRIX, MODULES

EXAMPLES_PER_FORM = 20
# Tables that a refused request may legitimately write: the audit trail and login sessions.
LOG_TABLES = {"audit_event", "audit_checkpoint", "login_session"}
# A form shown again or refused, as opposed to a redirect after success.
REFUSED = {200, 400, 413, 422}

_routes_app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
POST_ENDPOINTS = sorted(
    rule.endpoint
    for rule in _routes_app.url_map.iter_rules()
    if "POST" in (rule.methods or ()) and rule.endpoint in MATRIX
)

HUGE = 10_000
HOSTILE = [
    "",
    " ",
    "\x00",
    "Marie\x00Dupont",
    "\u202eesuoJ\u202c",
    "\u200f\u0645\u0631\u064a\u0645",
    "👩‍👧‍👦🧓🏽",
    "\ud800",
    "\udfff\ud800",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "-1",
    "0",
    "2147483648",
    "-9223372036854775809",
    "9" * 40,
    "1e309",
    "NaN",
    "-0.000001",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "31/12/2024",
    "25:61",
    "on",
    "\r\n",
    "%00",
]
FIXED_PAYLOADS = {
    "NUL in every field": lambda name: f"a\x00{name}",
    "10,000 characters": lambda name: "é" * HUGE,
    "10,000 digits": lambda name: "9" * HUGE,
    "huge integer": lambda name: str(2**80),
    "right-to-left and emoji": lambda name: "\u202e👩‍👧\u202c",
    "lone surrogate": lambda name: "\ud83d",
    "all fields missing": lambda name: None,
}


def _utf8(text: str) -> bytes:
    # Lone surrogates are sent as the invalid bytes a broken client would send.
    return text.encode("utf-8", "surrogatepass")


any_text = st.text(st.characters(exclude_categories=()), max_size=40)
scalar = st.one_of(
    st.sampled_from(HOSTILE),
    any_text,
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda day: day.isoformat()),
    st.builds(lambda char: char * HUGE, st.sampled_from(["a", "9", "é", "😀", "\x00"])),
)


def value_for(field: Field):
    """Keep the page's value (shrinks to that), fuzz it, drop it, or repeat it."""
    choices = [c for c in field.values if c] or [""]
    kept = st.sampled_from(choices)
    return st.one_of(
        kept.map(lambda value: ("keep", value)),
        scalar.map(lambda value: ("fuzz", value)),
        st.just(("missing", None)),
        st.lists(scalar, min_size=2, max_size=3).map(lambda values: ("repeat", values)),
    )


@st.composite
def form_data(draw, fields: dict[str, Field]) -> dict:
    data = {}
    for name in sorted(fields):
        field = fields[name]
        if field.kind == "file":
            content = draw(st.one_of(st.binary(max_size=500), any_text.map(_utf8)))
            filename = draw(st.sampled_from(["liste.csv", "liste.xlsx", "../../x.csv", "😀.csv"]))
            data[name] = (content, filename)
            continue
        mode, value = draw(value_for(field))
        if mode != "missing":
            data[name] = value
    if draw(st.booleans()):
        data[draw(st.sampled_from(["id", "site_id", "person_id", "x" * 200]))] = draw(scalar)
    return data


def post(client, url: str, data: dict):
    files = {k: v for k, v in data.items() if isinstance(v, tuple)}
    if files:
        fields = {
            k: _utf8(v).decode("utf-8", "replace") if isinstance(v, str) else v
            for k, v in data.items()
            if not isinstance(v, tuple)
        }
        for name, (content, filename) in files.items():
            fields[name] = (io.BytesIO(content), filename)
        return client.post(url, data=fields, content_type="multipart/form-data")
    pairs = []
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append(f"{quote_from_bytes(_utf8(name))}={quote_from_bytes(_utf8(item))}")
    return client.post(url, data="&".join(pairs), content_type="application/x-www-form-urlencoded")


def row_counts(app) -> dict[str, int]:
    tables = [table for table in db.metadata.sorted_tables if table.name not in LOG_TABLES]
    query = sa.union_all(
        *(
            sa.select(
                sa.literal(table.name).label("name"), sa.func.count().label("rows")
            ).select_from(table)
            for table in tables
        )
    )
    with app.app_context(), db.engine.connect() as connection:
        return dict(connection.execute(query).all())


def url_values(app, make_user) -> dict:
    values = {}
    for module in MODULES:
        if hasattr(module, "url_values"):
            values.update(module.url_values(app, make_user))
    return values


def sign_in(app, client, user_id: int) -> None:
    with app.app_context():
        login_session = LoginSession(id=uuid.uuid4().hex, user_id=user_id)
        db.session.add(login_session)
        db.session.commit()
        session_id = login_session.id
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True


def give_member_a_person(app, user_id: int, values: dict) -> None:
    """The member gets a Person record and a booking of their own, so forms reach the service."""
    with app.test_request_context():
        site = db.session.execute(sa.select(Site).order_by(Site.id)).scalars().first()
        person = Person(site_id=site.id, user_id=user_id, email="membre@example.org")
        person.set_identity("Fuzz", "Membre")
        db.session.add(person)
        db.session.flush()
        session = db.session.get(WorkshopSession, values["ws_session_id"])
        values["ws_booking_id"] = bookings.book(session, person, by=None).id
        db.session.commit()


def check(app, client, url: str, data: dict) -> str | None:
    """Post `data`; describe what went wrong, or None."""
    before = row_counts(app)
    try:
        response = post(client, url, data)
    except Exception as error:  # the test app propagates the exceptions behind a 500
        return f"{type(error).__name__}: {error}"
    status = response.status_code
    response.close()
    if status >= 500:
        return f"status {status}"
    if status in REFUSED:
        after = row_counts(app)
        changed = {
            name: (before[name], after[name]) for name in after if after[name] != before[name]
        }
        if changed:
            return f"status {status} but rows written: {changed}"
    return None


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_form_survives_bad_input(app, make_user, endpoint):
    values = url_values(app, make_user)
    client = app.test_client()
    role = role_for(endpoint)
    if role is not None:
        user = make_user(role)
        if role == "member":
            give_member_a_person(app, user.id, values)
        sign_in(app, client, user.id)
    url = MATRIX[endpoint].url.format(**values)
    fields = fields_of(client, endpoint, url, values)

    failures = []
    for label, make_value in FIXED_PAYLOADS.items():
        data = {name: make_value(name) for name in fields if fields[name].kind != "file"}
        data = {name: value for name, value in data.items() if value is not None}
        problem = check(app, client, url, data)
        if problem:
            failures.append(f"{label}: {problem}")
    assert not failures, f"POST {url} as {role or 'anonymous'}:\n" + "\n".join(failures)

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.data_too_large,
        ],
    )
    @given(data=form_data(fields))
    def survives(data):
        problem = check(app, client, url, data)
        assert problem is None, f"POST {url} as {role or 'anonymous'}: {problem}"

    survives()
