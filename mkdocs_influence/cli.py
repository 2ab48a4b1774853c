"""The ``influence`` command: the CLI shell over the library.

Exit codes: 0 success; 1 a user error (one line ``Error: …``, no traceback) or, for
``update``, every source failed; 2 a usage error (click's own).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import ConfigError, InfluenceError


def _date(value: str | None, option: str) -> dt.date | None:
    from .config import parse_as_of

    try:
        return parse_as_of(value, option)
    except ConfigError as exc:
        raise click.BadParameter(exc.message.split(": ", 1)[-1], param_hint=option) from None


def _today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="influence")
def main() -> None:
    """A blogger-owned influence score: fetch your own activity, score it, publish badges."""


@main.command()
@click.option(
    "-f",
    "--config-file",
    type=click.Path(path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The site's mkdocs.yml.",
)
@click.option("--offline", is_flag=True, help="Do not use the network: network sources keep the ledger's data.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Record observations under this date (default: today, UTC).")
@click.option(
    "--bundle",
    "bundle_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Also write the badges, JSON and a standalone history page here.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def update(config_file: Path, offline: bool, as_of: str | None, bundle_dir: Path | None, quiet: bool) -> None:
    """Read the configured sources into the ledger (the data folder)."""
    from .config import data_dir, load_mkdocs, source_specs
    from .pipeline import update as run_update
    from .site import from_mkdocs

    when = _date(as_of, "--as-of") or _today()
    cfg, plugin = load_mkdocs(config_file)
    folder = data_dir(cfg, plugin)
    result = run_update(from_mkdocs(cfg), source_specs(plugin), folder, when, offline=offline)
    if not quiet:
        for o in result.outcomes:
            detail = f"{o.posts} posts" if o.status == "ok" else o.message
            click.echo(f"{o.name}: {o.status}, {detail}")
            for warning in o.warnings:
                click.echo(f"  warning: {warning}", err=True)
        click.echo(f"ledger {'updated' if result.changed else 'unchanged'}: {folder}")
    if result.all_failed:
        raise InfluenceError("every source failed; the ledger keeps its earlier data")
    if bundle_dir is not None:
        _write_bundle(cfg, plugin, folder, bundle_dir, quiet)


def _write_bundle(cfg: Any, plugin: Any, folder: Path, out: Path, quiet: bool) -> None:
    from .bundle import BadgeSettings, render
    from .fileio import atomic_write
    from .pipeline import report
    from .report import Settings

    data = report(folder, Settings(topics=plugin.topics, site_name=cfg.site_name or ""), plugin.as_of)
    files = render(data, plugin.badge or BadgeSettings(), standalone=True, site_url=cfg.site_url or "")
    written = sum(atomic_write(out / name, content) for name, content in sorted(files.items()))
    if not quiet:
        click.echo(f"bundle: {written} of {len(files)} files changed in {out}")


@main.command()
@click.option(
    "--activity", "activity_file", type=click.Path(path_type=Path, dir_okay=False), required=True, help="An activity file (JSON)."
)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", required=True, help="Score as of this date.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: score, formula, components, topics.")
def score(activity_file: Path, as_of: str, as_json: bool) -> None:
    """Score an activity file, with no site or config."""
    from .ledger import Ledger, observe
    from .report import build, to_json
    from .sources.file import load_activity_file

    when = _date(as_of, "--as-of")
    assert when is not None
    activity = load_activity_file(activity_file)
    ledger = observe(Ledger(), "file", activity, when, complete=False)
    data = build(ledger, when)
    out = {k: data[k] for k in ("score", "formula", "components", "topics")}
    if as_json:
        click.echo(to_json(out), nl=False)
        return
    click.echo(f"score {data['score']} (formula {data['formula']}, as of {data['as_of']})")
    for name, comp in data["components"].items():
        click.echo(f"  {name:<13}{comp['points']:6.2f}")
    if data["topics"]:
        click.echo("topics: " + ", ".join(t["name"] for t in data["topics"]))


@main.command()
@click.argument("label")
@click.argument("message")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="Output file: .svg or .png.")
@click.option("--style", default="flat", show_default=True, help="flat, flat-square, plastic, for-the-badge or social.")
@click.option("--color", help="Message colour: a name, #rgb, #rrggbb or rgb(r,g,b).")
@click.option("--label-color", help="Label colour.")
@click.option("--scale", type=click.IntRange(1, 8), default=1, show_default=True, help="PNG scale (2 for retina).")
def badge(label: str, message: str, output: Path, style: str, color: str | None, label_color: str | None, scale: int) -> None:
    """Render a badge to an SVG or PNG file."""
    import badges

    from .fileio import atomic_write

    suffix = output.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise click.BadParameter("the file name must end in .svg or .png", param_hint="-o")
    try:
        svg = badges.badge(label, message, style=style, color=color, label_color=label_color)
    except ValueError as exc:
        raise InfluenceError(str(exc)) from None
    atomic_write(output, svg.encode("utf-8") if suffix == ".svg" else badges.to_png(svg, scale=scale))


@main.command()
@click.option("-f", "--config-file", type=click.Path(path_type=Path), default=Path("mkdocs.yml"), show_default=True)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Report date (default: the plugin's as_of).")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
def report(config_file: Path, as_of: str | None, as_json: bool) -> None:
    """Show the report the site would publish."""
    from .config import data_dir, load_mkdocs
    from .pipeline import report as build_report
    from .report import Settings, to_json

    cfg, plugin = load_mkdocs(config_file)
    data = build_report(
        data_dir(cfg, plugin),
        Settings(topics=plugin.topics, site_name=cfg.site_name or ""),
        _date(as_of, "--as-of") or plugin.as_of,
    )
    if as_json:
        click.echo(to_json(data), nl=False)
    else:
        click.echo(json.dumps({"score": data["score"], "formula": data["formula"], "as_of": data["as_of"]}))


def run() -> None:  # pragma: no cover - console entry point
    main(prog_name="influence")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
