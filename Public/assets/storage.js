// medvault: the documents table of /storage and /documents.
// Row actions (download through a pre-signed URL, details, delete with confirmation, restore of archived
// rows), bulk select and delete, and refreshing the table in place. Plain ES2020, no build step; loaded
// with `defer`, never inline (CSP script-src 'self'). Every text the server sent is put into the page with textContent, never as HTML.
"use strict";

(() => {
  const API = "/api/v2/aws/s3";

  const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  /** Shows a message in the page's live region (`#page-message`); `kind` is "ok" or "error". */
  function say(text, kind = "ok") {
    const box = $("#page-message");
    if (!box) return;
    box.textContent = text;
    box.dataset.kind = kind;
    box.setAttribute("role", kind === "error" ? "alert" : "status");
  }

  /** The server's message from a JSON error body, or a fallback naming the status. */
  async function errorMessage(response) {
    try {
      const body = await response.json();
      if (body?.error?.message) return body.error.message;
    } catch (_) {
      // not JSON: fall through
    }
    return `The server answered ${response.status}.`;
  }

  // --- download -------------------------------------------------------------------------------------

  async function download(row) {
    const name = row.dataset.fileName;
    try {
      const response = await fetch(`${API}/download?id=${encodeURIComponent(row.dataset.id)}&presigned=true`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        say(`Could not download ${name}: ${await errorMessage(response)}`, "error");
        return;
      }
      const { url } = await response.json();
      say(`Downloading ${name}…`);
      location.assign(url);
    } catch (_) {
      say(`Could not download ${name}: the server could not be reached.`, "error");
    }
  }

  // --- details --------------------------------------------------------------------------------------

  const detailFields = {
    "detail-file-name": "fileName",
    "detail-key": "key",
    "detail-sha256": "sha256",
    "detail-entity-type": "entityType",
    "detail-entity-id": "entityId",
    "detail-category": "category",
    "detail-content-type": "contentType",
    "detail-size": "size",
    "detail-uploaded-at": "uploadedAt",
    "detail-uploaded-by": "uploadedBy",
    "detail-legal-hold": "legalHold",
  };

  function showDetails(row) {
    const dialog = $("#document-details");
    if (!dialog) return;
    for (const [id, field] of Object.entries(detailFields)) {
      const cell = document.getElementById(id);
      if (cell) cell.textContent = row.dataset[field] ?? "";
    }
    const size = $("#detail-size");
    if (size && row.dataset.sizeBytes) size.textContent = `${row.dataset.size} (${Number(row.dataset.sizeBytes).toLocaleString("en")} bytes)`;
    dialog.showModal();
  }

  // --- delete ---------------------------------------------------------------------------------------

  /** The rows the open confirmation dialog is about. */
  let pendingRows = [];

  function confirmDelete(rows) {
    const dialog = $("#confirm-delete");
    if (!dialog || rows.length === 0) return;
    pendingRows = rows;
    const what = rows.length === 1 ? `“${rows[0].dataset.fileName}”` : `${rows.length} documents`;
    $("#confirm-delete-title").textContent = rows.length === 1 ? "Delete this document?" : `Delete ${rows.length} documents?`;
    $("#confirm-message").textContent =
      `${what} will be moved to the archive (archived/) and disappear from this list. ` +
      "This is a soft delete: nothing is erased, and administrators can still open it under archived/.";
    const permanent = $("#confirm-permanent-delete");
    if (permanent) permanent.textContent = rows.length === 1 ? "Delete permanently" : `Delete ${rows.length} permanently`;
    dialog.showModal();
    $("#cancel-delete")?.focus();
  }

  async function deleteRows(permanent) {
    const dialog = $("#confirm-delete");
    const rows = pendingRows;
    pendingRows = [];
    const buttons = $$("#confirm-delete button");
    buttons.forEach((button) => (button.disabled = true));
    const failures = [];
    let done = 0;
    for (const row of rows) {
      const body = permanent ? { key: row.dataset.key, permanent: true } : { key: row.dataset.key };
      try {
        const response = await fetch(`${API}/delete`, {
          method: "DELETE",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrfToken() },
          body: JSON.stringify(body),
        });
        if (response.ok) {
          done += 1;
        } else {
          failures.push(`${row.dataset.fileName}: ${await errorMessage(response)}`);
        }
      } catch (_) {
        failures.push(`${row.dataset.fileName}: the server could not be reached.`);
      }
    }
    buttons.forEach((button) => (button.disabled = false));
    dialog?.close();
    const verb = permanent ? "deleted permanently" : "moved to the archive";
    const summary = done === 1 ? `1 document ${verb}.` : `${done} documents ${verb}.`;
    if (failures.length > 0) {
      say(`${summary} Not deleted: ${failures.join(" ")}`, "error");
    } else {
      say(summary);
    }
    await refreshListing();
  }

  // --- restore (archived rows, administrators) -----------------------------------------------------

  async function restore(row) {
    const name = row.dataset.fileName;
    try {
      const response = await fetch(`${API}/restore`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrfToken() },
        body: JSON.stringify({ id: row.dataset.id }),
      });
      if (!response.ok) {
        say(`Could not restore ${name}: ${await errorMessage(response)}`, "error");
        return;
      }
      say(`${name} restored to its original folder.`);
    } catch (_) {
      say(`Could not restore ${name}: the server could not be reached.`, "error");
      return;
    }
    await refreshListing();
  }

  // --- selection ------------------------------------------------------------------------------------

  const selectedRows = () => $$("tr.document-row").filter((row) => $("input.select-row", row)?.checked);

  function updateSelection() {
    const selected = selectedRows().length;
    const all = $$("input.select-row");
    const bulk = $("#bulk-delete");
    if (bulk) {
      bulk.disabled = selected === 0;
      bulk.textContent = selected > 0 ? `Delete selected (${selected})` : "Delete selected";
    }
    const count = $("#selection-count");
    if (count) count.textContent = selected > 0 ? `${selected} of ${all.length} selected` : "";
    const selectAll = $("#select-all");
    if (selectAll) {
      selectAll.checked = all.length > 0 && selected === all.length;
      selectAll.indeterminate = selected > 0 && selected < all.length;
    }
  }

  // --- refresh --------------------------------------------------------------------------------------

  /**
   * Reloads the table (and the stat cards, where there are any) from the server without reloading the
   * page, so the upload list and messages stay. Falls back to a full reload if that fails.
   */
  async function refreshListing() {
    try {
      const response = await fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (response.redirected && new URL(response.url).pathname === "/login") {
        location.assign(response.url);
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const id of ["document-listing", "storage-stats"]) {
        const current = document.getElementById(id);
        const replacement = fresh.getElementById(id);
        if (current && replacement) current.replaceWith(document.importNode(replacement, true));
      }
      updateSelection();
      document.dispatchEvent(new CustomEvent("medvault:listing-refreshed"));
    } catch (_) {
      location.reload();
    }
  }

  // --- wiring (delegated, so it survives refreshes) ------------------------------------------------

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const button = target.closest("button");
    if (!button) return;
    const row = button.closest("tr.document-row");
    if (row && button.classList.contains("download")) {
      download(row);
    } else if (row && button.classList.contains("details")) {
      showDetails(row);
    } else if (row && button.classList.contains("restore")) {
      restore(row);
    } else if (row && button.classList.contains("delete")) {
      confirmDelete([row]);
    } else if (button.id === "bulk-delete") {
      confirmDelete(selectedRows());
    } else if (button.id === "confirm-soft-delete") {
      deleteRows(false);
    } else if (button.id === "confirm-permanent-delete") {
      deleteRows(true);
    } else if (button.id === "cancel-delete") {
      pendingRows = [];
      $("#confirm-delete")?.close();
    } else if (button.id === "close-details") {
      $("#document-details")?.close();
    }
  });

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLInputElement)) return;
    if (target.id === "select-all") {
      $$("input.select-row").forEach((box) => (box.checked = target.checked));
      updateSelection();
    } else if (target.classList.contains("select-row")) {
      updateSelection();
    }
  });

  // The upload widget asks for a refresh when its files are done.
  document.addEventListener("medvault:uploads-finished", () => refreshListing());

  window.medvault = Object.assign(window.medvault ?? {}, { refreshListing, say });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateSelection);
  } else {
    updateSelection();
  }
})();
