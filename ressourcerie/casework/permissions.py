"""Who may see which case and which note: the object checks behind every casework page."""

from ressourcerie.casework.models import Case, CaseStatus, Entry, Profession, Visibility
from ressourcerie.security.models import NO_CASEWORK_ROLES, Role
from ressourcerie.security.permissions import can_see_site


def professions_of(user) -> set[str]:
    roles = user.roles
    return {p.value for p in Profession if Role(p.value) in roles}


def is_caseworker(user) -> bool:
    """Social worker or psychologist, and never someone who also holds a no-casework role."""
    return bool(professions_of(user)) and not user.has_role(*NO_CASEWORK_ROLES)


def can_access_case(user, case: Case) -> bool:
    """Care team of the case's site; anonymised cases have nothing left to read."""
    return (
        is_caseworker(user)
        and can_see_site(user, case.site_id)
        and case.status != CaseStatus.ANONYMISED
    )


def effective_visibility(entry: Entry, case: Case) -> str:
    """'team' without the person's consent to sharing is read as 'profession'."""
    if entry.visibility == Visibility.TEAM and not case.consent_sharing:
        return Visibility.PROFESSION
    return entry.visibility


def can_read_entry(user, entry: Entry, case: Case) -> bool:
    if not can_access_case(user, case):
        return False
    visibility = effective_visibility(entry, case)
    if visibility == Visibility.PRIVATE:
        return entry.author_id == user.id
    if visibility == Visibility.TEAM:
        return True
    return entry.profession in professions_of(user)


def visible_entries(user, case: Case) -> list[Entry]:
    return [entry for entry in case.entries if can_read_entry(user, entry, case)]


def authoring_profession(user) -> str:
    """The profession an entry is written under (the social worker's if both are held)."""
    professions = professions_of(user)
    if Profession.SOCIAL_WORKER in professions:
        return Profession.SOCIAL_WORKER
    return Profession.PSYCHOLOGIST
