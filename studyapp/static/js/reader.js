/* StudyApp reading glue, loaded with defer (CSP: no inline script):
   听课文 (read a lesson aloud), 本课已学完 when the credited time is reached,
   the offline banner and the service worker. Nothing here decides credit:
   the heartbeat in app.js reports, the server decides. */
(() => {
  "use strict";

  /* 听课文: speak the lesson block by block with a zh-CN voice. Pausing cancels
     and remembers the block (pause()/resume() are unreliable on Android). While
     it speaks, the member counts as active for the heartbeat, which still only
     beats while the page is visible. */
  function listen() {
    const box = document.getElementById("listen");
    const text = document.getElementById("lesson-text");
    if (!box || !text || !("speechSynthesis" in window) || !window.SpeechSynthesisUtterance) return;
    const synth = window.speechSynthesis;
    const toggle = document.getElementById("listen-toggle");
    const restart = document.getElementById("listen-stop");
    const rate = document.getElementById("listen-rate");
    const status = document.getElementById("listen-status");
    const title = document.getElementById("lesson-title");
    const blocks = [title, ...text.querySelectorAll("h1,h2,h3,h4,p,li,blockquote,td,th")]
      .filter((el) => el && !el.querySelector("p,li") && el.textContent.trim());
    const parts = [];
    blocks.forEach((el) => chunks(el.textContent.trim()).forEach((t) => parts.push({ el, t })));
    if (!parts.length) return;
    let at = 0, playing = false, voice = null, keepAlive = null;

    const pickVoice = () => {
      const voices = synth.getVoices();
      voice = voices.find((v) => /^zh[-_]CN/i.test(v.lang)) ||
        voices.find((v) => /^zh/i.test(v.lang)) || null;
      if (voices.length && !voice) status.textContent = box.dataset.novoice;
    };
    pickVoice();
    if ("onvoiceschanged" in synth) synth.addEventListener("voiceschanged", pickVoice);

    const mark = (el) => {
      blocks.forEach((b) => b.classList.remove("listen-reading"));
      if (!el) return;
      el.classList.add("listen-reading");
      const r = el.getBoundingClientRect();
      if (r.top < 60 || r.bottom > innerHeight) el.scrollIntoView({ block: "center", behavior: "smooth" });
    };
    const show = () => {
      toggle.textContent = playing ? box.dataset.pause : (at ? box.dataset.resume : box.dataset.play);
      toggle.setAttribute("aria-pressed", String(playing));
      restart.hidden = !at && !playing;
    };
    const active = () => document.dispatchEvent(new Event("study:active"));
    const speak = () => {
      if (!playing) return;
      if (at >= parts.length) { at = 0; stop(); mark(null); return; }
      const u = new SpeechSynthesisUtterance(parts[at].t);
      u.lang = box.dataset.lang || "zh-CN";
      if (voice) u.voice = voice;
      u.rate = parseFloat(rate.value) || 1;
      u.onend = () => { if (playing) { at += 1; speak(); } };
      u.onerror = (e) => { if (e.error !== "interrupted" && e.error !== "canceled") stop(); };
      mark(parts[at].el);
      synth.speak(u);
    };
    const play = () => {
      playing = true;
      synth.cancel();
      speak();
      active();
      keepAlive = setInterval(active, 20000);
      show();
    };
    const stop = () => {
      playing = false;
      clearInterval(keepAlive);
      synth.cancel();
      show();
    };
    toggle.addEventListener("click", () => (playing ? stop() : play()));
    restart.addEventListener("click", () => { stop(); at = 0; mark(null); play(); });
    rate.addEventListener("change", () => { if (playing) { synth.cancel(); speak(); } });
    /* Leaving the page stops the voice; hiding it keeps reading time honest. */
    addEventListener("pagehide", () => synth.cancel());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden" && playing) stop();
    });
    box.hidden = false;
    show();
  }

  /* Split a block into pieces of at most ~120 characters at sentence ends. */
  function chunks(s) {
    const out = [];
    let cur = "";
    for (const piece of s.split(/(?<=[。！？；!?;])/)) {
      if (cur && (cur + piece).length > 120) { out.push(cur); cur = ""; }
      cur += piece;
      while (cur.length > 160) { out.push(cur.slice(0, 120)); cur = cur.slice(120); }
    }
    if (cur.trim()) out.push(cur);
    return out;
  }

  /* 本课已学完: once the server has credited the seconds still needed. */
  function finishMark() {
    const page = document.getElementById("lesson");
    const done = document.getElementById("lesson-done");
    if (!page || !done || !done.hidden) return;
    let left = parseInt(page.dataset.toFinish || "0", 10);
    if (!left) return;
    document.addEventListener("study:beat", (e) => {
      left -= (e.detail && e.detail.credited_seconds) || 0;
      if (left > 0) return;
      done.hidden = false;
      const hint = document.getElementById("lesson-left");
      if (hint) hint.hidden = true;
    });
  }

  /* Offline: say so at the top; pages already read stay readable. */
  function offlineBanner() {
    const html = document.documentElement;
    const text = html.dataset.offline;
    if (!text) return;
    let bar = null;
    const update = () => {
      if (navigator.onLine && bar) { bar.remove(); bar = null; }
      if (!navigator.onLine && !bar) {
        bar = document.createElement("p");
        bar.className = "offline-banner";
        bar.setAttribute("role", "status");
        bar.textContent = text;
        const top = document.querySelector(".topbar");
        if (top) top.after(bar); else document.body.prepend(bar);
      }
    };
    addEventListener("online", update);
    addEventListener("offline", update);
    update();
  }

  /* The service worker keeps the shell and the last lessons read; after a log
     out (the login page) the saved lessons of this phone are dropped. */
  function serviceWorker() {
    const url = document.documentElement.dataset.sw;
    if (!url || !("serviceWorker" in navigator)) return;
    if (document.getElementById("login-form") && "caches" in window) {
      caches.delete("studyapp-lessons");
    }
    navigator.serviceWorker.register(url, { scope: "/" }).catch(() => {});
    /* The first lesson read before the worker took over is kept as well. */
    if (document.getElementById("lesson") && !navigator.serviceWorker.controller && "caches" in window) {
      caches.open("studyapp-lessons").then((c) => c.add(location.pathname)).catch(() => {});
    }
  }

  /* The offline page lists the lessons this phone keeps, newest first. */
  function savedLessons() {
    const box = document.getElementById("saved-lessons");
    const list = document.getElementById("saved-lessons-list");
    if (!box || !list) return;
    const empty = () => {
      const li = document.createElement("li");
      li.className = "empty";
      li.textContent = box.dataset.empty;
      list.replaceChildren(li);
    };
    if (!("caches" in window)) { empty(); return; }
    caches.open("studyapp-lessons")
      .then((c) => c.keys().then((keys) => Promise.all(keys.reverse().map((k) =>
        c.match(k).then((r) => r.text()).then((html) => ({ url: k.url, html }))))))
      .then((found) => {
        if (!found.length) { empty(); return; }
        list.replaceChildren(...found.map(({ url, html }) => {
          const doc = new DOMParser().parseFromString(html, "text/html");
          const li = document.createElement("li");
          li.className = "list-item";
          const a = document.createElement("a");
          a.className = "list-item-link";
          a.href = url;
          a.textContent = (doc.querySelector("#lesson-title") || doc.querySelector("title") || {}).textContent || url;
          li.append(a);
          return li;
        }));
      })
      .catch(empty);
  }

  const ready = () => { listen(); finishMark(); offlineBanner(); serviceWorker(); savedLessons(); };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
