"""Who the suite is: the fixed JWT secret and first administrator every server gets, the ADMIN marker,
and tokens minted, forged and decoded independently of medvault.
"""

from __future__ import annotations

import base64
import json
import re

# --- identities ----------------------------------------------------------------------------------
# Every server the suite starts gets a fixed HS256 secret and a fixed first administrator, so tokens can be
# minted independently of medvault (PyJWT) and the administrator can sign in; bcrypt at its cheapest cost
# keeps start-up and sign-ins fast.
JWT_SECRET = "e2e-jwt-secret-0123456789abcdef-ABCDEFGH"  # 40 bytes
assert len(JWT_SECRET.encode()) == 40
ADMIN_EMAIL = "admin@e2e.test"
ADMIN_PASSWORD = "e2e-Admin-Passw0rd!"
DEFAULT_ADMIN_EMAIL = "admin@medvault.local"  # the administrator a fresh install creates without MEDVAULT_ADMIN_*
AUTH_ENV = {
    "MEDVAULT_JWT_SECRET": JWT_SECRET,
    "MEDVAULT_ADMIN_EMAIL": ADMIN_EMAIL,
    "MEDVAULT_ADMIN_PASSWORD": ADMIN_PASSWORD,
    "MEDVAULT_BCRYPT_COST": "4",
    # Sign-in throttling is tested on its own (test_auth.py); elsewhere tests sign in as often as they need.
    "MEDVAULT_SIGN_IN_ADDRESS_BURST": "1000",
    "MEDVAULT_SIGN_IN_ACCOUNT_BURST": "1000",
}


class _Admin:
    """The default identity of MedvaultServer's helpers: the server's first administrator (bearer token)."""

    def __repr__(self) -> str:
        return "ADMIN"


ADMIN = _Admin()


def parse_created_user(stdout: str) -> dict:
    """The first line of `medvault user add`: `created <role> <email> (id <uuid>)`, and the generated
    password line `password: <pw>` if there is one."""
    first = stdout.splitlines()[0] if stdout.splitlines() else ""
    match = re.fullmatch(r"created (patient|provider|admin) (\S+) \(id ([0-9a-f-]{36})\)", first.strip())
    assert match, f"unexpected first line of `medvault user add`: {first!r}"
    passwords = [line.split(":", 1)[1].strip() for line in stdout.splitlines() if line.startswith("password:")]
    return {"role": match.group(1), "email": match.group(2), "id": match.group(3), "passwords": passwords}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint_token(claims: dict, secret: str = JWT_SECRET, algorithm: str = "HS256", headers: dict | None = None) -> str:
    """A JWT signed by PyJWT (independent of medvault), e.g. with `exp` in the past or another secret."""
    import warnings

    import jwt  # noqa: PLC0415 (PyJWT; only needed by the tests that mint tokens)

    with warnings.catch_warnings():  # PyJWT warns about key lengths for HS384/HS512; irrelevant for test tokens
        warnings.simplefilter("ignore")
        return jwt.encode(claims, secret, algorithm=algorithm, headers=headers)


def unsigned_token(claims: dict, alg: str = "none") -> str:
    """A JWT with `alg` in its header and no (or a meaningless) signature, built by hand."""
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    payload = b64url(json.dumps(claims).encode())
    return f"{header}.{payload}." + ("" if alg == "none" else b64url(b"not a signature"))


def decode_token(token: str, secret: str = JWT_SECRET) -> dict:
    import jwt  # noqa: PLC0415

    return jwt.decode(token, secret, algorithms=["HS256"], options={"verify_sub": False})


def care_team_people(server, prefix: str, password: str) -> dict[str, str]:
    """Bearer tokens for P1 (patient `{prefix}-p1`), P2 (patient `{prefix}-p2`), D1 (a provider with `{prefix}-p1` on
    their care team) and D2 (a provider without a care team), created with the CLI on `server` (a MedvaultServer)."""
    server.add_user(f"{prefix}-p1@e2e.test", "patient", patient_id=f"{prefix}-p1", password=password)
    server.add_user(f"{prefix}-p2@e2e.test", "patient", patient_id=f"{prefix}-p2", password=password)
    server.add_user(f"{prefix}-d1@e2e.test", "provider", password=password)
    server.add_user(f"{prefix}-d2@e2e.test", "provider", password=password)
    care = server.cli(["careteam", "add", "--provider", f"{prefix}-d1@e2e.test", "--patient", f"{prefix}-p1"])
    assert care.returncode == 0, care.stderr + care.stdout
    return {name: server.token_for(f"{prefix}-{name.lower()}@e2e.test") for name in ("P1", "P2", "D1", "D2")}
