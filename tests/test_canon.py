"""Variants of one real-world entity get one canonical entity with one id."""

from __future__ import annotations

from hakemisto.core.model import Contact, Document, Entity, Facts
from hakemisto.facts.canon import build_entities, canonical_org, group_names


def test_org_variants_join() -> None:
    groups = group_names(["Sosiaali- ja terveysministeriö (STM)", "STM", "sosiaali- ja terveysministeriö",
                          "Keski-Pohjanmaan sosiaali- ja terveyspalvelukuntayhtymä (Soite)", "Soite"], "org")
    assert set(groups) == {"Sosiaali- ja terveysministeriö (STM)",
                           "Keski-Pohjanmaan sosiaali- ja terveyspalvelukuntayhtymä (Soite)"}


def test_head_word_base_form() -> None:
    assert canonical_org("sosiaali- ja terveysministeriön", ["sosiaali", "-", "ja", "terveysministeriö"]) == \
        "sosiaali- ja terveysministeriö"
    assert canonical_org("THL:n") == "THL"


def test_build_entities_counts_and_variants() -> None:
    def doc(i: str, region: str, text: str) -> Document:
        facts = Facts(funders=("STM",), persons=("Katri Nousiainen",),
                      contacts=(Contact(name="Katri Nousiainen", organization="Soite"),),
                      spans=(Entity(text, "FUNDER", "STM", 0, len(text)),), region=region)
        return Document(id=i, title=i, paragraphs=(text,), region=region, facts=facts)

    docs = [doc("a", "Keski-Pohjanmaa", "STM:n"), doc("b", "Päijät-Häme", "sosiaali- ja terveysministeriöön")]
    (stm,) = build_entities(docs, kind="funder")
    assert (stm.id, stm.doc_count) == ("funder:stm", 2)
    assert set(stm.variants) == {"STM", "STM:n", "sosiaali- ja terveysministeriöön"}
    (person,) = build_entities(docs, kind="person", region="Päijät-Häme")
    assert (person.name, person.doc_count) == ("Katri Nousiainen", 1)
