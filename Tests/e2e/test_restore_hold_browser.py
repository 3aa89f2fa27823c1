"""Restore and legal hold on /storage in a real browser (headless Chromium, as test_browser.py): the Restore
button of an archived row moves the document back, and the details dialog names a hold."""

from __future__ import annotations

import uuid

import pytest

from support import ADMIN_EMAIL, ADMIN_PASSWORD, API
from test_browser import chrome, page  # noqa: F401 (pytest fixtures: one Chromium for the module)

pytestmark = pytest.mark.database_agnostic("the pages' buttons in a browser; restore and hold run on both engines in test_restore_hold")


def test_restore_button_moves_an_archived_document_back(page, server):  # noqa: F811
    patient = f"RESB-{uuid.uuid4().hex[:8]}"
    entry = server.upload_ok([(f"restore-me-{patient}.txt", b"restore me\n", "text/plain")], entity_id=patient)[0]
    assert server.delete_document(entry["key"]).status_code == 200

    page.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/storage")
    page.open(f"/storage?prefix=archived/patients/{patient}/")
    page.mark_page()
    page.row(entry["fileName"]).find_element("css selector", "button.restore").click()
    page.wait_rows(lambda names: entry["fileName"] not in names, "the restored row stayed under archived/")
    page.wait_text("#page-message", f"{entry['fileName']} restored to its original folder.")
    page.assert_same_page()
    page.screenshot("storage-after-restore")

    assert server.download(entry["key"]).content == b"restore me\n"
    assert server.list_all(prefix=f"archived/patients/{patient}/") == []


def test_details_name_the_hold_and_a_held_row_cannot_be_archived(page, server):  # noqa: F811
    patient = f"HOLDB-{uuid.uuid4().hex[:8]}"
    entry = server.upload_ok([(f"held-{patient}.txt", b"held\n", "text/plain")], entity_id=patient)[0]
    placed = server.post(API + "/hold", json={"id": entry["id"], "reason": "Matter 7"})
    assert placed.status_code == 200, placed.text

    page.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/storage")
    page.open(f"/storage?prefix=patients/{patient}/")
    row = page.row(entry["fileName"])
    assert "Legal hold" in row.text
    row.find_element("css selector", "button.details").click()
    page.visible("#document-details")
    assert page.text("#detail-legal-hold").startswith("Matter 7, since ")
    page.find("#close-details").click()
    page.wait.until(lambda _: page.js("return document.getElementById('document-details').open") is False)

    page.row(entry["fileName"]).find_element("css selector", "button.delete").click()
    page.visible("#confirm-soft-delete").click()
    message = page.wait_text("#page-message", "0 documents moved to the archive.")
    assert "legal hold" in page.text("#page-message"), message
    assert server.download(entry["key"]).status_code == 200
