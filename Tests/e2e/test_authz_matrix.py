"""The access policy, end to end: every endpoint × role × target × key trick, with the exact status
and error code of the access contract for each row.

The world (one server, module-scoped):

- admin: the suite's first administrator (MEDVAULT_ADMIN_*).
- P1: patient `p1` (created with `medvault user add`), P2: patient `p2` (created with the admin API).
- D1: provider, care team [p1] (`medvault user add` + `medvault careteam add`); provider id = its user id.
- D2: provider without a care team (admin API); provider id = its user id.
- documents for p1 and p2 (uploaded by admin and by the patients), `providers/{D1}/…`, `providers/{D2}/…`,
  an appointment document uploaded by D1 and one by admin, and an archived p1 document.

Decisions of the contract the rows encode:

- no credentials: 401 `unauthenticated` (with `WWW-Authenticate: Bearer`) on every API endpoint;
- refusals by key (download/presign/delete key, upload entity, list prefix) are 403 `forbidden`, or 403
  `break_glass_required` for a provider reading/listing a patient outside their care team without
  `X-Break-Glass-Reason`; they are decided before the key is looked up (a missing key the caller may not
  see is 403, one they may see 404);
- by `id=`: a document the caller may not see is 404 `not_found` like a missing one, except for a provider
  who could break the glass (403 `break_glass_required`);
- malformed keys (`..`, `%2e%2e`, `%2f`, `//`, Unicode look-alikes) are 400 `invalid_key` / `invalid_prefix`
  for every role; a `%2F` that decodes to a well-formed key of another patient is decided like that key;
- stats, config, users, care teams and the audit API: administrators only (403 `forbidden` for others).
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Callable
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import requests

import samples
from support import ADMIN_API, API, ENTITY_ROOT, assert_error

PASSWORD = "Matrix-Passw0rd-e2e"
REASON = "ER: patient unconscious, allergy history needed"
BREAK_GLASS = {"X-Break-Glass-Reason": REASON}

ROLE_KIND = {"admin": "admin", "P1": "patient", "P2": "patient", "D1": "provider", "D2": "provider"}


@dataclass
class World:
    server: object
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    provider_ids: dict[str, str] = field(default_factory=dict)
    docs: dict[str, dict] = field(default_factory=dict)

    def key(self, name: str) -> str:
        return self.docs[name]["key"]

    def auth(self, role: str) -> str | None:
        return None if role == "anonymous" else self.tokens[role]

    def upload(self, by: str, entity_type: str, entity_id: str, name: str = "doc.txt", data: bytes | None = None) -> dict:
        data = data if data is not None else f"{name} {uuid.uuid4()}\n".encode()
        category = "other" if entity_type in ("appointment", "prescription") else "medical-records"
        files = self.server.upload_ok([(name, data)], category=category, entity_type=entity_type, entity_id=entity_id, auth=self.tokens[by])
        return files[0]

    def fmt(self, text: str) -> str:
        """Fills `{d1}`, `{d2}` (provider ids), `{key_<doc>}`, and `{tail_<doc>}` (the key after
        `root/entity/`; `tail252f_` with its slashes double-encoded)."""
        values = {"d1": self.provider_ids["D1"], "d2": self.provider_ids["D2"]}
        values |= {f"key_{name}": doc["key"] for name, doc in self.docs.items()}
        values |= {f"tail_{name}": doc["key"].split("/", 2)[2] for name, doc in self.docs.items()}
        values |= {f"tail252f_{name}": doc["key"].split("/", 2)[2].replace("/", "%252f") for name, doc in self.docs.items()}
        return text.format(**values)


@pytest.fixture(scope="module")
def world(server) -> World:
    w = World(server)
    w.tokens["admin"] = server.admin_token
    w.ids["admin"] = server.user(server.admin_email)["id"]
    w.emails["admin"] = server.admin_email

    # P1 and D1 with the CLI, against the running server's data directory.
    w.emails |= {"P1": "p1@e2e.test", "P2": "p2@e2e.test", "D1": "d1@e2e.test", "D2": "d2@e2e.test"}
    w.ids["P1"] = server.add_user(w.emails["P1"], "patient", patient_id="p1", password=PASSWORD)
    w.ids["D1"] = server.add_user(w.emails["D1"], "provider", password=PASSWORD)
    # P2 and D2 with the admin API (D2 without a password: one is generated and returned once).
    created = server.post(ADMIN_API + "/users", json={"email": w.emails["P2"], "role": "patient", "patientId": "p2", "password": PASSWORD})
    assert created.status_code == 201, created.text
    w.ids["P2"] = created.json()["user"]["id"]
    created = server.post(ADMIN_API + "/users", json={"email": w.emails["D2"], "role": "provider", "displayName": "Dr Two"})
    assert created.status_code == 201, created.text
    assert created.json().get("password"), "a generated password is returned once"
    w.ids["D2"] = created.json()["user"]["id"]

    care = server.cli(["careteam", "add", "--provider", w.emails["D1"], "--patient", "p1"])
    assert care.returncode == 0, care.stderr + care.stdout

    users = {u["email"]: u for u in server.users()}
    for role in ("D1", "D2"):
        assert users[w.emails[role]]["providerId"] == w.ids[role], "a provider's id defaults to their user id"
        w.provider_ids[role] = users[w.emails[role]]["providerId"]
    for role in ("P1", "P2", "D1", "D2"):
        w.tokens[role] = server.token_for(w.emails[role])

    w.docs["p1_admin"] = w.upload("admin", "patient", "p1", "p1-admin.pdf", samples.pdf("p1 by admin"))
    w.docs["p1_self"] = w.upload("P1", "patient", "p1", "p1-self.txt")
    w.docs["p2_admin"] = w.upload("admin", "patient", "p2", "p2-admin.pdf", samples.pdf("p2 by admin"))
    w.docs["p2_self"] = w.upload("P2", "patient", "p2", "p2-self.txt")
    w.docs["d1_own"] = w.upload("D1", "provider", w.provider_ids["D1"], "d1-notes.txt")
    w.docs["d2_own"] = w.upload("D2", "provider", w.provider_ids["D2"], "d2-notes.txt")
    w.docs["appt_d1"] = w.upload("D1", "appointment", "appt-1", "appt-by-d1.txt")
    w.docs["appt_admin"] = w.upload("admin", "appointment", "appt-2", "appt-by-admin.txt")
    archived = w.upload("admin", "patient", "p1", "p1-archived.txt")
    deleted = server.delete_document(archived["key"])
    assert deleted.status_code == 200, deleted.text
    w.docs["p1_archived"] = archived | {"key": deleted.json()["archivedKey"]}
    w.docs["p1_missing"] = {"key": f"patients/p1/medical-records/{uuid.uuid4()}-missing.pdf", "id": str(uuid.uuid4())}
    w.docs["p2_missing"] = {"key": f"patients/p2/medical-records/{uuid.uuid4()}-missing.pdf", "id": str(uuid.uuid4())}
    return w


# --- expectations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    status: int
    code: str | None = None
    break_glass: bool = False  # allowed only by break-glass: the audit row is flagged with the reason
    concealed: bool = False  # a refusal answered like a missing document (audited as denied)


OK = Expect(200)
CREATED = Expect(201)
OK_BY_BREAK_GLASS = Expect(200, break_glass=True)
UNAUTHENTICATED = Expect(401, "unauthenticated")
FORBIDDEN = Expect(403, "forbidden")
BREAK_GLASS_REQUIRED = Expect(403, "break_glass_required")
NOT_FOUND = Expect(404, "not_found")
CONCEALED = Expect(404, "not_found", concealed=True)
WINDOW_CLOSED = Expect(403, "delete_window_closed")
INVALID_KEY = Expect(400, "invalid_key")
INVALID_PREFIX = Expect(400, "invalid_prefix")
INVALID_ENTITY_ID = Expect(400, "invalid_entity_id")

# A call: (world, bearer token or None, extra headers) -> response.
Call = Callable[[World, "str | None", dict], requests.Response]


@dataclass(frozen=True)
class Case:
    endpoint: str
    target: str
    role: str  # anonymous, P1, P2, D1, D2, admin; "+reason" sends X-Break-Glass-Reason
    call: Call
    expect: Expect
    audited: bool = True  # the call writes exactly one audit row

    @property
    def id(self) -> str:
        return f"{self.endpoint}/{self.target}/{self.role}"


CASES: list[Case] = []


def rows(endpoint: str, target: str, call: Call, expectations: dict[str, Expect], audited: bool = True) -> None:
    for role, expect in expectations.items():
        CASES.append(Case(endpoint, target, role, call, expect, audited))


# --- calls ----------------------------------------------------------------------------------------


def by_key(doc: str, presigned: bool = False) -> Call:
    return lambda w, auth, headers: w.server.download(w.key(doc), auth=auth, headers=headers, presigned=presigned)


def by_id(doc: str) -> Call:
    return lambda w, auth, headers: w.server.download(id=w.docs[doc]["id"], auth=auth, headers=headers)


def raw_download(query: str) -> Call:
    """GET download with a query string sent as written (after filling placeholders and percent-encoding
    non-ASCII characters as UTF-8; existing `%` escapes are kept)."""
    return lambda w, auth, headers: w.server.get(API + "/download?" + quote(w.fmt(query), safe="/%=&-_.~+"), auth=auth, headers=headers)


def listing(prefix: str | None = None) -> Call:
    def call(w, auth, headers):
        return w.server.list(prefix=None if prefix is None else w.fmt(prefix), auth=auth, headers=headers)

    return call


def raw_list(query: str) -> Call:
    return lambda w, auth, headers: w.server.get(API + "/list?" + quote(w.fmt(query), safe="/%=&-_.~+"), auth=auth, headers=headers)


def upload_for(entity_type: str, entity_id: str) -> Call:
    def call(w, auth, headers):
        return w.server.upload(
            [("matrix-upload.txt", b"uploaded by the matrix\n")],
            category="other",
            entity_type=entity_type,
            entity_id=w.fmt(entity_id),
            auth=auth,
            headers=headers,
        )

    return call


def delete_fresh(by: str, entity_type: str, entity_id: str, permanent: bool | None = None) -> Call:
    """Uploads a fresh document as `by`, then deletes it with the caller's credentials."""

    def call(w, auth, headers):
        entry = w.upload(by, entity_type, w.fmt(entity_id), "to-delete.txt")
        return w.server.delete_document(entry["key"], permanent=permanent, auth=auth, headers=headers)

    return call


def delete_key(key: str, permanent: bool | None = None) -> Call:
    return lambda w, auth, headers: w.server.delete_document(w.fmt(key), permanent=permanent, auth=auth, headers=headers)


def admin_get(path: str) -> Call:
    return lambda w, auth, headers: w.server.get(path, auth=auth, headers=headers)


def create_user(w, auth, headers):
    email = f"made-{uuid.uuid4().hex[:10]}@e2e.test"
    return w.server.post(ADMIN_API + "/users", json={"email": email, "role": "patient", "patientId": "p-" + uuid.uuid4().hex[:8]}, auth=auth, headers=headers)


def disable_user(w, auth, headers):
    email = f"to-disable-{uuid.uuid4().hex[:10]}@e2e.test"
    made = w.server.post(ADMIN_API + "/users", json={"email": email, "role": "provider", "password": PASSWORD})
    assert made.status_code == 201, made.text
    return w.server.post(ADMIN_API + "/users/disable", json={"email": email}, auth=auth, headers=headers)


def add_care_team(w, auth, headers):
    pair = {"provider": w.emails["D2"], "patientId": "p-ct-" + uuid.uuid4().hex[:8]}
    return w.server.post(ADMIN_API + "/careteams", json=pair, auth=auth, headers=headers)


def remove_care_team(w, auth, headers):
    pair = {"provider": w.emails["D2"], "patientId": "p-ct-" + uuid.uuid4().hex[:8]}
    added = w.server.post(ADMIN_API + "/careteams", json=pair)
    assert added.status_code == 201, added.text
    return w.server.delete(ADMIN_API + "/careteams", json=pair, auth=auth, headers=headers)


# --- the matrix -----------------------------------------------------------------------------------
# Targets name whose document it is; from P1's side p1 is "own" and p2 "other patient", from D1's side p1
# is the care-team patient and p2 a break-glass patient, D2 has only break-glass patients.

EVERYONE_BUT_ANONYMOUS = ("P1", "D1", "D2", "admin")


def for_all(expect: Expect, roles=EVERYONE_BUT_ANONYMOUS) -> dict[str, Expect]:
    return {"anonymous": UNAUTHENTICATED} | {role: expect for role in roles}


# download by key
rows("download-key", "p1-doc-by-admin", by_key("p1_admin"), {
    "anonymous": UNAUTHENTICATED, "P1": OK, "P2": FORBIDDEN, "D1": OK, "D2": BREAK_GLASS_REQUIRED,
    "D2+reason": OK_BY_BREAK_GLASS, "admin": OK,
})  # fmt: skip
rows("download-key", "p1-doc-by-p1", by_key("p1_self"), {"P1": OK, "D1": OK, "D2": BREAK_GLASS_REQUIRED, "admin": OK})
rows("download-key", "p2-doc-by-admin", by_key("p2_admin"), {
    "anonymous": UNAUTHENTICATED, "P1": FORBIDDEN, "P1+reason": FORBIDDEN, "P2": OK, "D1": BREAK_GLASS_REQUIRED,
    "D1+reason": OK_BY_BREAK_GLASS, "D2": BREAK_GLASS_REQUIRED, "admin": OK,
})  # fmt: skip
rows("download-key", "p2-doc-by-p2", by_key("p2_self"), {"P1": FORBIDDEN, "P2": OK, "D1": BREAK_GLASS_REQUIRED, "admin": OK})
rows("download-key", "provider-d1-doc", by_key("d1_own"), {
    "anonymous": UNAUTHENTICATED, "P1": FORBIDDEN, "D1": OK, "D2": FORBIDDEN, "D2+reason": FORBIDDEN, "admin": OK,
})  # fmt: skip
rows("download-key", "appointment-by-d1", by_key("appt_d1"), {"P1": FORBIDDEN, "D1": OK, "D2": FORBIDDEN, "admin": OK})
rows("download-key", "appointment-by-admin", by_key("appt_admin"), {"P1": FORBIDDEN, "D1": FORBIDDEN, "D2": FORBIDDEN, "admin": OK})
rows("download-key", "archived-p1-doc", by_key("p1_archived"), {"P1": FORBIDDEN, "D1": FORBIDDEN, "D2": FORBIDDEN, "admin": OK})
rows("download-key", "missing-p1-key", by_key("p1_missing"), {
    "anonymous": UNAUTHENTICATED, "P1": NOT_FOUND, "P2": FORBIDDEN, "D1": NOT_FOUND, "D2": BREAK_GLASS_REQUIRED,
    "D2+reason": NOT_FOUND, "admin": NOT_FOUND,
})  # fmt: skip
rows("download-key", "missing-p2-key", by_key("p2_missing"), {"P1": FORBIDDEN, "D1": BREAK_GLASS_REQUIRED, "admin": NOT_FOUND})

# download by id: what the caller may not see answers like a missing document
rows("download-id", "p1-doc-by-admin", by_id("p1_admin"), {
    "anonymous": UNAUTHENTICATED, "P1": OK, "P2": CONCEALED, "D1": OK, "D2": BREAK_GLASS_REQUIRED,
    "D2+reason": OK_BY_BREAK_GLASS, "admin": OK,
})  # fmt: skip
rows("download-id", "p2-doc-by-p2", by_id("p2_self"), {
    "anonymous": UNAUTHENTICATED, "P1": CONCEALED, "P1+reason": CONCEALED, "P2": OK, "D1": BREAK_GLASS_REQUIRED,
    "D1+reason": OK_BY_BREAK_GLASS, "D2": BREAK_GLASS_REQUIRED, "admin": OK,
})  # fmt: skip
rows("download-id", "provider-d1-doc", by_id("d1_own"), {"P1": CONCEALED, "D1": OK, "D2": CONCEALED, "D2+reason": CONCEALED, "admin": OK})
rows("download-id", "appointment-by-d1", by_id("appt_d1"), {"P1": CONCEALED, "D1": OK, "D2": CONCEALED, "admin": OK})
rows("download-id", "appointment-by-admin", by_id("appt_admin"), {"D1": CONCEALED, "admin": OK})
rows("download-id", "archived-p1-doc", by_id("p1_archived"), {"P1": CONCEALED, "D1": CONCEALED, "admin": OK})
rows("download-id", "unknown-id", by_id("p1_missing"), {"anonymous": UNAUTHENTICATED, "P1": NOT_FOUND, "D1": NOT_FOUND, "D2": NOT_FOUND, "admin": NOT_FOUND})

# pre-signed URLs: issued only after the read check
rows("presign", "p1-doc-by-admin", by_key("p1_admin", presigned=True), {
    "anonymous": UNAUTHENTICATED, "P1": OK, "D1": OK, "D2": BREAK_GLASS_REQUIRED, "D2+reason": OK_BY_BREAK_GLASS, "admin": OK,
})  # fmt: skip
rows("presign", "p2-doc-by-admin", by_key("p2_admin", presigned=True), {
    "anonymous": UNAUTHENTICATED, "P1": FORBIDDEN, "P1+reason": FORBIDDEN, "D1": BREAK_GLASS_REQUIRED,
    "D1+reason": OK_BY_BREAK_GLASS, "admin": OK,
})  # fmt: skip
rows("presign", "provider-d1-doc", by_key("d1_own", presigned=True), {"P1": FORBIDDEN, "D1": OK, "D2": FORBIDDEN, "D2+reason": FORBIDDEN})
rows("presign", "archived-p1-doc", by_key("p1_archived", presigned=True), {"P1": FORBIDDEN, "D1": FORBIDDEN})
rows("presign", "missing-p2-key", by_key("p2_missing", presigned=True), {"P1": FORBIDDEN, "D1": BREAK_GLASS_REQUIRED})
rows("presign", "dot-dot-to-p2", raw_download("presigned=true&key=patients/p1/medical-records/../../p2/{tail_p2_admin}"),
     for_all(INVALID_KEY))  # fmt: skip

# key tricks on download: malformed for everyone, whatever the role
KEY_TRICKS = {
    "dot-dot": "key=patients/p1/medical-records/../../p2/{tail_p2_admin}",
    "pct2e-dot-dot": "key=patients/p1/medical-records/%2e%2e/%2e%2e/p2/{tail_p2_admin}",
    "pct2f-literal": "key=patients%252fp2%252f{tail252f_p2_admin}",
    "dot-dot-pct2f": "key=patients/p1/medical-records/..%252f..%252fp2%252f{tail_p2_admin}",
    "double-slash": "key=patients//p2/{tail_p2_admin}",
    "double-slash-dot-dot": "key=patients/p1//../p2/{tail_p2_admin}",
    "absolute": "key=/{key_p2_admin}",
    "fullwidth-solidus": "key=patients\uff0fp2\uff0f{tail_p2_admin}",
    "fullwidth-dots": "key=patients/p1/medical-records/\uff0e\uff0e/\uff0e\uff0e/p2/{tail_p2_admin}",
    "fullwidth-id": "key=patients/\uff50\uff12/{tail_p2_admin}",
    "cyrillic-er-id": "key=patients/\u04402/{tail_p2_admin}",
    "cyrillic-root": "key=p\u0430tients/p2/{tail_p2_admin}",
    "division-slash": "key=patients\u2215p2\u2215{tail_p2_admin}",
    "one-dot-leader": "key=patients/p1/medical-records/\u2024\u2024/p2/{tail_p2_admin}",
}
for trick, query in KEY_TRICKS.items():
    rows("download-key-trick", trick, raw_download(query), for_all(INVALID_KEY) | {"D2+reason": INVALID_KEY})
# An encoded slash that decodes to a well-formed key is that key: decided by the policy like any other.
rows("download-key-trick", "pct2F-decodes-to-p2-key", raw_download("key=patients%2Fp2%2F{tail_p2_admin}"), {
    "anonymous": UNAUTHENTICATED, "P1": FORBIDDEN, "D1": BREAK_GLASS_REQUIRED, "D2": BREAK_GLASS_REQUIRED, "admin": OK,
})  # fmt: skip

# listing
rows("list", "no-prefix", listing(None), for_all(OK))
rows("list", "prefix-patients", listing("patients/"), for_all(OK))
rows("list", "prefix-p1", listing("patients/p1/"), {
    "anonymous": UNAUTHENTICATED, "P1": OK, "P2": FORBIDDEN, "D1": OK, "D2": BREAK_GLASS_REQUIRED,
    "D2+reason": OK_BY_BREAK_GLASS, "admin": OK,
})  # fmt: skip
rows("list", "prefix-p2", listing("patients/p2/"), {
    "anonymous": UNAUTHENTICATED, "P1": FORBIDDEN, "P1+reason": FORBIDDEN, "D1": BREAK_GLASS_REQUIRED,
    "D1+reason": OK_BY_BREAK_GLASS, "D2": BREAK_GLASS_REQUIRED, "admin": OK,
})  # fmt: skip
rows("list", "prefix-p2-folder", listing("patients/p2/medical-records/"), {"P1": FORBIDDEN, "D1": BREAK_GLASS_REQUIRED, "admin": OK})
rows("list", "prefix-provider-d1", listing("providers/{d1}/"), {
    "P1": FORBIDDEN, "D1": OK, "D2": FORBIDDEN, "D2+reason": FORBIDDEN, "admin": OK,
})  # fmt: skip
rows("list", "prefix-appointment", listing("appointments/appt-1/"), {"P1": FORBIDDEN, "admin": OK})
rows("list", "prefix-archived", listing("archived/"), {"anonymous": UNAUTHENTICATED, "P1": FORBIDDEN, "D1": FORBIDDEN, "D2": FORBIDDEN, "admin": OK})
rows("list", "prefix-archived-p1", listing("archived/patients/p1/"), {"P1": FORBIDDEN, "D1": FORBIDDEN, "admin": OK})
rows("list", "prefix-temp", listing("temp/"), {"P1": FORBIDDEN, "D1": FORBIDDEN, "D2": FORBIDDEN, "admin": OK})

PREFIX_TRICKS = {
    "dot-dot": "prefix=patients/p1/../p2/",
    "pct2e-dot-dot": "prefix=patients/p1/%2e%2e/p2/",
    "pct2f-literal": "prefix=patients%252fp2%252f",
    "double-slash": "prefix=patients//p2/",
    "fullwidth-solidus": "prefix=patients\uff0fp2\uff0f",
    "fullwidth-dots": "prefix=patients/p1/\uff0e\uff0e/p2/",
    "fullwidth-id": "prefix=patients/\uff50\uff12/",
    "cyrillic-er-id": "prefix=patients/\u04402/",
    "absolute": "prefix=/patients/p2/",
}
for trick, query in PREFIX_TRICKS.items():
    rows("list-prefix-trick", trick, raw_list(query), for_all(INVALID_PREFIX))
rows("list-prefix-trick", "pct2F-decodes-to-p2", raw_list("prefix=patients%2Fp2%2F"), {
    "anonymous": UNAUTHENTICATED, "P1": FORBIDDEN, "D1": BREAK_GLASS_REQUIRED, "D2": BREAK_GLASS_REQUIRED, "admin": OK,
})  # fmt: skip

# upload: the entity of the form decides
rows("upload", "patient-p1", upload_for("patient", "p1"), {
    "anonymous": UNAUTHENTICATED, "P1": CREATED, "P2": FORBIDDEN, "D1": CREATED, "D2": FORBIDDEN, "D2+reason": FORBIDDEN,
    "admin": CREATED,
})  # fmt: skip
rows("upload", "patient-p2", upload_for("patient", "p2"), {
    "anonymous": UNAUTHENTICATED, "P1": FORBIDDEN, "P1+reason": FORBIDDEN, "D1": FORBIDDEN, "D1+reason": FORBIDDEN, "admin": CREATED,
})  # fmt: skip
rows("upload", "provider-d1", upload_for("provider", "{d1}"), {"P1": FORBIDDEN, "D1": CREATED, "D2": FORBIDDEN, "admin": CREATED})
rows("upload", "appointment", upload_for("appointment", "appt-9"), {"P1": FORBIDDEN, "D1": CREATED, "D2": CREATED, "admin": CREATED})
rows("upload", "prescription", upload_for("prescription", "rx-9"), {"P1": FORBIDDEN, "D1": CREATED, "D2": CREATED, "admin": CREATED})
for trick, entity_id in {
    "dot-dot": "p1/../p2",
    "slash": "p2/",
    "pct2f": "p1%2f..%2fp2",
    "fullwidth-id": "\uff50\uff12",
    "cyrillic-er-id": "\u04401",
}.items():
    rows("upload-entity-trick", trick, upload_for("patient", entity_id), for_all(INVALID_ENTITY_ID))

# soft delete
rows("delete", "own-fresh-upload", delete_fresh("P1", "patient", "p1"), {"P1": OK, "D1": OK})
rows("delete", "p1-doc-by-admin", delete_fresh("admin", "patient", "p1"), {
    "anonymous": UNAUTHENTICATED, "P1": FORBIDDEN, "D1": OK, "D2": FORBIDDEN, "D2+reason": FORBIDDEN, "admin": OK,
})  # fmt: skip
rows("delete", "p1-doc-by-d1", delete_fresh("D1", "patient", "p1"), {"P1": FORBIDDEN, "D1": OK})
rows("delete", "p2-doc-by-admin", delete_fresh("admin", "patient", "p2"), {
    "P1": FORBIDDEN, "D1": FORBIDDEN, "D1+reason": FORBIDDEN, "D2": FORBIDDEN, "admin": OK,
})  # fmt: skip
rows("delete", "p2-doc-by-p2", delete_fresh("P2", "patient", "p2"), {"P1": FORBIDDEN, "P2": OK})
rows("delete", "provider-d1-doc", delete_fresh("D1", "provider", "{d1}"), {"P1": FORBIDDEN, "D1": OK, "D2": FORBIDDEN})
rows("delete", "appointment-by-d1", delete_fresh("D1", "appointment", "appt-1"), {"P1": FORBIDDEN, "D2": FORBIDDEN, "D1": OK})
rows("delete", "appointment-by-admin", delete_fresh("admin", "appointment", "appt-2"), {"D1": FORBIDDEN, "admin": OK})
rows("delete", "archived-p1-doc", delete_key("{key_p1_archived}"), {"P1": FORBIDDEN, "D1": FORBIDDEN, "D2": FORBIDDEN})
rows("delete", "missing-p1-key", delete_key("{key_p1_missing}"), {
    "anonymous": UNAUTHENTICATED, "P1": NOT_FOUND, "D1": NOT_FOUND, "D2": FORBIDDEN, "D2+reason": FORBIDDEN, "admin": NOT_FOUND,
})  # fmt: skip
rows("delete", "missing-p2-key", delete_key("{key_p2_missing}"), {"P1": FORBIDDEN, "D1": FORBIDDEN, "D1+reason": FORBIDDEN})
rows("delete", "dot-dot-to-p2", delete_key("patients/p1/medical-records/../../p2/{tail_p2_admin}"), for_all(INVALID_KEY))
rows("delete", "fullwidth-solidus", delete_key("patients\uff0fp2\uff0f{tail_p2_admin}"), for_all(INVALID_KEY))

# permanent delete: administrators only
rows("delete-permanent", "own-fresh-upload", delete_fresh("P1", "patient", "p1", permanent=True), {"P1": FORBIDDEN})
rows("delete-permanent", "p1-doc-by-admin", delete_fresh("admin", "patient", "p1", permanent=True), {
    "anonymous": UNAUTHENTICATED, "P1": FORBIDDEN, "D1": FORBIDDEN, "D2": FORBIDDEN, "admin": OK,
})  # fmt: skip
rows("delete-permanent", "provider-d1-doc", delete_fresh("D1", "provider", "{d1}", permanent=True), {"D1": FORBIDDEN, "admin": OK})
rows("delete-permanent", "appointment-by-d1", delete_fresh("D1", "appointment", "appt-1", permanent=True), {"D1": FORBIDDEN})

# administration
ADMIN_ONLY = {"anonymous": UNAUTHENTICATED, "P1": FORBIDDEN, "P2": FORBIDDEN, "D1": FORBIDDEN, "D2": FORBIDDEN, "admin": OK}
rows("stats", "-", admin_get(API + "/stats"), ADMIN_ONLY)
rows("config", "-", admin_get(API + "/config"), ADMIN_ONLY)
rows("reconcile", "-", admin_get(API + "/reconcile"), ADMIN_ONLY)
rows("audit", "-", admin_get(ADMIN_API + "/audit"), ADMIN_ONLY)
rows("audit-export", "jsonl", admin_get(ADMIN_API + "/audit/export?format=jsonl"), ADMIN_ONLY)
rows("audit-export", "fhir", admin_get(ADMIN_API + "/audit/export?format=fhir"), ADMIN_ONLY)
rows("users", "list", admin_get(ADMIN_API + "/users"), ADMIN_ONLY, audited=False)
rows("users", "create", create_user, ADMIN_ONLY | {"admin": CREATED}, audited=False)
rows("users", "disable", disable_user, ADMIN_ONLY, audited=False)
rows("careteams", "list", admin_get(ADMIN_API + "/careteams"), ADMIN_ONLY, audited=False)
rows("careteams", "add", add_care_team, ADMIN_ONLY | {"admin": CREATED}, audited=False)
rows("careteams", "remove", remove_care_team, ADMIN_ONLY, audited=False)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_matrix(world, case):
    role, _, with_reason = case.role.partition("+")
    headers = dict(BREAK_GLASS) if with_reason else {}
    response = case.call(world, world.auth(role), headers)
    expect = case.expect

    if expect.code is not None:
        assert_error(response, expect.status, expect.code)
    else:
        assert response.status_code == expect.status, f"expected {expect.status}, got {response.status_code}: {response.text[:500]}"
    if role == "anonymous":
        assert "bearer" in response.headers.get("WWW-Authenticate", "").lower(), response.headers
        return
    if case.endpoint == "presign" and expect.status == 200:
        assert response.json()["url"], response.text
    if not case.audited:
        return

    audit = world.server.audit_rows(response.headers["X-Request-Id"])
    assert len(audit) == 1, f"one audit row per call, got {audit}"
    row = audit[0]
    assert (row["actor_id"], row["actor_role"]) == (world.ids[role], ROLE_KIND[role]), row
    assert row["http_status"] == expect.status, row
    assert row["error_code"] == expect.code, row
    if expect.status < 400:
        assert row["outcome"] == "success", row
    elif expect.status == 403 or expect.concealed:
        assert row["outcome"] == "denied", row
    elif expect.status in (400, 404):
        assert row["outcome"] == "rejected", row
    if case.endpoint == "upload" and case.target in ("patient-p1", "patient-p2"):
        # Allowed or refused, the row names the patient the upload was for.
        assert row["patient_id"] == case.target.removeprefix("patient-"), row
    if expect.break_glass:
        assert (row["break_glass"], row["reason"]) == (1, REASON), row
        assert row["patient_id"] in ("p1", "p2"), row
    elif not with_reason or expect.status == 403:
        assert row["break_glass"] == 0, row


def test_the_matrix_covers_every_endpoint_and_role():
    endpoints = {case.endpoint for case in CASES}
    for endpoint in ("upload", "download-key", "download-id", "presign", "list", "delete", "delete-permanent", "stats", "config",
                     "users", "careteams", "audit", "audit-export"):  # fmt: skip
        assert endpoint in endpoints
        roles = {case.role.partition("+")[0] for case in CASES if case.endpoint == endpoint}
        assert {"anonymous", "P1", "D1", "D2", "admin"} <= roles, (endpoint, roles)


# --- listings only ever contain what the caller may see -----------------------------------------------


def visible_to(world: World, role: str, entry: dict) -> bool:
    entity_type, entity_id = entry["entityType"], entry["entityId"]
    assert entry["key"].startswith(f"{ENTITY_ROOT[entity_type]}/{entity_id}/"), entry
    if role in ("P1", "P2"):
        return entity_type == "patient" and entity_id == role.lower()
    care_team = {"D1": {"p1"}, "D2": set()}[role]
    if entity_type == "patient":
        return entity_id in care_team
    if entity_type == "provider":
        return entity_id == world.provider_ids[role]
    uploaded_by = world.server.query("SELECT uploaded_by FROM documents WHERE key = ?", (entry["key"],))
    return bool(uploaded_by) and uploaded_by[0]["uploaded_by"] == world.ids[role]


LISTINGS = [
    {},
    {"prefix": "patients/"},
    {"prefix": "patients/p"},
    {"prefix": "patients/p1"},
    {"prefix": "patients/p2"},
    {"prefix": "providers/"},
    {"prefix": "appointments/"},
    {"prefix": "appointments/appt-2/"},
    {"prefix": "prescriptions/"},
    {"q": "p2"},
    {"q": "admin"},
    {"category": "other"},
    {"prefix": "patients/", "q": ".pdf"},
]


@pytest.mark.parametrize("role", ["P1", "P2", "D1", "D2"])
def test_listings_only_contain_visible_documents(world, role):
    seen = 0
    for params in LISTINGS:
        response = world.server.list(auth=world.tokens[role], maxKeys=1000, **params)
        assert response.status_code in (200, 403), (params, response.status_code, response.text[:300])
        if response.status_code == 403:
            continue
        for entry in response.json()["files"]:
            seen += 1
            assert visible_to(world, role, entry), f"{role} listed {entry['key']} with {params}"
            assert not entry["key"].startswith(("archived/", "temp/")), entry["key"]
    assert seen > 0, "the listings returned something to check"


def active_keys(world: World, where: str, params: tuple = ()) -> set[str]:
    return {r["key"] for r in world.server.query(f"SELECT key FROM documents WHERE status = 'active' AND {where}", params)}


@pytest.mark.parametrize("role", ["P1", "D1", "D2"])
def test_listing_without_prefix_is_exactly_what_the_caller_may_see(world, role):
    listed = [f["key"] for f in world.server.list_all(auth=world.tokens[role])]
    assert len(listed) == len(set(listed))
    if role == "P1":
        expected = active_keys(world, "entity_type = 'patient' AND entity_id = 'p1'")
    else:
        care_team = {"D1": ["p1"], "D2": []}[role]
        expected = set().union(*(active_keys(world, "entity_type = 'patient' AND entity_id = ?", (p,)) for p in care_team))
        expected |= active_keys(world, "entity_type = 'provider' AND entity_id = ?", (world.provider_ids[role],))
        expected |= active_keys(world, "entity_type IN ('appointment', 'prescription') AND uploaded_by = ?", (world.ids[role],))
    assert set(listed) == expected
    if role == "D1":
        assert {world.key("p1_admin"), world.key("p1_self"), world.key("d1_own"), world.key("appt_d1")} <= set(listed)
    for other in ("p2_admin", "p2_self", "appt_admin") + (("d2_own",) if role != "D2" else ("d1_own",)):
        assert world.key(other) not in listed


def test_paged_listing_stays_within_what_the_caller_may_see(world):
    """Filtering happens before paging: small pages of P1's listing add up to exactly P1's documents."""
    for i in range(3):
        world.upload("P1", "patient", "p1", f"paged-{i}.txt")
    everything = [f["key"] for f in world.server.list_all(auth=world.tokens["P1"])]
    paged, token = [], None
    for _ in range(100):
        response = world.server.list(auth=world.tokens["P1"], maxKeys=2, continuationToken=token)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["files"]) == 2 or not page["isTruncated"], "a truncated page is full"
        paged += [f["key"] for f in page["files"]]
        if not page["isTruncated"]:
            break
        token = page["nextContinuationToken"]
    assert paged == everything
    assert all(key.startswith("patients/p1/") for key in paged)


def test_break_glass_listing_returns_the_patients_documents_and_is_flagged(world):
    response = world.server.list(prefix="patients/p2/", auth=world.tokens["D1"], headers=BREAK_GLASS)
    assert response.status_code == 200, response.text
    keys = {f["key"] for f in response.json()["files"]}
    assert {world.key("p2_admin"), world.key("p2_self")} <= keys
    assert all(key.startswith("patients/p2/") for key in keys)
    row = world.server.audit_rows(response.headers["X-Request-Id"])[0]
    assert (row["action"], row["break_glass"], row["reason"], row["actor_id"]) == ("document.list", 1, REASON, world.ids["D1"])


# --- break-glass in the audit trail ---------------------------------------------------------------------


def test_break_glass_download_is_flagged_in_the_audit_trail(world):
    entry = world.docs["p2_admin"]
    response = world.server.download(entry["key"], auth=world.tokens["D1"], headers=BREAK_GLASS)
    assert response.status_code == 200, response.text
    assert response.content == samples.pdf("p2 by admin")
    request_id = response.headers["X-Request-Id"]

    row = world.server.audit_rows(request_id)[0]
    assert row["action"] == "document.download"
    assert (row["break_glass"], row["reason"], row["patient_id"]) == (1, REASON, "p2")
    assert (row["actor_id"], row["actor_role"], row["document_key"]) == (world.ids["D1"], "provider", entry["key"])

    # the admin report: the audit API's break-glass filter
    events = world.server.get(ADMIN_API + "/audit", params={"breakGlass": "true", "actor": world.ids["D1"], "limit": 1000})
    assert events.status_code == 200, events.text
    found = [e for e in events.json()["events"] if e["requestId"] == request_id]
    assert len(found) == 1, events.text[:1000]
    assert (found[0]["breakGlass"], found[0]["reason"], found[0]["patientId"]) == (True, REASON, "p2")
    assert all(e["breakGlass"] is True for e in events.json()["events"])


def test_care_team_reads_are_not_break_glass(world):
    response = world.server.download(world.key("p1_admin"), auth=world.tokens["D1"])
    assert response.status_code == 200
    row = world.server.audit_rows(response.headers["X-Request-Id"])[0]
    assert (row["break_glass"], row["reason"], row["patient_id"]) == (0, None, "p1")


def test_patients_cannot_break_the_glass(world):
    response = world.server.download(world.key("p2_admin"), auth=world.tokens["P1"], headers=BREAK_GLASS)
    assert_error(response, 403, "forbidden")
    row = world.server.audit_rows(response.headers["X-Request-Id"])[0]
    assert row["break_glass"] == 0 and row["outcome"] == "denied"


# --- concealment by id ----------------------------------------------------------------------------------


def test_a_hidden_document_by_id_is_indistinguishable_from_a_missing_one(world):
    hidden = world.server.download(id=world.docs["p2_admin"]["id"], auth=world.tokens["P1"])
    missing = world.server.download(id=str(uuid.uuid4()), auth=world.tokens["P1"])
    hidden_error, missing_error = assert_error(hidden, 404, "not_found"), assert_error(missing, 404, "not_found")
    assert hidden_error["message"] == missing_error["message"]
    assert set(hidden.headers) - {"Date"} == set(missing.headers) - {"Date"}
    assert world.server.audit_rows(hidden.headers["X-Request-Id"])[0]["outcome"] == "denied"
    assert world.server.audit_rows(missing.headers["X-Request-Id"])[0]["outcome"] == "rejected"


# --- deleting -------------------------------------------------------------------------------------------


def test_patient_soft_deletes_their_own_fresh_upload(world):
    entry = world.upload("P1", "patient", "p1", "mine-to-delete.txt")
    response = world.server.delete_document(entry["key"], auth=world.tokens["P1"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["permanent"] is False and body["archivedKey"] == "archived/" + entry["key"]
    assert entry["key"] not in {f["key"] for f in world.server.list_all(auth=world.tokens["P1"])}
    assert_error(world.server.download(body["archivedKey"], auth=world.tokens["P1"]), 403, "forbidden")
    assert world.server.download(body["archivedKey"]).status_code == 200, "the administrator still has the archived bytes"


def test_patient_cannot_delete_an_admin_upload_for_them(world):
    entry = world.upload("admin", "patient", "p1", "admins-for-p1.txt")
    assert_error(world.server.delete_document(entry["key"], auth=world.tokens["P1"]), 403, "forbidden")
    assert world.server.download(entry["key"], auth=world.tokens["P1"]).status_code == 200, "still there, still readable"


def test_patient_delete_window_closes_after_24_hours(world):
    """The upload time is moved back 25 hours in the index (the policy reads the stored row's uploaded_at)."""
    entry = world.upload("P1", "patient", "p1", "old-upload.txt")
    changed = world.server.execute("UPDATE documents SET uploaded_at = uploaded_at - ? WHERE id = ?", (25 * 3600 * 1000, entry["id"]))
    assert changed == 1
    response = world.server.delete_document(entry["key"], auth=world.tokens["P1"])
    assert_error(response, 403, "delete_window_closed")
    assert world.server.download(entry["key"], auth=world.tokens["P1"]).status_code == 200
    assert world.server.audit_rows(response.headers["X-Request-Id"])[0]["outcome"] == "denied"


def test_permanent_delete_is_for_administrators_only(world):
    entry = world.upload("P1", "patient", "p1", "permanent-attempt.txt")
    for role in ("P1", "D1", "D2"):
        assert_error(world.server.delete_document(entry["key"], permanent=True, auth=world.tokens[role]), 403, "forbidden")
        assert world.server.object_exists(entry["key"]), f"{role}'s refused permanent delete removed the object"
    response = world.server.delete_document(entry["key"], permanent=True)
    assert response.status_code == 200, response.text
    assert not world.server.object_exists(entry["key"])


def test_refused_upload_stores_nothing(world):
    before = world.server.query("SELECT COUNT(*) AS n FROM documents WHERE entity_id = 'p2'")[0]["n"]
    objects = world.server.stored_objects()
    response = world.server.upload([("sneaky.txt", b"for someone else\n")], category="other", entity_id="p2", auth=world.tokens["P1"])
    assert_error(response, 403, "forbidden")
    assert world.server.query("SELECT COUNT(*) AS n FROM documents WHERE entity_id = 'p2'")[0]["n"] == before
    assert world.server.stored_objects() == objects
    assert world.server.leftovers() == []


def test_non_admins_cannot_create_users_or_care_teams(world):
    email = f"not-created-{uuid.uuid4().hex[:8]}@e2e.test"
    for role in ("P1", "D1"):
        response = world.server.post(ADMIN_API + "/users", json={"email": email, "role": "admin", "password": PASSWORD}, auth=world.tokens[role])
        assert_error(response, 403, "forbidden")
        response = world.server.post(ADMIN_API + "/careteams", json={"provider": world.emails["D2"], "patientId": "p2"}, auth=world.tokens[role])
        assert_error(response, 403, "forbidden")
    assert email not in {u["email"] for u in world.server.users()}
    members = world.server.get(ADMIN_API + "/careteams").json()["members"]
    assert not any(m["providerEmail"] == world.emails["D2"] and m["patientId"] == "p2" for m in members)
    assert_error(world.server.download(world.key("p2_admin"), auth=world.tokens["D2"]), 403, "break_glass_required")


# --- pre-signed URLs for another patient's key ------------------------------------------------------------


@pytest.mark.local_only("medvault verifies the local store's pre-signed URLs itself; S3 verifies its own")
def test_presigned_url_cannot_be_pointed_at_another_patients_key(world):
    response = world.server.download(world.key("p1_self"), presigned=True, auth=world.tokens["P1"])
    assert response.status_code == 200, response.text
    url = response.json()["url"]
    plain = requests.Session()
    plain.trust_env = False
    fetched = plain.get(url, timeout=30)
    assert fetched.status_code == 200 and fetched.content.startswith(b"p1-self.txt")

    parts = urlsplit(url)
    other = quote(world.key("p2_admin"), safe="/")
    swapped = urlunsplit(parts._replace(path=parts.path.split("/patients/", 1)[0] + "/" + other))
    assert swapped != url and "/patients/p2/" in swapped
    refused = plain.get(swapped, timeout=30)
    assert_error(refused, 403, "signature_mismatch")
    assert b"p2 by admin" not in refused.content
    row = world.server.audit_rows(refused.headers["X-Request-Id"])[0]
    assert (row["action"], row["outcome"]) == ("document.presigned_fetch", "denied")


def test_presign_refusal_hands_out_no_url(world):
    response = world.server.download(world.key("p2_admin"), presigned=True, auth=world.tokens["P1"])
    assert_error(response, 403, "forbidden")
    assert "url" not in response.json() and "X-Amz-Signature" not in response.text


def test_presign_is_audited_with_its_expiry(world):
    response = world.server.download(world.key("p1_admin"), presigned=True, auth=world.tokens["P1"])
    assert response.status_code == 200, response.text
    row = world.server.audit_rows(response.headers["X-Request-Id"])[0]
    assert (row["action"], row["outcome"], row["actor_id"]) == ("document.presign", "success", world.ids["P1"])
    expires_at = response.json()["expiresAt"]
    assert expires_at[:16] in (row["detail"] or ""), f"the expiry {expires_at} is recorded in the row: {row}"


# --- credentials change take effect at once ----------------------------------------------------------------


def test_care_team_changes_apply_to_the_next_request(world):
    """D2 joins p2's care team with the admin API and loses it again with the CLI."""
    key = world.key("p2_self")
    assert_error(world.server.download(key, auth=world.tokens["D2"]), 403, "break_glass_required")
    added = world.server.post(ADMIN_API + "/careteams", json={"provider": world.emails["D2"], "patientId": "p2"})
    assert added.status_code == 201, added.text
    try:
        assert world.server.download(key, auth=world.tokens["D2"]).status_code == 200
        members = world.server.get(ADMIN_API + "/careteams").json()["members"]
        assert any(m["providerId"] == world.ids["D2"] and m["patientId"] == "p2" and m["providerEmail"] == world.emails["D2"] for m in members)
        listed = world.server.cli(["careteam", "list"])
        assert listed.returncode == 0 and world.emails["D2"] in listed.stdout and "p2" in listed.stdout, listed.stdout
    finally:
        removed = world.server.cli(["careteam", "remove", "--provider", world.emails["D2"], "--patient", "p2"])
        assert removed.returncode == 0, removed.stderr
    assert_error(world.server.download(key, auth=world.tokens["D2"]), 403, "break_glass_required")


def _presign(world, doc: str, role: str, headers: dict | None = None, expires: int | None = None) -> requests.Response:
    query = {"key": world.key(doc), "presigned": "true"} | ({} if expires is None else {"expires": str(expires)})
    return world.server.get(API + "/download", params=query, headers=headers or {}, auth=world.tokens[role])


def _lifetime(response: requests.Response) -> float:
    issued = parsedate_to_datetime(response.headers["Date"])
    expires_at = datetime.fromisoformat(response.json()["expiresAt"].replace("Z", "+00:00"))
    return (expires_at - issued).total_seconds()


def test_break_glass_urls_live_at_most_15_minutes(world):
    granted = _presign(world, "p2_admin", "D1", BREAK_GLASS)
    assert granted.status_code == 200, granted.text
    assert 898 <= _lifetime(granted) <= 901, "without `expires`, a break-glass URL lives 15 minutes (not the usual hour)"
    assert "X-Amz-Expires=900" in granted.json()["url"]
    row = world.server.audit_rows(granted.headers["X-Request-Id"])[0]
    assert (row["break_glass"], row["reason"]) == (1, REASON)
    assert "expires=900s" in row["detail"]

    for too_long in (901, 3600, 604800):
        refused = _presign(world, "p2_admin", "D1", BREAK_GLASS, expires=too_long)
        error = assert_error(refused, 400, "invalid_parameter")
        assert "15 minutes" in error["message"]
        assert "url" not in refused.json()
    assert _presign(world, "p2_admin", "D1", BREAK_GLASS, expires=600).status_code == 200

    # Without break-glass the usual bounds hold: the same provider on their own patient, and an administrator.
    assert _presign(world, "p1_admin", "D1", expires=3600).status_code == 200
    assert 3598 <= _lifetime(_presign(world, "p2_admin", "admin")) <= 3601
    config = world.server.get(API + "/config").json()
    assert config["presign"]["breakGlassMaxExpiresSeconds"] == 900
