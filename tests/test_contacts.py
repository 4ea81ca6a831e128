"""Phones (E.164 via phonenumbers), de-obfuscated e-mails, labelled fields, authors, name order."""

from __future__ import annotations

from hakemisto.facts.contacts import (
    Mention,
    authors,
    build_contacts,
    find_emails,
    find_phones,
    labelled_contacts,
    order_name,
    unique_names,
)


def test_phones_e164() -> None:
    text = "Puhelin 040 805 1455, p. +358 44 482 3328, vaihde 03 311 611. Luotu 01.07.2022. Summa 500 000 euroa."
    assert [p.value for p in find_phones(text)] == ["+358408051455", "+358444823328", "+3583311611"]


def test_obfuscated_emails() -> None:
    text = ("satu.marjakangas@soite.fi, etunimi.sukunimi(at)soite.fi, anna.ek[at]ovph.fi, "
            "sari.heikkinen [at] kainuu.fi, Matti.Virtanen@Lapha.fi")
    # the template 'etunimi.sukunimi@…' is nobody's address (issue 12 gold: such a contact has no e-mail)
    assert [e.value for e in find_emails(text)] == [
        "satu.marjakangas@soite.fi", "anna.ek@ovph.fi", "sari.heikkinen@kainuu.fi", "matti.virtanen@lapha.fi"]


def test_email_local_part_is_read_whole() -> None:
    """The local part is matched atomically (speed): dotted and hyphenated parts before an obfuscated 'at'
    still make one address, and a part that ends in a dot or starts after one is no address."""
    text = ("Kirjoita: matti.m.virtanen (at) soite.fi tai x.y.@soite.fi, "
            "tiimi.2024 [ at ] lapha.fi; anna-liisa.ek at ovph.fi ja .piste@ovph.fi sekä a..b@soite.fi")
    found = [(e.value, text[e.start:e.end]) for e in find_emails(text)]
    assert found == [("matti.m.virtanen@soite.fi", "matti.m.virtanen (at) soite.fi"),
                     ("tiimi.2024@lapha.fi", "tiimi.2024 [ at ] lapha.fi"),
                     ("anna-liisa.ek@ovph.fi", "anna-liisa.ek at ovph.fi")]


def test_surname_first_fields() -> None:
    text = ("Yhteyshenkilön nimi\n\nVirtanen Matti\n\nYhteyshenkilön organisaatio\n\nLapin hyvinvointialue\n\n"
            "Yhteyshenkilön sähköpostiosoite\n\nmatti.virtanen@lapha.fi")
    (contact,) = labelled_contacts(text)
    assert (contact.name, contact.title, contact.email, contact.organization) == (
        "Matti Virtanen", "yhteyshenkilö", "matti.virtanen@lapha.fi", "Lapin hyvinvointialue")
    assert order_name("Katri Nousiainen") == "Katri Nousiainen"


def test_phone_pairs_with_the_name_above() -> None:
    text = "Lisätietoja\n\nHankepäällikkö Katri Nousiainen\n+358 44 482 3328\n\nHankepäällikkö Ville Saloranta\n+358 44 440 3741"
    persons = [Mention(text.index("Katri"), text.index("Katri") + 16, "Katri Nousiainen"),
               Mention(text.index("Ville"), text.index("Ville") + 14, "Ville Saloranta")]
    titles = [Mention(m, m + 14, "hankepäällikkö") for m in (text.index("Hankep"), text.rindex("Hankep"))]
    contacts, names = build_contacts(text, persons, titles)
    assert [(c.name, c.phone) for c in contacts] == [
        ("Katri Nousiainen", "+358444823328"), ("Ville Saloranta", "+358444403741")]
    assert names == ["Katri Nousiainen", "Ville Saloranta"]


def test_author_is_a_person_not_a_contact() -> None:
    text = "Hanke etenee.\n\nTekijä\n\nTuija Tuorila\n\nLuotu\n\n01.07.2022"
    assert authors(text) == ["Tuija Tuorila"]
    start = text.index("Tuija")
    contacts, names = build_contacts(text, [Mention(start, start + 13, "Tuija Tuorila")], [])
    assert contacts == []
    assert names == ["Tuija Tuorila"]


def test_unique_names_collapse_variants() -> None:
    assert unique_names(["Katri Nousiainen", "katri  nousiainen", "Nousiainen", "Kati Honkanen"]) == [
        "Katri Nousiainen", "Kati Honkanen"]
