/* StudyApp quiz answers that a dropped connection, a reload or a closed tab
   never lose (no framework; CSP: no inline script).

   Every tap is written to this phone first (localStorage, one record per
   attempt), numbered with a rising sequence number, then sent to the server in
   order, one at a time. The server keeps, for each question, the answer with
   the highest number, so sending the same answer twice (a reply lost on the
   way back) changes nothing. What is not sent yet is sent when the connection
   returns, or the next time a quiz page opens.

   Record: {base, csrf, seq, answers: {qid: {n, choices, blanks, seq, sent, error}}}.
   The next question's card is fetched ahead, so 下一题 needs no round trip. */
(() => {
  "use strict";
  const PREFIX = "studyapp.quiz.";
  const store = {
    get(id) {
      try { return JSON.parse(localStorage.getItem(PREFIX + id)) || null; } catch (e) { return null; }
    },
    put(id, rec) {
      try { localStorage.setItem(PREFIX + id, JSON.stringify(rec)); } catch (e) { /* full or private mode: the page still saves online */ }
    },
    drop(id) { try { localStorage.removeItem(PREFIX + id); } catch (e) { /* ignore */ } },
    ids() {
      const out = [];
      try {
        for (let i = 0; i < localStorage.length; i++) {
          const k = localStorage.key(i);
          if (k && k.startsWith(PREFIX)) out.push(k.slice(PREFIX.length));
        }
      } catch (e) { /* ignore */ }
      return out;
    },
  };
  const csrf = () => (JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"]);
  const unsent = (rec) => Object.entries(rec ? rec.answers : {})
    .filter(([, a]) => !a.sent).sort((x, y) => x[1].seq - y[1].seq);

  /* ---- sending, in order, one at a time ---- */
  const busy = {};
  let retryTimer = null, retryDelay = 2000;

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(() => { retryTimer = null; pumpAll(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function pumpAll() { store.ids().forEach(pump); }

  function pump(id) {
    if (busy[id]) return;
    const rec = store.get(id);
    const next = unsent(rec)[0];
    if (!next) { render(); return; }
    const [qid, a] = next;
    const body = new URLSearchParams();
    body.append("seq", a.seq);
    a.choices.forEach((c) => body.append("response", c));
    a.blanks.forEach((b) => body.append("blank", b));
    busy[id] = true;
    render();
    fetch(rec.base + a.n, {
      method: "POST", body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf() || rec.csrf, "HX-Request": "true" },
    }).then((r) => r.text().then((html) => {
      busy[id] = false;
      if (r.status >= 500 || r.status === 429) throw new Error("retry");
      const now = store.get(id) || rec;
      const cur = now.answers[qid];
      if (cur && cur.seq === a.seq) {
        cur.sent = true;
        if (!r.ok) cur.error = errorText(html) || String(r.status);
      }
      store.put(id, now);
      if (r.ok && html.includes('id="quiz-question"')) revealed(id, a.n, html);
      retryDelay = 2000;
      pump(id);
    })).catch(() => {
      busy[id] = false;
      render();
      scheduleRetry();
    });
  }

  function errorText(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const el = doc.querySelector("#error-message");
    return el ? el.textContent.trim() : "";
  }

  /* ---- the take page ---- */
  const take = () => document.getElementById("quiz-take");
  const cache = {}, inflight = {};
  const msg = (k, n) => (JSON.parse(take().dataset.msg || "{}")[k] || k).replace("{n}", n);

  function record() {
    const t = take();
    const id = t.dataset.attempt;
    const rec = store.get(id) || { answers: {}, seq: 0 };
    rec.base = t.dataset.base;
    rec.csrf = csrf();
    rec.seq = Math.max(rec.seq || 0, Number(t.dataset.seq) || 0);
    return [id, rec];
  }

  function current() { return document.getElementById("quiz-question"); }

  function readForm(card) {
    const form = card.querySelector("form");
    return {
      choices: [...form.querySelectorAll("input[name=response]:checked")].map((i) => i.value),
      blanks: [...form.querySelectorAll("input[name=blank]")].map((i) => i.value),
    };
  }

  function capture() {
    const card = current();
    if (!take() || !card || card.dataset.locked) return;
    const [id, rec] = record();
    const given = readForm(card), qid = card.dataset.qid, old = rec.answers[qid];
    if (old && JSON.stringify([old.choices, old.blanks]) === JSON.stringify([given.choices, given.blanks])) return;
    if (!old && !given.choices.length && !given.blanks.some((b) => b.trim())) return;
    rec.seq += 1;
    rec.answers[qid] = { n: Number(card.dataset.n), ...given, seq: rec.seq, sent: false };
    store.put(id, rec);
    pump(id);
  }

  /* Show this phone's latest answer on a card (a card fetched ahead, or a page
     restored from history, may be older than what was tapped). */
  function overlay(card) {
    if (card.dataset.locked) return;
    const [, rec] = record();
    const a = rec.answers[card.dataset.qid];
    if (!a || a.error) return;
    card.querySelectorAll("input[name=response]").forEach((i) => { i.checked = a.choices.includes(i.value); });
    card.querySelectorAll("input[name=blank]").forEach((i, k) => { i.value = a.blanks[k] || ""; });
  }

  function render() {
    const t = take();
    if (t) renderTake(t);
    const c = document.getElementById("quiz-confirm");
    if (c) renderConfirm(c);
  }

  function renderTake(t) {
    const [id, rec] = record();
    const card = current();
    const status = card && card.querySelector("#save-status");
    const a = card && rec.answers[card.dataset.qid];
    if (status && a) {
      status.replaceChildren();
      if (a.error) status.textContent = msg("unsaved") + "：" + a.error;
      else if (a.sent) status.textContent = msg("saved");
      else if (busy[id]) status.textContent = msg("saving");
      else {
        status.append(msg("unsaved") + " · ");
        const b = document.createElement("button");
        b.type = "button";
        b.className = "link-button";
        b.textContent = msg("retry");
        b.addEventListener("click", () => { retryDelay = 2000; pump(id); });
        status.append(b);
      }
      status.className = "small " + (a.sent && !a.error ? "muted" : "save-warn");
    }
    const waiting = unsent(rec).length;
    const sync = document.getElementById("quiz-sync");
    if (sync) sync.textContent = waiting && !busy[id] ? msg("pending", waiting) : "";
    const done = new Set(Object.values(rec.answers).filter((x) => !x.error && (x.choices.length || x.blanks.some((b) => b.trim()))).map((x) => x.n));
    let count = 0;
    document.querySelectorAll("#quiz-strip a[data-n]").forEach((pip) => {
      const n = Number(pip.dataset.n);
      if (done.has(n)) pip.classList.add("is-done");
      if (pip.classList.contains("is-done")) count += 1;
      if (card && n === Number(card.dataset.n)) {
        pip.setAttribute("aria-current", "step");
        const strip = pip.parentElement; // keep the current number in sight
        strip.scrollLeft = pip.offsetLeft - strip.offsetLeft - (strip.clientWidth - pip.offsetWidth) / 2;
      } else pip.removeAttribute("aria-current");
    });
    const bar = t.querySelector("progress");
    if (bar) bar.value = count;
  }

  /* Put a card in place of the current one. Plain DOM, not htmx.swap: htmx's
     settle step copies style attributes across, which the CSP forbids. */
  function put(html) {
    const tpl = document.createElement("template");
    tpl.innerHTML = html.trim();
    const node = tpl.content.firstElementChild;
    current().replaceWith(node);
    window.htmx.process(node);
  }

  function revealed(id, n, html) {
    cache[n] = html;
    const card = current();
    if (take() && take().dataset.attempt === id && card && Number(card.dataset.n) === n) {
      put(html);
      onCard();
    }
  }

  function prefetch(n) {
    const t = take();
    if (!t || n > Number(t.dataset.total) || cache[n] || inflight[n]) return;
    inflight[n] = true;
    fetch(t.dataset.base + n, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then((r) => (r.ok ? r.text() : null))
      .then((html) => {
        if (!html || !html.includes('id="quiz-question"')) return;
        cache[n] = html;
        t.dataset.prefetched = n; // 下一题 is ready without a round trip
      })
      .catch(() => {})
      .finally(() => { delete inflight[n]; });
  }

  function onCard() {
    const card = current();
    if (!card) return;
    delete cache[card.dataset.n];
    overlay(card);
    render();
    prefetch(Number(card.dataset.n) + 1);
  }

  function navTo(path) {
    const m = path.match(/\/q\/(\d+)$/);
    const html = m && cache[m[1]];
    if (!html) return false;
    put(html);
    history.pushState({ htmx: true }, "", path);
    onCard();
    window.scrollTo(0, 0);
    return true;
  }

  function initTake() {
    const t = take();
    if (!t || t.dataset.ready) return;
    t.dataset.ready = "1";
    // htmx restores on back only history entries marked as its own; a question
    // page that was loaded (not swapped in) has no mark: give it one.
    if (!(history.state && history.state.htmx)) history.replaceState({ htmx: true }, "", location.href);
    let typing = null;
    // A quiz that shows each answer once given locks it: there a tap is only a
    // draft, and 确定 (or moving on) gives the answer.
    const drafts = Boolean(t.dataset.reveals);
    t.addEventListener("change", (e) => { if (!drafts && e.target.closest("#quiz-answer")) capture(); });
    t.addEventListener("input", (e) => {
      if (drafts || e.target.name !== "blank") return;
      clearTimeout(typing);
      typing = setTimeout(capture, 800);
    });
    t.addEventListener("click", (e) => {
      if (e.target.closest("[data-check]")) { e.preventDefault(); capture(); return; }
      const last = e.target.closest("[data-confirm-href]");
      if (!last) return;
      e.preventDefault();
      capture();
      location.href = last.dataset.confirmHref;
    });
    onCard();
    pump(t.dataset.attempt);
  }

  function listenOnce() {
    document.body.addEventListener("htmx:beforeRequest", (e) => {
      if (!take() || e.detail.requestConfig.verb !== "get") return;
      capture();
      if (navTo(e.detail.requestConfig.path)) e.preventDefault();
    });
    document.body.addEventListener("htmx:afterSwap", (e) => {
      const t = e.detail.target; // an outerHTML swap's old card is detached by now
      if (t && t.isConnected && !t.closest("#quiz-take")) return; // e.g. the bell
      if (current()) onCard();
    });
    document.body.addEventListener("htmx:sendError", () => {
      const s = current() && current().querySelector("#save-status");
      if (s) { s.textContent = msg("nopage"); s.className = "small save-warn"; }
    });
  }

  /* ---- the hand-in page: say what is still on the phone ---- */
  function renderConfirm(c) {
    const id = c.dataset.attempt;
    const waiting = unsent(store.get(id)).length;
    const box = document.getElementById("unsent");
    const btn = document.getElementById("submit-button");
    const texts = JSON.parse(c.dataset.msg || "{}");
    if (!btn || !box) return;
    if (!btn.dataset.label) btn.dataset.label = btn.textContent;
    if (waiting) {
      box.hidden = false;
      box.textContent = (busy[id] ? texts.pending : texts.offline).replace("{n}", waiting);
      btn.disabled = true;
      btn.textContent = texts.pending.replace("{n}", waiting);
      c.dataset.waited = "1";
    } else if (c.dataset.waited) {
      location.reload(); // the list of unanswered questions is now out of date
    } else {
      box.hidden = true;
      btn.disabled = false;
      btn.textContent = btn.dataset.label;
    }
  }

  function initResult() {
    const r = document.getElementById("quiz-result");
    if (r && r.dataset.attempt) store.drop(r.dataset.attempt);
  }

  function ready() {
    listenOnce();
    initResult();
    initTake();
    render();
    pumpAll();
  }
  addEventListener("online", () => { retryDelay = 2000; pumpAll(); });
  document.addEventListener("htmx:historyRestore", () => { if (take()) { take().dataset.ready = ""; initTake(); } });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
