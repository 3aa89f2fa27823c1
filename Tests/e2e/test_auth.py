"""Authentication: bearer JWTs, browser sign-in with its session cookie and CSRF protection,
lockout, the idle timeout (automatic logoff), sign-in auditing, and the first administrator of a fresh install.

Tokens are minted with PyJWT and the suite's fixed MEDVAULT_JWT_SECRET, independently of medvault, so
expired, badly signed and malformed tokens can be presented. Time-based behaviour uses the short settings
the contract allows (MEDVAULT_LOCKOUT_DURATION=2, MEDVAULT_SESSION_IDLE_TIMEOUT=2) instead of long waits.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

import samples
from support import (
    ADMIN_API,
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    API,
    DEFAULT_ADMIN_EMAIL,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Browser,
    assert_error,
    hidden_field,
    mint_token,
    set_cookie_headers,
    unsigned_token,
)

pytestmark = pytest.mark.storage_agnostic("sign-in, tokens, sessions and lockout live in the database")

PASSWORD = "Auth-Passw0rd-e2e"
SIGN_IN_FAILED = "Sign-in failed"
OTHER_SECRET = "another-secret-of-forty-bytes-0123456789"


@pytest.fixture(scope="module")
def people(server) -> dict[str, dict]:
    """A patient and a provider with known passwords: {name: {email, id, ...}}."""
    found = {}
    for name, role, patient_id in (("patient", "patient", "pa-auth"), ("provider", "provider", None)):
        email = f"{name}@auth.e2e.test"
        user_id = server.add_user(email, role, patient_id=patient_id, password=PASSWORD)
        found[name] = {"email": email, "id": user_id, "role": role, "patient_id": patient_id}
    found["admin"] = {"email": ADMIN_EMAIL, "id": server.user(ADMIN_EMAIL)["id"], "role": "admin", "patient_id": None}
    return found


def claims(person: dict, lifetime: int = 600, **changes) -> dict:
    now = int(time.time())
    base = {"sub": person["id"], "role": person["role"], "exp": now + lifetime, "iat": now}
    if person["patient_id"]:
        base["patient_id"] = person["patient_id"]
    for name, value in changes.items():
        if value is None:
            base.pop(name, None)
        else:
            base[name] = value
    return base


def list_with(server, token: str | None, **kwargs):
    return server.get(API + "/list", auth=token, **kwargs)


# --- bearer tokens -------------------------------------------------------------------------------------


def test_no_credentials_is_401_with_a_bearer_challenge(server):
    response = list_with(server, None)
    assert_error(response, 401, "unauthenticated")
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer"), response.headers


def test_cli_token_is_accepted(server, people):
    token = server.issue_token(people["patient"]["email"])
    assert list_with(server, token).status_code == 200


def test_minted_token_is_accepted(server, people):
    for person in people.values():
        response = list_with(server, mint_token(claims(person)))
        assert response.status_code == 200, (person["email"], response.text)


def test_subject_may_be_the_email(server, people):
    person = people["provider"]
    response = list_with(server, mint_token(claims(person, sub=person["email"])))
    assert response.status_code == 200, response.text
    upload = server.upload([("by-email.txt", b"x\n")], category="other", entity_type="appointment", entity_id="a-email", auth=mint_token(claims(person, sub=person["email"])))
    assert upload.status_code == 201, upload.text
    row = server.audit_rows(upload.headers["X-Request-Id"])[0]
    assert row["actor_id"] == person["id"], "the actor is the user's id, however the token named them"


def test_expired_token_is_401_token_expired(server, people):
    token = mint_token(claims(people["patient"], lifetime=-60))
    assert_error(list_with(server, token), 401, "token_expired")


REFUSED_TOKENS = {
    "wrong-secret": lambda p: mint_token(claims(p), secret=OTHER_SECRET),
    "alg-none": lambda p: unsigned_token(claims(p), alg="none"),
    "alg-none-capitalised": lambda p: unsigned_token(claims(p), alg="None"),
    "alg-hs512": lambda p: mint_token(claims(p), algorithm="HS512"),
    "alg-rs256-without-jwks": lambda p: unsigned_token(claims(p), alg="RS256"),
    "missing-role": lambda p: mint_token(claims(p, role=None)),
    "missing-exp": lambda p: mint_token(claims(p, exp=None)),
    "missing-sub": lambda p: mint_token(claims(p, sub=None)),
    "missing-patient-id": lambda p: mint_token(claims(p, patient_id=None)),
    "other-patient-id": lambda p: mint_token(claims(p, patient_id="someone-else")),
    "role-mismatch-admin": lambda p: mint_token(claims(p, role="admin")),
    "role-mismatch-provider": lambda p: mint_token(claims(p, role="provider")),
    "unknown-subject": lambda p: mint_token(claims(p, sub=str(uuid.uuid4()))),
    "unknown-email": lambda p: mint_token(claims(p, sub="nobody@auth.e2e.test")),
    "truncated-signature": lambda p: mint_token(claims(p))[:-4],
    "garbage": lambda p: "not-a-jwt",
    "payload-swapped": lambda p: _swap_payload(mint_token(claims(p)), claims(p, role="admin")),
}


@pytest.mark.parametrize("make", REFUSED_TOKENS.values(), ids=REFUSED_TOKENS.keys())
def test_refused_token_is_401_invalid_token(server, people, make):
    response = list_with(server, make(people["patient"]))
    assert_error(response, 401, "invalid_token")


def _swap_payload(token: str, new_claims: dict) -> str:
    """The signature of one payload on another (privilege escalation by editing the claims)."""
    header, _, signature = token.split(".")
    forged = unsigned_token(new_claims, alg="HS256").split(".")[1]
    return f"{header}.{forged}.{signature}"


def test_role_claim_cannot_promote_a_provider(server, people):
    forged = mint_token(claims(people["provider"], role="admin"))
    assert_error(server.get(API + "/stats", auth=forged), 401, "invalid_token")


def test_token_of_a_disabled_user_is_refused(server):
    email = f"to-disable-{uuid.uuid4().hex[:8]}@auth.e2e.test"
    server.add_user(email, "patient", patient_id="pa-disabled", password=PASSWORD)
    token = server.issue_token(email)
    assert list_with(server, token).status_code == 200
    disabled = server.post(ADMIN_API + "/users/disable", json={"email": email})
    assert disabled.status_code == 200, disabled.text
    assert disabled.json()["user"]["disabled"] is True
    assert_error(list_with(server, token), 401, "invalid_token")
    assert_error(list_with(server, mint_token(claims({"id": disabled.json()["user"]["id"], "role": "patient", "patient_id": "pa-disabled"}))), 401, "invalid_token")


def test_disabling_an_unknown_user_is_404(server):
    assert_error(server.post(ADMIN_API + "/users/disable", json={"email": "ghost@auth.e2e.test"}), 404, "not_found")


def test_bearer_calls_need_no_csrf_token(server, people):
    token = mint_token(claims(people["patient"]))
    entry = server.upload_ok([("no-csrf.txt", b"bearer\n")], category="other", entity_id="pa-auth", auth=token)[0]
    assert server.delete_document(entry["key"], auth=token).status_code == 200


# --- the admin user API ------------------------------------------------------------------------------------


def test_admin_api_creates_users_and_refuses_duplicates_and_nonsense(server):
    email = f"api-{uuid.uuid4().hex[:8]}@auth.e2e.test"
    created = server.post(ADMIN_API + "/users", json={"email": email, "role": "provider", "displayName": "Dr API"})
    assert created.status_code == 201, created.text
    body = created.json()
    user = body["user"]
    assert (user["email"], user["role"], user["displayName"], user["disabled"]) == (email, "provider", "Dr API", False)
    assert user["providerId"] == user["id"]
    assert body.get("password"), "a generated password comes back once"
    assert body["password"] not in server.get(ADMIN_API + "/users").text, "and is never shown again"
    assert Browser(server).sign_in(email, body["password"]).status_code == 303, "the generated password works"

    assert_error(server.post(ADMIN_API + "/users", json={"email": email, "role": "provider"}), 409, "user_exists")
    assert_error(server.post(ADMIN_API + "/users", json={"email": "x-" + email, "role": "patient"}), 400, "invalid_parameter")
    assert_error(server.post(ADMIN_API + "/users", json={"email": "y-" + email, "role": "superuser"}), 400, "invalid_parameter")
    rows = server.query("SELECT * FROM audit_events WHERE action = 'user.create' AND outcome = 'success'")
    assert rows, "user creation is audited"


USER_FIELDS = {"id", "email", "role", "displayName", "patientId", "providerId", "disabled", "createdAt"}


def test_user_records_carry_the_contract_fields(server, people):
    """Every field of the contract on every user, null when it has no value (a provider's patientId)."""
    for user in server.users():
        assert USER_FIELDS <= set(user), f"{user['email']} lacks {sorted(USER_FIELDS - set(user))}"
    created = server.post(ADMIN_API + "/users", json={"email": f"fields-{uuid.uuid4().hex[:8]}@auth.e2e.test", "role": "admin"})
    assert created.status_code == 201, created.text
    assert USER_FIELDS <= set(created.json()["user"]), sorted(USER_FIELDS - set(created.json()["user"]))


# --- browser sign-in -----------------------------------------------------------------------------------


def test_login_page_has_the_form_and_sets_the_csrf_cookie(server):
    browser = Browser(server)
    response = browser.get("/login")
    assert response.status_code == 200
    assert "text/html" in response.headers["Content-Type"]
    page = response.text
    assert re.search(r"""<form\b[^>]*method=["']post["']""", page, flags=re.IGNORECASE), page[:500]
    for name in ("email", "password"):
        assert re.search(rf"""<input\b[^>]*name=["']{name}["']""", page), f"no {name} field"
    token = hidden_field(page, "csrf_token")
    assert token
    cookies = set_cookie_headers(response)
    csrf_cookie = [c for c in cookies if c.startswith(LOGIN_CSRF_COOKIE + "=")]
    assert csrf_cookie, cookies
    assert browser.session.cookies.get(LOGIN_CSRF_COOKIE) == token, "double submit: the cookie and the field agree"


def test_sign_in_without_csrf_token_is_403(server):
    browser = Browser(server)
    browser.login_form()
    response = browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, csrf=None)
    assert response.status_code == 403
    assert SESSION_COOKIE not in browser.session.cookies


def test_sign_in_with_a_mismatched_csrf_token_is_403(server):
    browser = Browser(server)
    browser.login_form()
    assert browser.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, csrf="forged-" + uuid.uuid4().hex).status_code == 403
    fresh = Browser(server)  # a token from the page but no cookie (another browser's form)
    assert fresh.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, csrf=browser.login_form()).status_code == 403
    assert SESSION_COOKIE not in fresh.session.cookies


def _normalised(page: str, email: str) -> str:
    page = page.replace(email, "EMAIL")
    page = re.sub(r"""value=["'][^"']*["']""", 'value=""', page)
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "ID", page)


def test_failed_sign_in_says_nothing_about_the_account(server, people):
    person = people["provider"]
    wrong = Browser(server).sign_in(person["email"], "not-the-password")
    unknown_email = f"nobody-{uuid.uuid4().hex[:6]}@auth.e2e.test"
    unknown = Browser(server).sign_in(unknown_email, "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    for response in (wrong, unknown):
        assert "text/html" in response.headers["Content-Type"]
        assert SIGN_IN_FAILED in response.text
        assert not any(c.startswith(SESSION_COOKIE + "=") and not c.startswith(SESSION_COOKIE + "=;") for c in set_cookie_headers(response))
    assert _normalised(wrong.text, person["email"]) == _normalised(unknown.text, unknown_email)


def test_successful_sign_in_sets_a_strict_http_only_cookie(server, people):
    browser = Browser(server)
    response = browser.sign_in(people["patient"]["email"], PASSWORD)
    assert response.status_code == 303, response.text[:300]
    assert response.headers["Location"] == "/"
    cookie = [c for c in set_cookie_headers(response) if c.startswith(SESSION_COOKIE + "=")]
    assert len(cookie) == 1, set_cookie_headers(response)
    attributes = [part.strip().lower() for part in cookie[0].split(";")]
    assert "httponly" in attributes
    assert "samesite=strict" in attributes
    assert "secure" not in attributes, "served over plain http: no Secure"
    assert len(cookie[0].split(";")[0].split("=", 1)[1]) >= 32, "an unguessable value"
    home = browser.get("/")
    assert home.status_code == 200
    assert "text/html" in home.headers["Content-Type"]


def test_home_without_a_session_redirects_to_login(server):
    response = Browser(server).get("/")
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"


def test_session_cookie_api_calls_and_csrf(server, people):
    browser = Browser(server)
    csrf = browser.signed_in(people["patient"]["email"], PASSWORD)
    assert browser.get(API + "/list").status_code == 200, "a GET with the session needs no CSRF token"

    content_type, body = _upload_body()
    refused = browser.post(API + "/upload", data=body, headers={"Content-Type": content_type})
    assert_error(refused, 403, "csrf_failed")
    assert_error(browser.post(API + "/upload", data=body, headers={"Content-Type": content_type, "X-CSRF-Token": "wrong"}), 403, "csrf_failed")
    uploaded = browser.post(API + "/upload", data=body, headers={"Content-Type": content_type, "X-CSRF-Token": csrf})
    assert uploaded.status_code == 201, uploaded.text
    key = uploaded.json()["files"][0]["key"]
    row = server.audit_rows(uploaded.headers["X-Request-Id"])[0]
    assert (row["actor_id"], row["actor_role"]) == (people["patient"]["id"], "patient")

    payload = {"data": f'{{"key": "{key}"}}', "headers": {"Content-Type": "application/json"}}
    assert_error(browser.delete(API + "/delete", **payload), 403, "csrf_failed")
    assert server.download(key).status_code == 200, "the refused delete deleted nothing"
    deleted = browser.delete(API + "/delete", data=payload["data"], headers=payload["headers"] | {"X-CSRF-Token": csrf})
    assert deleted.status_code == 200, deleted.text


def _upload_body():
    from support import multipart_body

    return multipart_body([("category", "other"), ("entityId", "pa-auth"), ("entityType", "patient")], [("session.txt", b"via session\n")])


def test_sign_out_needs_the_csrf_token(server, people):
    browser = Browser(server)
    csrf = browser.signed_in(people["provider"]["email"], PASSWORD)
    session_value = browser.session.cookies.get(SESSION_COOKIE)

    refused = browser.post("/logout", data={})
    assert refused.status_code == 403
    refused = browser.post("/logout", data={"csrf_token": "wrong"})
    assert refused.status_code == 403
    assert browser.get("/").status_code == 200, "still signed in"

    response = browser.post("/logout", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert response.headers["Location"] == "/login?signedOut=1"
    row = server.audit_rows(response.headers["X-Request-Id"])[0]
    assert (row["action"], row["actor_id"]) == ("auth.sign_out", people["provider"]["id"])
    assert browser.get("/").status_code == 303

    replay = Browser(server)  # the old cookie no longer opens anything: the session was deleted
    replay.session.cookies.set(SESSION_COOKIE, session_value)
    assert replay.get("/").status_code == 303
    assert replay.get(API + "/list").status_code == 401


def test_sign_in_is_audited_with_the_actor(server, people):
    person = people["patient"]
    success = Browser(server).sign_in(person["email"], PASSWORD)
    assert success.status_code == 303
    row = server.audit_rows(success.headers["X-Request-Id"])[0]
    assert (row["action"], row["outcome"], row["actor_id"], row["actor_role"]) == ("auth.sign_in", "success", person["id"], "patient")

    attempted = "Wr0ng-" + uuid.uuid4().hex
    failure = Browser(server).sign_in(person["email"], attempted)
    assert failure.status_code == 401
    row = server.audit_rows(failure.headers["X-Request-Id"])[0]
    assert (row["action"], row["outcome"], row["actor_id"]) == ("auth.sign_in", "denied", person["id"])
    assert attempted not in str(row) and PASSWORD not in str(row), "passwords are never recorded"

    unknown = Browser(server).sign_in("nobody@auth.e2e.test", "whatever")
    row = server.audit_rows(unknown.headers["X-Request-Id"])[0]
    assert (row["action"], row["outcome"], row["actor_id"]) == ("auth.sign_in", "denied", None)


def test_an_unknown_identifier_is_recorded_as_a_keyed_hash_never_as_typed(server):
    """People type their password into the e-mail field: the audit trail keeps a keyed hash of it."""
    typed = "Pa55word-" + uuid.uuid4().hex
    first = Browser(server).sign_in(typed, "whatever")
    again = Browser(server).sign_in(" " + typed.upper() + " ", "whatever")
    other = Browser(server).sign_in("x" + typed, "whatever")
    assert first.status_code == again.status_code == other.status_code == 401
    details = [server.audit_rows(r.headers["X-Request-Id"])[0]["detail"] for r in (first, again, other)]
    for detail in details:
        assert re.fullmatch(r"unknown account hmac:[0-9a-f]{32}", detail), detail
    assert details[0] == details[1], "the same identifier, however typed, gives the same hash"
    assert details[0] != details[2]
    everything = str(server.query("SELECT * FROM audit_events")).lower()
    assert typed.lower() not in everything
    key = (server.data_dir / "identifier.key").read_text().strip()
    assert key not in str(server.query("SELECT * FROM audit_events")), "the key is not in the database"
    assert (server.data_dir / "identifier.key").stat().st_mode & 0o077 == 0


# --- lockout -------------------------------------------------------------------------------------------


def test_five_failures_lock_the_account_for_the_lockout_duration(start_server):
    server = start_server({"MEDVAULT_LOCKOUT_DURATION": "2"}, name="lockout")
    email = "locked@auth.e2e.test"
    user_id = server.add_user(email, "provider", password=PASSWORD)
    browser = Browser(server)
    for attempt in range(5):
        response = browser.sign_in(email, f"wrong-{attempt}")
        assert response.status_code == 401, (attempt, response.text[:200])
    locked = browser.sign_in(email, PASSWORD)
    assert locked.status_code == 401, "the right password fails while the account is locked"
    assert SIGN_IN_FAILED in locked.text
    assert SESSION_COOKIE not in browser.session.cookies

    lockouts = server.query("SELECT * FROM audit_events WHERE action = 'auth.lockout'")
    assert lockouts, "the lockout is audited"
    assert {row["actor_id"] for row in lockouts} == {user_id}

    time.sleep(2.5)
    unlocked = browser.sign_in(email, PASSWORD)
    assert unlocked.status_code == 303, "after the lockout duration the right password works again"


def _sign_in_together(server, email: str, passwords: list[str]) -> list[int]:
    """One sign-in per password, each from its own browser and thread, released at the same moment."""
    browsers = [Browser(server) for _ in passwords]
    tokens = [browser.login_form() for browser in browsers]
    barrier = threading.Barrier(len(passwords))

    def attempt(index: int) -> int:
        barrier.wait()
        return browsers[index].sign_in(email, passwords[index], csrf=tokens[index]).status_code

    with ThreadPoolExecutor(len(passwords)) as pool:
        return list(pool.map(attempt, range(len(passwords))))


def _sign_in_rows(server, user_id: str) -> dict[str, list[dict]]:
    rows = server.query("SELECT * FROM audit_events WHERE actor_id = ? ORDER BY sequence", (user_id,))
    return {
        "wrong": [r for r in rows if r["action"] == "auth.sign_in" and r["detail"] == "wrong password"],
        "locked": [r for r in rows if r["action"] == "auth.sign_in" and r["detail"] == "account locked"],
        "success": [r for r in rows if r["action"] == "auth.sign_in" and r["outcome"] == "success"],
        "lockout": [r for r in rows if r["action"] == "auth.lockout"],
    }


def test_simultaneous_wrong_passwords_get_no_more_checks_than_the_limit(start_server):
    server = start_server({"MEDVAULT_LOCKOUT_DURATION": "60", "MEDVAULT_BCRYPT_COST": "8", "MEDVAULT_SIGN_IN_QUEUE": "100"}, name="lockout-race")
    email = "race@auth.e2e.test"
    user_id = server.add_user(email, "provider", password=PASSWORD)
    statuses = _sign_in_together(server, email, [f"wrong-{i}" for i in range(25)])
    assert statuses == [401] * 25
    rows = _sign_in_rows(server, user_id)
    assert len(rows["wrong"]) == 5, f"{len(rows['wrong'])} passwords were checked"
    assert len(rows["locked"]) == 20
    assert len(rows["lockout"]) == 1
    assert Browser(server).sign_in(email, PASSWORD).status_code == 401, "the right password after the lock is refused"


def test_a_right_password_racing_wrong_ones_does_not_lift_their_lock(start_server):
    server = start_server(
        {"MEDVAULT_LOCKOUT_DURATION": "60", "MEDVAULT_BCRYPT_COST": "8", "MEDVAULT_SIGN_IN_QUEUE": "100"}, name="lockout-race-right"
    )
    email = "race-right@auth.e2e.test"
    user_id = server.add_user(email, "provider", password=PASSWORD)
    for round in range(3):
        _sign_in_together(server, email, [PASSWORD if i % 5 == 4 else f"wrong-{round}-{i}" for i in range(20)])
        rows = _sign_in_rows(server, user_id)
        # Every success starts the count again: at most the limit of wrong passwords per success, and one more round.
        assert len(rows["wrong"]) <= 5 * (len(rows["success"]) + 1), (len(rows["wrong"]), len(rows["success"]))
        if rows["lockout"]:
            locked_at = rows["lockout"][0]["sequence"]
            assert not [r for r in rows["success"] if r["sequence"] > locked_at], "a right password got in after the lock"
            assert Browser(server).sign_in(email, PASSWORD).status_code == 401, "the lock is still in place"
            return
    pytest.skip("no round locked the account (every round had a success early enough)")


def test_other_accounts_are_not_locked_with_it(start_server):
    server = start_server({"MEDVAULT_LOCKOUT_DURATION": "60"}, name="lockout-other")
    server.add_user("victim@auth.e2e.test", "provider", password=PASSWORD)
    for attempt in range(6):
        assert Browser(server).sign_in("victim@auth.e2e.test", f"wrong-{attempt}").status_code == 401
    assert Browser(server).sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 303
    assert Browser(server).sign_in("victim@auth.e2e.test", PASSWORD).status_code == 401


# --- sign-in throttling ---------------------------------------------------------------------------------


class _FromAddress(requests.adapters.HTTPAdapter):
    """Connects from another loopback address (127.0.0.2, …), so the server sees another client."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def _browser_from(server, address: str) -> Browser:
    browser = Browser(server)
    browser.session.mount("http://", _FromAddress(address))
    return browser


def _assert_throttled(response, retry_after_at_most: int) -> int:
    assert response.status_code == 429, (response.status_code, response.text[:300])
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= retry_after_at_most
    assert 'data-error-code="too_many_requests"' in response.text
    return retry_after


def test_sign_in_is_throttled_per_account_with_retry_after(start_server):
    server = start_server({"MEDVAULT_SIGN_IN_ACCOUNT_BURST": "3", "MEDVAULT_SIGN_IN_ACCOUNT_REFILL": "2"}, name="throttle-account")
    typed = "Throttled-" + uuid.uuid4().hex
    for _ in range(3):
        assert Browser(server).sign_in(typed, "guess").status_code == 401
    throttled = Browser(server).sign_in(typed, "guess")
    retry_after = _assert_throttled(throttled, 2)
    row = server.audit_rows(throttled.headers["X-Request-Id"])[0]
    assert (row["action"], row["outcome"], row["http_status"], row["error_code"]) == ("auth.sign_in", "denied", 429, "too_many_requests")
    assert Browser(server).sign_in("someone-else@auth.e2e.test", "guess").status_code == 401, "other accounts go on"
    time.sleep(retry_after + 0.1)
    assert Browser(server).sign_in(typed, "guess").status_code == 401, "a token was earned back"
    keys = [r["bucket_key"] for r in server.query("SELECT bucket_key FROM sign_in_buckets")]
    assert keys and all(re.fullmatch(r"(address|account):hmac:[0-9a-f]{32}", k) for k in keys), keys
    assert typed.lower() not in str(server.query("SELECT * FROM audit_events")).lower()


def test_sign_in_is_throttled_per_client_address(start_server):
    server = start_server({"MEDVAULT_SIGN_IN_ADDRESS_BURST": "3", "MEDVAULT_SIGN_IN_ADDRESS_REFILL": "60"}, name="throttle-address")
    for index in range(3):
        assert Browser(server).sign_in(f"guess-{index}@auth.e2e.test", "guess").status_code == 401
    _assert_throttled(Browser(server).sign_in(ADMIN_EMAIL, ADMIN_PASSWORD), 60)
    elsewhere = _browser_from(server, "127.0.0.2")
    assert elsewhere.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 303, "another address is not held back"
    rows = server.query("SELECT client_address FROM audit_events WHERE action = 'auth.sign_in' AND outcome = 'success'")
    assert [r["client_address"] for r in rows] == ["127.0.0.2"]


def test_a_flood_of_sign_ins_does_not_starve_a_real_one(start_server):
    """40 sign-ins at once from one address, at the real bcrypt cost, while a real user signs in from another."""
    server = start_server(
        {"MEDVAULT_BCRYPT_COST": "12", "MEDVAULT_SIGN_IN_ADDRESS_BURST": None, "MEDVAULT_SIGN_IN_ACCOUNT_BURST": None},
        name="throttle-flood",
    )
    email = "real@auth.e2e.test"
    server.add_user(email, "provider", password=PASSWORD)
    flood = [Browser(server) for _ in range(40)]
    tokens = [browser.login_form() for browser in flood]
    real = _browser_from(server, "127.0.0.2")
    real_token = real.login_form()
    barrier = threading.Barrier(len(flood) + 1)

    def flood_attempt(index: int) -> int:
        barrier.wait()
        return flood[index].sign_in(f"flood-{index}@auth.e2e.test", "guess", csrf=tokens[index]).status_code

    def real_attempt() -> tuple[int, float]:
        barrier.wait()
        time.sleep(0.05)  # behind the flood, not before it
        started = time.monotonic()
        status = real.sign_in(email, PASSWORD, csrf=real_token).status_code
        return status, time.monotonic() - started

    with ThreadPoolExecutor(len(flood) + 1) as pool:
        flooding = [pool.submit(flood_attempt, index) for index in range(len(flood))]
        real_result = pool.submit(real_attempt)
        statuses = [f.result() for f in flooding]
        status, seconds = real_result.result()
    assert status == 303
    assert seconds < 4, f"the real sign-in took {seconds:.1f} s behind the flood"
    assert set(statuses) <= {401, 429} and 429 in statuses, statuses


# --- idle timeout (automatic logoff) -----------------------------------------------------------------------


def test_idle_session_ends_and_lands_on_the_login_page(start_server):
    server = start_server({"MEDVAULT_SESSION_IDLE_TIMEOUT": "2"}, name="idle")
    page_browser, api_browser, active_browser = Browser(server), Browser(server), Browser(server)
    for browser in (page_browser, api_browser, active_browser):
        browser.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD)

    for _ in range(3):  # activity keeps a session alive past the idle timeout
        time.sleep(1)
        assert active_browser.get("/").status_code == 200
    time.sleep(0.2)  # the other two have now been idle for more than 3 s

    page = page_browser.get("/")
    assert page.status_code == 303
    assert page.headers["Location"] == "/login?expired=1"
    assert_error(api_browser.get(API + "/list"), 401, "session_expired")
    assert active_browser.get(API + "/list").status_code == 200


# --- the first administrator -------------------------------------------------------------------------------

ONE_TIME = re.compile(r"medvault: created administrator (\S+) with one-time password: (\S+)")


def test_fresh_install_creates_an_admin_and_prints_the_password_once(start_server):
    server = start_server({"MEDVAULT_ADMIN_EMAIL": None, "MEDVAULT_ADMIN_PASSWORD": None}, name="bootstrap")
    deadline = time.monotonic() + 5
    while not ONE_TIME.search(server.output("stderr")) and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = [m for m in ONE_TIME.finditer(server.output("stderr"))]
    assert len(lines) == 1, server.output()[-2000:]
    email, password = lines[0].group(1), lines[0].group(2)
    assert email == DEFAULT_ADMIN_EMAIL
    assert password not in server.output("stdout")

    browser = Browser(server)
    assert browser.sign_in(email, password).status_code == 303, "the one-time password signs in"
    assert browser.get(API + "/stats").status_code == 200, "as an administrator"
    assert server.get(API + "/stats").status_code == 200, "and `token issue` works for it"

    assert server.stop() == 0
    first_run = server.output()
    server.start()
    assert server.get("/healthz").status_code == 200
    time.sleep(0.3)
    assert server.output().startswith(first_run[:100])
    second_run = server.stdout_path.read_text() + server.stderr_path.read_text()
    assert "one-time password" not in second_run
    assert password not in second_run
    assert len(ONE_TIME.findall(server.output())) == 1
    assert Browser(server).sign_in(email, password).status_code == 303, "the same administrator after a restart"


def test_configured_admin_is_created_without_printing_a_password(server):
    assert "one-time password" not in server.output()
    assert ADMIN_PASSWORD not in server.output()
    admin = server.user(ADMIN_EMAIL)
    assert admin["role"] == "admin" and admin["disabled"] is False
    assert DEFAULT_ADMIN_EMAIL not in {u["email"] for u in server.users()}
    assert Browser(server).sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).status_code == 303


def test_uploads_by_session_and_token_name_the_same_actor(server, people):
    """A sanity check that the two ways in lead to the same identity in the audit trail."""
    person = people["patient"]
    browser = Browser(server)
    csrf = browser.signed_in(person["email"], PASSWORD)
    content_type, body = _upload_body()
    by_session = browser.post(API + "/upload", data=body, headers={"Content-Type": content_type, "X-CSRF-Token": csrf})
    by_token = server.upload([("token.txt", samples.TEXT)], category="other", entity_id="pa-auth", auth=server.token_for(person["email"]))
    assert by_session.status_code == by_token.status_code == 201
    actors = {server.audit_rows(r.headers["X-Request-Id"])[0]["actor_id"] for r in (by_session, by_token)}
    assert actors == {person["id"]}
