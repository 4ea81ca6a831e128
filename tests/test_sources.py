"""The source registry: every county with canonical fi/sv names, user files, URL rules."""

from __future__ import annotations

import json

import pytest

from hakemisto.cli import main
from hakemisto.core.errors import InputError, UsageError
from hakemisto.crawl.sources import builtin_sources, load_sources, select_sources, wants_url
from hakemisto.crawl.urls import canonicalize

CANONICAL = {
    "Itä-Uusimaa": "Östra Nyland", "Keski-Uusimaa": "Mellersta Nyland", "Länsi-Uusimaa": "Västra Nyland",
    "Vantaa-Kerava": "Vanda-Kervo", "Varsinais-Suomi": "Egentliga Finland", "Satakunta": "Satakunta",
    "Kanta-Häme": "Egentliga Tavastland", "Pirkanmaa": "Birkaland", "Päijät-Häme": "Päijänne-Tavastland",
    "Kymenlaakso": "Kymmenedalen", "Etelä-Karjala": "Södra Karelen", "Etelä-Savo": "Södra Savolax",
    "Pohjois-Savo": "Norra Savolax", "Pohjois-Karjala": "Norra Karelen", "Keski-Suomi": "Mellersta Finland",
    "Etelä-Pohjanmaa": "Södra Österbotten", "Pohjanmaa": "Österbotten", "Keski-Pohjanmaa": "Mellersta Österbotten",
    "Pohjois-Pohjanmaa": "Norra Österbotten", "Kainuu": "Kajanaland", "Lappi": "Lappland", "Helsinki": "Helsingfors",
}  # fmt: skip


def test_registry_has_22_regions_and_innokyla_with_canonical_names() -> None:
    sources = builtin_sources()
    regional = {s.region: s for s in sources.values() if s.region}
    assert {r: s.name_sv for r, s in regional.items()} == CANONICAL
    assert all(s.name_fi == s.region for s in regional.values())
    assert sources["innokyla"].region is None and sources["innokyla"].domains == ("innokyla.fi",)
    assert len(sources) == 23
    assert sources["pohjanmaa"].domains == ("pohjanmaanhyvinvointi.fi", "osterbottensvalfard.fi")
    assert sources["keski-pohjanmaa"].domains == ("soite.fi",)
    assert all(s.seeds and s.domains for s in sources.values())
    assert "/sv/" in sources["pirkanmaa"].sv_paths


def test_sources_command_lists_all(runner) -> None:
    result = runner.invoke(main, ["sources"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 23 and "Österbotten" in result.stdout
    data = json.loads(runner.invoke(main, ["sources", "--json"]).stdout)
    assert {d["name_fi"] for d in data} >= set(CANONICAL)


def test_user_file_replaces_or_extends(tmp_path, runner) -> None:
    own = tmp_path / "own.toml"
    own.write_text('[sources.oma]\nname_fi = "Oma"\nregion = "Kainuu"\ndomains = ["oma.example"]\nseeds = ["https://oma.example/"]\n')
    assert list(load_sources(own)) == ["oma"]
    own.write_text("include_builtin = true\n" + own.read_text())
    assert len(load_sources(own)) == 24
    result = runner.invoke(main, ["sources", "--sources", str(own), "--json"])
    assert any(d["key"] == "oma" for d in json.loads(result.stdout))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not toml [", "not valid TOML"),
        ('[sources.x]\nname_fi = "X"\ndomains = ["x.fi"]\nseeds = ["https://y.fi/"]\n', "not an http\\(s\\) URL on its domains"),
        ('[sources.x]\nname_fi = "X"\ndomains = ["x.fi"]\ninclude = ["("]\n', "bad pattern"),
        ('[sources.x]\nname_fi = "X"\ndomains = ["x.fi"]\ncolour = "red"\n', "unknown key"),
        ("[other]\n", "no \\[sources"),
    ],
)
def test_bad_user_files_name_the_problem(tmp_path, text, message) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    with pytest.raises(InputError, match=message):
        load_sources(bad)


def test_select_by_key_fi_or_sv_name() -> None:
    sources = builtin_sources()
    assert [s.key for s in select_sources(sources, ["Österbotten"])] == ["pohjanmaa"]
    assert [s.key for s in select_sources(sources, ["keski pohjanmaa"])] == ["keski-pohjanmaa"]
    assert len(select_sources(sources, [])) == 23
    for name in ("Vaasa", "Vasa", "Osterbotten"):  # a municipality or plain letters → the county's source
        assert [s.key for s in select_sources(sources, [name])] == ["pohjanmaa"], name
    with pytest.raises(UsageError, match="unknown region"):
        select_sources(sources, ["Atlantis"])


def test_url_rules_and_canonical_form() -> None:
    source = builtin_sources()["pohjanmaa"]
    assert wants_url(source, "https://pohjanmaanhyvinvointi.fi/hankkeet/rrp") is None
    assert wants_url(source, "https://www.osterbottensvalfard.fi/sv/nyheter/1") is None
    assert wants_url(source, "https://example.com/hankkeet") == "off-domain"
    assert wants_url(source, "https://pohjanmaanhyvinvointi.fi/haku?q=x") == "excluded by pattern"
    assert wants_url(source, "https://pohjanmaanhyvinvointi.fi/asiointi") == "not included by pattern"
    assert wants_url(source, "https://pohjanmaanhyvinvointi.fi/hanke/kuva.png") == "not a page"
    # the trailing slash is the server's call (issue 16): kept as written, learnt from redirects
    assert canonicalize("HTTPS://Example.FI:443/a//b/?utm_source=x&b=2&a=1&fbclid=z#frag") == "https://example.fi/a/b/?a=1&b=2"
    assert canonicalize("https://example.fi/a/b?b=2&a=1") == "https://example.fi/a/b?a=1&b=2"
    assert canonicalize("http://example.fi") == "http://example.fi/"
    assert canonicalize("../c", "http://example.fi/a/b/") == "http://example.fi/a/c"
