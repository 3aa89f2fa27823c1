"""An identity provider for the end-to-end suite: RSA signing keys published as a JWK set over HTTPS, from a
server with a certificate of its own test CA (which medvault is told to trust with MEDVAULT_JWKS_CA_FILE).

The provider can rotate keys (publish a new one) and go down (stop answering), which is what medvault's
JWKS cache must cope with. Tokens are minted with PyJWT, independently of medvault.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ISSUER = "https://idp.e2e.test/realms/clinic"
AUDIENCE = "medvault-e2e"


def _certificate(subject: str, public_key, issuer_name: str, signing_key, ca: bool) -> x509.Certificate:
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
    else:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


class SigningKey:
    """An RSA key the provider signs with, published under `kid`."""

    def __init__(self, kid: str):
        self.kid = kid
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private.public_key()))
        return public | {"kid": self.kid, "alg": "RS256", "use": "sig"}

    def token(self, claims: dict, kid: str | None = None) -> str:
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": kid or self.kid})


class IdentityProvider:
    """A JWKS endpoint at `https://127.0.0.1:<port>/jwks`; `ca_file` is the PEM of the CA that signed its
    certificate. Use as a context manager, or call `stop()`."""

    def __init__(self, directory: Path):
        directory.mkdir(parents=True, exist_ok=True)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca = _certificate("medvault e2e test CA", ca_key.public_key(), "medvault e2e test CA", ca_key, ca=True)
        server_key = ec.generate_private_key(ec.SECP256R1())
        server = _certificate("127.0.0.1", server_key.public_key(), "medvault e2e test CA", ca_key, ca=False)
        self.ca_file = directory / "idp-ca.pem"
        self.ca_file.write_bytes(_pem(ca))
        chain = directory / "idp-server.pem"
        chain.write_bytes(_pem(server))
        key_file = directory / "idp-server.key"
        key_file.write_bytes(
            server_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(chain, key_file)
        self.keys: list[SigningKey] = []
        self.fetches = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.port = 0
        self.start()

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}/jwks"

    def publish(self, *keys: SigningKey) -> None:
        with self._lock:
            self.keys = list(keys)

    def start(self) -> None:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                with provider._lock:
                    provider.fetches += 1
                    body = json.dumps({"keys": [key.jwk() for key in provider.keys]}).encode()
                if self.path != "/jwks":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/jwk-set+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.socket = self._context.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Goes down: the port stops accepting connections."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "IdentityProvider":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def claims(subject: str, role: str = "admin", lifetime: int = 600, **changes) -> dict:
    """Claims as the provider issues them for medvault; a change of None removes the claim."""
    now = int(time.time())
    base = {"sub": subject, "role": role, "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + lifetime}
    for name, value in changes.items():
        if value is None:
            base.pop(name, None)
        else:
            base[name] = value
    return base
