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
