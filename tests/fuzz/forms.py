"""Discovery of the app's forms: POST routes, the objects their URLs need, their field names.

Routes and URLs come from the route × role matrix (tests/security/matrix_*.py); the fields
are read from the HTML of the page that shows the form.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from tests.security.test_route_matrix import MATRIX

# Who posts each form: the most capable role that may use the route.
ROLE_PREFERENCE = [
    "coordinator",
    "reception",
    "animator",
    "social_worker",
    "psychologist",
    "admin",
    "member",
]
# Pages that are files, not HTML forms.
NOT_HTML = (".pdf", ".ics", ".csv", ".json")
# Forms that only appear after a search: the page to read them from.
SEARCH_PAGES = {
    "workshops.walk_in": "/workshops/sessions/{ws_session_id}/checkin?q=matrice",
}


def role_for(endpoint: str) -> str | None:
    """The role the fuzzer signs in with; None for public routes (posted anonymously)."""
    allowed = MATRIX[endpoint].allowed
    if allowed == "public":
        return None
    return next(role for role in ROLE_PREFERENCE if role in allowed)


@dataclass
class Field:
    name: str
    kind: str  # "text", "select", "textarea", "checkbox", "file", "hidden", "number", "date", ...
    values: list[str] = field(default_factory=list)  # the value shown, or the select options


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)


class FormParser(HTMLParser):
    """Collects every <form> with its <input>, <select> and <textarea> names."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._form = Form(
                action=attributes.get("action") or "",
                method=(attributes.get("method") or "get").lower(),
            )
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in {"submit", "button", "reset", "image"}:
                return
            entry = self._form.fields.setdefault(name, Field(name, kind))
            if attributes.get("value") is not None:
                entry.values.append(attributes["value"])
        elif tag == "textarea" and name:
            self._form.fields.setdefault(name, Field(name, "textarea"))
        elif tag == "select" and name:
            self._select = self._form.fields.setdefault(name, Field(name, "select"))
        elif tag == "option" and self._select is not None:
            self._select.values.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_posting_to(html: str, page_url: str, post_url: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    target = urlsplit(post_url).path
    found = []
    for form in parser.forms:
        action = urlsplit(form.action or page_url).path or urlsplit(page_url).path
        if form.method == "post" and action == target:
            found.append(form)
    return found


def fields_of(client, endpoint: str, url: str, values: dict) -> dict[str, Field]:
    """The fields of the form(s) posting to `url`, read from the page(s) showing them."""
    route = MATRIX[endpoint]
    role = role_for(endpoint)
    pages = [url] if route.method == "GET" else []
    if endpoint in SEARCH_PAGES:
        pages = [SEARCH_PAGES[endpoint].format(**values)]
    blueprint = endpoint.split(".")[0]
    if not pages:
        # A POST-only route: its form lives on another page of the same feature.
        for other, other_route in sorted(MATRIX.items()):
            if other.split(".")[0] != blueprint or other_route.method != "GET":
                continue
            if other_route.allowed != "public" and role not in other_route.allowed:
                continue
            pages.append(other_route.url.format(**values))
    fields: dict[str, Field] = {}
    for page in pages:
        if urlsplit(page).path.endswith(NOT_HTML):
            continue
        response = client.get(page)
        if response.status_code != 200 or not response.mimetype == "text/html":
            response.close()
            continue
        for form in forms_posting_to(response.get_data(as_text=True), page, url):
            for name, entry in form.fields.items():
                known = fields.setdefault(name, Field(name, entry.kind))
                known.values += [value for value in entry.values if value not in known.values]
        response.close()
    return fields
