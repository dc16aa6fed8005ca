/* StudyApp service worker (rendered by main.service_worker; the version
   changes whenever a static file does). Keeps the shell and static files, and
   the last {{ keep }} lessons read, so they open without a network; any other
   page shows the offline page when the network is gone. Never caches quiz
   pages, forms or API calls. */
"use strict";
const VERSION = {{ version|tojson }};
const SHELL = "studyapp-shell-" + VERSION;
const LESSONS = "studyapp-lessons";
const ASSETS = {{ assets|tojson }};
const OFFLINE = {{ offline_url|tojson }};
const LESSON = new RegExp({{ lesson_pattern|tojson }});
const KEEP = {{ keep }};

self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(SHELL)
    .then((c) => c.addAll([...ASSETS, OFFLINE]))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys
      .filter((k) => k.startsWith("studyapp-shell-") && k !== SHELL)
      .map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

async function keepLesson(url, resp) {
  const cache = await caches.open(LESSONS);
  await cache.delete(url);
  await cache.put(url, resp);
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - KEEP)).map((k) => cache.delete(k)));
}

async function page(req) {
  const url = new URL(req.url);
  const isLesson = LESSON.test(url.pathname);
  try {
    const resp = await fetch(req);
    if (isLesson && resp.ok && !resp.redirected) await keepLesson(url.origin + url.pathname, resp.clone());
    return resp;
  } catch (err) {
    const saved = isLesson ? await caches.match(url.origin + url.pathname, { cacheName: LESSONS }) : null;
    return saved || (await caches.match(OFFLINE)) || Response.error();
  }
}

async function asset(req) {
  const hit = await caches.match(req);
  if (hit) return hit;
  const resp = await fetch(req);
  if (resp.ok && new URL(req.url).searchParams.has("v")) {
    const cache = await caches.open(SHELL);
    await cache.put(req, resp.clone());
  }
  return resp;
}

self.addEventListener("fetch", (e) => {
  const req = e.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith({{ static_prefix|tojson }})) e.respondWith(asset(req));
  else if (req.mode === "navigate") e.respondWith(page(req));
});
