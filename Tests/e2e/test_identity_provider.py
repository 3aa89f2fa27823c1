"""Tokens of an identity provider whose keys medvault fetches over HTTPS (MEDVAULT_JWKS_URL): bound to the
configured issuer and audience, `nbf` honoured, a rotated key picked up by its unknown `kid`, the last good
set kept while the provider is down, and the provider's certificate checked against MEDVAULT_JWKS_CA_FILE.

The provider is tests' own (identity_provider.py): an HTTPS server on loopback with a certificate from a CA
made for the run, and RSA keys whose tokens PyJWT signs.
"""

from __future__ import annotations

import time

import pytest

from identity_provider import AUDIENCE, ISSUER, IdentityProvider, SigningKey, claims
from support import ADMIN_EMAIL, API, AUTH_ENV, assert_error, run_cli

pytestmark = [pytest.mark.storage_agnostic("tokens from an identity provider are verified before any storage call"), pytest.mark.database_agnostic("tokens from an identity provider are verified before any database call")]


@pytest.fixture
def idp(tmp_path):
    with IdentityProvider(tmp_path / "idp") as provider:
        yield provider


def idp_env(idp: IdentityProvider, **extra: str | None) -> dict:
    return {
        "MEDVAULT_JWKS_URL": idp.url,
        "MEDVAULT_JWKS_CA_FILE": str(idp.ca_file),
        "MEDVAULT_JWT_ISSUER": ISSUER,
        "MEDVAULT_JWT_AUDIENCE": AUDIENCE,
        "MEDVAULT_JWKS_REFETCH_INTERVAL": "1",
    } | extra


def stats(server, token: str):
    return server.get(API + "/stats", auth=token)


def test_tokens_are_accepted_only_for_the_configured_issuer_and_audience(start_server, idp):
    key = SigningKey("k1")
    idp.publish(key)
    server = start_server(idp_env(idp), name="idp-binding")
    assert stats(server, key.token(claims(ADMIN_EMAIL))).status_code == 200
    assert stats(server, key.token(claims(ADMIN_EMAIL, aud=["another-app", AUDIENCE]))).status_code == 200
    assert stats(server, key.token(claims(ADMIN_EMAIL, nbf=int(time.time()) + 10))).status_code == 200, "within the leeway"
    refused = {
        "another issuer": claims(ADMIN_EMAIL, iss="https://idp.e2e.test/realms/other"),
        "another audience": claims(ADMIN_EMAIL, aud="another-app"),
        "no issuer": claims(ADMIN_EMAIL, iss=None),
        "no audience": claims(ADMIN_EMAIL, aud=None),
        "not valid for five minutes yet": claims(ADMIN_EMAIL, nbf=int(time.time()) + 300),
        "issued in the future": claims(ADMIN_EMAIL, iat=int(time.time()) + 300),
    }
    for label, body in refused.items():
        response = stats(server, key.token(body))
        assert response.status_code == 401, label
        assert_error(response, 401, "invalid_token")


def test_a_rotated_key_is_picked_up_by_its_unknown_kid(start_server, idp):
    old = SigningKey("2026-11")
    idp.publish(old)
    server = start_server(idp_env(idp), name="idp-rotation")
    assert stats(server, old.token(claims(ADMIN_EMAIL))).status_code == 200
    fetched = idp.fetches

    new = SigningKey("2026-12")
    idp.publish(old, new)
    time.sleep(1.1)  # MEDVAULT_JWKS_REFETCH_INTERVAL
    assert stats(server, new.token(claims(ADMIN_EMAIL))).status_code == 200
    assert idp.fetches == fetched + 1
    assert stats(server, old.token(claims(ADMIN_EMAIL))).status_code == 200, "known key ids need no fetch"
    assert idp.fetches == fetched + 1

    # Made-up key ids cannot make medvault hammer the provider: one fetch per interval at most.
    for index in range(10):
        assert_error(stats(server, new.token(claims(ADMIN_EMAIL), kid=f"made-up-{index}")), 401, "invalid_token")
    assert idp.fetches <= fetched + 2


def test_the_last_good_set_is_kept_while_the_provider_is_down(start_server, idp):
    key = SigningKey("k1")
    idp.publish(key)
    server = start_server(idp_env(idp, MEDVAULT_JWKS_MAX_AGE="1"), name="idp-down")
    assert stats(server, key.token(claims(ADMIN_EMAIL))).status_code == 200

    idp.stop()
    time.sleep(1.1)  # the set is now older than MEDVAULT_JWKS_MAX_AGE: the next token makes medvault try again
    assert stats(server, key.token(claims(ADMIN_EMAIL))).status_code == 200, "the provider is down: the last set is used"
    deadline = time.monotonic() + 5
    while "could not be fetched" not in server.output() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "could not be fetched" in server.output()
    assert key.token(claims(ADMIN_EMAIL)).split(".")[2] not in server.output(), "no token in the log"

    rotated = SigningKey("k2")
    idp.publish(rotated)
    idp.start()
    time.sleep(1.1)
    assert stats(server, rotated.token(claims(ADMIN_EMAIL))).status_code == 200, "back up: the new set is fetched"
    assert_error(stats(server, key.token(claims(ADMIN_EMAIL))), 401, "invalid_token")


def test_a_provider_whose_certificate_is_not_trusted_is_not_believed(start_server, idp):
    key = SigningKey("k1")
    idp.publish(key)
    server = start_server(idp_env(idp, MEDVAULT_JWKS_CA_FILE=None), name="idp-untrusted")
    assert_error(stats(server, key.token(claims(ADMIN_EMAIL))), 401, "invalid_token")
    assert idp.fetches == 0, "no set was read over the untrusted connection"
    assert stats(server, server.admin_token).status_code == 200, "medvault's own tokens still work"


REFUSED_CONFIGURATIONS = {
    "url without issuer": ({"MEDVAULT_JWKS_URL": "https://127.0.0.1:9/jwks", "MEDVAULT_JWT_AUDIENCE": AUDIENCE}, "MEDVAULT_JWT_ISSUER"),
    "url without audience": ({"MEDVAULT_JWKS_URL": "https://127.0.0.1:9/jwks", "MEDVAULT_JWT_ISSUER": ISSUER}, "MEDVAULT_JWT_AUDIENCE"),
    "file without either": ({"MEDVAULT_JWKS_FILE": "/dev/null"}, "MEDVAULT_JWT_ISSUER and MEDVAULT_JWT_AUDIENCE are required"),
    "plain http": (
        {"MEDVAULT_JWKS_URL": "http://127.0.0.1:9/jwks", "MEDVAULT_JWT_ISSUER": ISSUER, "MEDVAULT_JWT_AUDIENCE": AUDIENCE},
        "MEDVAULT_JWKS_URL must be an https URL",
    ),
}


@pytest.mark.parametrize("env,message", REFUSED_CONFIGURATIONS.values(), ids=REFUSED_CONFIGURATIONS.keys())
def test_start_up_refuses_a_key_set_that_is_not_bound(tmp_path, env, message):
    result = run_cli(["serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", str(tmp_path / "data")], env=AUTH_ENV | env, timeout=30)
    assert result.returncode != 0
    assert message in result.stderr + result.stdout, result.stderr[-2000:]
