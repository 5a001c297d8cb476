"""The ranked search behind "Trouver de l'aide" and the staff list filters."""

from datetime import timedelta

from sqlalchemy import event

from ressourcerie.columns import local_today
from ressourcerie.directory import queries
from ressourcerie.directory.models import place_key
from tests.directory.builders import make_partner


def names(results):
    return [r.partner.name for r in results]


def search(need=None, place="", public_only=True, limit=50):
    results, _more = queries.search(
        need=need, place=queries.parse_place(place), public_only=public_only, limit=limit
    )
    return results


def test_place_key_ignores_accents_case_and_hyphens():
    assert place_key("Villenave-d'Ornon") == place_key("villenave d ornon")
    assert place_key("  MÉRIGNAC ") == "merignac"
    assert place_key("St-Médard-en-Jalles") == "saint medard en jalles"


def test_parse_place_understands_commune_postcode_and_departement(db):
    make_partner("Local", commune="Pessac", postcode="33600")
    assert queries.parse_place("33700").postcode == "33700"
    assert queries.parse_place("33700").departement == "33"
    assert queries.parse_place("33").departement == "33"
    place = queries.parse_place("Mérignac 33700")
    assert (place.commune, place.postcode, place.departement) == ("merignac", "33700", "33")
    # The département of a commune typed alone comes from the partners' addresses.
    assert queries.parse_place("PESSAC").departement == "33"


def test_commune_first_then_postcode_then_departement(db):
    make_partner("C Département", departements=["33"])
    make_partner("B Code postal", postcodes=["33700"])
    make_partner("A Commune", communes=["Mérignac"])
    make_partner("Ailleurs", communes=["Pessac"], departements=["40"])
    results = search(place="Mérignac 33700")
    assert names(results) == ["A Commune", "B Code postal", "C Département"]
    assert [r.rank for r in results] == [1, 2, 3]


def test_accent_insensitive_commune_search(db):
    make_partner("Répit Villenave", communes=["Villenave-d'Ornon"])
    assert names(search(place="villenave d'ornon")) == ["Répit Villenave"]
    assert names(search(place="VILLENAVE D ORNON")) == ["Répit Villenave"]


def test_commune_alone_reaches_departement_partners(db):
    make_partner("Ma mairie", communes=["Bègles"], commune="Bègles", postcode="33130")
    make_partner("Tout le département", departements=["33"])
    assert names(search(place="begles")) == ["Ma mairie", "Tout le département"]


def test_a_partner_matching_several_ways_is_listed_once_at_its_best_rank(db):
    make_partner("Partout", communes=["Talence"], postcodes=["33400"], departements=["33"])
    results = search(place="Talence 33400")
    assert names(results) == ["Partout"]
    assert results[0].rank == 1


def test_need_filter(db):
    make_partner("Répit", needs=["respite"], departements=["33"])
    make_partner("Droits", needs=["rights_information"], departements=["33"])
    assert names(search(need="respite", place="33")) == ["Répit"]
    assert set(names(search(need=None, place="33"))) == {"Répit", "Droits"}


def test_internal_partner_never_public(db):
    make_partner("Interne", is_public=False, communes=["Pessac"])
    make_partner("Public", communes=["Pessac"])
    assert names(search(place="Pessac")) == ["Public"]
    assert names(search(place="")) == ["Public"]
    assert set(names(search(place="Pessac", public_only=False))) == {"Interne", "Public"}


def test_no_place_lists_everyone_by_name(db):
    make_partner("Zèbre", communes=["Pessac"])
    make_partner("Abeille", departements=["40"])
    assert names(search(place="")) == ["Abeille", "Zèbre"]


def test_limit_says_more_exist(db):
    for i in range(4):
        make_partner(f"P{i}", departements=["33"], commit=False)
    results, more = queries.search(
        need=None, place=queries.parse_place("33"), public_only=True, limit=3
    )
    assert len(results) == 3 and more


def test_partner_without_area_serves_its_own_commune(db):
    partner = make_partner("Sans secteur", commune="Lormont", postcode="33310")
    assert [(a.kind, a.value) for a in partner.areas] == [("commune", "lormont")]
    assert names(search(place="Lormont")) == ["Sans secteur"]


def test_staff_list_filters(db):
    today = local_today()
    make_partner("Vieux", last_verified_on=today - timedelta(days=400), type="ccas")
    make_partner("Jamais", last_verified_on=None, is_public=False)
    make_partner("Récent", last_verified_on=today - timedelta(days=10), needs=["isolation"])
    run = lambda **kw: [p.name for p in db.session.scalars(queries.staff_list(**kw))]  # noqa: E731
    assert run(type="ccas") == ["Vieux"]
    assert run(need="isolation") == ["Récent"]
    assert run(visibility="internal") == ["Jamais"]
    assert run(text="recent") == ["Récent"]
    assert run(to_verify_before=queries.verify_cutoff(today)) == ["Jamais", "Vieux"]
    assert queries.count_to_verify(today) == 2


def test_staff_list_by_place_includes_internal_partners_closest_first(db):
    make_partner("B Département", departements=["33"])
    make_partner("A Interne Cenon", communes=["Cenon"], is_public=False)
    make_partner("C Libourne", communes=["Libourne"])
    stmt = queries.staff_list(place=queries.parse_place("cenon 33150"))
    assert [p.name for p in db.session.scalars(stmt)] == ["A Interne Cenon", "B Département"]


def _count_queries(app, client, url):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = app.extensions["sqlalchemy"].engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)


def test_public_search_query_count_does_not_grow(app, client, db):
    make_partner("Seul", communes=["Cenon"], needs=["respite"], departements=["33"])
    url = "/directory/aide?need=respite&place=Cenon"
    one = _count_queries(app, client, url)
    for i in range(49):
        make_partner(
            f"Partenaire {i:02d}",
            communes=["Cenon", "Floirac"],
            postcodes=["33150"],
            departements=["33"],
            needs=["respite", "isolation"],
            commit=False,
        )
    db.session.commit()
    fifty = _count_queries(app, client, url)
    assert b"Partenaire 48" in client.get(url).data
    assert fifty == one


def test_staff_list_query_count_does_not_grow(app, client, db, login_as):
    login_as("reception")
    make_partner("Seul", communes=["Cenon"])
    one = _count_queries(app, client, "/directory/")
    for i in range(24):
        make_partner(f"Partenaire {i:02d}", communes=["Cenon"], commit=False)
    db.session.commit()
    assert _count_queries(app, client, "/directory/") == one


def test_a_postcode_also_finds_partners_serving_its_commune(db):
    # The CCAS serves "Mérignac" (a commune); its own address tells Mérignac is 33700.
    make_partner("CCAS de Mérignac", communes=["Mérignac"], commune="Mérignac", postcode="33700")
    make_partner("Secteur 33700", postcodes=["33700"])
    make_partner("Pessac seulement", communes=["Pessac"], commune="Pessac", postcode="33600")
    results = search(place="33700")
    assert names(results) == ["CCAS de Mérignac", "Secteur 33700"]
    assert [r.rank for r in results] == [1, 2]


def test_a_commune_also_finds_partners_serving_its_postcodes(db):
    make_partner("Mairie", communes=["Bordeaux"], commune="Bordeaux", postcode="33000")
    make_partner("Antenne Bastide", commune="Bordeaux", postcode="33100", postcodes=["33100"])
    make_partner("Ailleurs", postcodes=["33700"])
    results = search(place="bordeaux")
    assert names(results) == ["Mairie", "Antenne Bastide"]
    assert [r.rank for r in results] == [1, 2]
