"""How the server reads a request before any handler runs, over raw HTTP/1.1 so that the request target
reaches it byte for byte (requests and browsers may tidy a path up first):

- a path that is not canonical (`//api/…`, `/api//v2/…`, `/./api/…`, `..`, `%2F`, a trailing `/`) answers
  400 `invalid_path`, so no check can read another path than the router (a session once created an
  administrator without the CSRF token through `POST //api/v2/users`);
- a state change that rides on the session cookie needs the CSRF token on every route but the form routes;
- JSON endpoints take only `Content-Type: application/json` (415 `expected_json`), so a cross-site
  `text/plain` form cannot pass for JSON;
- a routed path called with a method it does not serve answers 405 `method_not_allowed` with `Allow`;
- every answer carries `X-Content-Type-Options: nosniff`.
"""

from __future__ import annotations

import http.client
import json
import uuid
from dataclasses import dataclass

import pytest

from support import ADMIN_API, ADMIN_EMAIL, ADMIN_PASSWORD, API, SESSION_COOKIE, USER_AGENT, Browser, multipart_body

pytestmark = pytest.mark.database_agnostic("request paths are read before any handler runs")

USERS = ADMIN_API + "/users"


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def error_code(self) -> str | None:
        try:
            return json.loads(self.body)["error"]["code"]
        except (ValueError, KeyError, TypeError):
            return None


def send(server, method: str, target: str, headers: dict[str, str] | None = None, body: bytes | str | None = None) -> Answer:
    """One request with `target` written into the request line exactly as given."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        data = body.encode() if isinstance(body, str) else body
        for name, value in ({"User-Agent": USER_AGENT} | (headers or {})).items():
            connection.putheader(name, value)
        if data is not None:
            connection.putheader("Content-Length", str(len(data)))
        connection.endheaders(data)
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


@pytest.fixture(scope="module")
def admin_session(server) -> dict[str, str]:
    """The first administrator signed in with a browser: the session cookie and the session's CSRF token."""
    browser = Browser(server)
    csrf = browser.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    return {"cookie": f"{SESSION_COOKIE}={browser.session.cookies.get(SESSION_COOKIE)}", "csrf": csrf}


def new_admin_body() -> tuple[str, str]:
    email = f"intruder-{uuid.uuid4().hex[:8]}@paths.e2e.test"
    return email, json.dumps({"email": email, "role": "admin"})


DISGUISED = [
    "//api/v2/users",
    "/api//v2/users",
    "/api/v2//users",
    "/api/v2/users/",
    "/./api/v2/users",
    "/api/./v2/users",
    "/api/v2/x/../users",
    "/api%2Fv2/users",
    "/api%2fv2%2fusers",
    "/api/v2/%2e/users",
    "/api\\v2/users",
]


@pytest.mark.parametrize("target", DISGUISED)
def test_a_session_cannot_create_an_administrator_through_a_disguised_path(server, admin_session, target):
    email, body = new_admin_body()
    for content_type in ("text/plain", "application/json"):
        answer = send(server, "POST", target, {"Cookie": admin_session["cookie"], "Content-Type": content_type}, body)
        assert (answer.status, answer.error_code()) == (400, "invalid_path"), f"{target} {content_type}: {answer.status} {answer.body[:300]!r}"
        assert answer.headers["X-Request-Id"]
    assert email not in [user["email"] for user in server.users()]


@pytest.mark.parametrize(
    "method,target",
    [
        ("POST", "//api/v2/aws/s3/upload"),
        ("DELETE", "//api/v2/aws/s3/delete"),
        ("POST", "//api/v2/careteams"),
        ("DELETE", "/api//v2/careteams"),
        ("POST", "/./api/v2/users/disable"),
        ("GET", "//api/v2/users"),
        ("GET", "/api/v2/aws/s3/../s3/stats"),
        ("GET", "//healthz"),
        ("GET", "/assets//medvault.css"),
        ("GET", "/assets/%2e%2e/openapi.yaml"),
    ],
)
def test_every_route_refuses_non_canonical_paths(server, admin_session, method, target):
    answer = send(server, method, target, {"Cookie": admin_session["cookie"], "Content-Type": "text/plain"}, "{}")
    assert (answer.status, answer.error_code()) == (400, "invalid_path"), f"{method} {target}: {answer.status} {answer.body[:300]!r}"


def test_a_session_state_change_without_the_token_is_refused_on_the_canonical_path(server, admin_session):
    email, body = new_admin_body()
    refused = send(server, "POST", USERS, {"Cookie": admin_session["cookie"], "Content-Type": "text/plain"}, body)
    assert (refused.status, refused.error_code()) == (403, "csrf_failed")
    content_type, upload = multipart_body([("category", "other"), ("entityId", "pa-paths"), ("entityType", "patient")], [("a.txt", b"x\n")])
    refused = send(server, "POST", API + "/upload", {"Cookie": admin_session["cookie"], "Content-Type": content_type}, upload)
    assert (refused.status, refused.error_code()) == (403, "csrf_failed")
    assert email not in [user["email"] for user in server.users()]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None])
def test_json_endpoints_refuse_bodies_not_declared_json(server, admin_session, content_type):
    email, body = new_admin_body()
    extra = {} if content_type is None else {"Content-Type": content_type}
    with_session = send(server, "POST", USERS, {"Cookie": admin_session["cookie"], "X-CSRF-Token": admin_session["csrf"]} | extra, body)
    assert (with_session.status, with_session.error_code()) == (415, "expected_json"), with_session.body[:300]
    with_token = send(server, "POST", USERS, {"Authorization": "Bearer " + server.admin_token} | extra, body)
    assert (with_token.status, with_token.error_code()) == (415, "expected_json"), with_token.body[:300]
    for method, target, payload in (
        ("POST", USERS + "/disable", json.dumps({"email": ADMIN_EMAIL})),
        ("POST", ADMIN_API + "/careteams", json.dumps({"provider": "dr@paths.e2e.test", "patientId": "pa-paths"})),
        ("DELETE", ADMIN_API + "/careteams", json.dumps({"provider": "dr@paths.e2e.test", "patientId": "pa-paths"})),
        ("DELETE", API + "/delete", json.dumps({"key": "patients/pa-paths/other/0f8fad5b-d9cb-469f-a165-70867728950e-a.txt"})),
    ):
        answer = send(server, method, target, {"Authorization": "Bearer " + server.admin_token} | extra, payload)
        assert (answer.status, answer.error_code()) == (415, "expected_json"), f"{method} {target}: {answer.body[:300]!r}"
    assert email not in [user["email"] for user in server.users()]
    assert not server.user(ADMIN_EMAIL)["disabled"]


def test_json_with_parameters_is_json(server, admin_session):
    email, body = new_admin_body()
    headers = {"Cookie": admin_session["cookie"], "X-CSRF-Token": admin_session["csrf"], "Content-Type": "Application/JSON; charset=utf-8"}
    created = send(server, "POST", USERS, headers, body)
    assert created.status == 201, created.body[:300]
    assert email in [user["email"] for user in server.users()]


@pytest.mark.parametrize(
    "method,target,allow",
    [
        ("PUT", USERS, "GET, POST"),
        ("PATCH", USERS + "/disable", "POST"),
        ("GET", API + "/upload", "POST"),
        ("POST", API + "/download", "GET"),
        ("GET", API + "/delete", "DELETE"),
        ("PUT", ADMIN_API + "/careteams", "DELETE, GET, POST"),
        ("TRACE", "/healthz", "GET"),
        ("DELETE", "/api/v2/openapi.yaml", "GET"),
        ("OPTIONS", ADMIN_API + "/audit", "GET"),
    ],
)
def test_a_wrong_method_is_405_with_allow(server, method, target, allow):
    answer = send(server, method, target, {"Authorization": "Bearer " + server.admin_token})
    assert (answer.status, answer.error_code()) == (405, "method_not_allowed"), f"{method} {target}: {answer.status} {answer.body[:300]!r}"
    assert answer.headers["Allow"] == allow


def test_an_unknown_path_is_still_404(server):
    answer = send(server, "PUT", API + "/no-such-operation", {"Authorization": "Bearer " + server.admin_token})
    assert (answer.status, answer.error_code()) == (404, "not_found")
    assert answer.headers["Allow"] is None


@pytest.mark.parametrize("target", ["/healthz", API + "/stats", API + "/config", USERS, API + "/no-such-operation", "//healthz", "/api/v2/openapi.yaml"])
def test_answers_say_nosniff(server, target):
    answer = send(server, "GET", target, {"Authorization": "Bearer " + server.admin_token})
    assert answer.headers["X-Content-Type-Options"] == "nosniff", f"{target}: {answer.status}"
