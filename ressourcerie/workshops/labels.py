"""What the user reads for each stored code of this feature."""

from flask_babel import lazy_gettext as _l

from ressourcerie.workshops.models import BookingStatus, CancelReason, Category, Channel, Mode, Tier

CATEGORY_LABELS = {
    Category.PHYSICAL: _l("Activité physique"),
    Category.WELLBEING: _l("Bien-être"),
    Category.LEISURE: _l("Loisirs et culture"),
    Category.PRACTICAL: _l("Vie pratique"),
    Category.SOCIAL: _l("Convivialité"),
    Category.SUPPORT: _l("Groupe de parole"),
}
MODE_LABELS = {
    Mode.ON_SITE: _l("Sur place"),
    Mode.REMOTE: _l("À distance"),
    Mode.HYBRID: _l("Sur place ou à distance"),
}
TIER_LABELS = {
    Tier.FULL: _l("Tarif plein"),
    Tier.MEMBER: _l("Tarif adhérent·e"),
    Tier.REDUCED: _l("Tarif réduit"),
    Tier.FREE: _l("Gratuit"),
}
STATUS_LABELS = {
    BookingStatus.CONFIRMED: _l("Confirmée"),
    BookingStatus.WAITLISTED: _l("Liste d'attente"),
    BookingStatus.CANCELLED: _l("Annulée"),
    BookingStatus.ATTENDED: _l("Présent·e"),
    BookingStatus.NO_SHOW: _l("Absent·e"),
}
CHANNEL_LABELS = {
    Channel.ONLINE: _l("En ligne"),
    Channel.PHONE: _l("Par téléphone"),
    Channel.DESK: _l("À l'accueil"),
    Channel.WALK_IN: _l("Sur place, sans réservation"),
}
CANCEL_REASON_LABELS = {
    CancelReason.PERSONAL: _l("Empêchement personnel"),
    CancelReason.CAREGIVING_EMERGENCY: _l("Urgence liée à l'aide d'un proche"),
    CancelReason.ILLNESS: _l("Maladie"),
    CancelReason.SESSION_CANCELLED: _l("Séance annulée"),
    CancelReason.OTHER: _l("Autre raison"),
}
WEEKDAY_LABELS = (
    _l("lundi"),
    _l("mardi"),
    _l("mercredi"),
    _l("jeudi"),
    _l("vendredi"),
    _l("samedi"),
    _l("dimanche"),
)
