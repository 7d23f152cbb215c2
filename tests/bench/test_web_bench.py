"""Web app benchmark (``make bench``): what a phone downloads first, and input to paint.

Builds the production bundle and weighs the JavaScript a first visit runs (the page's entry
script, the modules it preloads and /env.js) gzipped as the image's nginx sends it (level 6),
against the whole build. Then ``frontend/bench/inputToPaint.spec.ts`` (Playwright, the
platform started as for the browser tests) types weights and reps key by key on the logging
screen of a workout of 8 exercises x 5 sets in Chromium at 390 x 844, with the CPU slowed 4x
through the DevTools protocol and, as the baseline, at full speed. Figures go to
``docs/benchmarks.md`` (section "Web app").
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.bench import test_api_bench as api_bench

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
SECTION = "## Web app"
INITIAL_TARGET_KB = 200
NGINX_GZIP_LEVEL = 6
THROTTLED = "4"
BASELINE = "1"
GOOD_INP_MS = 200

pytestmark = pytest.mark.bench


def _gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=NGINX_GZIP_LEVEL))


def _initial_scripts(dist: Path) -> list[Path]:
    """The scripts index.html loads before the first page shows: entry, preloads, env.js."""
    html = (dist / "index.html").read_text()
    sources = re.findall(r'<script[^>]*\bsrc="/([^"]+)"', html)
    preloads = re.findall(r'<link rel="modulepreload"[^>]*\bhref="/([^"]+)"', html)
    return [dist / name for name in sources + preloads]


def _sizes(dist: Path) -> dict[str, Any]:
    initial = _initial_scripts(dist)
    every = sorted((dist / "assets").glob("*.js"))
    progress = next((dist / "assets").glob("ProgressPage-*.js"))
    return {
        "initial_files": [path.name for path in initial],
        "initial_raw": sum(path.stat().st_size for path in initial),
        "initial_gz": sum(_gzipped(path) for path in initial),
        "total_raw": sum(path.stat().st_size for path in every),
        "total_gz": sum(_gzipped(path) for path in every),
        "chunks": len(every),
        "progress_gz": _gzipped(progress),
    }


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _input_to_paint(tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "input-to-paint.json"
    subprocess.run(
        ["npx", "playwright", "test", "--config", "bench/playwright.config.ts"],
        cwd=FRONTEND,
        env={
            **os.environ,
            "BENCH_OUT": str(out),
            "CHROMIUM_PATH": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        },
        check=True,
    )
    figures: dict[str, Any] = json.loads(out.read_text())
    return figures


def _kb(size: int) -> str:
    return f"{size / 1000:.1f} KB"


@pytest.mark.timeout(1800)  # two builds, the platform's start, 560 keys typed twice
def test_web_app_benchmark(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        ["npx", "vite", "build", "--outDir", str(dist), "--emptyOutDir"],
        cwd=FRONTEND,
        check=True,
        capture_output=True,
    )
    sizes = _sizes(dist)
    load_before = os.getloadavg()
    paint = _input_to_paint(tmp_path)
    load_after = os.getloadavg()
    samples: dict[str, list[float]] = paint["samples"]
    rows = {
        rate: (statistics.median(values), _percentile(values, 0.95), len(values))
        for rate, values in samples.items()
    }
    base_median, base_p95, _ = rows[BASELINE]
    slow_median, slow_p95, _ = rows[THROTTLED]
    initial_ok = sizes["initial_gz"] <= INITIAL_TARGET_KB * 1000
    good = "within" if slow_p95 <= GOOD_INP_MS else "over"
    text = f"""{SECTION}

Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` (`tests/bench/test_web_bench.py`).
Machine: {api_bench._host()}, Chromium {paint["browser"]} (headless); the platform (API,
coach, worker, `vite preview`) and the browser share the machine. Load average
{load_before[0]:.1f} before the browser run, {load_after[0]:.1f} after.

**Download.** The production build, gzipped at level {NGINX_GZIP_LEVEL} as the image's nginx
sends it. Initial JavaScript is what runs before the first page shows:
{", ".join(f"`{name}`" for name in sizes["initial_files"])}.

| JavaScript | raw | gzipped |
|---|---:|---:|
| initial (target at most {INITIAL_TARGET_KB} KB gzipped: {"met" if initial_ok else "missed"}) \
| {_kb(sizes["initial_raw"])} | {_kb(sizes["initial_gz"])} |
| whole build ({sizes["chunks"]} files) | {_kb(sizes["total_raw"])} | {_kb(sizes["total_gz"])} |
| progress page with its chart (loaded on first visit) | | {_kb(sizes["progress_gz"])} |

**Input to paint.** The logging screen of a repeated workout of {paint["exercises"]} exercises
x {paint["sets"]} sets (390 x 844): each set's weight and reps cleared and typed key by key,
the next key pressed once the last one has painted; half the sets at each speed, then the
other half ({len(samples[BASELINE])} input events per speed). Measured in the page from each
`input` event's timestamp to a message posted from the next `requestAnimationFrame`, which
runs once that frame is painted. Baseline: the same keys with the CPU at full speed.

| CPU | input events | median | p95 | median vs baseline |
|---|---:|---:|---:|---:|
| full speed (baseline) | {rows[BASELINE][2]} | {base_median:.1f} ms | {base_p95:.1f} ms | 1.0x |
| 4x slower (`Emulation.setCPUThrottlingRate`) | {rows[THROTTLED][2]} \
| {slow_median:.1f} ms | {slow_p95:.1f} ms | {slow_median / base_median:.1f}x |

With the CPU slowed 4x, half the keys paint within {slow_median:.0f} ms and 95 % within
{slow_p95:.0f} ms: {good} the {GOOD_INP_MS} ms that Core Web Vitals count as a good
Interaction to Next Paint. The figures include waiting for a CPU on a machine shared with
other work (see the load average); the ratio compares the two speeds within one run.
"""
    api_bench._write_section(text, SECTION)
    print(text)
    assert rows[THROTTLED][2] == rows[BASELINE][2] > 0
