"""The bundle: every file the site publishes under ``influence/``, rendered from a report.

One function serves both shells: the plugin adds these files to the MkDocs build, the
CLI writes them to a folder (``--bundle``) for any static site. Pure apart from the PNG
cache; same report → byte-identical files.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import badges

from .pages import history_html
from .report import to_json


@dataclass(frozen=True)
class BadgeSettings:
    """The ``badge:`` configuration."""

    label: str = "influence"
    style: str = "flat"
    color: str | None = None


def score_badge(report: dict[str, Any], settings: BadgeSettings = BadgeSettings(), style: str | None = None) -> str:
    return badges.badge(settings.label, str(report["score"]), style=style or settings.style, color=settings.color)


def alt_text(report: dict[str, Any], settings: BadgeSettings = BadgeSettings()) -> str:
    return f"{settings.label} score: {report['score']}"


def _csv_cell(value: Any) -> str:
    """Neutralise spreadsheet formulas (cells starting with = + - @)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def history_csv(report: dict[str, Any]) -> str:
    names = list(report["components"])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "formula", "score", "value", *names, "reconstructed"])
    for row in report["history"]:
        points = [f"{row['components'][n]:.6f}" for n in names]
        cells = [row["date"], row["formula"], row["score"], f"{row['value']:.6f}", *points, str(row["reconstructed"]).lower()]
        writer.writerow([_csv_cell(c) for c in cells])
    return out.getvalue()


def render(
    report: dict[str, Any],
    settings: BadgeSettings = BadgeSettings(),
    *,
    standalone: bool = False,
    site_url: str = "",
    png_cache: Path | None = None,
) -> dict[str, bytes]:
    """File name (relative to ``influence/``) → content."""
    svg = score_badge(report, settings)
    summary = {k: v for k, v in report.items() if k != "history"}
    files = {
        "badge.svg": svg.encode("utf-8"),
        "badge.png": badges.to_png(svg, scale=1, cache_dir=png_cache),
        "badge@2x.png": badges.to_png(svg, scale=2, cache_dir=png_cache),
        "score.json": to_json(summary).encode("utf-8"),
        "history.json": to_json(report["history"]).encode("utf-8"),
        "history.csv": history_csv(report).encode("utf-8"),
    }
    if standalone:
        files["index.html"] = history_html(report, site_url).encode("utf-8")
    return files
