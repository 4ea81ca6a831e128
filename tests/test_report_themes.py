"""Report themes carry content words only: no verbs, function words, furniture or social media (issue 12)."""

from __future__ import annotations

from hakemisto.core.config import load_settings
from hakemisto.core.model import Document, Facts
from hakemisto.report.overview import _content_word, build_report
from hakemisto.search import index as idx


def _doc(doc_id: str, lang: str, text: str) -> Document:
    return Document(id=doc_id, title=text.split("\n")[0], paragraphs=tuple(text.split("\n")), lang=lang,
                    para_langs=tuple(lang for _ in text.split("\n")), region="Lappi",
                    facts=Facts(region="Lappi", regions=("Lappi",)))


def test_verbs_and_function_words_are_not_content() -> None:
    assert not any(_content_word(w) for w in ("voida", "mietitty", "myös"))
    assert all(_content_word(w) for w in ("kotihoito", "etävastaanotto", "digitaalinen"))


def test_report_themes_skip_furniture(tmp_path) -> None:
    settings = load_settings(index_dir=tmp_path / "index", corpus_dir=tmp_path / "corpus")
    fi = ("Etävastaanotto laajenee Lapissa\nEtävastaanotto voi palvella moni kylää, on mietitty. Asukas voi "
          "varata etävastaanoton. Kotihoito ja etävastaanotto toimivat yhdessä.\nJaa Facebook Twitter Instagram")
    sv = ("Distansmottagning i Lappland\nDistansmottagningen kommer att nå byarna genom bussen. Hemvården "
          "kommer att samarbeta genom distansmottagningen.\nDela Facebook Twitter")
    other = ("Uutinen muualta\nTämä sivu kertoo aivan muusta asiasta kuin etävastaanotosta, esimerkiksi "
             "liikenteestä ja kouluista.")
    idx.write(settings, [_doc("a", "fi", fi), _doc("b", "sv", sv), _doc("c", "fi", other)])
    report = build_report(settings)
    lappi = next(r for r in report.regions if r.region == "Lappi")
    themes = {t.lower() for t in lappi.themes}
    assert themes, report
    banned = {"voida", "voi", "moni", "mietitty", "facebook", "twitter", "instagram", "jaa", "dela", "genom",
              "kommer"}
    assert not themes & banned, themes
