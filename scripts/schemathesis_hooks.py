"""Schemathesis hooks for scripts/run_schemathesis.py: four rules that Public/openapi.yaml states in its
descriptions but that OpenAPI 3.1 has no keyword for, so the generator cannot know them.

- `POST /api/v2/aws/s3/upload`: the fields `category`, `entityType` and `entityId` must precede the `file`
  parts (the server builds each file's key before it stores the file's first byte). A JSON Schema object has
  no order, so the parts are put in the documented order; every case, valid or not, keeps its content.
- `GET /api/v2/aws/s3/download`: `key` and `id` are two ways to name one document and exactly one must be
  given; separate query parameters cannot say so. A valid case that has both keeps `key`; one that has neither
  gets an `id` no document has.
- `GET /api/v2/documents/{id}/signed-url` and `POST /api/v2/documents/{id}/revoke`: in the stateful phase
  schemathesis fills `{id}` from any response field it links there, the audit trail's nullable `documentId`
  included, and sends `None` as the path; a valid case whose `{id}` is not a UUID gets one no document has.
- `GET /api/v2/aws/s3/list`: `continuationToken` is opaque, minted by the server for the previous page (the
  document's links carry it there); a string the generator made up is not one. A valid case keeps a token only
  if a list page answered it as `nextContinuationToken` (the stateful phase also starts chains with made-up
  tokens, so being in that phase proves nothing).

Invalid (negative) cases are left as generated apart from the part order: they must be refused anyway.

Failures that schemathesis reports against itself are dropped (`filter_failure`): "schema-violating request
accepted" for an upload whose own description says it was generated valid ("Positive test case", or a
coverage scenario of valid values). Schemathesis 4.32 marks such multipart cases invalid although it built
them from valid values (it fills the `file` parts with sample images after generation), then expects them to
be refused. Every other operation's failures, and every other failure of the upload, are kept.

A direct upload session outlives its abort: `GET /api/v2/aws/s3/uploads/{uploadId}` answers it with state
`aborted`, as the protocol documents, so "deleted resource still available" is dropped for that operation alone.
And a direct upload whose `size` is over the schema's maximum is refused with 413 `file_too_large`, the status
RFC 9110 gives a payload too large, which schemathesis does not count as a refusal, and a size within the schema's
overall maximum can still be over its type's limit, which a schema cannot say: for a 413 only, "schema-violating
request accepted" and "schema-valid request rejected" are dropped too; likewise "schema-valid request rejected"
for a 415 `unsupported_type` whose extension is allowed but not in the chosen category (a `.pdf` as a `chat-image`)
and for a 400 `invalid_category` whose category does not belong under the entity type (a `chat-image` for a
`patient`), pairings the schema cannot say either.

And one rule of the run itself: `POST /api/v2/users/disable` never names the administrator the run signs in
as (MEDVAULT_RUN_ADMIN_EMAIL, which the generator can learn from `GET /api/v2/users`): disabling it would
turn every later request into a 401 and end the test.

"""

from __future__ import annotations

import os
import uuid

import schemathesis
from schemathesis.generation import GenerationMode

UPLOAD_FIELDS = ("category", "entityType", "entityId")
# The list pages' `nextContinuationToken`s seen so far in this run.
ISSUED_TOKENS: set[str] = set()
# The operations that name a document by the `{id}` in their path.
DOCUMENT_ID_PATHS = ("GET /api/v2/documents/{id}/signed-url", "POST /api/v2/documents/{id}/revoke")
# A document id that no document has, and an account that does not exist.
ABSENT_DOCUMENT_ID = "00000000-0000-4000-8000-000000000000"
ABSENT_EMAIL = "nobody@example.org"
RUN_ADMIN_EMAIL = os.environ.get("MEDVAULT_RUN_ADMIN_EMAIL", "").lower()
# Schemathesis's coverage scenarios that produce valid values (its CoverageScenario's "positive" groups).
VALID_VALUE_SCENARIOS = {
    "example_value", "default_value", "enum_value", "const_value", "valid_string", "valid_number", "valid_boolean",
    "valid_array", "valid_object", "null_value", "minimum_length_string", "maximum_length_string",
    "near_boundary_length_string", "minimum_value", "maximum_value", "near_boundary_number", "maximum_items_array",
    "near_boundary_items_array", "enum_value_items_array", "object_only_required", "object_required_and_optional",
    "object_additional_property", "default_positive_test",
}


@schemathesis.hook
def before_call(context, case, **kwargs):
    label = case.operation.label
    if label == "POST /api/v2/aws/s3/upload" and isinstance(case.body, dict):
        first = {name: case.body[name] for name in UPLOAD_FIELDS if name in case.body}
        case.body = first | {name: value for name, value in case.body.items() if name not in first}
    if label == "POST /api/v2/users/disable" and isinstance(case.body, dict):
        email = case.body.get("email")
        if isinstance(email, str) and email.strip().lower() == RUN_ADMIN_EMAIL:
            case.body = case.body | {"email": ABSENT_EMAIL}
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    query = dict(case.query or {})
    if label == "GET /api/v2/aws/s3/download":
        if "key" in query:
            query.pop("id", None)
        elif "id" not in query:
            query["id"] = ABSENT_DOCUMENT_ID
    if label in DOCUMENT_ID_PATHS and not _is_uuid((case.path_parameters or {}).get("id")):
        case.path_parameters = dict(case.path_parameters or {}) | {"id": ABSENT_DOCUMENT_ID}
    if label == "GET /api/v2/aws/s3/list" and query.get("continuationToken") not in ISSUED_TOKENS:
        query.pop("continuationToken", None)
    case.query = query



@schemathesis.hook
def after_call(context, case, response):
    """Remembers the continuation tokens the server issued (see the list rule above)."""
    if case.operation.label == "GET /api/v2/aws/s3/list" and response.status_code == 200:
        token = response.json().get("nextContinuationToken")
        if token:
            ISSUED_TOKENS.add(token)


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """False (drop it) for "schema-violating request accepted" on an upload generated valid, and for "deleted
    resource still available" on a direct upload session, which stays readable as `aborted` (see above)."""
    if failure.code == "ST301" and case.operation.label == "GET /api/v2/aws/s3/uploads/{uploadId}":
        return False
    if failure.code in ("ST201", "ST202") and case.operation.label == "POST /api/v2/aws/s3/uploads" and response.status_code == 413:
        return False
    if failure.code == "ST202" and case.operation.label == "POST /api/v2/aws/s3/uploads" and _refused_pairing(response):
        return False
    return not (failure.code == "ST201" and case.operation.label == "POST /api/v2/aws/s3/upload" and _generated_valid(case))


def _refused_pairing(response) -> bool:
    """A refusal of two valid values that do not go together, which the schema cannot express: a 415
    `unsupported_type` naming the category (the extension is on the allow-list but not among the category's types,
    a `.pdf` as a `chat-image`), or a 400 `invalid_category` naming the entity types the category belongs under
    (a `chat-image` for a `patient`)."""
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return False
    message = error.get("message", "")
    if response.status_code == 415:
        return error.get("code") == "unsupported_type" and " files are not accepted in " in message
    return response.status_code == 400 and error.get("code") == "invalid_category" and " belongs under entityType: " in message


def _generated_valid(case) -> bool:
    data = case.meta.phase.data if case.meta is not None else None
    return getattr(data, "description", None) == "Positive test case" or str(getattr(data, "scenario", "")) in VALID_VALUE_SCENARIOS


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
