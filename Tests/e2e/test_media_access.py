"""Who may see the media folders, through the real server, and how appointments become known.

The world (one server, module-scoped), each user made with `medvault user add`:

- P1: patient `mp1`, on D1's care team; in appointment A1 with D2.
- P2: patient `mp2`, on nobody's care team; in appointment A-CLI with D1 (made by `medvault appointment add`).
- D1: provider `md1`, caring for mp1 (so on A1's patient's care team, but no participant of A1).
- D2: provider `md2`, caring for nobody; holds A1 (made by an administrator through `POST /api/v2/appointments`).

Each new cell is exercised allowed and denied: a provider's therapy media (their care team's patients read and
list it), a provider's profile photo (every signed-in user), a patient's profile photo (the patient and the
care team), a verification photo (the patient, the care team, admins; break-glass does not open it), and an
appointment's chat images (the two participants only: not the patient's care team, not another patient).
"""

from __future__ import annotations

import pytest

import samples
from support import API, assert_error

pytestmark = pytest.mark.storage_agnostic("access is decided before storage is reached; uploads and reads go through any backend alike")

APPOINTMENTS = "/api/v2/appointments"
PASSWORD = "Media-Access-Passw0rd"
REASON = {"X-Break-Glass-Reason": "ER: unconscious, identity needed"}
USERS = {"P1": ("patient", "mp1"), "P2": ("patient", "mp2"), "D1": ("provider", "md1"), "D2": ("provider", "md2")}


@pytest.fixture(scope="module")
def world(server) -> dict:
    tokens = {"admin": server.admin_token}
    for name, (role, entity) in USERS.items():
        ids = {"patient_id": entity} if role == "patient" else {"provider_id": entity}
        server.add_user(f"{name.lower()}@media.test", role, password=PASSWORD, **ids)
        tokens[name] = server.token_for(f"{name.lower()}@media.test")
    care = server.cli(["careteam", "add", "--provider", "d1@media.test", "--patient", "mp1"])
    assert care.returncode == 0, care.stderr
    created = server.post(APPOINTMENTS, json={"id": "A1", "patientId": "mp1", "providerId": "md2"})
    assert created.status_code == 201, created.text
    return tokens


def upload(server, token: str, category: str, entity_type: str, entity_id: str, name: str = "photo.jpg"):
    return server.upload([(name, samples.jpeg())], category=category, entity_type=entity_type, entity_id=entity_id, auth=token)


def stored(server, token: str, category: str, entity_type: str, entity_id: str) -> str:
    response = upload(server, token, category, entity_type, entity_id)
    assert response.status_code == 201, response.text
    return response.json()["files"][0]["key"]


def check_reads(server, world: dict, key: str, allowed: set[str], denied: dict[str, str], headers: dict | None = None) -> None:
    """Downloads `key` as each role: 200 with the bytes for `allowed`, 403 with the given code for `denied`."""
    for role in allowed:
        response = server.download(key, auth=world[role], headers=headers)
        assert response.status_code == 200, f"{role}: {response.status_code} {response.text[:200]}"
        assert response.content == samples.jpeg(), role
    for role, code in denied.items():
        assert_error(server.download(key, auth=world[role], headers=headers), 403, code)


def check_listing(server, world: dict, prefix: str, key: str, allowed: set[str], denied: set[str]) -> None:
    for role in allowed:
        response = server.list(prefix=prefix, auth=world[role])
        assert response.status_code == 200, f"{role}: {response.text[:200]}"
        assert key in [file["key"] for file in response.json()["files"]], role
    for role in denied:
        assert_error(server.list(prefix=prefix, auth=world[role]), 403, "forbidden")


def test_a_providers_therapy_media_is_read_by_the_patients_on_their_care_team(server, world):
    key = stored(server, world["D1"], "therapy-media", "provider", "md1")
    check_reads(server, world, key, allowed={"D1", "P1", "admin"}, denied={"P2": "forbidden", "D2": "forbidden"})
    check_listing(server, world, "providers/md1/therapy-media/", key, allowed={"P1", "D1"}, denied={"P2", "D2"})
    # Reading is all the care team's patients get: no uploads into the provider's library.
    assert_error(upload(server, world["P1"], "therapy-media", "provider", "md1"), 403, "forbidden")


def test_a_providers_profile_photo_is_read_by_every_signed_in_user(server, world):
    key = stored(server, world["D2"], "profile-photo", "provider", "md2")
    check_reads(server, world, key, allowed={"P1", "P2", "D1", "D2", "admin"}, denied={})
    check_listing(server, world, "providers/md2/profile/", key, allowed={"P2", "D1"}, denied=set())
    assert_error(server.download(key, auth=None), 401, "unauthenticated")
    assert_error(upload(server, world["D1"], "profile-photo", "provider", "md2"), 403, "forbidden")
    # The profile folder opens nothing else of the provider's.
    assert_error(server.list(prefix="providers/md2/", auth=world["P2"]), 403, "forbidden")


def test_a_patients_profile_photo_is_read_by_the_patient_and_their_care_team(server, world):
    key = stored(server, world["P1"], "profile-photo", "patient", "mp1")
    check_reads(server, world, key, allowed={"P1", "D1", "admin"}, denied={"P2": "forbidden", "D2": "break_glass_required"})


def test_a_verification_photo_is_read_by_the_patient_their_care_team_and_admins_and_break_glass_does_not_open_it(server, world):
    key = stored(server, world["P1"], "verification-photo", "patient", "mp1")
    check_reads(server, world, key, allowed={"P1", "D1", "admin"}, denied={"P2": "forbidden", "D2": "forbidden"})
    check_reads(server, world, key, allowed=set(), denied={"D2": "forbidden"}, headers=REASON)
    check_listing(server, world, "patients/mp1/verification/", key, allowed={"P1", "D1"}, denied={"P2", "D2"})
    # The same provider still breaks the glass for the patient's other documents.
    other = stored(server, world["P1"], "profile-photo", "patient", "mp1")
    assert server.download(other, auth=world["D2"], headers=REASON).status_code == 200


def test_chat_images_are_for_the_appointments_two_participants_only(server, world):
    by_patient = stored(server, world["P1"], "chat-image", "appointment", "A1")
    by_provider = stored(server, world["D2"], "chat-image", "appointment", "A1")
    for key in (by_patient, by_provider):
        # D1 cares for the appointment's patient, and is still refused.
        check_reads(server, world, key, allowed={"P1", "D2", "admin"}, denied={"P2": "forbidden", "D1": "forbidden"})
    check_listing(server, world, "appointments/A1/chat/", by_patient, allowed={"P1", "D2"}, denied={"P2", "D1"})
    for outsider in ("P2", "D1"):
        assert_error(upload(server, world[outsider], "chat-image", "appointment", "A1"), 403, "forbidden")
    # An appointment medvault does not know has no participants.
    assert_error(upload(server, world["D2"], "chat-image", "appointment", "A-UNKNOWN"), 403, "forbidden")


def test_post_appointments_takes_admins_and_the_provider_named(server, world):
    created = server.post(APPOINTMENTS, json={"id": "A-D2", "patientId": "mp2", "providerId": "md2"}, auth=world["D2"])
    assert created.status_code == 201, created.text
    body = created.json()
    assert {k: body[k] for k in ("id", "patientId", "providerId")} == {"id": "A-D2", "patientId": "mp2", "providerId": "md2"}
    assert body["createdBy"] == server.user("d2@media.test")["id"]
    [row] = server.audit_rows(created.headers["X-Request-Id"])
    assert (row["action"], row["outcome"], row["http_status"], row["patient_id"]) == ("appointment.add", "success", 201, "mp2")

    again = server.post(APPOINTMENTS, json={"id": "A-D2", "patientId": "mp2", "providerId": "md2"}, auth=world["D2"])
    assert again.status_code == 200, again.text
    assert again.json() == body
    # The new appointment opens its chat on the participants' next request.
    assert upload(server, world["P2"], "chat-image", "appointment", "A-D2").status_code == 201

    for role in ("D1", "P1", "P2"):
        refused = server.post(APPOINTMENTS, json={"id": f"A-{role}", "patientId": "mp1", "providerId": "md2"}, auth=world[role])
        assert_error(refused, 403, "forbidden")
        [row] = server.audit_rows(refused.headers["X-Request-Id"])
        assert (row["action"], row["outcome"]) == ("appointment.add", "denied")

    conflict = server.post(APPOINTMENTS, json={"id": "A1", "patientId": "mp2", "providerId": "md2"})
    assert_error(conflict, 409, "appointment_exists")
    assert server.post(APPOINTMENTS, json={"id": "A1", "patientId": "mp1", "providerId": "md1"}).status_code == 409
    for field in ("id", "patientId", "providerId"):
        bad = {"id": "A-BAD", "patientId": "mp1", "providerId": "md2"} | {field: "../x"}
        assert_error(server.post(APPOINTMENTS, json=bad), 400, "invalid_entity_id")
    assert_error(server.post(APPOINTMENTS, json={"id": "A-BAD"}), 400, "invalid_json")
    assert_error(server.post(APPOINTMENTS, json={"id": "A-X", "patientId": "mp1", "providerId": "md2"}, auth=None), 401, "unauthenticated")
    assert server.query("SELECT COUNT(*) AS n FROM appointments WHERE id IN ('A-BAD', 'A-X', 'A-D1', 'A-P1', 'A-P2')")[0]["n"] == 0


def test_medvault_appointment_add(server, world):
    added = server.cli(["appointment", "add", "--id", "A-CLI", "--patient", "mp2", "--provider", "md1"])
    assert added.returncode == 0, added.stderr
    assert "added appointment A-CLI" in added.stdout
    again = server.cli(["appointment", "add", "--id", "A-CLI", "--patient", "mp2", "--provider", "md1"])
    assert again.returncode == 0, again.stderr
    assert "already exists" in again.stdout
    conflict = server.cli(["appointment", "add", "--id", "A-CLI", "--patient", "mp1", "--provider", "md1"])
    assert conflict.returncode != 0
    assert "exists with other participants" in conflict.stderr
    bad = server.cli(["appointment", "add", "--id", "a/b", "--patient", "mp2", "--provider", "md1"])
    assert bad.returncode != 0 and "--id" in bad.stderr
    rows = server.query("SELECT actor_id, outcome, patient_id FROM audit_events WHERE action = 'appointment.add' AND actor_id LIKE 'cli:%'")
    assert [(r["outcome"], r["patient_id"]) for r in rows] == [("success", "mp2"), ("success", "mp2")]

    key = stored(server, world["P2"], "chat-image", "appointment", "A-CLI")
    check_reads(server, world, key, allowed={"P2", "D1"}, denied={"P1": "forbidden", "D2": "forbidden"})
