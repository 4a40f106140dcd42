"""Web addresses as teachers type them, reduced to the domain a web filter understands.

A teacher pastes ``https://www.youtube.com/watch?v=abc`` or types ``Spelen.nl``;
the allowed list, the permission requests and the public JSON feed all work
with the bare domain (``youtube.com``, ``spelen.nl``). Anything that is not a
plain http(s) address of a named host is refused with a Dutch message: a
``javascript:`` link must never end up as a clickable address on a page.
"""

import re
from urllib.parse import urlsplit


class AddressError(ValueError):
    """The text is not a usable web address; ``str(exc)`` is the Dutch message."""


# "name:" at the start, as in "javascript:", "mailto:", "ftp://".
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")

EXAMPLE = "zoals www.youtube.com of https://spelen.nl"


def split_address(text):
    """Return ``(url, domain)``: the address with a scheme, and its normalised domain.

    ``url`` is safe to use as a link (it starts with http:// or https://).
    Raises ``AddressError`` with a Dutch message for anything else.
    """
    raw = (text or "").strip()
    if not raw:
        raise AddressError(f"Vul een webadres in, {EXAMPLE}.")
    if len(raw) > 500:
        raise AddressError("Dit webadres is te lang (meer dan 500 tekens).")
    if any(c.isspace() for c in raw) or any(ord(c) < 32 for c in raw):
        raise AddressError(f"Een webadres bevat geen spaties. Vul één adres in, {EXAMPLE}.")
    url = raw
    match = _SCHEME.match(raw)
    if "://" in raw:
        scheme = raw.split("://", 1)[0].lower()
        if scheme not in ("http", "https"):
            raise AddressError("Alleen webadressen die beginnen met http:// of https:// "
                               "kunnen worden aangevraagd.")
        url = scheme + raw[len(scheme):]
    elif match and not re.match(r"^[^:/]+:\d+($|/)", raw):
        # "javascript:…", "mailto:…", "data:…": a scheme, but no web address.
        raise AddressError("Alleen webadressen die beginnen met http:// of https:// "
                           "kunnen worden aangevraagd.")
    else:
        url = "https://" + raw.lstrip("/")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        raise AddressError(f"Dit is geen geldig webadres. Vul een adres in {EXAMPLE}.") from None
    if "@" in parts.netloc:
        # "https://youtube.com@evil.example" looks like YouTube but opens evil.example.
        raise AddressError("Een webadres met een @ ervoor (gebruikersnaam) kan niet worden "
                           "aangevraagd. Vul alleen het adres van de site in.")
    return url, normalise_host(host)


def normalise_domain(text):
    """The domain of a web address typed by a user: lowercase, without ``www.``."""
    return split_address(text)[1]


def normalise_host(host):
    host = host.strip().rstrip(".").lower()
    if not host:
        raise AddressError(f"Dit is geen geldig webadres. Vul een adres in {EXAMPLE}.")
    if _IPV4.match(host) or ":" in host:
        raise AddressError("Vul een webadres met een naam in, geen IP-adres.")
    try:
        # Internationalised names (bücher.de) become their ASCII form, as web filters use it.
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise AddressError(f"Dit is geen geldig webadres. Vul een adres in {EXAMPLE}.") from None
    if host.startswith("www."):
        host = host[4:]
    labels = host.split(".")
    if len(labels) < 2:
        raise AddressError(f"Vul een volledig webadres in, {EXAMPLE}.")
    if len(host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise AddressError(f"Dit is geen geldig webadres. Vul een adres in {EXAMPLE}.")
    tld = labels[-1]
    if not (tld.isalpha() or tld.startswith("xn--")):
        raise AddressError(f"Dit is geen geldig webadres. Vul een adres in {EXAMPLE}.")
    return host


def covers(allowed, domain):
    """Does an entry for ``allowed`` (``gynzy.com``) cover ``domain`` (``app.gynzy.com``)?"""
    return domain == allowed or domain.endswith("." + allowed)

