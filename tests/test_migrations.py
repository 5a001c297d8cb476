"""Alembic migrations are the only way the schema is made: they must match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ressourcerie.extensions import db as _db


def test_models_and_migrations_agree(db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, _db.metadata)
    assert differences == [], differences


def test_downgrade_and_upgrade_again(make_app, tmp_path):
    from flask_migrate import downgrade, upgrade

    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.sqlite'}")
    with app.app_context():
        upgrade(revision="heads")
        downgrade(revision="base")
        upgrade(revision="heads")
        assert "user_account" in _db.inspect(_db.engine).get_table_names()


def test_phone_digits_of_international_numbers_are_recomputed(make_app, tmp_path):
    """0010: numbers written "+33 (0)6…" before the rule knew that form become "06…";
    0011: the reversed digits (search by the end of the number) are filled in."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.sqlite'}")
    with app.app_context():
        upgrade(revision="0009_scale_indexes")
        site_id = _db.session.execute(sa.text("SELECT id FROM site")).scalar()
        if site_id is None:
            _db.session.execute(
                sa.text(
                    "INSERT INTO site (name, town, address, active, created_at) "
                    "VALUES ('S', 'T', '', 1, '2026-01-01')"
                )
            )
            site_id = _db.session.execute(sa.text("SELECT id FROM site")).scalar()
        for phone, digits in (("+33 (0)6 79 67 80 73", "330679678073"), ("06 11", "0611")):
            _db.session.execute(
                sa.text(
                    "INSERT INTO person (site_id, first_name, last_name, search_name, "
                    "search_last_name, gender, commune, postcode, phone, phone_digits, "
                    "preferred_contact, heard_from, consent_method, newsletter_opt_in, "
                    "caregiver_status, reduced_rate_reason, created_at, updated_at) "
                    "VALUES (:site, 'A', 'B', 'a b', 'b', '', '', '', :phone, :digits, '', '', "
                    "'', 0, 'unknown', '', '2026-01-01', '2026-01-01')"
                ),
                {"site": site_id, "phone": phone, "digits": digits},
            )
        _db.session.commit()
        upgrade(revision="heads")
        stored = _db.session.execute(
            sa.text("SELECT phone, phone_digits, phone_digits_reversed FROM person ORDER BY id")
        ).all()
    assert [tuple(row) for row in stored] == [
        ("+33 (0)6 79 67 80 73", "0679678073", "3708769760"),
        ("06 11", "0611", "1160"),
    ]
