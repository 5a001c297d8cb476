"""Command-line tools: accounts, demo data, the audit chain and key rotation."""

from datetime import timedelta

import click
import pyotp
from faker import Faker
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import String, select, type_coerce, update

from ressourcerie.casework import commands as casework_commands
from ressourcerie.casework import demo as casework_demo
from ressourcerie.columns import utcnow
from ressourcerie.directory import commands as directory_commands
from ressourcerie.directory import demo as directory_demo
from ressourcerie.extensions import db
from ressourcerie.members import commands as members_commands
from ressourcerie.members import demo as members_demo
from ressourcerie.notifications import commands as notifications_commands
from ressourcerie.reports import commands as reports_commands
from ressourcerie.reports import demo as reports_demo
from ressourcerie.reports import questionnaire_demo
from ressourcerie.scale import ScaleRefused, generate
from ressourcerie.security import audit, crypto, services
from ressourcerie.security.crypto import EncryptedText
from ressourcerie.security.models import TWO_FACTOR_ROLES, Role
from ressourcerie.workshops import commands as workshops_commands
from ressourcerie.workshops import demo as workshops_demo

DEMO_PASSWORD = "ressourcerie-demo"  # noqa: S105 - printed for newcomers  # nosec B105
DEMO_ACCOUNTS = (
    ("accueil", Role.RECEPTION),
    ("animation", Role.ANIMATOR),
    ("social", Role.SOCIAL_WORKER),
    ("psy", Role.PSYCHOLOGIST),
    ("coordination", Role.COORDINATOR),
    ("admin", Role.ADMIN),
    ("adherent", Role.MEMBER),
)

# Each feature seeds its own demo rows, in this order (later ones use earlier ones).
DEMO_SEEDS = (
    directory_demo,
    members_demo,
    workshops_demo,
    casework_demo,
    questionnaire_demo,
    reports_demo,
)

audit_cli = AppGroup("audit", help="The hash-chained security and casework log.")
keys_cli = AppGroup("keys", help="Encryption keys of data at rest.")


@click.command("create-admin")
@with_appcontext
@click.option("--email", prompt=True)
@click.option("--name", "display_name", prompt="Display name")
@click.password_option()
def create_admin(email: str, display_name: str, password: str) -> None:
    """Create an administrator account (two-factor enrolment at first login)."""
    site = services.ensure_default_site()
    try:
        user = services.create_user(
            email=email,
            display_name=display_name,
            roles=[Role.ADMIN],
            sites=[site],
            password=password,
        )
    except services.SecurityError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Administrator {user.email} created; two-factor setup happens at first login.")


def demo_email(prefix: str) -> str:
    return f"{prefix}@{current_app.config['DEMO_EMAIL_DOMAIN']}"


@click.command("demo")
@with_appcontext
@click.option(
    "--scale",
    type=click.Choice(["site", "network"]),
    default="site",
    help="site: one demo site (default); network: 20 sites and five years of data.",
)
@click.option("--force", is_flag=True, help="network: add the data even if people exist.")
@click.option("--factor", type=float, default=1.0, hidden=True, help="network: shrink counts.")
def demo(scale: str, force: bool, factor: float) -> None:
    """Load demo data: one site and one account per role (idempotent)."""
    if scale == "network":
        try:
            report = generate(factor=factor, force=force)
        except ScaleRefused as error:
            raise click.ClickException(str(error)) from error
        for line in report.lines():
            click.echo(line)
        click.echo(f"Password of every network account: {DEMO_PASSWORD}")
        return
    fake = Faker("fr_FR")
    Faker.seed(2026)
    site = services.ensure_default_site()
    if site.name == "Site principal":
        site.name = "Ressourcerie de Bordeaux"
        site.town = "Bordeaux"
        site.address = f"{fake.building_number()} {fake.street_name()}"
        site.postcode = "33000"
        site.phone = "05 56 00 00 00"  # a placeholder, not a real number
    rows = []
    for prefix, role in DEMO_ACCOUNTS:
        email = demo_email(prefix)
        user = services.find_user_by_email(email)
        name = fake.name()
        if user is None:
            user = services.create_user(
                email=email,
                display_name=name,
                roles=[role],
                sites=[] if role == Role.MEMBER else [site],
                password=DEMO_PASSWORD,
            )
        if role in TWO_FACTOR_ROLES and not user.two_factor_enabled:
            user.totp_secret = pyotp.random_base32()
            user.totp_enabled_at = utcnow()
            services.regenerate_recovery_codes(user)
        rows.append((role.value, email, "yes" if role in TWO_FACTOR_ROLES else "no"))
    db.session.commit()
    feature_lines = []
    for seed_module in DEMO_SEEDS:
        feature_lines.extend(seed_module.seed(site, fake))
        db.session.commit()
    click.echo(f"Demo site: {site.name}")
    click.echo(f"Password of every demo account: {DEMO_PASSWORD}")
    click.echo(f"{'role':<15} {'email':<45} two-factor")
    for role, email, two_factor in rows:
        click.echo(f"{role:<15} {email:<45} {two_factor}")
    click.echo("Two-factor code of a demo account: flask --app ressourcerie demo-code EMAIL")
    for line in feature_lines:
        click.echo(line)


@click.command("demo-code")
@with_appcontext
@click.argument("email")
def demo_code(email: str) -> None:
    """Print the current two-factor code of a demo account (demo accounts only)."""
    if not email.lower().endswith("@" + current_app.config["DEMO_EMAIL_DOMAIN"]):
        raise click.ClickException("only demo accounts have their code printed")
    user = services.find_user_by_email(email)
    if user is None or not user.two_factor_enabled:
        raise click.ClickException("no demo account with two-factor login has this email")
    click.echo(pyotp.TOTP(user.totp_secret).now())


@audit_cli.command("verify")
def audit_verify() -> None:
    """Check the hash chain; name the first broken link."""
    result = audit.verify_chain()
    if result.ok:
        click.echo(f"OK: {result.checked} events, chain intact.")
        return
    click.echo(
        f"BROKEN at event {result.broken_event_id}: {result.reason} "
        f"({result.checked} events verified before it).",
        err=True,
    )
    raise SystemExit(1)


@audit_cli.command("purge")
@click.option("--days", type=int, default=None, help="Keep this many days (default: setting).")
def audit_purge(days: int | None) -> None:
    """Remove events older than the retention period, keeping the chain verifiable."""
    days = days if days is not None else current_app.config["AUDIT_RETENTION_DAYS"]
    count = audit.purge_before(utcnow() - timedelta(days=days))
    db.session.commit()
    click.echo(f"{count} events older than {days} days purged.")


def encrypted_columns():
    for mapper in db.Model.registry.mappers:
        for column in mapper.local_table.columns:
            if isinstance(column.type, EncryptedText):
                yield mapper.local_table, column


@keys_cli.command("rotate")
def keys_rotate() -> None:
    """Re-encrypt every encrypted value under the first key of ENCRYPTION_KEYS."""
    total = 0
    for table, column in encrypted_columns():
        primary_key = list(table.primary_key.columns)[0]
        raw = type_coerce(column, String)
        rows = db.session.execute(select(primary_key, raw).where(column.isnot(None))).all()
        for key, token in rows:
            db.session.execute(
                update(table)
                .where(primary_key == key)
                .values({column.name: type_coerce(crypto.rotate(token), String)})
            )
            total += 1
    db.session.commit()
    click.echo(f"{total} values re-encrypted under the newest key.")


def register(app: Flask) -> None:
    for command in (create_admin, demo, demo_code):
        app.cli.add_command(command)
    app.cli.add_command(audit_cli)
    app.cli.add_command(keys_cli)
    for feature in (
        members_commands,
        notifications_commands,
        workshops_commands,
        casework_commands,
        directory_commands,
        reports_commands,
    ):
        for command in feature.COMMANDS:
            app.cli.add_command(command)
