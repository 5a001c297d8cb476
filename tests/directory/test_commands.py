"""`flask directory import|export`."""

from sqlalchemy import func, select

from ressourcerie.directory.models import Partner
from tests.directory.builders import make_partner

HEADER = "nom;type;besoins;communes_servies\n"


def test_import_dry_run_then_real_and_bad_file_refused(runner, db, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "Répit Cenon;respite_platform;respite;Cenon\n", encoding="utf-8")
    result = runner.invoke(args=["directory", "import", "--dry-run", str(good)])
    assert result.exit_code == 0, result.output
    assert "1 to create" in result.output
    assert db.session.scalar(select(func.count(Partner.id))) == 0

    result = runner.invoke(args=["directory", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Partner.id))) == 1

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "A;ccas;respite;Pessac\n;ccas;sommeil;Pessac\n", encoding="utf-8")
    result = runner.invoke(args=["directory", "import", str(bad)])
    assert result.exit_code != 0
    assert "line 3" in result.output and "besoin inconnu" in result.output
    assert db.session.scalar(select(func.count(Partner.id))) == 1


def test_export_writes_the_csv(runner, db, tmp_path):
    make_partner("Plateforme Garonne", communes=["Bègles"])
    target = tmp_path / "out.csv"
    result = runner.invoke(args=["directory", "export", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("\ufeffid;nom;") and "Plateforme Garonne" in text and "Bègles" in text
