"""Headless Chromium for the HTML report: lay a copy out at given widths, measure it, print it.

Headless Chromium will not make its window narrower than 500 px (``--window-size=390,844``
gives ``innerWidth`` 500), so each width is an ``<iframe>`` of exactly that width inside a small
host page: the iframe is the report's viewport, its media queries see that width. A probe script
injected into the report's copy measures the laid-out page on ``load`` and posts the figures to
the host page, which writes them into its DOM for ``--dump-dom``.

The copy also carries a Content Security Policy that allows inline CSS, inline script and
``data:`` images only: any attempt of the report to fetch something (an image, a font, a style
sheet, a frame) is blocked, reported as a ``securitypolicyviolation`` event, and listed. Host
names resolve to nothing besides (``--host-resolver-rules``), so no request can leave the machine.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (scripts/bootstrap installs Debian's 'chromium')",
)

PHONE = 390  # CSS px: the viewport of a current mid-size phone in portrait
DESKTOP = 1280
A4 = (595.0, 842.0)  # points

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; font-src data:"
)

# Runs inside the report's copy. Everything it measures is in CSS px of the iframe's viewport.
PROBE = r"""
(function () {
  var violations = [];
  document.addEventListener('securitypolicyviolation', function (e) {
    violations.push(e.violatedDirective + ' ' + e.blockedURI);
  });
  function describe(el) {
    var name = el.tagName.toLowerCase();
    var cls = el.getAttribute('class');
    if (el.id) name += '#' + el.id;
    if (cls) name += '.' + cls.trim().split(/\s+/).join('.');
    var text = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 50);
    return text ? name + ' "' + text + '"' : name;
  }
  function scroller(el) {  // the nearest ancestor that clips or scrolls sideways, if any
    for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      var o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return p;
    }
    return null;
  }
  function closestOf(el, selector) {
    for (var p = el; p; p = p.parentElement) { if (p.matches && p.matches(selector)) return p; }
    return null;
  }
  function measure() {
    var root = document.documentElement, vw = root.clientWidth;
    var out = {viewport: vw, scrollWidth: root.scrollWidth, offenders: [], text: [],
               svgs: [], scrollingTables: [], violations: violations, resources: [],
               brokenImages: []};
    document.querySelectorAll('body *').forEach(function (el) {
      var r = el.getBoundingClientRect();
      if ((r.right > vw + 0.5 || r.left < -0.5) && !scroller(el) && !closestOf(el, 'script')) {
        var span = ' spans ' + r.left.toFixed(0) + '..' + r.right.toFixed(0);
        out.offenders.push(describe(el) + span);
      }
    });
    var aside = '.conventions, .missing, figure, table, footer, .files, .headline, nav';
    document.querySelectorAll('main p, main li').forEach(function (el) {
      if (closestOf(el.parentElement, aside) || closestOf(el, aside)) return;
      out.text.push([describe(el), parseFloat(getComputedStyle(el).fontSize)]);
    });
    document.querySelectorAll('svg').forEach(function (s) {
      if (s.parentElement.closest('svg')) return;  // only outermost drawings
      var r = s.getBoundingClientRect(), box = s.parentElement, vb = s.viewBox.baseVal;
      var smallest = null;
      s.querySelectorAll('text').forEach(function (t) {
        if (!t.textContent.trim()) return;
        var f = parseFloat(getComputedStyle(t).fontSize);
        if (smallest === null || f < smallest) smallest = f;
      });
      var fig = s.closest('figure'), cap = fig && fig.querySelector('figcaption');
      out.svgs.push({
        name: cap ? cap.textContent.slice(0, 60) : describe(box),
        viewBox: s.hasAttribute('viewBox') && vb.width > 0 ? [vb.width, vb.height] : null,
        width: r.width, height: r.height, container: box.clientWidth,
        scrolls: ['auto', 'scroll'].indexOf(getComputedStyle(box).overflowX) >= 0,
        smallestLabel: smallest === null || !vb.width ? null : smallest * r.width / vb.width
      });
    });
    document.querySelectorAll('.table-wrap').forEach(function (w) {
      if (w.scrollWidth > w.clientWidth + 1) {
        var cap = w.querySelector('caption');
        out.scrollingTables.push([cap ? cap.textContent.slice(0, 60) : describe(w),
                                  w.clientWidth, w.scrollWidth]);
      }
    });
    performance.getEntriesByType('resource').forEach(function (e) {
      out.resources.push(e.name);
    });
    Array.prototype.forEach.call(document.images, function (im) {
      if (!im.complete || im.naturalWidth === 0) out.brokenImages.push(describe(im));
    });
    parent.postMessage({width: window.innerWidth, layout: out}, '*');
  }
  // After load, one more task: violations of late loads are dispatched as tasks too.
  window.addEventListener('load', function () { setTimeout(measure, 50); });
})();
"""

HOST = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
{frames}
<script>
window.addEventListener('message', function (e) {{
  var pre = document.createElement('pre');
  pre.className = 'layout';
  pre.textContent = JSON.stringify(e.data);
  document.body.appendChild(pre);
}});
</script></body></html>
"""


@dataclass(frozen=True)
class Layout:
    """What the probe measured at one viewport width (CSS px)."""

    width: int
    data: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.data[key]


def _args(profile: Path) -> list[str]:
    assert CHROMIUM is not None
    return [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--no-first-run", "--disable-extensions", "--disable-background-networking",
        "--disable-sync", "--mute-audio", f"--user-data-dir={profile}",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ]  # fmt: skip


def instrumented(page: str) -> str:
    """``page`` with the policy first in ``<head>`` and the probe last in ``<body>``."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
    page, heads = re.subn("<head>", lambda _: "<head>" + meta, page, count=1)
    page, bodies = re.subn("</body>", lambda _: f"<script>{PROBE}</script></body>", page, count=1)
    assert heads == bodies == 1, "expected one <head> and one </body> in the page"
    return page


def lay_out(page: str, widths: tuple[int, ...], work: Path) -> dict[int, Layout]:
    """Lay a copy of ``page`` (HTML text) out at each width in one Chromium run; measure it."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "report.html").write_text(instrumented(page), encoding="utf-8")
    frames = "".join(
        f'<iframe src="report.html" style="width:{w}px;height:844px;border:0;display:block">'
        "</iframe>"
        for w in widths
    )
    host = work / "host.html"
    host.write_text(HOST.format(frames=frames), encoding="utf-8")
    dom = subprocess.run(
        [*_args(work / "profile"), "--window-size=1400,900", "--virtual-time-budget=10000",
         "--dump-dom", host.as_uri()],
        check=True, capture_output=True, text=True, timeout=180,
    ).stdout  # fmt: skip
    found = [
        json.loads(html.unescape(m))
        for m in re.findall(r'<pre class="layout">(.*?)</pre>', dom, re.S)
    ]
    layouts = {int(f["width"]): Layout(int(f["width"]), f["layout"]) for f in found}
    assert sorted(layouts) == sorted(widths), f"the probe reported widths {sorted(layouts)}"
    return layouts


def print_to_pdf(page: Path, pdf: Path, work: Path) -> None:
    """Print ``page`` (an HTML file) the way a reader's browser would, into ``pdf``."""
    subprocess.run(
        [*_args(work / "profile"), "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
         page.as_uri()],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
