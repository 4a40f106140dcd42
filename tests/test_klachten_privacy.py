"""The parents' complaint form tells them what happens to their data (AVG art. 13): who is
responsible, why, how long it is kept, their rights and the functionaris
gegevensbescherming, from the school's settings with defaults, in the parent's language."""

import html

import pytest

from portal.models import School
from portal.settings import set_setting

from .core_helpers import db_ctx
from .test_i18n import t

FORM = "/klaverweide/klachten/indienen"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PORTAL_PLUGINS": ("klachten",)}


def page(client, language=None):
    url = f"{FORM}?taal={language}" if language else FORM
    return " ".join(html.unescape(client.get(url).get_data(as_text=True)).split())


def test_the_form_tells_what_happens_to_the_data_with_defaults(client):
    text = page(client)
    assert "Wat doen wij met uw gegevens?" in text
    # Who: the board of the school (its name from the school's own data).
    assert "Verantwoordelijk voor de gegevens die u hier invult is: " in text
    assert 'dir="ltr">Almeerse Scholen Groep (ASG)</span>.' in text
    # Why and who reads it.
    assert "alleen om uw klacht te behandelen, zoals de klachtenregeling van de school voorschrijft" in text
    # How long: the type's two years after closing, and two years after the pupil left.
    assert "Wij bewaren uw klacht tot 2 jaar nadat zij is afgerond. Daarna wordt zij verwijderd." in text
    assert "tot 2 jaar nadat die leerling de school heeft verlaten." in text
    # The rights and the supervisor.
    assert "inzien en laten verbeteren of verwijderen, en u mag bezwaar maken" in text
    assert "Autoriteit Persoonsgegevens" in text
    # The functionaris gegevensbescherming: through the school while none is set.
    assert "De functionaris gegevensbescherming: bereikbaar via de school, info@klaverweide.demo." in text


def test_the_schools_own_privacy_settings(app, client):
    with db_ctx(app):
        school = School.get(School.slug == "klaverweide")
        set_setting(school, "klachten.privacy_verantwoordelijke", "Stichting ASG, Postbus 1, Almere")
        set_setting(school, "klachten.privacy_fg", "Mr. P. Privacy, fg@asg.example")
        set_setting(school, "klachten.klacht.years_after_left", 0)
    text = page(client)
    assert 'dir="ltr">Stichting ASG, Postbus 1, Almere</span>.' in text
    assert 'dir="ltr">Mr. P. Privacy, fg@asg.example</span>.' in text
    assert "nadat die leerling de school heeft verlaten" not in text


@pytest.mark.parametrize("language", ["en", "ar", "pl", "tr", "uk"])
def test_the_privacy_text_in_the_parents_language(client, language):
    text = page(client, language)
    assert t(language, "Wat doen wij met uw gegevens?") in text
    assert t(language, "De functionaris gegevensbescherming:") in text
    assert "Wat doen wij met uw gegevens?" not in text


def test_the_form_says_the_parent_may_go_to_the_commission_directly(client):
    text = page(client)
    assert (
        "U mag uw klacht ook rechtstreeks voorleggen aan de klachtencommissie, zonder eerst deze stappen "
        'te doorlopen. <span lang="nl" dir="ltr">Landelijke Klachtencommissie Onderwijs, Postbus 85191'
    ) in text
    english = page(client, "en")
    assert "directly to the complaints committee (klachtencommissie)" in english
