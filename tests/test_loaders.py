"""Loaders: text dumps, HTML, JSONL, globs, and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hakemisto.core.errors import InputError
from hakemisto.core.model import Document, Skip
from hakemisto.documents.loaders import clean_lines, decode_bytes, load_paths, looks_binary, text_to_document

FIXTURE_PAGES = Path(__file__).parent / "fixtures" / "pages"


def test_seed_text_dumps(settings, seeds_dir) -> None:
    result = load_paths([seeds_dir], settings)
    assert result.skipped == []
    docs = {d.id: d for d in result.documents}
    assert set(docs) == {f"seeds/{p.name}" for p in seeds_dir.glob("*.txt")}
    first = docs["seeds/000_a2e82ce6035f6e98.txt"]
    assert first.title == "Hanketoimiston toiminta tukee hyvinvointialueen kehitystyötä"
    assert "Siirry sisältöön" not in first.text
    assert first.paragraphs[-1] != "Hankkeet"
    sv = docs["seeds/001_289a19efa96ceebd.txt"]
    assert sv.title == "Projektbyråns verksamhet stöder utvecklingsarbetet i välfärdsområdet"
    assert "Till innehållet" not in sv.text and sv.paragraphs[-1] != "Projekt"
    rrp = docs["seeds/002_244ef9beec10c723.txt"]
    assert "Created with Sketch" not in rrp.text
    assert "Perustiedot" in rrp.paragraphs
    assert rrp.published and rrp.published.date().isoformat() == "2022-07-01"
    assert rrp.modified and rrp.modified.date().isoformat() == "2024-02-15"
    news = docs["seeds/003_98fa6ec4f8cc1730.txt"]
    assert news.paragraphs[-1] not in ("Etusivu", "Takaisin ajankohtaisiin")
    assert docs["seeds/004_6768baf477cadcc1.txt"].published.date().isoformat() == "2021-11-22"
    assert all(d.content_hash and d.loaded_at for d in docs.values())


def test_bullets_and_residue_removed() -> None:
    lines = clean_lines("Siirry sisältöön\n  • Ensimmäinen kohta\nicon/chevron-down Created with Sketch. Perustiedot\nEtusivu\n")
    assert lines == ["Ensimmäinen kohta", "Perustiedot"]


def test_long_first_paragraph_title_is_cut_at_sentence() -> None:
    doc = text_to_document("Pohjanmaan kunnat ovat mukana hankkeessa. " + "Sana " * 80, doc_id="x")
    assert isinstance(doc, Document)
    assert doc.title == "Pohjanmaan kunnat ovat mukana hankkeessa."


def test_html_fixture_pages(settings) -> None:
    spec_file = FIXTURE_PAGES / "pages.json"
    if not spec_file.exists():
        pytest.skip("fixture pages not written yet")
    specs = json.loads(spec_file.read_text(encoding="utf-8"))
    items = specs.items() if isinstance(specs, dict) else ((s.get("file") or s.get("name"), s) for s in specs)
    checked = 0
    for name, spec in items:
        path = FIXTURE_PAGES / name
        result = load_paths([path], settings)
        assert result.skipped == [], name
        (doc,) = result.documents
        for snippet in spec.get("must_contain", spec.get("must", [])):
            assert snippet in doc.text or snippet in doc.title, (name, snippet)
        for snippet in spec.get("must_not_contain", spec.get("must_not", [])):
            assert snippet not in doc.text, (name, snippet)
        checked += 1
    assert checked >= 6


def test_jsonl_records(settings, tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    records = [
        {"id": "rec-1", "url": "https://soite.fi/hankkeet/a", "title": "Hanke A", "text": "Hanke A kehittää kotihoitoa.\nToinen kappale."},
        {"url": "https://paijatha.fi/sv/projekt", "html": "<html lang='sv'><body><main><h1>Projekt B</h1><p>Projektet utvecklar hemvården i regionen.</p></main></body></html>"},
        {"url": "https://x.fi/c"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n{not json\n", encoding="utf-8")
    result = load_paths([path], settings)
    ids = [d.id for d in result.documents]
    assert "rec-1" in ids
    rec = next(d for d in result.documents if d.id == "rec-1")
    assert rec.title == "Hanke A" and rec.url == "https://soite.fi/hankkeet/a"
    assert len(result.skipped) == 2
    assert {s.path for s in result.skipped} == {f"{path}:3", f"{path}:4"}
    if any(d.url == "https://paijatha.fi/sv/projekt" for d in result.documents):
        html_doc = next(d for d in result.documents if d.url == "https://paijatha.fi/sv/projekt")
        assert "hemvården" in html_doc.text


def test_bad_inputs_are_skipped_with_reasons(settings, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Hyvä otsikko tässä\nHanke kehittää palveluja.\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "whitespace.txt").write_text("   \n\n  ", encoding="utf-8")
    (folder / "latin.txt").write_bytes("Hankkeen päätavoitteet ovat selvät. Yhteyshenkilö Björn Åström.".encode("cp1252"))
    (folder / "huge.txt").write_bytes(b"a" * (settings.max_file_bytes + 1))
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = load_paths([folder], settings)
    ids = sorted(d.id.split("/")[-1] for d in result.documents)
    assert ids == ["good.txt", "latin.txt"]
    latin = next(d for d in result.documents if d.id.endswith("latin.txt"))
    assert "päätavoitteet" in latin.text and "Åström" in latin.text
    reasons = {Path(s.path).name: s.reason for s in result.skipped}
    assert reasons["binary.txt"].startswith("binary")
    assert reasons["empty.txt"] == "empty file"
    assert reasons["whitespace.txt"] == "no text content"
    assert reasons["huge.txt"].startswith("file too large")
    assert reasons["image.png"].startswith("unsupported file type")


def test_decode_prefers_utf8_then_detects() -> None:
    assert decode_bytes("Päijät-Häme".encode())[0] == "Päijät-Häme"
    text, enc = decode_bytes("Päijät-Hämeen hyvinvointialue järjestää palvelut".encode("cp1252"))
    assert "Päijät-Hämeen" in text and enc != "utf-8"
    assert looks_binary(b"\x00abc") and not looks_binary("tekstiä".encode())


def test_missing_path_and_empty_glob(settings, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_paths([tmp_path / "nope"], settings)
    with pytest.raises(InputError, match="matches no files"):
        load_paths([str(tmp_path / "*.zzz")], settings)


def test_glob_and_skip_type(settings, seeds_dir) -> None:
    result = load_paths([str(seeds_dir / "00[01]_*.txt")], settings)
    assert len(result.documents) == 2
    assert all(not isinstance(d, Skip) for d in result.documents)
