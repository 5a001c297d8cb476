"""The yearly impact questionnaire: its questions, their plain-French wording, the answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ressourcerie.columns import UTCDateTime, utcnow
from ressourcerie.extensions import db
from ressourcerie.members.models import Person
from ressourcerie.security.models import Site, User


class Change(StrEnum):
    """How something changed since the person started coming (same scale for every question)."""

    IMPROVED = "improved"
    SAME = "same"
    WORSE = "worse"
    DONT_KNOW = "dont_know"


class SelfView(StrEnum):
    YES = "yes"
    NO = "no"
    DONT_KNOW = "dont_know"


class Channel(StrEnum):
    ONLINE = "online"  # answered by the member in their space
    PAPER = "paper"  # answered on the printed form, entered by reception


CHANNEL_LABELS = {
    Channel.ONLINE: _l("en ligne"),
    Channel.PAPER: _l("sur papier"),
}


@dataclass(frozen=True)
class Question:
    key: str  # also the column name on ImpactAnswer
    text: object  # the question as the person reads it (lazy string)
    short: object  # a few words for tables and charts
    choices: dict  # Change -> answer wording, in the order shown


# Wording for people not at ease with forms: short sentences, the same four answers each
# time, "improved" always first, and "I don't know" always offered.
QUESTIONS = (
    Question(
        "wellbeing",
        _l("Depuis que vous venez à la Ressourcerie, votre bien-être…"),
        _l("Bien-être"),
        {
            Change.IMPROVED: _l("s'est amélioré"),
            Change.SAME: _l("est resté pareil"),
            Change.WORSE: _l("s'est dégradé"),
            Change.DONT_KNOW: _l("je ne sais pas"),
        },
    ),
    Question(
        "social_ties",
        _l(
            "Depuis que vous venez, les personnes avec qui vous parlez ou que vous voyez "
            "(amis, voisins, participants)…"
        ),
        _l("Liens sociaux"),
        {
            Change.IMPROVED: _l("sont plus nombreuses"),
            Change.SAME: _l("sont aussi nombreuses qu'avant"),
            Change.WORSE: _l("sont moins nombreuses"),
            Change.DONT_KNOW: _l("je ne sais pas"),
        },
    ),
    Question(
        "support",
        _l("Depuis que vous venez, vous vous sentez soutenu·e…"),
        _l("Sentiment d'être soutenu·e"),
        {
            Change.IMPROVED: _l("davantage qu'avant"),
            Change.SAME: _l("ni plus ni moins qu'avant"),
            Change.WORSE: _l("moins qu'avant"),
            Change.DONT_KNOW: _l("je ne sais pas"),
        },
    ),
    Question(
        "isolation",
        _l("Depuis que vous venez, vous vous sentez seul·e…"),
        _l("Isolement (« mieux » : se sentir seul·e moins souvent)"),
        {
            Change.IMPROVED: _l("moins souvent qu'avant"),
            Change.SAME: _l("aussi souvent qu'avant"),
            Change.WORSE: _l("plus souvent qu'avant"),
            Change.DONT_KNOW: _l("je ne sais pas"),
        },
    ),
    Question(
        "information",
        _l(
            "Depuis que vous venez, pour savoir où trouver de l'aide ou une information, "
            "vous vous sentez…"
        ),
        _l("Information"),
        {
            Change.IMPROVED: _l("mieux renseigné·e qu'avant"),
            Change.SAME: _l("aussi renseigné·e qu'avant"),
            Change.WORSE: _l("moins bien renseigné·e qu'avant"),
            Change.DONT_KNOW: _l("je ne sais pas"),
        },
    ),
)
QUESTION_KEYS = tuple(question.key for question in QUESTIONS)

CAREGIVER_QUESTION = _l("Vous considérez-vous comme proche aidant·e ?")
CAREGIVER_HELP = _l(
    "Un·e proche aidant·e aide régulièrement, sans être payé·e, une personne de son entourage "
    "malade, âgée ou en situation de handicap."
)
CAREGIVER_SHORT = _l("Se considère proche aidant·e")
CAREGIVER_CHOICES = {
    SelfView.YES: _l("oui"),
    SelfView.NO: _l("non"),
    SelfView.DONT_KNOW: _l("je ne sais pas"),
}


class ImpactAnswer(db.Model):
    """One person's answers for one campaign year (the calendar year of `answered_on`).

    An answer column is NULL when the question was left blank on a paper form.
    """

    __tablename__ = "impact_answer"
    __table_args__ = (
        # One answer per person per year; anonymised or removed people (NULL) don't collide.
        UniqueConstraint("person_id", "campaign_year", name="uq_impact_answer_person_year"),
        Index("ix_impact_answer_site_answered", "site_id", "answered_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    answered_on: Mapped[date] = mapped_column(
        Date
    )  # local date, written on the paper form or the day of answering
    campaign_year: Mapped[int] = mapped_column(Integer)  # kept equal to answered_on.year
    channel: Mapped[str] = mapped_column(String(10))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    wellbeing: Mapped[str | None] = mapped_column(String(12))
    social_ties: Mapped[str | None] = mapped_column(String(12))
    support: Mapped[str | None] = mapped_column(String(12))
    isolation: Mapped[str | None] = mapped_column(String(12))  # "improved" = less lonely
    information: Mapped[str | None] = mapped_column(String(12))
    sees_self_as_caregiver: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    person: Mapped[Person | None] = relationship()
    site: Mapped[Site] = relationship()
    entered_by: Mapped[User | None] = relationship()

    def set_answered_on(self, day: date) -> None:
        self.answered_on = day
        self.campaign_year = day.year

    def __repr__(self) -> str:
        return f"<ImpactAnswer {self.id} {self.campaign_year}>"
