"""Web addresses as people type them: a safe link, and the domain a web filter understands.

A teacher pastes ``https://www.youtube.com/watch?v=abc`` or types ``Spelen.nl``; a
school enters its website as ``www.Klaverweide.nl``; a partner's site or an app on
the allowed list arrives as a half-remembered address. ``parse`` makes of each an
address that is safe as a link (http or https, a named host in lowercase ASCII:
``https://www.klaverweide.nl``) and the domain (without ``www.``: ``klaverweide.nl``)
that allowed lists and feeds compare with ``covers``, or refuses it with a Dutch
message. A ``javascript:`` or ``data:`` link must never become clickable on a page,
and ``https://youtube.com@evil.example``, which looks like YouTube but opens
evil.example, must never be taken for YouTube.

The host is written into the address in the same ASCII form as the domain: the link
opens exactly the host that was checked, also for an internationalised name
(``bücher.de`` is ``xn--bcher-kva.de``, as web filters list it). The conversion is
Python's ``idna`` codec (IDNA 2003); for the few names where IDNA 2008 differs (``ß``)
the link and the domain still agree with each other.
"""

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

# The longest address a column stores (the plugins' address columns are 500 long); also
# the normalised address, which can grow when an internationalised host becomes ASCII.
MAX_LENGTH = 500
EXAMPLE = "zoals www.voorbeeld.nl"

EMPTY = f"Vul een webadres in, {EXAMPLE}."
TOO_LONG = f"Dit webadres is te lang (meer dan {MAX_LENGTH} tekens)."
SPACES = f"Een webadres bevat geen spaties. Vul één adres in, {EXAMPLE}."
CHARACTERS = "Dit webadres bevat tekens die niet in een webadres horen."
SCHEME = "Alleen webadressen die beginnen met http:// of https:// kunnen worden gebruikt."
USER_NAME = (
    "Een webadres met een @ ervoor (gebruikersnaam) kan niet worden gebruikt. Vul "
    "alleen het adres van de site in."
)
IP_ADDRESS = "Vul een webadres met een naam in, geen IP-adres."
INCOMPLETE = f"Vul een volledig webadres in, {EXAMPLE}."
INVALID = f"Dit is geen geldig webadres. Vul een adres in {EXAMPLE}."

# "name:" at the start, as in "javascript:", "mailto:", "ftp://".
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# "spelen.nl:8080/spel" also starts like a scheme, but is a host with a port.
_HOST_AND_PORT = re.compile(r"^[^:/]+:\d+($|/)")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_DEFAULT_PORT = {"http": 80, "https": 443}


class AddressError(ValueError):
    """The text is not a usable web address; ``str(exc)`` is the Dutch message."""


@dataclass(frozen=True)
class WebAddress:
    # Safe as a link: http:// or https://, the host in lowercase ASCII, path and query as typed.
    url: str
    # The host as the link names it ("www.klaverweide.nl").
    host: str
    # The host without "www.": what an allowed list, a feed and a web filter compare.
    domain: str


def parse(text):
    """The ``WebAddress`` of what someone typed; ``AddressError`` (Dutch) for anything else."""
    raw = (text or "").strip()
    if not raw:
        raise AddressError(EMPTY)
    if len(raw) > MAX_LENGTH:
        raise AddressError(TOO_LONG)
    if any(c.isspace() for c in raw):
        raise AddressError(SPACES)
    # Control and format characters (NUL, a right-to-left override that turns the shown
    # address around, zero-width spaces) are never part of an address someone means.
    if any(unicodedata.category(c).startswith("C") for c in raw):
        raise AddressError(CHARACTERS)
    scheme = _SCHEME.match(raw)
    if scheme and not _HOST_AND_PORT.match(raw):
        # Only a web scheme, and only with "//": "javascript:…", "mailto:…", "data:…" and
        # "http:spelen.nl" are refused alike.
        if scheme.group(1).lower() not in _DEFAULT_PORT or not raw[scheme.end() :].startswith("//"):
            raise AddressError(SCHEME)
        url = scheme.group(1).lower() + raw[scheme.end(1) :]
    else:
        url = "https://" + raw.lstrip("/")
    try:
        parts = urlsplit(url)
        hostname, port = parts.hostname or "", parts.port
    except ValueError:  # "[::1" or a port that is no number
        raise AddressError(INVALID) from None
    if "@" in parts.netloc:
        raise AddressError(USER_NAME)
    if "[" in parts.netloc:  # "[::1]", "[v1.x]": an IP address in brackets
        raise AddressError(IP_ADDRESS)
    host = _ascii_host(hostname)
    domain = host[4:] if host.startswith("www.") else host
    labels = domain.split(".")
    if len(labels) < 2:
        raise AddressError(INCOMPLETE)
    if len(host) > 253 or not all(_LABEL.match(label) for label in host.split(".")):
        raise AddressError(INVALID)
    if not (labels[-1].isalpha() or labels[-1].startswith("xn--")):
        raise AddressError(INVALID)
    netloc = host if port in (None, _DEFAULT_PORT[parts.scheme]) else f"{host}:{port}"
    url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    if len(url) > MAX_LENGTH:
        raise AddressError(TOO_LONG)
    return WebAddress(url, host, domain)


def _ascii_host(hostname):
    """The host in lowercase ASCII, without a final dot; no IP addresses."""
    host = hostname.rstrip(".").lower()
    if not host:
        raise AddressError(INVALID)
    if _IPV4.match(host) or ":" in host:
        raise AddressError(IP_ADDRESS)
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # an empty or too long label
        raise AddressError(INVALID) from None


def domain_of(text):
    """The domain of ``text`` if it is a web address, else None: for a search box that takes
    a name as well as a pasted address."""
    try:
        return parse(text).domain
    except AddressError:
        return None


def link(text):
    """The normalised address of ``text`` for a link on a page, or "" when it is no web
    address: a stored or configured address never becomes an unsafe ``href``."""
    try:
        return parse(text).url
    except AddressError:
        return ""


def covers(parent, domain):
    """Does an entry for ``parent`` (``gynzy.com``) cover ``domain``: the same domain or one of
    its subdomains (``app.gynzy.com``), never a look-alike (``notgynzy.com``,
    ``gynzy.com.evil.example``)? Both are domains as ``parse`` gives them."""
    return bool(parent) and (domain == parent or domain.endswith("." + parent))
