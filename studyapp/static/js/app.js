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

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", markActiveTab);
  else markActiveTab();
})();
