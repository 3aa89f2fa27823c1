// medvault: the upload widget: drag-and-drop and a file picker, several files at once, one XHR
// per file with its own progress bar, a size/type check before sending (the server stays the judge), the
// server's own error message per file, retry, and a table refresh when everything has finished. Large files (or
// every file, when the page is set to) go straight to storage instead (direct-upload.js).
// Plain ES2020, no build step; loaded with `defer`, never inline (CSP script-src 'self').
"use strict";

(() => {
  const UPLOAD_URL = "/api/v2/aws/s3/upload";
  /** Files sent at the same time; the rest wait as "queued". */
  const PARALLEL = 2;
  const ENTITY_ID = /^[A-Za-z0-9_-]{1,64}$/;

  const widget = document.getElementById("upload-widget");
  if (!widget) return;
  const dropZone = document.getElementById("drop-zone");
  const input = document.getElementById("file-input");
  const list = document.getElementById("upload-list");
  const field = (id) => document.getElementById(id);
  const direct = window.medvault?.directUpload;
  const sessions = window.medvault?.uploadSessions;

  const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  const extensionsOf = (name) => (widget.dataset[name] ?? "").split(",").filter(Boolean);
  const limits = {
    image: { bytes: Number(widget.dataset.imageMaxBytes), extensions: extensionsOf("imageExtensions"), label: "Images" },
    document: { bytes: Number(widget.dataset.documentMaxBytes), extensions: extensionsOf("documentExtensions"), label: "Documents" },
    medical: { bytes: Number(widget.dataset.maxBytes), extensions: extensionsOf("medicalExtensions"), label: "Medical images" },
    video: { bytes: Number(widget.dataset.videoMaxBytes), extensions: extensionsOf("videoExtensions"), label: "Videos", ownLimit: true },
  };
  const maxBytes = Number(widget.dataset.maxBytes);

  /** "1.5 MiB", as the server prints sizes. */
  function formatBytes(bytes) {
    if (bytes < 1024) return bytes === 1 ? "1 byte" : `${bytes} bytes`;
    const units = ["KiB", "MiB", "GiB", "TiB"];
    let value = bytes / 1024;
    let unit = 0;
    while (unit < units.length - 1 && Math.round(value) >= 1024) {
      value /= 1024;
      unit += 1;
    }
    return `${value < 9.95 ? value.toFixed(1) : value.toFixed(0)} ${units[unit]}`;
  }

  /** Why `file` cannot be sent, or null when it may be (the server checks again, by content). */
  function precheck(file) {
    const dot = file.name.lastIndexOf(".");
    const extension = dot >= 0 ? file.name.slice(dot + 1).toLowerCase() : "";
    const kind = Object.values(limits).find((each) => each.extensions.includes(extension));
    if (!kind) {
      const accepted = Object.values(limits).flatMap((each) => each.extensions).join(", ");
      return `This type of file is not accepted. Accepted extensions: ${accepted}.`;
    }
    const category = chosenCategory();
    if (category && !category.extensions.includes(extension)) {
      return `This type of file is not accepted in ${category.label}. Accepted extensions: ${category.extensions.join(", ")}.`;
    }
    if (file.size === 0) return "The file is empty.";
    // Videos have their own limit, outside the one for any file (as on the server).
    let limit = kind.ownLimit ? kind.bytes : Math.min(kind.bytes, maxBytes);
    if (category?.maxBytes > 0 && category.maxBytes < limit) limit = category.maxBytes;
    if (file.size > limit) return `The file is ${formatBytes(file.size)}; ${kind.label.toLowerCase()} may be at most ${formatBytes(limit)}.`;
    return null;
  }

  /** The chosen category's extensions and own cap, from its option's data attributes (the server's table). */
  function chosenCategory() {
    const option = field("upload-category")?.selectedOptions?.[0];
    if (!option || option.dataset.extensions === undefined) return null;
    return {
      label: option.textContent.trim(),
      extensions: option.dataset.extensions.split(",").filter(Boolean),
      maxBytes: Number(option.dataset.maxBytes),
    };
  }

  /** The form's choices at sending time (so a corrected entity id applies to a retry). */
  function destination() {
    const entityId = (field("upload-entity-id")?.value ?? "").trim();
    return {
      category: field("upload-category")?.value ?? "",
      entityType: field("upload-entity-type")?.value ?? "",
      entityId,
      problem: ENTITY_ID.test(entityId) ? null : "Enter the entity id (letters, digits, - and _) above the drop area, then retry.",
    };
  }

  // --- the list of files ---------------------------------------------------------------------------

  /** @type {{file: File, element: HTMLLIElement, state: string}[]} */
  const items = [];
  let uploadedSinceRefresh = 0;

  function addFiles(files) {
    for (const file of Array.from(files ?? [])) {
      const element = makeRow(file.name);
      // A file whose direct upload a reload interrupted resumes that session.
      const item = { file, element, state: "queued", resumeId: sessions?.claim(file) ?? null };
      items.push(item);
      const problem = precheck(file);
      if (problem) {
        fail(item, problem);
      } else {
        setState(item, "queued", "Waiting…");
      }
    }
    pump();
  }

  /** A row of the upload list for `fileName`: its name, a progress bar and a status, appended to the list. */
  function makeRow(fileName) {
    const element = document.createElement("li");
    element.className = "upload-item";
    const name = document.createElement("span");
    name.className = "file-name";
    name.textContent = fileName;
    const progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute("aria-label", `Upload progress of ${fileName}`);
    const status = document.createElement("span");
    status.className = "status";
    element.append(name, progress, status);
    list.append(element);
    return element;
  }

  function setState(item, state, text) {
    item.state = state;
    item.element.dataset.state = state;
    item.element.querySelector(".status").textContent = text;
  }

  /** Marks `item` failed with `message`, with a retry button (after fixing the form, or a passing network fault). */
  function fail(item, message) {
    setState(item, "failed", message);
    item.element.querySelector(".status").setAttribute("role", "alert");
    if (!item.element.querySelector("button.retry")) {
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "retry secondary";
      retry.textContent = "Retry";
      retry.setAttribute("aria-label", `Retry ${item.file.name}`);
      item.element.append(retry);
    }
  }

  function retry(item) {
    item.element.querySelector("button.retry")?.remove();
    item.element.querySelector(".status").removeAttribute("role");
    item.element.querySelector("progress").value = 0;
    setState(item, "queued", "Waiting…");
    pump();
  }

  /** Starts queued files while fewer than PARALLEL are uploading; refreshes the table when all are done. */
  function pump() {
    let running = items.filter((item) => item.state === "uploading").length;
    for (const item of items) {
      if (running >= PARALLEL) break;
      if (item.state !== "queued") continue;
      running += 1;
      send(item);
    }
    const busy = items.some((item) => item.state === "queued" || item.state === "uploading");
    if (!busy && uploadedSinceRefresh > 0) {
      uploadedSinceRefresh = 0;
      if (window.medvault?.refreshListing) {
        document.dispatchEvent(new CustomEvent("medvault:uploads-finished"));
      } else {
        location.reload();
      }
    }
  }

  function send(item) {
    const target = destination();
    // A retry carries on with the session it started (the server says whether it can); a resumed session already
    // names its entity.
    const resumeId = item.direct?.uploadId ?? item.resumeId;
    const problem = precheck(item.file) ?? (resumeId ? null : target.problem);
    if (problem) {
      fail(item, problem);
      return;
    }
    setState(item, "uploading", "Uploading… 0%");
    if (direct && (resumeId || direct.wanted(item.file))) {
      const row = {
        setState: (state, text) => setState(item, state, text),
        fail: (message) => {
          fail(item, message);
          pump();
        },
        done: (stored) => {
          succeeded(item, stored);
          pump();
        },
        settled: pump,
      };
      item.direct = direct.send(item, target, row, resumeId);
      return;
    }
    const progress = item.element.querySelector("progress");
    // The contract: category, entityType and entityId come before the file part.
    const form = new FormData();
    form.append("category", target.category);
    form.append("entityType", target.entityType);
    form.append("entityId", target.entityId);
    form.append("file", item.file, item.file.name);

    const request = new XMLHttpRequest();
    request.open("POST", UPLOAD_URL);
    request.setRequestHeader("X-CSRF-Token", csrfToken());
    request.setRequestHeader("Accept", "application/json");
    request.responseType = "json";
    request.upload.onprogress = (event) => {
      if (!event.lengthComputable) return;
      const percent = Math.min(100, Math.round((event.loaded / event.total) * 100));
      progress.value = percent;
      item.element.querySelector(".status").textContent = `Uploading… ${percent}%`;
    };
    request.onload = () => {
      if (request.status === 201) {
        progress.value = 100;
        succeeded(item, request.response?.files?.[0]);
      } else {
        const message = request.response?.error?.message ?? `The server answered ${request.status}.`;
        fail(item, message);
      }
      pump();
    };
    request.onerror = () => {
      fail(item, "The upload did not reach the server. Check the connection and retry.");
      pump();
    };
    request.send(form);
  }

  /** Marks `item` uploaded as `stored` (the document the server answered), naming it when the server renamed it. */
  function succeeded(item, stored) {
    const renamed = stored && stored.fileName !== item.file.name ? ` as ${stored.fileName}` : "";
    setState(item, "done", `Uploaded${renamed}`);
    uploadedSinceRefresh += 1;
  }

  // --- wiring --------------------------------------------------------------------------------------

  input?.addEventListener("change", () => {
    addFiles(input.files);
    input.value = "";
  });

  dropZone?.addEventListener("click", () => input?.click());
  dropZone?.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      input?.click();
    }
  });
  for (const type of ["dragenter", "dragover"]) {
    dropZone?.addEventListener(type, (event) => {
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
      dropZone.classList.add("is-dragging");
    });
  }
  dropZone?.addEventListener("dragleave", () => dropZone.classList.remove("is-dragging"));
  dropZone?.addEventListener("drop", (event) => {
    event.preventDefault();
    dropZone.classList.remove("is-dragging");
    addFiles(event.dataTransfer?.files);
  });
  // A file dropped next to the drop area must not make the browser navigate away to show it.
  for (const type of ["dragover", "drop"]) {
    document.addEventListener(type, (event) => {
      if (event.dataTransfer?.types?.includes("Files")) event.preventDefault();
    });
  }

  sessions?.offerInterrupted(makeRow);

  list.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("button.retry") : null;
    if (!button) return;
    const item = items.find((each) => each.element === button.closest("li.upload-item"));
    if (item) retry(item);
  });
})();
