"""French first, with a complete English catalog."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "ressourcerie" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
METHODS = [
    ("ressourcerie/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def source_messages() -> set[str]:
    found = set()
    # Babel skips folders starting with "_" by default: templates/_macros must be read too.
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT),
        METHODS,
        keywords=KEYWORDS,
        directory_filter=lambda path: not Path(path).name.startswith("."),
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_english_catalog_is_complete():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        message.id[0] if isinstance(message.id, tuple) else message.id
        for message in catalog
        if message.id and message.string and all(message.string) and not message.fuzzy
    }
    missing = sorted(source_messages() - translated)
    assert not missing, (
        f"{len(missing)} strings without English translation (run `make translations`): {missing[:10]}"
    )


def test_pages_switch_language(client):
    assert '<html lang="fr">' in client.get("/login").get_data(as_text=True)
    client.post("/language", data={"lang": "en"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Connexion</h1>" not in page
