"""The impact questionnaire's verbs (record an answer) and its figures for the report.

Rule: one answer per person and campaign year (the calendar year of the answer's date).
Answering again the same year replaces the earlier answers: the person changed their mind,
or reception enters the paper form of someone who had started online. The pages say so
before the form is sent, and after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import String, cast, func, literal, select, union_all

from ressourcerie.columns import local_today
from ressourcerie.extensions import db
from ressourcerie.members.models import Person, Visit
from ressourcerie.reports.questionnaire import (
    CAREGIVER_CHOICES,
    CAREGIVER_QUESTION,
    CAREGIVER_SHORT,
    QUESTION_KEYS,
    QUESTIONS,
    Change,
    Channel,
    ImpactAnswer,
    SelfView,
)
from ressourcerie.security.models import Site, User

# Published results of the reference site (Bordeaux), for comparison on the report.
REFERENCE_SHARES = {
    "wellbeing": Decimal("0.87"),
    "social_ties": Decimal("0.72"),
}
SHARE_PLACES = Decimal("0.0001")


class QuestionnaireError(Exception):
    """An answer that cannot be recorded; the message is shown as is."""


@dataclass(frozen=True)
class YearCount:
    year: int
    site_name: str
    online: int
    paper: int

    @property
    def total(self) -> int:
        return self.online + self.paper


# --- recording answers --------------------------------------------------------------------


def answer_for_year(person_id: int, year: int) -> ImpactAnswer | None:
    return db.session.execute(
        select(ImpactAnswer).where(
            ImpactAnswer.person_id == person_id, ImpactAnswer.campaign_year == year
        )
    ).scalar_one_or_none()


def answers_of_year(person_ids: list[int], year: int) -> dict[int, ImpactAnswer]:
    """The answers of `year` of several people at once (for lists), by person id."""
    if not person_ids:
        return {}
    rows = db.session.scalars(
        select(ImpactAnswer).where(
            ImpactAnswer.person_id.in_(person_ids), ImpactAnswer.campaign_year == year
        )
    )
    return {row.person_id: row for row in rows}


def member_site_id(person: Person) -> int | None:
    """The site an online answer counts for: where the person was first recorded, else
    where they last came, else the first site."""
    if person.site_id is not None:
        return person.site_id
    last_visit_site = db.session.execute(
        select(Visit.site_id)
        .where(Visit.person_id == person.id)
        .order_by(Visit.visited_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    if last_visit_site is not None:
        return last_visit_site
    return db.session.execute(select(Site.id).order_by(Site.id).limit(1)).scalar_one_or_none()


def _clean_answers(answers: Mapping[str, str | None], *, complete: bool) -> dict[str, str | None]:
    allowed = {key: {c.value for c in Change} for key in QUESTION_KEYS}
    allowed["sees_self_as_caregiver"] = {c.value for c in SelfView}
    cleaned = {}
    for key, values in allowed.items():
        value = answers.get(key) or None
        if value is not None and value not in values:
            raise ValueError(f"unknown answer {value!r} to {key}")
        if value is None and complete:
            raise QuestionnaireError(_("Merci de répondre à toutes les questions."))
        cleaned[key] = value
    return cleaned


def record_answer(
    person: Person,
    answers: Mapping[str, str | None],
    *,
    answered_on: date,
    channel: Channel,
    site_id: int,
    by: User | None,
) -> tuple[ImpactAnswer, bool]:
    """Record `person`'s answers for the year of `answered_on`; returns (answer, created).

    Online answers must answer every question ("je ne sais pas" is offered); a paper form
    may have blanks (stored as NULL). A second answer the same year replaces the first.
    """
    if answered_on > local_today():
        raise QuestionnaireError(_("La date de réponse ne peut pas être dans le futur."))
    if answered_on.year < local_today().year - 1:
        # Paper forms of last December are entered in January; older ones are lost causes.
        raise QuestionnaireError(
            _("La date de réponse doit être de cette année ou de l'année dernière.")
        )
    cleaned = _clean_answers(answers, complete=channel == Channel.ONLINE)
    if channel == Channel.PAPER and not any(cleaned.values()):
        raise QuestionnaireError(_("Le questionnaire est vide : cochez au moins une réponse."))
    answer = answer_for_year(person.id, answered_on.year)
    created = answer is None
    if created:
        answer = ImpactAnswer(person_id=person.id)
        db.session.add(answer)
    answer.set_answered_on(answered_on)
    answer.site_id = site_id
    answer.channel = channel.value
    answer.entered_by_id = by.id if by is not None else None
    for key, value in cleaned.items():
        setattr(answer, key, value)
    db.session.flush()
    return answer, created


# --- figures ------------------------------------------------------------------------------


def _share(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def impact_summary(start: date, end: date, site_ids: list[int]) -> dict:
    """Results of the answers dated from `start` to `end` (both included) at `site_ids`.

    One SQL query (a UNION ALL of one GROUP BY per question). Answers of anonymised
    people count (statistics are kept). An empty `site_ids` gives zero answers, never
    "all sites". Labels are plain strings in the current language.

    Returns::

        {
          "start": date, "end": date, "site_ids": [int, ...],   # sorted
          "answers": int,                      # answers in the period (one per person-year)
          "by_channel": {"online": int, "paper": int},
          "questions": [                       # always these 5, in this order:
            {                                  # wellbeing, social_ties, support,
              "key": "wellbeing",              # isolation, information
              "label": str,                    # the question as printed
              "short_label": str,              # "Bien-être", for tables and charts
              "counts": {"improved": int, "same": int, "worse": int, "dont_know": int},
              "choice_labels": {"improved": str, "same": str, "worse": str, "dont_know": str},
              "answered": int,                 # sum of counts ("je ne sais pas" included)
              "unanswered": int,               # left blank on paper forms
              "improved_share": Decimal | None,  # improved / answered, 0..1, 4 places;
                                                 # None when answered == 0
              "reference_share": Decimal | None, # Bordeaux: 0.87 wellbeing, 0.72 social_ties
            },
            ...
          ],
          "sees_self_as_caregiver": {
            "key": "sees_self_as_caregiver", "label": str, "short_label": str,
            "counts": {"yes": int, "no": int, "dont_know": int},
            "choice_labels": {"yes": str, "no": str, "dont_know": str},
            "answered": int, "unanswered": int,
            "yes_share": Decimal | None,       # yes / answered, 0..1, 4 places
          },
        }

        For "isolation", "improved" means feeling lonely less often.
    """
    site_ids = sorted(set(site_ids))
    conditions = (
        ImpactAnswer.answered_on >= start,
        ImpactAnswer.answered_on <= end,
        ImpactAnswer.site_id.in_(site_ids or [-1]),
    )
    grouped = [
        select(
            cast(literal(name), String(30)).label("question"),
            column.label("answer"),
            func.count().label("n"),
        )
        .where(*conditions)
        .group_by(column)
        for name, column in [
            ("channel", ImpactAnswer.channel),
            *((key, getattr(ImpactAnswer, key)) for key in QUESTION_KEYS),
            ("sees_self_as_caregiver", ImpactAnswer.sees_self_as_caregiver),
        ]
    ]
    counts: dict[str, dict[str | None, int]] = {}
    for question, answer, n in db.session.execute(union_all(*grouped)):
        counts.setdefault(question, {})[answer] = n

    by_channel = {c.value: counts.get("channel", {}).get(c.value, 0) for c in Channel}
    total = sum(by_channel.values())
    questions = []
    for question in QUESTIONS:
        found = counts.get(question.key, {})
        per_answer = {c.value: found.get(c.value, 0) for c in Change}
        answered = sum(per_answer.values())
        questions.append(
            {
                "key": question.key,
                "label": str(question.text),
                "short_label": str(question.short),
                "counts": per_answer,
                "choice_labels": {c.value: str(label) for c, label in question.choices.items()},
                "answered": answered,
                "unanswered": total - answered,
                "improved_share": _share(per_answer[Change.IMPROVED], answered),
                "reference_share": REFERENCE_SHARES.get(question.key),
            }
        )
    found = counts.get("sees_self_as_caregiver", {})
    per_answer = {c.value: found.get(c.value, 0) for c in SelfView}
    answered = sum(per_answer.values())
    return {
        "start": start,
        "end": end,
        "site_ids": site_ids,
        "answers": total,
        "by_channel": by_channel,
        "questions": questions,
        "sees_self_as_caregiver": {
            "key": "sees_self_as_caregiver",
            "label": str(CAREGIVER_QUESTION),
            "short_label": str(CAREGIVER_SHORT),
            "counts": per_answer,
            "choice_labels": {c.value: str(label) for c, label in CAREGIVER_CHOICES.items()},
            "answered": answered,
            "unanswered": total - answered,
            "yes_share": _share(per_answer[SelfView.YES], answered),
        },
    }


def answers_by_year(site_ids: set[int]) -> list[YearCount]:
    """Number of answers per campaign year and site, newest year first (coordinators)."""
    rows = db.session.execute(
        select(ImpactAnswer.campaign_year, Site.name, ImpactAnswer.channel, func.count())
        .join(Site, Site.id == ImpactAnswer.site_id)
        .where(ImpactAnswer.site_id.in_(list(site_ids) or [-1]))
        .group_by(ImpactAnswer.campaign_year, Site.name, ImpactAnswer.channel)
    )
    table: dict[tuple[int, str], dict[str, int]] = {}
    for year, site_name, channel, n in rows:
        table.setdefault((year, site_name), {})[channel] = n
    return [
        YearCount(year, site_name, by.get(Channel.ONLINE, 0), by.get(Channel.PAPER, 0))
        for (year, site_name), by in sorted(
            table.items(), key=lambda item: (-item[0][0], item[0][1])
        )
    ]
