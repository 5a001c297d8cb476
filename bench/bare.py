"""The framework's limit: Flask + Flask-SQLAlchemy, one endpoint that reads one row.

Same database, same engine options (pool pre-ping) and same gunicorn settings as the
application, so the ratio of a journey to `/row` is what the application itself costs.
"""

import os

from flask import Flask, abort
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Site(db.Model):
    __tablename__ = "site"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))


def create_bare_app() -> Flask:
    app = Flask(__name__)
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    db.init_app(app)

    @app.get("/row/<int:row_id>")
    def row(row_id: int):
        site = db.session.execute(select(Site).where(Site.id == row_id)).scalar_one_or_none()
        if site is None:
            abort(404)
        return {"id": site.id, "name": site.name}

    return app
