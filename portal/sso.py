"""Single sign-on for staff with OpenID Connect (Microsoft Entra ID, Google Workspace).

The board-wide beheerder configures it once for the board (``portal_sso_config``, one
row; the client secret sealed like the TOTP secrets): the issuer, the client id and
secret, the e-mail domains whose accounts may sign in, and whether passwords are
switched off. The provider's discovery document names its endpoints and keys.

A sign-in is the authorization code flow with PKCE (S256), a state and a nonce, done
with Authlib (the requests client for the token request, ``CodeIDToken`` and joserfc
for the ID token): the state is bound to the browser (the session) and to one row of
``portal_sso_request``, which is used once, so a replayed answer finds it used; the ID
token must be signed by one of the provider's keys with an asymmetric algorithm, come
from the issuer, be meant for this client, be unexpired and carry this sign-in's nonce.

The identity provider never creates an account or gives a role: the ID token's e-mail
address, verified by the provider (``email_verified`` true), in an allowed domain,
must belong to an existing active account, which keeps the roles the beheerder gave it.

The second factor (docs/security.md): the provider's own multi-factor sign-in counts
only when the ID token says it happened (``amr`` holds "mfa", RFC 8176, or ``acr`` is
one of the values the beheerder listed); otherwise a user with the portal's TOTP gives
its code as after a password, and a user who must enrol does so.

Every refusal shows a Dutch message on the login page and writes an audit row
(``login.sso``, outcome ``refused``, the reason in ``detail``).
"""

import datetime
import hashlib
import hmac
import secrets
import time

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.integrations.requests_client import OAuthError
from authlib.oidc.core import CodeIDToken
from authlib.oidc.discovery import OpenIDProviderMetadata
from flask import Blueprint
from flask import abort
from flask import current_app
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from joserfc import jwt
from joserfc.errors import ClaimError
from joserfc.errors import InvalidKeyIdError
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from . import throttle
from .access import holds_board_role
from .access import public
from .audit import audit
from .db import atomic
from .models import SsoConfig
from .models import SsoRequest
from .models import User
from .models import utcnow
from .secretbox import open_sealed
from .secretbox import seal
from .urls import external_url

bp = Blueprint("sso", __name__)

SCOPE = "openid email profile"
# Asymmetric signatures only: never "none", never HS256 with the client secret as key.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
HTTP_TIMEOUT = 10
# How long the provider may take to send the user back, and the clock skew allowed
# between the provider and the portal when checking exp, iat and nbf.
REQUEST_AGE = datetime.timedelta(minutes=10)
REQUEST_AGE_PURGE = datetime.timedelta(days=1)  # sign-ins nobody finished
LEEWAY_SECONDS = 120
METADATA_SECONDS = 3600
# RFC 8176: "mfa" says several factors were used.
MFA_AMR = "mfa"

DEFAULT_LABEL = "Inloggen met uw schoolaccount"
STALE = "Deze aanmelding is verlopen of al gebruikt. Log opnieuw in."
NOT_CHECKED = (
    "De aanmelding bij de identiteitsprovider kon niet worden gecontroleerd; u bent niet ingelogd. "
    "Probeer het opnieuw of neem contact op met de beheerder."
)
UNREACHABLE = "De identiteitsprovider is nu niet bereikbaar. Probeer het over een paar minuten opnieuw."
UNVERIFIED = (
    "Uw e-mailadres is bij de identiteitsprovider niet bevestigd; daarmee kunt u niet inloggen. "
    "Neem contact op met de beheerder."
)
DOMAIN = "Met een account van dit domein kunt u niet inloggen bij het Veiligheidsportaal."
UNKNOWN = (
    "Er is geen actief account in het Veiligheidsportaal voor dit e-mailadres. Vraag de beheerder "
    "van uw school om een account."
)
DECLINED = "De identiteitsprovider heeft de aanmelding niet doorgegeven; u bent niet ingelogd."


class SsoRefused(Exception):
    """A sign-in that is refused: ``reason`` for the audit row, ``message`` (Dutch) for the user."""

    def __init__(self, reason, message=NOT_CHECKED, email=""):
        super().__init__(reason)
        self.reason = reason
        self.message = message
        self.email = email


# ------------------------------------------------------------------ config ----


def config_row():
    """The board's single-sign-on row (made on first save), or None."""
    return SsoConfig.select().order_by(SsoConfig.id).first()


def active_config():
    """The configuration when single sign-on is switched on and complete, else None."""
    row = config_row()
    if row is None or not (row.enabled and row.issuer and row.client_id):
        return None
    return row


def lines(text):
    return [part.strip().lower() for part in (text or "").replace(",", "\n").splitlines() if part.strip()]


def passwords_allowed(user):
    """May ``user`` log in with (and set) a password? Yes, unless the board switched passwords
    off; then only the break-glass account, while it still is a board-wide beheerder."""
    config = active_config()
    if config is None or not config.passwords_off:
        return True
    return config.break_glass_id == user.id and holds_board_role(user.id)


def label(config):
    return config.button_label or DEFAULT_LABEL


# ---------------------------------------------------------------- provider ----

# issuer -> (fetched at, metadata, keys): the discovery document and the key set, for an
# hour; a token signed with a key not in the set fetches the set again (key rotation).
_provider = {}


def forget_provider():
    _provider.clear()


def _get_json(url):
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT, headers={"Accept": "application/json"})
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError):
        raise SsoRefused("provider_unreachable", UNREACHABLE) from None
    if not isinstance(data, dict):
        raise SsoRefused("provider_unreachable", UNREACHABLE)
    return data


def provider(config, refresh_keys=False):
    """(metadata, KeySet) of the configured issuer."""
    issuer = config.issuer
    cached = _provider.get(issuer)
    if cached is None or time.monotonic() - cached[0] > METADATA_SECONDS:
        metadata = OpenIDProviderMetadata(_get_json(discovery_url(issuer)))
        try:
            metadata.validate()
        except ValueError:
            raise SsoRefused("discovery_invalid") from None
        # OpenID Connect Discovery 4.3: the document must name exactly this issuer.
        if metadata["issuer"] != issuer:
            raise SsoRefused("discovery_issuer")
        cached = (time.monotonic(), metadata, None)
    metadata, keys = cached[1], cached[2]
    if keys is None or refresh_keys:
        try:
            keys = KeySet.import_key_set(_get_json(metadata["jwks_uri"]))
        except (JoseError, ValueError, TypeError):
            raise SsoRefused("jwks_invalid") from None
    _provider[issuer] = (cached[0], metadata, keys)
    return metadata, keys


def discovery_url(issuer):
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def _client(config, metadata):
    methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    method = "client_secret_basic" if "client_secret_basic" in methods else "client_secret_post"
    return OAuth2Session(
        client_id=config.client_id,
        client_secret=open_sealed(config.client_secret, "sso"),
        token_endpoint_auth_method=method,
        scope=SCOPE,
        redirect_uri=external_url("sso.callback"),
        code_challenge_method="S256",
        default_timeout=HTTP_TIMEOUT,
    )


def check_id_token(config, metadata, keys, id_token, nonce, access_token=None, now=None):
    """The ID token's claims after every check (signature, issuer, audience, time, nonce,
    azp, at_hash); SsoRefused with the failed check as its reason otherwise."""
    supported = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [a for a in ALGORITHMS if a in supported]
    if not algorithms:
        raise SsoRefused("algorithm")
    try:
        try:
            token = jwt.decode(id_token, keys, algorithms=algorithms)
        except InvalidKeyIdError:
            _metadata, keys = provider(config, refresh_keys=True)
            token = jwt.decode(id_token, keys, algorithms=algorithms)
    except (JoseError, ValueError, TypeError) as exc:
        raise SsoRefused(getattr(exc, "error", "") or "signature") from None
    claims = CodeIDToken(
        token.claims,
        token.header,
        {
            "iss": {"essential": True, "value": config.issuer},
            "aud": {"essential": True, "value": config.client_id},
        },
        {"nonce": nonce, "client_id": config.client_id, "access_token": access_token},
    )
    try:
        claims.validate(now=int(now if now is not None else time.time()), leeway=LEEWAY_SECONDS)
    except ClaimError as exc:
        raise SsoRefused(f"claim:{exc.claim}") from None
    except (JoseError, ValueError, TypeError):
        raise SsoRefused("claims") from None
    return claims


def verified_email(claims):
    """The e-mail address of the claims if the provider verified it, else SsoRefused.
    Entra ID has no ``email_verified``; its optional claim ``xms_edov`` (the domain owner
    verified the address) says the same (docs/operations.md)."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        raise SsoRefused("email_missing", UNVERIFIED)
    email = email.strip().lower()
    verified = claims.get("email_verified", claims.get("xms_edov"))
    if verified is not True and verified != "true":
        raise SsoRefused("email_unverified", UNVERIFIED, email)
    return email


def second_factor_at_provider(config, claims):
    """Did the provider sign the user in with several factors, by the ID token's word?"""
    amr = claims.get("amr")
    if isinstance(amr, list) and MFA_AMR in amr:
        return True
    acr = claims.get("acr")
    return isinstance(acr, str) and acr.lower() in lines(config.mfa_acr_values)


# ------------------------------------------------------------------- pages ----


def state_hash(state):
    return hashlib.sha256(b"sso-state:" + state.encode()).hexdigest()


def _refuse(refused):
    from .auth import LoginForm

    audit("login.sso", outcome="refused", email=refused.email, detail=refused.reason)
    config = active_config()
    return render_template(
        "auth/login.html",
        form=LoginForm(formdata=None),
        next=None,
        sso=config,
        with_password=config is None or not config.passwords_off,
        sso_error=refused.message,
    ), 401


@bp.route("/login/sso")
@public
def start():
    """Send the browser to the provider, with a fresh state, nonce and PKCE verifier.

    A link, not a form: the page's Content-Security-Policy (form-action 'self') would stop
    a form's redirect to the provider. Starting a sign-in changes nothing anyone else sees
    (a row of its own, throttled per address), so a forged link does no harm."""
    from .auth import safe_next

    config = active_config()
    if config is None:
        abort(404)
    free = current_app.config["THROTTLE_FREE_ATTEMPTS"]
    counted = throttle.attempt("sso", [throttle.Limit(f"ip:{request.remote_addr}", free * 6)])
    if not counted.allowed:
        return _refuse(
            SsoRefused("throttled", f"Te veel pogingen. Probeer het over {counted.wait} seconden opnieuw.")
        )
    try:
        metadata, _keys = provider(config)
    except SsoRefused as refused:
        return _refuse(refused)
    state, nonce, verifier = (secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48))
    now = utcnow()
    with atomic():
        SsoRequest.delete().where(SsoRequest.created_at < now - REQUEST_AGE_PURGE).execute()
        SsoRequest.create(
            state_hash=state_hash(state),
            nonce=nonce,
            verifier=seal(verifier, "sso-pkce"),
            next_url=safe_next(request.args.get("next")) or "",
            created_at=now,
        )
    session["sso_state"] = state
    url, _state = _client(config, metadata).create_authorization_url(
        metadata["authorization_endpoint"], state=state, code_verifier=verifier, nonce=nonce
    )
    return redirect(url)


@bp.route("/login/sso/terug")
@public
def callback():
    """The provider sends the browser back here with a code (or an error)."""
    config = active_config()
    if config is None:
        abort(404)
    try:
        row = _claim_request(request.args.get("state", ""), session.pop("sso_state", None))
        if request.args.get("error"):
            raise SsoRefused("provider_error:" + request.args["error"][:60], DECLINED)
        user, claims = _sign_in(config, row, request.args.get("code", ""))
    except SsoRefused as refused:
        return _refuse(refused)
    return _log_in(config, user, claims, row.next_url)


def _claim_request(state, expected):
    """The unused sign-in of this state, bound to this browser; now used."""
    if not state or not expected or not hmac.compare_digest(state.encode(), expected.encode()):
        raise SsoRefused("state", STALE)
    now = utcnow()
    row = SsoRequest.get_or_none(SsoRequest.state_hash == state_hash(state))
    if row is None or row.created_at < now - REQUEST_AGE:
        raise SsoRefused("state", STALE)
    won = (
        SsoRequest.update(used_at=now)
        .where((SsoRequest.id == row.id) & SsoRequest.used_at.is_null())
        .execute()
    )
    if not won:
        raise SsoRefused("state_replayed", STALE)
    return row


def _sign_in(config, row, code):
    """(account, claims) for the code of this sign-in, or SsoRefused."""
    if not code or len(code) > 2000:
        raise SsoRefused("code")
    metadata, keys = provider(config)
    try:
        token = _client(config, metadata).fetch_token(
            metadata["token_endpoint"], code=code, code_verifier=open_sealed(row.verifier, "sso-pkce")
        )
    except (requests.ConnectionError, requests.Timeout):
        raise SsoRefused("token_unreachable", UNREACHABLE) from None
    except (OAuthError, requests.RequestException, ValueError):
        # The provider refused the code (used, expired, wrong verifier or client secret).
        raise SsoRefused("token_refused") from None
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise SsoRefused("id_token_missing")
    claims = check_id_token(config, metadata, keys, id_token, row.nonce, token.get("access_token"))
    email = verified_email(claims)
    domain = email.rpartition("@")[2]
    if domain not in lines(config.domains):
        raise SsoRefused("domain", DOMAIN, email)
    user = User.get_or_none(User.email == email)
    if user is None or not user.active:
        raise SsoRefused("unknown_account", UNKNOWN, email)
    return user, claims


def _log_in(config, user, claims, next_url):
    from flask import url_for

    from . import mfa
    from .sessions import start_session

    if second_factor_at_provider(config, claims):
        start_session(user)
        # The provider's second factor counts for this session: no enrolment asked.
        session["mfa_by_idp"] = True
        audit("login.sso", user=user, detail="tweede stap bij de identiteitsprovider")
    elif user.totp_secret:
        audit("login.sso", user=user, detail="code gevraagd")
        return mfa.begin_second_step(user, next_url or None)
    else:
        start_session(user)
        audit("login.sso", user=user)
    return redirect(next_url or url_for("schools.home"))


def init_app(app):
    app.register_blueprint(bp)
