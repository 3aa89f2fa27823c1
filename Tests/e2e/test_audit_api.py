"""The audit API: `GET /api/v2/audit` with its filters and cursor paging, the JSON Lines and FHIR
R4 exports, admin-only access, and `medvault audit verify` still proving the chain afterwards.

Every answer is checked against the `audit_events` table itself (read directly, as an auditor would).
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import pytest

import samples
from support import ADMIN_API, assert_error, run_cli

pytestmark = pytest.mark.storage_agnostic("the audit trail lives in the database")

AUDIT = ADMIN_API + "/audit"
EXPORT = ADMIN_API + "/audit/export"
PASSWORD = "Audit-Passw0rd-e2e"
REASON = "ER: audit API break-glass"
EVENT_FIELDS = {
    "sequence", "occurredAt", "action", "outcome", "httpStatus", "errorCode", "documentId", "documentKey", "patientId",
    "actorId", "actorRole", "breakGlass", "reason", "clientAddress", "userAgent", "requestId", "detail", "hash",
}  # fmt: skip
FHIR_OUTCOMES = {"0", "4", "8", "12"}


def iso(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"


def parse_instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def trail(server) -> dict:
    """Users, documents and a known mix of audited calls; returns what the tests need to find them."""
    found: dict = {}
    found["patient_id"] = server.add_user("pa@audit.e2e.test", "patient", patient_id="pa", password=PASSWORD)
    server.add_user("pb@audit.e2e.test", "patient", patient_id="pb", password=PASSWORD)
    found["provider_id"] = server.add_user("doc@audit.e2e.test", "provider", password=PASSWORD)
    assert server.cli(["careteam", "add", "--provider", "doc@audit.e2e.test", "--patient", "pa"]).returncode == 0
    patient = server.token_for("pa@audit.e2e.test")
    provider = server.token_for("doc@audit.e2e.test")

    pa_docs = server.upload_ok([("pa-one.pdf", samples.pdf("pa one")), ("pa-two.txt", b"pa two\n")], entity_id="pa")
    pb_doc = server.upload_ok([("pb-one.txt", b"pb one\n")], entity_id="pb")[0]
    assert server.download(pa_docs[0]["key"], auth=patient).status_code == 200
    denied = server.download(pb_doc["key"], auth=patient)
    assert denied.status_code == 403, denied.text
    glass = server.download(pb_doc["key"], auth=provider, headers={"X-Break-Glass-Reason": REASON})
    assert glass.status_code == 200, glass.text
    assert server.list(prefix="patients/pa/", auth=provider).status_code == 200
    assert server.delete_document(pa_docs[1]["key"]).status_code == 200

    time.sleep(0.05)
    found["from"] = datetime.now(timezone.utc)
    time.sleep(0.05)
    window = [server.list(auth=patient), server.download(pa_docs[0]["key"], auth=patient), server.download(pa_docs[0]["key"], auth=patient)]
    assert all(r.status_code == 200 for r in window)
    time.sleep(0.05)
    found["to"] = datetime.now(timezone.utc)
    time.sleep(0.05)
    assert server.get("/api/v2/aws/s3/stats").status_code == 200

    found |= {
        "pa_docs": pa_docs,
        "pb_doc": pb_doc,
        "denied_request": denied.headers["X-Request-Id"],
        "glass_request": glass.headers["X-Request-Id"],
        "window_requests": {r.headers["X-Request-Id"] for r in window},
        "patient_token": patient,
        "provider_token": provider,
    }
    return found


def fetch_all(server, limit: int = 100, **filters) -> list[dict]:
    """Every event matching `filters`, following nextCursor."""
    events: list[dict] = []
    cursor = None
    for _ in range(1000):
        params = {k: v for k, v in (filters | {"limit": limit, "cursor": cursor}).items() if v is not None}
        response = server.get(AUDIT, params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        events += body["events"]
        cursor = body["nextCursor"]
        if cursor is None:
            return events
    raise AssertionError("paging does not end")


def db_rows(server, where: str = "1 = 1", params: tuple = ()) -> list[dict]:
    return server.query(f"SELECT * FROM audit_events WHERE {where} ORDER BY sequence", params)


def test_events_carry_the_contract_fields(server, trail):
    response = server.get(AUDIT, params={"limit": 5})
    assert response.status_code == 200, response.text
    assert "application/json" in response.headers["Content-Type"]
    body = response.json()
    assert set(body) >= {"events", "nextCursor"}
    assert 0 < len(body["events"]) <= 5
    for event in body["events"]:
        parse_instant(event["occurredAt"])
        assert isinstance(event["breakGlass"], bool) and isinstance(event["sequence"], int)
    for event in fetch_all(server):  # every field of the contract, null when there is no value
        assert EVENT_FIELDS <= set(event), f"event {event['sequence']} ({event['action']}) lacks {sorted(EVENT_FIELDS - set(event))}"


def test_event_matches_its_database_row(server, trail):
    event = next(e for e in fetch_all(server, breakGlass="true") if e["requestId"] == trail["glass_request"])
    row = db_rows(server, "request_id = ?", (trail["glass_request"],))[0]
    assert event["sequence"] == row["sequence"]
    assert (event["action"], event["outcome"], event["httpStatus"]) == (row["action"], row["outcome"], row["http_status"])
    assert event.get("errorCode") == row["error_code"] is None
    assert (event["documentKey"], event["documentId"], event["patientId"]) == (trail["pb_doc"]["key"], trail["pb_doc"]["id"], "pb")
    assert (event["actorId"], event["actorRole"], event["breakGlass"], event["reason"]) == (trail["provider_id"], "provider", True, REASON)
    assert event["hash"] == row["hash"]

    # Every instant is the stored millisecond exactly (a float-based formatter printed half of them 1 ms early).
    stored = {r["sequence"]: r["occurred_at"] for r in db_rows(server)}
    printed = {e["sequence"]: round(parse_instant(e["occurredAt"]).timestamp() * 1000) for e in fetch_all(server)}
    assert {sequence: printed.get(sequence) for sequence in stored} == stored  # paging itself adds rows


FILTERS = {
    # name: (query params from the trail, check on each event, SQL for the same rows)
    "actor": (lambda t: {"actor": t["patient_id"]}, lambda e, t: e["actorId"] == t["patient_id"], lambda t: ("actor_id = ?", (t["patient_id"],))),
    "patient": (lambda t: {"patient": "pb"}, lambda e, t: e["patientId"] == "pb", lambda t: ("patient_id = ?", ("pb",))),
    "key": (
        lambda t: {"key": t["pa_docs"][0]["key"]},
        lambda e, t: e["documentKey"] == t["pa_docs"][0]["key"],
        lambda t: ("document_key = ?", (t["pa_docs"][0]["key"],)),
    ),
    "action": (lambda t: {"action": "document.download"}, lambda e, t: e["action"] == "document.download", lambda t: ("action = ?", ("document.download",))),
    "outcome": (lambda t: {"outcome": "denied"}, lambda e, t: e["outcome"] == "denied", lambda t: ("outcome = ?", ("denied",))),
    "breakGlass": (lambda t: {"breakGlass": "true"}, lambda e, t: e["breakGlass"] is True, lambda t: ("break_glass", ())),
    "actor+action": (
        lambda t: {"actor": t["patient_id"], "action": "document.download"},
        lambda e, t: e["actorId"] == t["patient_id"] and e["action"] == "document.download",
        lambda t: ("actor_id = ? AND action = ?", (t["patient_id"], "document.download")),
    ),
    "patient+outcome": (
        lambda t: {"patient": "pb", "outcome": "success"},
        lambda e, t: e["patientId"] == "pb" and e["outcome"] == "success",
        lambda t: ("patient_id = ? AND outcome = ?", ("pb", "success")),
    ),
}


@pytest.mark.parametrize("name", FILTERS)
def test_filter_narrows_to_exactly_the_matching_rows(server, trail, name):
    params_of, matches, sql_of = FILTERS[name]
    where, params = sql_of(trail)
    expected = [row["sequence"] for row in db_rows(server, where, params)]
    total = len(db_rows(server))
    events = fetch_all(server, **params_of(trail))
    assert events, f"{name}: the trail has matching rows"
    assert all(matches(e, trail) for e in events), [e for e in events if not matches(e, trail)][:3]
    assert [e["sequence"] for e in events] == expected
    assert len(events) < total, "the filter narrows"


def test_filters_find_the_known_events(server, trail):
    assert trail["denied_request"] in {e["requestId"] for e in fetch_all(server, outcome="denied")}
    assert trail["glass_request"] in {e["requestId"] for e in fetch_all(server, breakGlass="true")}
    assert trail["denied_request"] in {e["requestId"] for e in fetch_all(server, patient="pb")}


def test_time_window_filter(server, trail):
    start, end = trail["from"], trail["to"]
    events = fetch_all(server, **{"from": iso(start), "to": iso(end)})
    assert {e["requestId"] for e in events} == trail["window_requests"]
    for event in events:
        assert start <= parse_instant(event["occurredAt"]) <= end
    expected = db_rows(server, "occurred_at >= ? AND occurred_at <= ?", (int(start.timestamp() * 1000), int(end.timestamp() * 1000)))
    assert [e["sequence"] for e in events] == [r["sequence"] for r in expected]
    only_from = fetch_all(server, **{"from": iso(end)})
    assert only_from and all(parse_instant(e["occurredAt"]) >= end for e in only_from)
    assert not trail["window_requests"] & {e["requestId"] for e in only_from}
    only_to = fetch_all(server, to=iso(start))
    assert only_to and all(parse_instant(e["occurredAt"]) <= start for e in only_to)


def test_an_events_own_instant_starts_the_next_window_and_ends_the_previous_one(server, trail):
    # `from` is inclusive and `to` exclusive, so windows cut at an event's printed instant neither lose it nor
    # count it twice; that needs the instant printed to the stored millisecond.
    event = next(e for e in fetch_all(server, breakGlass="true") if e["requestId"] == trail["glass_request"])
    assert event["sequence"] in {e["sequence"] for e in fetch_all(server, **{"from": event["occurredAt"]})}
    assert event["sequence"] not in {e["sequence"] for e in fetch_all(server, to=event["occurredAt"])}


def test_cursor_paging_returns_every_row_once(server, trail):
    expected = [row["sequence"] for row in db_rows(server, "action = 'document.upload'")]
    assert len(expected) >= 3
    paged = fetch_all(server, limit=1, action="document.upload")
    assert [e["sequence"] for e in paged] == expected

    before = {row["sequence"] for row in db_rows(server)}
    everything = fetch_all(server, limit=7)
    sequences = [e["sequence"] for e in everything]
    assert len(sequences) == len(set(sequences)), "no row twice"
    assert sequences == sorted(sequences)
    assert before <= set(sequences), "no row left out (later rows are this paging's own audit.query rows)"
    assert {e["action"] for e in everything if e["sequence"] not in before} <= {"audit.query"}


def test_a_page_is_at_most_limit_long_and_says_where_to_go_on(server, trail):
    body = server.get(AUDIT, params={"limit": 2}).json()
    assert len(body["events"]) == 2
    assert isinstance(body["nextCursor"], str) and body["nextCursor"]
    following = server.get(AUDIT, params={"limit": 2, "cursor": body["nextCursor"]}).json()
    assert following["events"][0]["sequence"] > body["events"][-1]["sequence"]


def test_audit_queries_are_themselves_audited(server, trail):
    response = server.get(AUDIT, params={"patient": "pa"})
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1
    assert (rows[0]["action"], rows[0]["outcome"], rows[0]["actor_role"]) == ("audit.query", "success", "admin")
    export = server.get(EXPORT, params={"format": "jsonl"})
    rows = server.audit_rows(export.headers["X-Request-Id"])
    assert len(rows) == 1 and (rows[0]["action"], rows[0]["outcome"]) == ("audit.export", "success")


@pytest.mark.parametrize("path", [AUDIT, EXPORT + "?format=jsonl", EXPORT + "?format=fhir"])
def test_only_administrators_read_the_trail(server, trail, path):
    for token in (trail["patient_token"], trail["provider_token"]):
        response = server.get(path, auth=token)
        assert_error(response, 403, "forbidden")
        assert "events" not in response.text and "AuditEvent" not in response.text
        rows = server.audit_rows(response.headers["X-Request-Id"])
        assert len(rows) == 1 and rows[0]["outcome"] == "denied"
    assert_error(server.get(path, auth=None), 401, "unauthenticated")


# --- exports ------------------------------------------------------------------------------------------


def test_jsonl_export_is_one_event_per_line(server, trail):
    response = server.get(EXPORT, params={"format": "jsonl", "action": "document.download"})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"].split(";")[0].strip() == "application/x-ndjson"
    lines = response.text.splitlines()
    assert lines and all(line.strip() for line in lines), "no blank lines between events"
    events = [json.loads(line) for line in lines]
    for event in events:
        assert {"sequence", "occurredAt", "action", "outcome", "actorId", "hash"} <= set(event), event
        assert event["action"] == "document.download"
    api_events = fetch_all(server, action="document.download")
    assert [e["sequence"] for e in events] == [e["sequence"] for e in api_events]
    assert events == api_events[: len(events)], "the same fields with the same values as the API"


def test_jsonl_export_of_everything_matches_the_table(server, trail):
    before = [row["sequence"] for row in db_rows(server)]
    response = server.get(EXPORT, params={"format": "jsonl"})
    assert response.status_code == 200
    sequences = [json.loads(line)["sequence"] for line in response.text.splitlines()]
    assert sequences[: len(before)] == before
    assert len(sequences) == len(set(sequences))


def test_fhir_export_is_a_bundle_of_audit_events(server, trail):
    response = server.get(EXPORT, params={"format": "fhir", "action": "document.download"})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"].split(";")[0].strip() == "application/fhir+json"
    bundle = response.json()
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "collection")
    expected = fetch_all(server, action="document.download")
    entries = bundle["entry"]
    assert len(entries) == len(expected)
    for entry, event in zip(entries, expected, strict=True):
        assert "resource" in entry, f"FHIR R4 Bundle.entry carries the AuditEvent in entry.resource: {sorted(entry)}"
        resource = entry["resource"]
        assert resource["resourceType"] == "AuditEvent"
        assert isinstance(resource["agent"], list) and resource["agent"], resource
        assert isinstance(resource["entity"], list) and resource["entity"], resource
        parse_instant(resource["recorded"])
        assert resource["outcome"] in FHIR_OUTCOMES, resource["outcome"]
        assert (resource["outcome"] == "0") == (event["outcome"] == "success"), (resource["outcome"], event["outcome"])
        if event["actorId"]:
            assert event["actorId"] in json.dumps(resource["agent"]), "the agent names the actor"
        if event["documentKey"]:
            assert event["documentKey"] in json.dumps(resource["entity"]) or event["documentId"] in json.dumps(resource["entity"])


def test_fhir_export_of_everything_has_agent_recorded_and_outcome(server, trail):
    rows = db_rows(server)
    response = server.get(EXPORT, params={"format": "fhir"})
    assert response.status_code == 200
    bundle = response.json()
    assert bundle["resourceType"] == "Bundle" and len(bundle["entry"]) >= len(rows)
    for entry, row in zip(bundle["entry"], rows):  # in sequence order, like every other answer
        assert "resource" in entry, f"FHIR R4 Bundle.entry carries the AuditEvent in entry.resource: {sorted(entry)}"
        resource = entry["resource"]
        assert resource["resourceType"] == "AuditEvent"
        assert resource["agent"] and resource["recorded"] and resource["outcome"] in FHIR_OUTCOMES, resource
        if row["document_key"] or row["patient_id"]:
            assert resource.get("entity"), f"row {row['sequence']} concerns a document or patient: {resource}"
    glass = [e["resource"] for e in bundle["entry"] if REASON in json.dumps(e["resource"])]
    assert glass, "the break-glass reason is in the export"


def test_export_filters_like_the_api(server, trail):
    response = server.get(EXPORT, params={"format": "jsonl", "patient": "pb"})
    events = [json.loads(line) for line in response.text.splitlines()]
    assert events and all(e["patientId"] == "pb" for e in events)
    assert [e["sequence"] for e in events] == [r["sequence"] for r in db_rows(server, "patient_id = 'pb'")]


def test_unknown_export_format_is_refused(server, trail):
    response = server.get(EXPORT, params={"format": "csv"})
    assert response.status_code == 400, response.text


# --- the chain still holds ------------------------------------------------------------------------------


def test_audit_verify_still_passes(server, trail):
    """Last in the module: everything above appended to the chain; stop the server and verify it."""
    assert server.query("SELECT COUNT(*) AS n FROM audit_events WHERE break_glass")[0]["n"] >= 1
    assert server.stop() == 0
    result = run_cli(["audit", "verify", "--data-dir", str(server.data_dir)], env=server.env_overrides)
    assert result.returncode == 0, result.stderr + result.stdout
