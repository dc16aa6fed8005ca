/* StudyApp client glue, loaded with defer (CSP: no inline script).
   CSRF rides on <body hx-headers>; nothing needed here. */
(() => {
  "use strict";
  const norm = (p) => p.replace(/\/+$/, "") || "/";

  /* Unless the server marked a tab: exact path, else longest parent ("/" only exact). */
  function markActiveTab() {
    if (document.querySelector(".tabbar .is-active, .tabbar [aria-current]")) return;
    const here = norm(location.pathname);
    let best = null, len = 0;
    for (const a of document.querySelectorAll(".tabbar a[href]")) {
      const p = norm(new URL(a.href, location.href).pathname);
      if ((p === here || (p !== "/" && here.startsWith(p + "/"))) && p.length > len) {
        best = a;
        len = p.length;
      }
    }
    if (best) {
      best.classList.add("is-active");
      best.setAttribute("aria-current", "page");
    }
  }

  /* A failed htmx request shows its message inline in #flash, never a pop-up. */
  document.addEventListener("htmx:responseError", (e) => {
    const box = document.getElementById("flash");
    if (!box) return;
    const doc = new DOMParser().parseFromString(e.detail.xhr.responseText, "text/html");
    const msg = doc.querySelector("#error-message");
    const p = document.createElement("p");
    p.className = "flash flash-error";
    p.setAttribute("role", "alert");
    p.textContent = msg ? msg.textContent : box.dataset.error || "出错了，请稍后再试";
    box.replaceChildren(p);
  });

  /* Study time: beat every 30 s while a lesson, quiz or 错题本 page is visible and
     the member is active; the server decides what counts (first beat and long
     gaps earn 0, one page at a time). data-beat names what is studied. */
  function heartbeat() {
    const page = document.querySelector("[data-heartbeat]");
    if (!page) return;
    const id = Math.random().toString(36).slice(2) + Date.now().toString(36);
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    headers["Content-Type"] = "application/json";
    const target = JSON.parse(page.dataset.beat || "{}");
    const status = document.getElementById("reading-status");
    let active = Date.now(), met = false;
    ["scroll", "touchstart", "keydown", "pointerdown"].forEach((t) =>
      addEventListener(t, () => { active = Date.now(); }, { passive: true }));
    /* 听课文 (reader.js) keeps a listening member active while the voice plays. */
    document.addEventListener("study:active", () => { active = Date.now(); });
    const beat = () => {
      if (document.visibilityState !== "visible" || Date.now() - active > 300000) return;
      const body = JSON.stringify(Object.assign({ page_id: id }, target));
      fetch(page.dataset.heartbeat, { method: "POST", body, headers, credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : null))
        .then((d) => {
          if (!d) return;
          document.dispatchEvent(new CustomEvent("study:beat", { detail: d }));
          if (status && page.dataset.status) {
            status.textContent = page.dataset.status.replace("{n}", d.minutes_today);
          }
          if (d.goal_met && !met) document.body.dispatchEvent(new Event("progress-changed"));
          met = d.goal_met;
        })
        .catch(() => {});
    };
    beat();
    setInterval(beat, 30000);
    document.addEventListener("visibilitychange", beat);
  }

  /* Timed quizzes: show the time left; at zero, hand in (the server grades what
     was saved by the deadline either way). */
  function countdown() {
    const el = document.querySelector("#countdown[data-timed]");
    if (!el) return;
    const end = Date.parse(el.dataset.deadline);
    const tick = () => {
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      el.textContent = (el.dataset.left || "剩余") + " " + Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) {
        clearInterval(timer);
        const form = document.getElementById("auto-submit");
        if (form) form.submit();
      }
    };
    const timer = setInterval(tick, 1000);
    tick();
  }

  const ready = () => { heartbeat(); countdown(); };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", markActiveTab);
  else markActiveTab();
})();
