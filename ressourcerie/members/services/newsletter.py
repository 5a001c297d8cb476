"""Newsletter: safe Markdown rendering, recipients, sending through the outbox,
signed unsubscribe links and the CSV export of the list."""

from __future__ import annotations

import csv
import io
import json

import nh3
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import or_, select

from ressourcerie.columns import utcnow
from ressourcerie.extensions import db
from ressourcerie.members.models import Person
from ressourcerie.notifications.models import Newsletter
from ressourcerie.notifications.services import queue_email
from ressourcerie.security.models import User
from ressourcerie.urls import external_url

UNSUBSCRIBE_SALT = "newsletter-unsubscribe"
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


class NewsletterError(Exception):
    """A newsletter that cannot be sent or changed."""


class AlreadySent(NewsletterError):
    pass


class NoRecipients(NewsletterError):
    pass


def render_markdown(text: str) -> Markup:
    """Markdown → HTML with raw HTML disabled, then sanitised (links, no scripts)."""
    html = nh3.clean(_markdown.render(text or ""), url_schemes={"http", "https", "mailto"})
    return Markup(html)  # noqa: S704 - sanitised by nh3 just above  # nosec B704


def recipients_query(site_id: int):
    """Opted-in people with an email, of the site or not tied to any site."""
    return (
        select(Person)
        .where(
            Person.newsletter_opt_in.is_(True),
            Person.email.is_not(None),
            Person.email != "",
            Person.anonymised_at.is_(None),
            or_(Person.site_id == site_id, Person.site_id.is_(None)),
        )
        .order_by(Person.search_last_name, Person.search_name, Person.id)
    )


def recipients(site_id: int) -> list[Person]:
    """One person per address: two records sharing an e-mail (a couple, a duplicate)
    receive one letter, not two."""
    people: dict[str, Person] = {}
    for person in db.session.scalars(recipients_query(site_id)):
        people.setdefault(person.email.strip().lower(), person)
    return list(people.values())


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(person: Person) -> str:
    return _serializer().dumps(person.id)


def person_from_token(token: str) -> Person | None:
    """The person a signed unsubscribe link belongs to, or None for a forged one."""
    try:
        person_id = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(person_id, int):
        return None
    person = db.session.get(Person, person_id)
    if person is None or person.anonymised_at is not None:
        return None
    return person


def unsubscribe_url(person: Person) -> str:
    return external_url("members.newsletter_unsubscribe", token=unsubscribe_token(person))


def still_subscribed(person: Person) -> bool:
    """Does anything still send the letter to this person's address?"""
    if person.newsletter_opt_in:
        return True
    if not person.email:
        return False
    return (
        db.session.scalar(
            select(Person.id)
            .where(Person.email == person.email, Person.newsletter_opt_in.is_(True))
            .limit(1)
        )
        is not None
    )


def unsubscribe(person: Person) -> bool:
    """Opt the person out, and every record with the same address (the letter goes to an
    address: whoever reads it there asked to stop); True when something changed."""
    changed = person.newsletter_opt_in
    person.newsletter_opt_in = False
    if person.email:
        others = db.session.scalars(
            select(Person).where(
                Person.email == person.email.strip().lower(),
                Person.newsletter_opt_in.is_(True),
            )
        )
        for other in others:
            other.newsletter_opt_in = False
            changed = True
    db.session.flush()
    return changed


def save_draft(
    newsletter: Newsletter | None, *, site_id: int, subject: str, body: str, by: User | None
) -> Newsletter:
    if newsletter is None:
        newsletter = Newsletter(site_id=site_id, created_by_id=by.id if by else None)
        db.session.add(newsletter)
    elif newsletter.is_sent:
        raise AlreadySent()
    newsletter.subject = subject.strip()
    newsletter.body_markdown = body
    db.session.flush()
    return newsletter


def send(newsletter: Newsletter, *, by: User | None) -> int:
    """Queue one outbox message per recipient, in the caller's transaction; once only."""
    # Lock the row (PostgreSQL) so two clicks cannot send twice.
    db.session.execute(
        select(Newsletter.id).where(Newsletter.id == newsletter.id).with_for_update()
    )
    db.session.refresh(newsletter)
    if newsletter.is_sent:
        raise AlreadySent()
    html = render_markdown(newsletter.body_markdown)
    people = recipients(newsletter.site_id)
    if not people:
        raise NoRecipients()
    for person in people:
        link = unsubscribe_url(person)
        message = queue_email(
            kind="newsletter",
            to=person.email,
            subject=newsletter.subject,
            template="newsletter",
            person=person,
            newsletter=newsletter,
            unsubscribe_link=link,
        )
        message.body_html = html + Markup('<hr><p><a href="{}">{}</a></p>').format(
            link, _("Se désabonner de la lettre d'information")
        )
        message.headers_json = json.dumps(
            {
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        )
    newsletter.sent_at = utcnow()
    newsletter.sent_by_id = by.id if by else None
    newsletter.recipients_count = len(people)
    db.session.flush()
    return len(people)


def subscribers_csv(site_id: int) -> bytes:
    """The list as CSV for Excel: UTF-8 with BOM, `;` between fields."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["prénom", "nom", "email", "commune", "code postal"])
    for person in recipients(site_id):
        writer.writerow(
            [
                _csv_safe(person.first_name),
                _csv_safe(person.last_name),
                _csv_safe(person.email),
                _csv_safe(person.commune),
                _csv_safe(person.postcode),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_safe(value: str | None) -> str:
    """Neutralise spreadsheet formulas (a cell starting with = + - @ runs in Excel)."""
    value = value or ""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
