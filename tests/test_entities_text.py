"""``entities.doc_text``: spaCy rebuilds ``Doc.text`` on every access; the rules read it once per Doc."""

from __future__ import annotations

import spacy

from hakemisto.facts.entities import doc_text


def test_doc_text_is_joined_once_and_equals_spacy_text() -> None:
    doc = spacy.blank("fi")("Hanke sai 1,5 miljoonaa euroa.  Toinen lause.")
    assert doc_text(doc) == doc.text
    doc.user_data["hakemisto_text"] = "stored"  # the second read comes from user_data, not the tokens
    assert doc_text(doc) == "stored"
    # The model-output store leaves user_data out, so the joined text is never written there.
    assert b"stored" not in doc.to_bytes(exclude=["tensor", "user_data"])


def test_doc_text_of_a_plain_object_is_its_text() -> None:
    class Page:
        text = "sivu"

    assert doc_text(Page()) == "sivu"
