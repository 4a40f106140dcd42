"""Web addresses as people type them (portal.webaddress) and the kit's field for them.

The rules came from the social_media plugin, where a teacher pastes a link to ask
for it; the school's website, a partner's site and the allowed-apps feed use the
same ones. No database and no app: the module stands on its own.
"""

import pytest
from werkzeug.datastructures import MultiDict

from portal import api
from portal.webaddress import MAX_LENGTH
from portal.webaddress import AddressError
from portal.webaddress import covers
from portal.webaddress import domain_of
from portal.webaddress import parse

# ---------------------------------------------------------------- parse ----


@pytest.mark.parametrize(
    "text, url, domain",
    [
        ("https://www.youtube.com/watch?v=abc123", "https://www.youtube.com/watch?v=abc123", "youtube.com"),
        ("HTTPS://WWW.SQULA.NL/oefenen", "https://www.squla.nl/oefenen", "squla.nl"),
        ("Spelen.nl", "https://spelen.nl", "spelen.nl"),
        ("www.Khan-Academy.org/nl", "https://www.khan-academy.org/nl", "khan-academy.org"),
        ("www.gynzy.com/nl/les", "https://www.gynzy.com/nl/les", "gynzy.com"),
        ("  http://app.gynzy.com  ", "http://app.gynzy.com", "app.gynzy.com"),
        ("//spelen.nl/spel", "https://spelen.nl/spel", "spelen.nl"),
        ("youtube.com:443/watch", "https://youtube.com/watch", "youtube.com"),
        ("http://spelen.nl:8080/spel", "http://spelen.nl:8080/spel", "spelen.nl"),
        ("https://spelen.nl./", "https://spelen.nl/", "spelen.nl"),
        ("schooltv.nl?x=1#y", "https://schooltv.nl?x=1#y", "schooltv.nl"),
        # Path and query keep their capitals (they may matter); only the host is lowercased.
        ("HTTP://WWW.YouTube.com/watch?v=AbC", "http://www.youtube.com/watch?v=AbC", "youtube.com"),
        # An address inside the query is no scheme of the whole.
        ("spelen.nl/?terug=https://spelen.nl", "https://spelen.nl/?terug=https://spelen.nl", "spelen.nl"),
    ],
)
def test_an_address_is_normalised(text, url, domain):
    address = parse(text)
    assert (address.url, address.domain) == (url, domain)
    assert parse(address.url) == address  # normalising twice changes nothing


@pytest.mark.parametrize(
    "text, host",
    [
        ("https://bücher.de", "xn--bcher-kva.de"),
        ("BÜCHER.de/boeken", "xn--bcher-kva.de"),
        ("bücher\u3002de", "xn--bcher-kva.de"),  # an ideographic full stop is a dot
        ("\uff47ynzy.com", "gynzy.com"),  # a full-width g is the g a browser opens
        ("xn--bcher-kva.de", "xn--bcher-kva.de"),
    ],
)
def test_an_internationalised_host_is_ascii_in_the_link_and_the_domain(text, host):
    """The link opens exactly the host that was checked and listed."""
    address = parse(text)
    assert address.domain == host and address.url.startswith(f"https://{host}")


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Vul een webadres in"),
        ("   ", "Vul een webadres in"),
        (None, "Vul een webadres in"),
        ("javascript:alert(1)", "http:// of https://"),
        ("JavaScript://%0aalert(1)", "http:// of https://"),
        ("mailto:juf@school.nl", "http:// of https://"),
        ("data:text/html,<b>x</b>", "http:// of https://"),
        ("ftp://files.example.nl", "http:// of https://"),
        ("file:///etc/passwd", "http:// of https://"),
        ("http:spelen.nl", "http:// of https://"),
        ("you tube.com", "geen spaties"),
        ("spelen.nl/\tspel", "geen spaties"),
        ("spelen\x00.nl", "tekens die niet in een webadres horen"),
        ("https://spelen.nl/\u202egnp.exe", "tekens die niet in een webadres horen"),
        ("spe\u200blen.nl", "tekens die niet in een webadres horen"),
        ("basispoort", "volledig webadres"),
        ("www.nl", "volledig webadres"),
        ("localhost:8080", "volledig webadres"),
        ("2130706433", "volledig webadres"),  # a browser would open 127.0.0.1
        ("http://192.168.1.10/", "geen IP-adres"),
        ("http://[::1]/", "geen IP-adres"),
        ("http://[v1.x]/", "geen IP-adres"),
        ("\uff11\uff12\uff17.0.0.1", "geen IP-adres"),
        ("https://youtube.com@evil.example", "@"),
        ("https://juf:geheim@spelen.nl", "@"),
        ("https://youtube.com\\@evil.example", "@"),
        ("https://-spelen.nl", "geen geldig webadres"),
        ("https://spelen..nl", "geen geldig webadres"),
        ("https://spelen.123", "geen geldig webadres"),
        ("0x7f.0.0.1", "geen geldig webadres"),
        ("https://spel_en.nl", "geen geldig webadres"),
        ("https://" + "a" * 64 + ".nl", "geen geldig webadres"),
        ("https://" + ".".join(["a" * 60] * 5) + ".nl", "geen geldig webadres"),  # over 253
        ("https://[::1", "geen geldig webadres"),
        ("https://spelen.nl:99999/", "geen geldig webadres"),
        ("https://spelen.nl:poort/", "geen geldig webadres"),
        ("x" * (MAX_LENGTH + 1), "te lang"),
    ],
)
def test_what_is_no_usable_web_address_gets_a_dutch_message(text, message):
    with pytest.raises(AddressError) as exc:
        parse(text)
    assert message in str(exc.value)


def test_the_normalised_address_stays_within_the_column():
    # The host's ASCII form (xn--…) is longer than the letters typed: typed, the address
    # fits; normalised, it would not.
    host = "ü" * 40 + ".de"
    typed = f"https://{host}/" + "p" * (MAX_LENGTH - len(host) - 9)
    assert len(typed) == MAX_LENGTH
    with pytest.raises(AddressError, match="te lang"):
        parse(typed)


def test_the_host_keeps_www_and_the_domain_drops_it():
    address = parse("WWW.Klaverweide.nl")
    assert (address.host, address.domain) == ("www.klaverweide.nl", "klaverweide.nl")


def test_domain_of_is_none_for_what_is_no_address():
    assert domain_of("https://app.gynzy.com/les") == "app.gynzy.com"
    assert domain_of("Gynzy") is None and domain_of("") is None and domain_of(None) is None
    assert domain_of("javascript:alert(1)") is None


def test_covers_the_domain_and_its_subdomains_only():
    assert covers("gynzy.com", "gynzy.com")
    assert covers("gynzy.com", "app.gynzy.com")
    assert not covers("gynzy.com", "notgynzy.com")
    assert not covers("gynzy.com", "gynzy.com.evil.example")
    assert not covers("app.gynzy.com", "gynzy.com")
    assert not covers("", "gynzy.com")


# ---------------------------------------------------------------- field ----


class SiteForm(api.Form):
    site = api.WebAddressField("Website", required="Vul de website van de school in.")
    partner = api.WebAddressField("Website van de partner")


def test_the_field_normalises_and_keeps_the_domain():
    form = SiteForm(MultiDict({"site": " www.Klaverweide.nl/over-ons ", "partner": ""}))
    assert form.validate(), form.errors
    assert form.site.data == "https://www.klaverweide.nl/over-ons"
    assert form.site.domain == "klaverweide.nl"
    assert form.partner.domain == "" and not form.partner.errors


def test_the_field_refuses_in_dutch_and_shows_what_was_typed():
    form = SiteForm(MultiDict({"site": "javascript:alert(1)", "partner": "http://10.0.0.1"}))
    assert not form.validate()
    assert form.site.errors == [
        "Alleen webadressen die beginnen met http:// of https:// kunnen worden gebruikt."
    ]
    assert form.partner.errors == ["Vul een webadres met een naam in, geen IP-adres."]
    assert 'value="javascript:alert(1)"' in form.site()
    assert 'inputmode="url"' in form.site() and "maxlength" not in form.site()


def test_an_empty_required_field_has_one_message():
    form = SiteForm(MultiDict({"site": "  "}))
    assert not form.validate()
    assert form.site.errors == ["Vul de website van de school in."]


def test_a_valid_address_is_shown_as_typed_when_another_field_is_refused():
    form = SiteForm(MultiDict({"site": "Klaverweide.nl", "partner": "juf@school"}))
    assert not form.validate()
    assert form.site.data == "https://klaverweide.nl"
    assert 'value="Klaverweide.nl"' in form.site()


def test_a_form_made_from_data_normalises_too():
    form = SiteForm(data={"site": "spelen.nl"})
    assert form.validate() and form.site.data == "https://spelen.nl"
    assert form.validate() and form.site.data == "https://spelen.nl"  # validating twice
