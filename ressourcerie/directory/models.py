"""Partners of the directory: who they are, which needs they cover, where they serve."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ressourcerie.columns import UTCDateTime, utcnow
from ressourcerie.directory.needs import Need
from ressourcerie.extensions import db

# A partner whose details were last checked longer ago than this is listed "à vérifier".
VERIFY_EVERY = timedelta(days=365)


class PartnerType(StrEnum):
    CCAS = "ccas"
    CLIC = "clic"
    RESPITE_PLATFORM = "respite_platform"
    DAY_CARE = "day_care"
    HOME_HELP = "home_help"
    NURSING_SERVICE = "nursing_service"
    TEMPORARY_ACCOMMODATION = "temporary_accommodation"
    MDPH = "mdph"
    CAF = "caf"
    CPAM = "cpam"
    FRANCE_SERVICES = "france_services"
    ASSOCIATION = "association"
    PENSION_FUND = "pension_fund"
    OTHER = "other"


PARTNER_TYPE_LABELS = {
    PartnerType.CCAS: _l("CCAS (centre communal d'action sociale)"),
    PartnerType.CLIC: _l("CLIC (point d'information gérontologique)"),
    PartnerType.RESPITE_PLATFORM: _l("Plateforme de répit"),
    PartnerType.DAY_CARE: _l("Accueil de jour"),
    PartnerType.HOME_HELP: _l("Service d'aide à domicile"),
    PartnerType.NURSING_SERVICE: _l("Service de soins infirmiers à domicile"),
    PartnerType.TEMPORARY_ACCOMMODATION: _l("Hébergement temporaire"),
    PartnerType.MDPH: _l("MDPH (maison départementale des personnes handicapées)"),
    PartnerType.CAF: _l("CAF (caisse d'allocations familiales)"),
    PartnerType.CPAM: _l("CPAM (assurance maladie)"),
    PartnerType.FRANCE_SERVICES: _l("France Services"),
    PartnerType.ASSOCIATION: _l("Association"),
    PartnerType.PENSION_FUND: _l("Caisse de retraite"),
    PartnerType.OTHER: _l("Autre"),
}


class AreaKind(StrEnum):
    COMMUNE = "commune"
    POSTCODE = "postcode"
    DEPARTEMENT = "departement"


def place_key(text: str | None) -> str:
    """Lower case, accents removed, hyphens and apostrophes as spaces, single spaces.

    "Villenave-d'Ornon" and "villenave d ornon" give the same key, so a visitor's
    typing matches the directory however they spell it.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    for sep in "-'’`.,;":
        plain = plain.replace(sep, " ")
    plain = " ".join(plain.split())
    if plain.startswith("st "):
        plain = "saint " + plain[3:]
    elif plain.startswith("ste "):
        plain = "sainte " + plain[4:]
    return plain


class Partner(db.Model):
    """An organisation caregivers can be sent to."""

    __tablename__ = "partner"
    __table_args__ = (
        Index("ix_partner_search_name", "search_name"),
        # Which postcodes go with which commune, read by the public search.
        Index("ix_partner_postcode_commune", "postcode", "commune"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(30), default=PartnerType.OTHER)
    # Plain language: what they do for a caregiver, read by the public.
    description: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    commune: Mapped[str] = mapped_column(String(120), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    hours: Mapped[str] = mapped_column(String(300), default="")
    # Internal partners are for staff only: never on the public page or sheet.
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    last_verified_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    search_name: Mapped[str] = mapped_column(String(200), default="")

    needs: Mapped[list[PartnerNeed]] = relationship(
        back_populates="partner", cascade="all, delete-orphan", order_by="PartnerNeed.need"
    )
    areas: Mapped[list[PartnerArea]] = relationship(
        back_populates="partner", cascade="all, delete-orphan", order_by="PartnerArea.id"
    )

    def __repr__(self) -> str:
        return f"<Partner {self.id} {self.name!r}>"

    @property
    def partner_type(self) -> PartnerType:
        return PartnerType(self.type)

    @property
    def type_label(self) -> str:
        return str(PARTNER_TYPE_LABELS.get(self.type, self.type))

    @property
    def need_values(self) -> list[str]:
        return [n.need for n in self.needs]

    def area_values(self, kind: AreaKind) -> list[str]:
        """The places of one kind as people write them ("Villenave-d'Ornon", "33")."""
        return [a.label or a.value for a in self.areas if a.kind == kind]

    def needs_verification(self, today: date) -> bool:
        return self.last_verified_on is None or self.last_verified_on < today - VERIFY_EVERY

    def mark_verified(self, today: date) -> None:
        self.last_verified_on = today

    def set_name(self, name: str) -> None:
        self.name = name.strip()
        self.search_name = place_key(self.name)


class PartnerNeed(db.Model):
    """One need of the shared needs list that a partner covers."""

    __tablename__ = "partner_need"
    __table_args__ = (Index("ix_partner_need_need", "need"),)

    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True
    )
    need: Mapped[str] = mapped_column(String(40), primary_key=True)

    partner: Mapped[Partner] = relationship(back_populates="needs")

    @property
    def need_enum(self) -> Need:
        return Need(self.need)


class PartnerArea(db.Model):
    """A place a partner serves: a commune, a postcode or a département (normalised)."""

    __tablename__ = "partner_area"
    __table_args__ = (Index("ix_partner_area_kind_value", "kind", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partner.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))
    # commune: place_key of the name; postcode: 5 digits; departement: "33", "2a"...
    value: Mapped[str] = mapped_column(String(120))
    # As typed by staff, for display and export ("Villenave-d'Ornon" for "villenave d ornon").
    label: Mapped[str] = mapped_column(String(120), default="")

    partner: Mapped[Partner] = relationship(back_populates="areas")
