"""Self-check of the front-end assets alone: app.css, app.js, htmx and the icon macros.

A static page built from the class vocabulary is opened from a file:// URL on a 360 px
phone; no Flask app is needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader

STUDYAPP = Path(__file__).resolve().parents[2] / "studyapp"
STATIC = STUDYAPP / "static"

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="htmx-config"
  content='{"includeIndicatorStyles": false, "allowEval": false}'>
<link rel="stylesheet" href="{{ static }}/css/app.css">
<script src="{{ static }}/vendor/htmx-2.0.11.min.js" defer></script>
<script src="{{ static }}/js/app.js" defer></script>
<title>首页 · 学习</title></head>
<body class="app">
<header class="topbar"><h1 class="topbar-title">首页</h1>
  <div class="topbar-actions">
    <a href="#"><span class="hidden-visually">通知</span>{{ icon("bell") }}</a></div>
</header>
<main class="content stack">
  <div class="flash flash-success">登录成功，欢迎回来。</div>
  <section class="stats">
    <div class="stat"><span class="stat-value">{{ icon("fire") }} 12</span>
      <span class="stat-label">连续学习天数</span></div>
    <div class="stat"><span class="stat-value">{{ icon("star") }} 860</span>
      <span class="stat-label">学习积分</span></div>
  </section>
  <section class="card">
    <div class="spread"><h2 class="card-title">今日学习</h2>
      <span class="badge badge-warn">还差 12 分钟</span></div>
    <progress value="18" max="30">18 / 30 分钟</progress>
    <p class="muted small">{{ icon("clock") }} 今日已学 18 分钟，目标 30 分钟</p>
    <div class="row">
      <div class="ring-box"><svg class="ring" viewBox="0 0 36 36" aria-hidden="true">
        <circle class="ring-track" cx="18" cy="18" r="16"/>
        <circle class="ring-value" cx="18" cy="18" r="16" pathLength="100"
          stroke-dasharray="60 100" transform="rotate(-90 18 18)"/>
      </svg><span class="ring-text">60%</span></div>
      <a class="btn btn-primary" href="#">继续学习</a>
    </div>
  </section>
  <section class="card">
    <h2 class="card-title"><a class="card-link" href="#">每日一练</a></h2>
    <p class="muted">5 道题 · 约 3 分钟
      <span class="badge badge-ok">{{ icon("check") }} 已完成</span></p>
  </section>
  <ul class="list">
    <li class="list-item"><a class="list-item-link" href="#">
      <span>坚持和加强党的全面领导</span>
      <span class="badge badge-muted">已学</span></a></li>
    <li class="list-item"><a class="list-item-link" href="#">
      <span>党支部工作条例学习要点</span></a></li>
  </ul>
  <form class="card stack">
    <fieldset class="stack"><legend>1. 党的最高理想和最终目标是：</legend>
      <label class="choice"><input type="radio" name="q1" value="a">
        <span>A. 实现共产主义</span></label>
      <label class="choice"><input type="radio" name="q1" value="b" checked>
        <span>B. 全面建成小康社会</span></label>
    </fieldset>
    <div class="field has-error"><label for="n">学习心得</label>
      <input id="n" name="n" value="">
      <p class="field-error">请填写学习心得</p></div>
    <label class="checkbox"><input type="checkbox" checked><span>记住我</span></label>
    <div class="grid-2"><button class="btn btn-secondary" type="button">上一题</button>
      <button class="btn btn-primary" type="submit">提交</button></div>
  </form>
  <p class="note">排行榜用于相互鼓励，不作为考核评价依据。</p>
  <div class="table-scroll"><table>
    <thead><tr><th>支部</th><th class="num">人数</th>
      <th class="num">完成率</th></tr></thead>
    <tbody><tr><td>第一党支部</td><td class="num">24</td><td class="num">92%</td></tr>
    </tbody></table></div>
  <article class="prose"><h2>学习材料</h2>
    <p>党的<mark>组织建设</mark>是党的建设的重要内容，
    党支部是党的<span class="blank">基础</span>组织。</p>
    <blockquote><p>全面从严治党永远在路上。</p></blockquote></article>
  <p class="empty">暂无通知</p>
  <span class="htmx-indicator" id="spinner">加载中…</span>
</main>
<nav class="tabbar" aria-label="主导航">
  <a class="tab" href="{{ self_url }}">{{ icon("home") }}<span>首页</span></a>
  <a class="tab" href="/lessons">{{ icon("book") }}<span>学习</span></a>
  <a class="tab" href="/quizzes">{{ icon("quiz") }}<span>答题</span></a>
  <a class="tab" href="/branch">{{ icon("branch") }}<span>支部</span></a>
  <a class="tab" href="/me">{{ icon("me") }}<span>我的</span></a>
</nav>
</body></html>
"""


@pytest.fixture
def smoke_page(tmp_path: Path) -> str:
    """Write the sample page to tmp_path; its assets load from studyapp/static."""
    env = Environment(loader=FileSystemLoader(STUDYAPP / "templates"), autoescape=True)
    env.globals["icon"] = env.get_template("macros/icons.html").module.icon
    path = tmp_path / "smoke.html"
    url = path.as_uri()
    path.write_text(
        env.from_string(PAGE).render(static=STATIC.as_uri(), self_url=url),
        encoding="utf-8",
    )
    return url


def test_static_assets_render_on_a_360px_phone(
    phone: Any, console_errors: list[str], smoke_page: str, artifacts_dir: Path
) -> None:
    phone.goto(smoke_page)
    phone.wait_for_function("window.htmx !== undefined")

    assert phone.evaluate("htmx.version") == "2.0.11"
    font_px = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font_px >= 18
    # includeIndicatorStyles:false means htmx injects no <style> (CSP would block it).
    assert phone.evaluate("document.querySelectorAll('style').length") == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.locator(".tabbar .tab").first.get_attribute("aria-current") == "page"
    targets = _boxes(phone, ".tab, .btn, .choice, .field input")
    assert min(box["height"] for box in targets) >= 48

    phone.screenshot(path=artifacts_dir / "static-smoke-viewport.png")
    # Grow the viewport to the whole page so the fixed tab bar lands at the real bottom
    # (a full_page screenshot would leave it where the first screen ended).
    height = phone.evaluate("document.documentElement.scrollHeight")
    phone.set_viewport_size({"width": 360, "height": height})
    phone.screenshot(path=artifacts_dir / "static-smoke.png")
    assert console_errors == []


def _boxes(page: Any, selector: str) -> list[dict[str, float]]:
    return [box for el in page.locator(selector).all() if (box := el.bounding_box())]
