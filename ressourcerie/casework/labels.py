"""French labels of the casework codes, shared by forms, pages and printed files."""

from flask_babel import lazy_gettext as _l

from ressourcerie.casework.models import (
    CareReason,
    CaseStatus,
    ClosingReason,
    ConsentMethod,
    DifficultyCategory,
    EntryKind,
    Institution,
    MandateDuration,
    OrientationStatus,
    ProcedureType,
    Profession,
    Relation,
    Visibility,
    WorkSituation,
)
from ressourcerie.directory.needs import NEED_LABELS
from ressourcerie.members.models import ReferralCategory

REFERRAL_CATEGORY_LABELS = {
    ReferralCategory.POSSIBLE_CAREGIVER: _l("Peut-être proche aidant·e"),
    ReferralCategory.SOCIAL_SUPPORT: _l("Besoin d'accompagnement social"),
    ReferralCategory.PSYCHOLOGICAL_SUPPORT: _l("Besoin de soutien psychologique"),
    ReferralCategory.RIGHTS: _l("Accès aux droits"),
    ReferralCategory.ISOLATION: _l("Isolement"),
    ReferralCategory.OTHER: _l("Autre"),
}
STATUS_LABELS = {
    CaseStatus.OPEN: _l("Ouvert"),
    CaseStatus.CLOSED: _l("Clôturé"),
    CaseStatus.ANONYMISED: _l("Anonymisé"),
}
CLOSING_REASON_LABELS = {
    ClosingReason.GOALS_MET: _l("Objectifs atteints"),
    ClosingReason.REFERRED_ELSEWHERE: _l("Orienté·e vers une autre structure"),
    ClosingReason.MOVED: _l("Déménagement"),
    ClosingReason.CARED_FOR_DEATH: _l("Décès de la personne aidée"),
    ClosingReason.NO_LONGER_WISHED: _l("Ne souhaite plus être accompagné·e"),
    ClosingReason.LOST_CONTACT: _l("Perte de contact"),
}
CONSENT_METHOD_LABELS = {
    ConsentMethod.ORAL: _l("Oral"),
    ConsentMethod.WRITTEN: _l("Écrit"),
}
RELATION_LABELS = {
    Relation.SPOUSE: _l("Conjoint·e"),
    Relation.PARENT: _l("Parent"),
    Relation.CHILD: _l("Enfant"),
    Relation.SIBLING: _l("Frère ou sœur"),
    Relation.FRIEND_NEIGHBOUR: _l("Ami·e ou voisin·e"),
    Relation.OTHER: _l("Autre"),
}
CARE_REASON_LABELS = {
    CareReason.AGE: _l("Âge"),
    CareReason.DISABILITY: _l("Handicap"),
    CareReason.ILLNESS: _l("Maladie"),
    CareReason.MENTAL_HEALTH: _l("Santé mentale"),
}
WORK_LABELS = {
    WorkSituation.EMPLOYED: _l("En emploi"),
    WorkSituation.JOB_SEEKER: _l("En recherche d'emploi"),
    WorkSituation.RETIRED: _l("Retraité·e"),
    WorkSituation.OTHER: _l("Autre"),
}
ENTRY_KIND_LABELS = {
    EntryKind.IN_PERSON: _l("Entretien sur place"),
    EntryKind.PHONE: _l("Téléphone"),
    EntryKind.HOME_VISIT: _l("Visite à domicile"),
    EntryKind.VIDEO: _l("Visioconférence"),
    EntryKind.PARTNER_MEETING: _l("Rencontre avec un partenaire"),
}
VISIBILITY_LABELS = {
    Visibility.TEAM: _l("Équipe (les deux professions, si la personne a accepté le partage)"),
    Visibility.PROFESSION: _l("Ma profession seulement"),
    Visibility.PRIVATE: _l("Privée (moi seul·e)"),
}
VISIBILITY_SHORT = {
    Visibility.TEAM: _l("Équipe"),
    Visibility.PROFESSION: _l("Profession"),
    Visibility.PRIVATE: _l("Privée"),
}
PROFESSION_LABELS = {
    Profession.SOCIAL_WORKER: _l("Travailleur·se social·e"),
    Profession.PSYCHOLOGIST: _l("Psychologue"),
}
SUPPORT_TYPE_LABELS = {
    "social": _l("Social"),
    "psychological": _l("Psychologique"),
    "both": _l("Social et psychologique"),
    None: _l("À définir"),
}
ORIENTATION_STATUS_LABELS = {
    OrientationStatus.PROPOSED: _l("Proposée"),
    OrientationStatus.IN_PROGRESS: _l("En cours"),
    OrientationStatus.DONE: _l("Aboutie"),
    OrientationStatus.DROPPED: _l("Abandonnée"),
}
PROCEDURE_LABELS = {
    ProcedureType.APA: _l("APA"),
    ProcedureType.CAREGIVER_LEAVE: _l("Congé de proche aidant / AJPA"),
    ProcedureType.MDPH_PCH: _l("MDPH / PCH"),
    ProcedureType.CAF: _l("CAF"),
    ProcedureType.PENSION: _l("Retraite et aides des caisses de retraite complémentaire"),
    ProcedureType.RESPITE_AID: _l("Aide au répit"),
    ProcedureType.OTHER: _l("Autre démarche"),
}
DURATION_LABELS = {
    MandateDuration.ONE_DAY: _l("1 jour"),
    MandateDuration.ONE_MONTH: _l("1 mois"),
    MandateDuration.SIX_MONTHS: _l("6 mois"),
    MandateDuration.ONE_YEAR: _l("1 an"),
}
DIFFICULTY_LABELS = {
    DifficultyCategory.RIGHTS_NOT_ACCESSED: _l("Droits non ouverts (non-recours)"),
    DifficultyCategory.LONG_DELAY: _l("Délai anormalement long"),
    DifficultyCategory.PRECARIOUSNESS: _l("Précarisation"),
    DifficultyCategory.ONLINE_ONLY: _l("Démarche uniquement en ligne"),
    DifficultyCategory.MISUNDERSTANDING: _l("Incompréhension"),
}
INSTITUTION_LABELS = {
    Institution.CAF: _l("CAF"),
    Institution.CPAM: _l("CPAM"),
    Institution.CARSAT: _l("CARSAT"),
    Institution.MDPH: _l("MDPH"),
    Institution.MSA: _l("MSA"),
    Institution.DEPARTEMENT: _l("Département"),
    Institution.FRANCE_TRAVAIL: _l("France Travail"),
    Institution.OTHER: _l("Autre"),
}
AUDIT_ACTION_LABELS = {
    "case.read": _l("Consultation du dossier"),
    "case.history.read": _l("Consultation du journal d'accès"),
    "case.open": _l("Ouverture du dossier"),
    "case.consent": _l("Modification du consentement"),
    "case.close": _l("Clôture du dossier"),
    "case.appointment": _l("Prochain rendez-vous"),
    "case.access_file.print": _l("Impression du dossier (droit d'accès)"),
    "case.referral.link": _l("Signalement rattaché"),
    "situation.create": _l("Évaluation de la situation"),
    "entry.create": _l("Nouvelle note"),
    "entry.form.read": _l("Formulaire de note"),
    "orientation.create": _l("Nouvelle orientation"),
    "orientation.update": _l("Orientation mise à jour"),
    "mandate.create": _l("Nouveau mandat"),
    "mandate.revoke": _l("Révocation d'un mandat"),
    "mandate.revoke.refused": _l("Révocation refusée"),
    "mandate.print": _l("Impression d'un mandat"),
    "procedure.create": _l("Démarche enregistrée"),
    "procedure.refused": _l("Démarche refusée (mandat)"),
    "form.read": _l("Ouverture d'un formulaire"),
}
ALL_LABELS = {
    "REFERRAL_CATEGORY_LABELS": REFERRAL_CATEGORY_LABELS,
    "STATUS_LABELS": STATUS_LABELS,
    "CLOSING_REASON_LABELS": CLOSING_REASON_LABELS,
    "CONSENT_METHOD_LABELS": CONSENT_METHOD_LABELS,
    "RELATION_LABELS": RELATION_LABELS,
    "CARE_REASON_LABELS": CARE_REASON_LABELS,
    "WORK_LABELS": WORK_LABELS,
    "ENTRY_KIND_LABELS": ENTRY_KIND_LABELS,
    "VISIBILITY_LABELS": VISIBILITY_LABELS,
    "VISIBILITY_SHORT": VISIBILITY_SHORT,
    "PROFESSION_LABELS": PROFESSION_LABELS,
    "SUPPORT_TYPE_LABELS": SUPPORT_TYPE_LABELS,
    "ORIENTATION_STATUS_LABELS": ORIENTATION_STATUS_LABELS,
    "PROCEDURE_LABELS": PROCEDURE_LABELS,
    "DURATION_LABELS": DURATION_LABELS,
    "DIFFICULTY_LABELS": DIFFICULTY_LABELS,
    "INSTITUTION_LABELS": INSTITUTION_LABELS,
    "NEED_LABELS": NEED_LABELS,
    "AUDIT_ACTION_LABELS": AUDIT_ACTION_LABELS,
}
