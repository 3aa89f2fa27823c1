"""Calls of medvault's JSON API as the tests make them: users, and upload, download, list and delete of documents.
"""

from __future__ import annotations

import json
from typing import Iterable
from urllib.parse import quote, urlencode

import requests

from http_helpers import multipart_body
from identities import ADMIN
from suite import ADMIN_API, API

class ApiClient:
    """The JSON API of one server, as a mixin of `MedvaultServer`: users (administrators' API) and documents.

    It relies on the server's `get`, `post` and `delete`, which add the bearer token of `auth`.
    """

    def users(self) -> list[dict]:
        response = self.get(ADMIN_API + "/users")
        assert response.status_code == 200, response.text
        return response.json()["users"]

    def user(self, email: str) -> dict:
        """The user record of `email` from the admin API."""
        found = [u for u in self.users() if u["email"] == email.lower()]
        assert len(found) == 1, f"{email} not among the users"
        return found[0]

    # -- the document API ---------------------------------------------------------------------------

    def upload(
        self,
        files: Iterable[tuple[str, bytes] | tuple[str, bytes, str]],
        category: str | None = "medical-records",
        entity_id: str | None = "P1",
        entity_type: str | None = "patient",
        auth=ADMIN,
        headers: dict | None = None,
    ) -> requests.Response:
        fields = [(n, v) for n, v in (("category", category), ("entityId", entity_id), ("entityType", entity_type)) if v is not None]
        content_type, body = multipart_body(fields, list(files))
        return self.post(API + "/upload", data=body, headers={"Content-Type": content_type} | dict(headers or {}), auth=auth)

    def upload_ok(self, files, **kwargs) -> list[dict]:
        response = self.upload(files, **kwargs)
        assert response.status_code == 201, f"upload failed: {response.status_code} {response.text}"
        return response.json()["files"]

    def download(
        self, key: str | None = None, id: str | None = None, headers: dict | None = None, auth=ADMIN, presigned: bool = False
    ) -> requests.Response:
        """GET download by key or id; the query is percent-encoded (RFC 3986, a space as %20, not `+`:
        test_download checks the form encoding separately)."""
        params = {k: v for k, v in (("key", key), ("id", id)) if v is not None}
        if presigned:
            params["presigned"] = "true"
        return self.get(API + "/download?" + urlencode(params, quote_via=quote, safe="/"), headers=headers or {}, auth=auth)

    def list(self, auth=ADMIN, headers: dict | None = None, **params) -> requests.Response:
        return self.get(API + "/list", params={k: v for k, v in params.items() if v is not None}, auth=auth, headers=headers or {})

    def list_all(self, prefix: str = "", page_size: int = 1000, auth=ADMIN, headers: dict | None = None, **params) -> list[dict]:
        files: list[dict] = []
        token = None
        while True:
            response = self.list(prefix=prefix, maxKeys=page_size, continuationToken=token, auth=auth, headers=headers, **params)
            assert response.status_code == 200, response.text
            page = response.json()
            files += page["files"]
            token = page.get("nextContinuationToken")
            if not page["isTruncated"]:
                return files

    def delete_document(self, key: str, permanent: bool | None = None, auth=ADMIN, headers: dict | None = None) -> requests.Response:
        payload: dict = {"key": key}
        if permanent is not None:
            payload["permanent"] = permanent
        return self.delete(API + "/delete", data=json.dumps(payload), headers={"Content-Type": "application/json"} | dict(headers or {}), auth=auth)
