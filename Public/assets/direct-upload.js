// medvault: direct uploads for the upload widget. A file above 8 MiB (every file, when the page is set to) goes
// straight to storage through the pre-signed part URLs of POST /api/v2/aws/s3/uploads: three parts in flight,
// a failed part retried with backoff, Pause/Resume and Cancel, and the server's verdict from …/complete. The
// session is remembered in localStorage (its id, and the file's name, size and lastModified to recognise it;
// never its content), so that after a reload choosing the same file sends only the parts GET …/{id} says are
// missing (direct-resume.js offers that). On S3 the part URLs point at the bucket (the page's CSP connect-src
// allows its origin). Plain ES2020, no build step, loaded with `defer` before upload.js; logs nothing.
"use strict";

(() => {
  const SESSIONS_URL = "/api/v2/aws/s3/uploads";
  /** Files above this go direct unless the page is set to send every file that way. */
  const DIRECT_ABOVE = 8 * 1024 * 1024;
  const PARTS_IN_FLIGHT = 3;
  /** Attempts per part before the file fails (the user may retry it); waits 1 s, 2 s, 4 s, 8 s between. */
  const ATTEMPTS = 5;
  const SETTING = "medvault.directUploads.all";

  const widget = document.getElementById("upload-widget");
  if (!widget) return;
  const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  const store = window.medvault.uploadSessions;

  /** Whether `file` goes direct: above 8 MiB, or any file when the "send every file directly" box is ticked. */
  function wanted(file) {
    return file.size > DIRECT_ABOVE || localStorage.getItem(SETTING) === "on";
  }

  /** A JSON request to medvault with the session's CSRF token; resolves to {status, body} (null body on a network fault). */
  function api(method, url, body) {
    return new Promise((resolve) => {
      const request = new XMLHttpRequest();
      request.open(method, url);
      request.setRequestHeader("X-CSRF-Token", csrfToken());
      request.setRequestHeader("Accept", "application/json");
      request.responseType = "json";
      request.onload = () => resolve({ status: request.status, body: request.response });
      request.onerror = () => resolve({ status: 0, body: null });
      if (body === undefined) {
        request.send();
      } else {
        request.setRequestHeader("Content-Type", "application/json");
        request.send(JSON.stringify(body));
      }
    });
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const problem = (answer, fallback) => ({
    message: answer.body?.error?.message ?? (answer.status ? `The server answered ${answer.status}.` : fallback),
    code: answer.body?.error?.code ?? "",
  });

  /**
   * One file's direct upload. `ui` is the widget's: progress(percent), status(text), paused(bool),
   * done(document), failed(message, code), cancelled().
   */
  class DirectUpload {
    constructor(file, target, ui, resumeId) {
      Object.assign(this, { file, target, ui, uploadId: resumeId ?? null });
      this.etags = new Map(); // partNumber → ETag of the parts storage holds
      this.sent = new Map(); // partNumber → bytes of it sent so far (in flight)
      this.queue = [];
      this.requests = new Set();
      this.halted = false; // paused, cancelled or failed: no new part starts
      this.run = 0;
      this.cancelled = false;
    }

    get partCount() {
      return this.partSize >= this.file.size ? 1 : Math.ceil(this.file.size / this.partSize);
    }

    /** One run of sending: a Pause or a failure ends it; Resume or Retry starts another (`run` tells them apart). */
    async start() {
      const run = (this.run += 1);
      Object.assign(this, { halted: false, failedAlready: false });
      this.ui.paused(false);
      const opened = this.uploadId ? await this.resume() : await this.create();
      if (!opened || this.stale(run)) return;
      await Promise.all(Array.from({ length: PARTS_IN_FLIGHT }, () => this.worker(run)));
      if (this.stale(run) || this.failedAlready) return;
      // A session left `verifying` (a check that could not run) holds its assembled object: completing redoes the checks.
      if (this.etags.size === this.partCount || this.verifying) {
        await this.complete();
      } else {
        this.fail({ message: "Some parts could not be sent. Retry to send the rest.", code: "" });
      }
    }

    stale(run) {
      return this.halted || run !== this.run;
    }

    async create() {
      const { file, target } = this;
      this.ui.status("Starting…");
      const answer = await api("POST", SESSIONS_URL, {
        fileName: file.name, size: file.size, category: target.category, entityType: target.entityType, entityId: target.entityId,
      });
      if (answer.status !== 201) return this.fail(problem(answer, "The upload did not reach the server. Check the connection and retry."));
      this.uploadId = answer.body.uploadId;
      this.partSize = answer.body.partSize;
      this.queue = answer.body.parts.slice();
      store.remember(this.uploadId, file, answer.body.expiresAt);
      return true;
    }

    /** Re-reads the session: what storage holds, and fresh URLs for the rest. A closed or unknown one starts over. */
    async resume() {
      this.ui.status("Resuming…");
      const answer = await api("GET", `${SESSIONS_URL}/${encodeURIComponent(this.uploadId)}`);
      const state = answer.body?.state;
      if (answer.status === 0) return this.fail(problem(answer, "The server could not be reached. Check the connection and retry."));
      if (answer.status !== 200 || !["pending", "verifying"].includes(state)) {
        store.forget(this.uploadId);
        this.uploadId = null;
        return this.create();
      }
      this.partSize = answer.body.partSize;
      this.verifying = state === "verifying";
      this.etags = new Map(answer.body.receivedParts.map((part) => [part.partNumber, part.etag]));
      this.queue = answer.body.parts.filter((part) => !this.etags.has(part.partNumber));
      this.showProgress();
      return true;
    }

    async worker(run) {
      while (!this.stale(run) && this.queue.length > 0) {
        const part = this.queue.shift();
        if (!(await this.sendPart(part, run))) return;
      }
    }

    /** PUTs one part, retrying a network fault or a 5xx with backoff, and an expired URL with a fresh one. */
    async sendPart(part, run) {
      for (let attempt = 1; ; attempt += 1) {
        const answer = await this.put(part);
        if (this.stale(run)) return false; // the next run asks storage again what it holds
        if (answer.status === 200 && answer.etag) {
          this.etags.set(part.partNumber, answer.etag);
          this.sent.delete(part.partNumber);
          this.showProgress();
          return true;
        }
        if (answer.status === 200) {
          this.fail({ message: "Storage did not expose the part's ETag (check the bucket's CORS with `medvault bucket check`).", code: "" });
          return false;
        }
        const transient = answer.status === 0 || answer.status >= 500 || answer.status === 403;
        if (!transient || attempt >= ATTEMPTS) {
          this.fail({ message: `A part of the file was refused (${answer.status || "no answer"}). Retry to send the rest.`, code: "" });
          return false;
        }
        this.ui.status(`Retrying a part (attempt ${attempt + 1} of ${ATTEMPTS})…`);
        await sleep(1000 * 2 ** (attempt - 1));
        if (this.stale(run)) return false;
        if (answer.status === 403) {
          const fresh = await this.freshURL(part.partNumber);
          if (!fresh) return this.fail({ message: "The upload session has ended. Retry to start again.", code: "" });
          part = fresh;
        }
      }
    }

    async freshURL(partNumber) {
      const answer = await api("GET", `${SESSIONS_URL}/${encodeURIComponent(this.uploadId)}`);
      return answer.status === 200 ? answer.body.parts.find((part) => part.partNumber === partNumber) : null;
    }

    put(part) {
      const start = (part.partNumber - 1) * this.partSize;
      const body = this.file.slice(start, Math.min(start + this.partSize, this.file.size));
      return new Promise((resolve) => {
        const request = new XMLHttpRequest();
        this.requests.add(request);
        const settle = (status, etag) => {
          this.requests.delete(request);
          if (status !== 200) this.sent.delete(part.partNumber);
          resolve({ status, etag });
        };
        request.open("PUT", part.url);
        for (const [name, value] of Object.entries(part.headers ?? {})) request.setRequestHeader(name, value);
        request.upload.onprogress = (event) => {
          this.sent.set(part.partNumber, event.loaded);
          this.showProgress();
        };
        request.onload = () => settle(request.status, request.getResponseHeader("ETag"));
        request.onerror = () => settle(0, null);
        request.onabort = () => settle(-1, null);
        request.send(body);
      });
    }

    async complete() {
      this.ui.paused(null);
      this.ui.status("Verifying…");
      const parts = this.partCount === 1 ? [] : [...this.etags].sort((a, b) => a[0] - b[0]).map(([partNumber, etag]) => ({ partNumber, etag }));
      const answer = await api("POST", `${SESSIONS_URL}/${encodeURIComponent(this.uploadId)}/complete`, { parts });
      if (this.cancelled) return;
      if (answer.status === 201) {
        store.forget(this.uploadId);
        this.ui.done(answer.body);
      } else if (answer.status === 409 && answer.body?.error?.code === "upload_incomplete") {
        await this.start();
      } else {
        // A refusal (422) closed the session; a fault that left it `verifying` is completed again by a retry.
        if (answer.status >= 400 && answer.status < 500) store.forget(this.uploadId);
        this.fail(problem(answer, "The server could not be reached. Check the connection and retry."));
      }
    }

    showProgress() {
      let bytes = 0;
      for (const number of this.etags.keys()) bytes += Math.min(this.partSize, this.file.size - (number - 1) * this.partSize);
      for (const loaded of this.sent.values()) bytes += loaded;
      const percent = Math.min(100, Math.floor((bytes / this.file.size) * 100));
      this.ui.progress(percent);
      if (!this.halted) this.ui.status(`Uploading… ${percent}%`);
    }

    halt() {
      this.halted = true;
      for (const request of [...this.requests]) request.abort();
    }

    pause() {
      this.halt();
      this.ui.paused(true);
    }

    /** Stops sending and aborts the session (DELETE), which removes whatever storage holds. */
    async cancel() {
      this.cancelled = true;
      this.halt();
      if (this.uploadId) {
        await api("DELETE", `${SESSIONS_URL}/${encodeURIComponent(this.uploadId)}`);
        store.forget(this.uploadId);
      }
      this.ui.cancelled();
    }

    fail(reason) {
      this.failedAlready = true;
      this.halt();
      this.ui.failed(reason.message, reason.code);
      return false;
    }
  }

  /**
   * Sends `item` (the widget's row: file, element) direct, resuming session `resumeId` when given, with Pause/Resume
   * and Cancel on its row. `row` is the widget's: setState(state, text), fail(message), done(document), settled().
   */
  function send(item, target, row, resumeId) {
    const progress = item.element.querySelector("progress");
    const actions = document.createElement("span");
    actions.className = "actions";
    const button = (className, text) => {
      const element = document.createElement("button");
      Object.assign(element, { type: "button", className: `${className} secondary`, textContent: text });
      actions.append(element);
      return element;
    };
    const pause = button("pause", "Pause");
    const cancel = button("cancel", "Cancel");
    cancel.setAttribute("aria-label", `Cancel ${item.file.name}`);
    item.element.append(actions);
    let paused = false;
    let status = "";
    const ui = {
      progress: (percent) => (progress.value = percent),
      status: (text) => row.setState(paused ? "paused" : "uploading", (status = text)),
      paused(value) {
        pause.hidden = value === null;
        paused = value === true;
        pause.textContent = paused ? "Resume" : "Pause";
        pause.setAttribute("aria-label", `${pause.textContent} ${item.file.name}`);
        row.setState(paused ? "paused" : "uploading", paused ? "Paused" : status || "Uploading…");
      },
      done: (stored) => {
        actions.remove();
        progress.value = 100;
        row.done(stored);
      },
      failed: (message, code) => {
        actions.remove();
        item.element.dataset.errorCode = code;
        row.fail(code ? `${message} (${code})` : message);
      },
      cancelled: () => {
        actions.remove();
        row.setState("cancelled", "Cancelled");
        row.settled();
      },
    };
    const upload = new DirectUpload(item.file, target, ui, resumeId);
    pause.addEventListener("click", () => (paused ? upload.start() : upload.pause()));
    cancel.addEventListener("click", () => {
      cancel.disabled = true;
      upload.cancel();
    });
    delete item.element.dataset.errorCode;
    upload.start();
    return upload;
  }

  // The visible setting, remembered in this browser.
  const everyFile = document.getElementById("direct-all");
  if (everyFile) {
    everyFile.checked = localStorage.getItem(SETTING) === "on";
    everyFile.addEventListener("change", () => localStorage.setItem(SETTING, everyFile.checked ? "on" : "off"));
  }

  window.medvault = Object.assign(window.medvault ?? {}, { directUpload: { wanted, send } });
})();
