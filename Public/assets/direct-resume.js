// medvault: what the upload widget remembers of its direct uploads, so that one interrupted by a reload can resume.
// localStorage holds, per open session, its id and expiry and what recognises the file when it is chosen again
// (name, size, lastModified), with the signed-in user it belongs to; never the file's content. After a reload upload.js
// has each remembered session offered on the upload list ("choose the same file again to resume", or Discard, which aborts
// it). Signing out forgets them all. Plain ES2020, loaded with `defer` before direct-upload.js; logs nothing.
"use strict";

(() => {
  const KEY = "medvault.directUploads";
  const SESSIONS_URL = "/api/v2/aws/s3/uploads";

  const list = document.getElementById("upload-list");
  if (!list) return;
  const owner = document.getElementById("signed-in-user")?.textContent.trim() ?? "";
  const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";

  /** The remembered sessions by upload id, without expired ones. */
  function read() {
    let all;
    try {
      all = JSON.parse(localStorage.getItem(KEY) ?? "{}") ?? {};
    } catch {
      all = {};
    }
    const now = Date.now();
    for (const [id, entry] of Object.entries(all)) {
      if (!(Date.parse(entry.expiresAt) > now)) delete all[id];
    }
    return all;
  }

  function write(all) {
    if (Object.keys(all).length === 0) {
      localStorage.removeItem(KEY);
    } else {
      localStorage.setItem(KEY, JSON.stringify(all));
    }
  }

  function remember(uploadId, file, expiresAt) {
    const all = read();
    all[uploadId] = { name: file.name, size: file.size, lastModified: file.lastModified, expiresAt, owner };
    write(all);
  }

  function forget(uploadId) {
    const all = read();
    delete all[uploadId];
    write(all);
    offerOf(uploadId)?.remove();
  }

  /** The id of this user's open session for `file` (same name, size and lastModified), its offer taken off the list. */
  function claim(file) {
    const match = Object.entries(read()).find(
      ([, entry]) => entry.owner === owner && entry.name === file.name && entry.size === file.size && entry.lastModified === file.lastModified,
    );
    if (!match) return null;
    offerOf(match[0])?.remove();
    return match[0];
  }

  const offerOf = (uploadId) => [...list.querySelectorAll("li.resume-offer")].find((li) => li.dataset.uploadId === uploadId);

  /** Puts this user's remembered sessions on the upload list, each as a row made by `makeRow` (upload.js's). */
  function offerInterrupted(makeRow) {
    for (const [uploadId, entry] of Object.entries(read())) {
      if (entry.owner !== owner) continue;
      const element = makeRow(entry.name);
      element.classList.add("resume-offer");
      element.dataset.state = "interrupted";
      element.dataset.uploadId = uploadId;
      element.querySelector(".status").textContent = "Interrupted. Choose the same file again to resume it.";
      const discard = document.createElement("button");
      discard.type = "button";
      discard.className = "discard secondary";
      discard.textContent = "Discard";
      discard.setAttribute("aria-label", `Discard the interrupted upload of ${entry.name}`);
      discard.addEventListener("click", () => {
        discard.disabled = true;
        fetch(`${SESSIONS_URL}/${encodeURIComponent(uploadId)}`, { method: "DELETE", headers: { "X-CSRF-Token": csrfToken() } })
          .catch(() => null)
          .finally(() => forget(uploadId));
      });
      element.append(discard);
    }
  }

  document.querySelector('form[action="/logout"]')?.addEventListener("submit", () => localStorage.removeItem(KEY));

  window.medvault = Object.assign(window.medvault ?? {}, { uploadSessions: { remember, forget, claim, offerInterrupted } });
})();
