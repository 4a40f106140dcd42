"""A small OpenID provider for the tests, served on 127.0.0.1 (port 0) in a thread.

It serves what the portal fetches itself: the discovery document, the key set (an RSA
key made with ``cryptography`` for this provider only) and the token endpoint, which
checks the client's secret, the code (once), the redirect URI and the PKCE verifier
(S256) before it signs an ID token. The authorization endpoint is the test's own step:
``authorize(url)`` plays the person who signs in and answers with the address the
browser would be sent back to (a browser that opens it is sent back at once).

A test shapes the next ID token through ``claims`` (the person) and ``tamper``: other
claims to put in or take out (``aud``, ``exp``, ``nonce``, ``iss``…) and ``sign_with_other_key``,
a key of the same id that the key set does not hold.

Run on its own (``.venv/bin/python -m tests.oidc_provider --email directie@klaverweide.demo``
beside ``make run``) it prints the settings to try the portal's single sign-on by hand;
whoever presses the button is then signed in as ``--email``.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs
from urllib.parse import urlencode
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "veiligheidsportaal-test"
CLIENT_SECRET = "geheim-van-de-testprovider-0123456789"  # noqa: S105 - a test provider's


def rsa_key(kid):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return RSAKey.import_key(pem, {"kid": kid, "use": "sig", "alg": "RS256"})


class OidcProvider:
    def __init__(self, client_id=CLIENT_ID, client_secret=CLIENT_SECRET):
        self.client_id = client_id
        self.client_secret = client_secret
        kid = secrets.token_hex(4)
        self.key = rsa_key(kid)
        self.other_key = rsa_key(kid)  # same kid, not in the key set: a forged signature
        self.claims = {}
        self.tamper = {}
        self.sign_with_other_key = False
        self.codes = {}  # code -> the authorization request's parameters
        self.token_requests = []  # what the token endpoint received, for the tests
        self.lock = threading.Lock()
        self.server = None
        self.issuer = ""

    # --------------------------------------------------------------- serving ----

    def start(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                path = urlsplit(self.path).path
                if path == "/.well-known/openid-configuration":
                    self._json(200, provider.discovery())
                elif path == "/jwks":
                    self._json(200, {"keys": [provider.key.as_dict(private=False)]})
                elif path == "/authorize":
                    # A browser (the manual run): signed in at once as the configured person.
                    self.send_response(302)
                    self.send_header("Location", provider.authorize(provider.issuer + self.path))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path != "/token":
                    self._json(404, {"error": "not_found"})
                    return
                status, body = provider.token(form, self.headers.get("Authorization", ""))
                self._json(status, body)

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def discovery(self):
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "email", "profile"],
        }

    # ------------------------------------------------------- the person's step ----

    def authorize(self, url):
        """Sign in at the authorization endpoint ``url``; the address the browser is sent
        back to (with the code and the state)."""
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{self.issuer}/authorize", url
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        assert params["client_id"] == self.client_id
        assert params["response_type"] == "code"
        assert params["code_challenge_method"] == "S256" and params.get("code_challenge")
        assert "openid" in params["scope"].split() and params.get("nonce") and params.get("state")
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = params
        return f"{params['redirect_uri']}?{urlencode({'code': code, 'state': params['state']})}"

    # ----------------------------------------------------------- token endpoint ----

    def token(self, form, authorization):
        self.token_requests.append(form)
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization.startswith("Basic "):
            raw = base64.b64decode(authorization[6:]).decode()
            client_id, _, secret = raw.partition(":")
        if client_id != self.client_id or secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        with self.lock:
            params = self.codes.pop(form.get("code", ""), None)  # a code works once
        if params is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != params["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != params["code_challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        return 200, {
            "access_token": secrets.token_urlsafe(24),
            "token_type": "Bearer",
            "expires_in": 3600,
            "id_token": self.id_token(params["nonce"]),
        }

    def id_token(self, nonce):
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": "test-" + secrets.token_hex(4),
            "aud": self.client_id,
            # Generous times: no test depends on the clock (an hour either way).
            "iat": now,
            "exp": now + 3600,
            "nonce": nonce,
            "email_verified": True,
            **self.claims,
        }
        for name, value in self.tamper.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        key = self.other_key if self.sign_with_other_key else self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Een OpenID-testprovider op 127.0.0.1.")
    parser.add_argument("--email", default="directie@klaverweide.demo")
    args = parser.parse_args()
    provider = OidcProvider().start()
    provider.claims = {"email": args.email, "amr": ["pwd"]}
    print(f"issuer:        {provider.issuer}")
    print(f"client-id:     {provider.client_id}")
    print(f"clientgeheim:  {provider.client_secret}")
    print(f"Vul deze waarden in op /beheer/inloggen, met het domein van {args.email}.")
    print(f"De provider heeft geen inlogpagina: wie de knop gebruikt, is meteen {args.email}.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        provider.stop()
