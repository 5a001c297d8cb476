"""The benchmark's server-side SQL count and its bare endpoint (bench/wsgi.py, bench/bare.py)."""

from bench.bare import Site, create_bare_app, db
from bench.wsgi import _instrument


def test_bare_endpoint_reports_its_single_query(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bare.sqlite'}")
    app = create_bare_app()
    with app.app_context():
        db.create_all()
        db.session.add(Site(id=3, name="Bordeaux"))
        db.session.commit()
        engine = db.engine
    client = _instrument(app, engine).test_client()

    found = client.get("/row/3")
    missing = client.get("/row/4")

    assert found.json == {"id": 3, "name": "Bordeaux"}
    assert found.headers["X-Query-Count"] == "1"
    assert missing.status_code == 404
    assert missing.headers["X-Query-Count"] == "1"
    with app.app_context():
        engine.dispose()
