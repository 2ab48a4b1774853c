"""The ``influence`` command: the CLI shell over the library.

Exit codes: 0 success; 1 a user error (one line ``Error: …``, no traceback) or, for
``update``, every source failed; 2 a usage error (click's own).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..errors import ConfigError, InfluenceError


def _date(value: str | None, option: str) -> dt.date | None:
    from ..settings import parse_as_of  # not from config: that imports MkDocs' config machinery

    try:
        return parse_as_of(value, option)
    except ConfigError as exc:
        raise click.BadParameter(exc.message.split(": ", 1)[-1], param_hint=option) from None


def _today() -> dt.date:
    """Today in UTC, or the date of ``SOURCE_DATE_EPOCH`` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.datetime.now(dt.timezone.utc).date()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="influence")
def main() -> None:
    """A blogger-owned influence score: fetch your own activity, score it, publish badges."""


CONFIG_OPTION = click.option(
    "-f",
    "--config-file",
    type=click.Path(path_type=Path),
    help="The site's mkdocs.yml, or a standalone config (influence.yml) for sites not built with MkDocs. "
    "Default: the first of mkdocs.yml, mkdocs.yaml, influence.yml, influence.yaml in this folder.",
)


@main.command()
@CONFIG_OPTION
@click.option("--offline", is_flag=True, help="Do not use the network: network sources keep the ledger's data.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Record observations under this date (default: today, UTC).")
@click.option(
    "--bundle",
    "bundle_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Also write the badges, JSON and a standalone history page here.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also print every warning (skipped items, dropped duplicates).")
def update(
    config_file: Path | None, offline: bool, as_of: str | None, bundle_dir: Path | None, quiet: bool, verbose: bool
) -> None:
    """Read the configured sources into the ledger (the data folder).

    Network sources run concurrently; one that fails keeps its earlier data and does not
    stop the others. Exit status 1 only when every source failed."""
    from ..config import source_specs
    from .pipeline import update as run_update

    when = _date(as_of, "--as-of") or _today()
    site, plugin, folder, settings = _load(config_file)
    live = not quiet and sys.stderr.isatty() and os.environ.get("CI", "").lower() not in ("true", "1")
    progress = (lambda message: click.echo(f"  {message}", err=True)) if (live or verbose) and not quiet else None
    specs = source_specs(plugin, site.site_url, site.config_dir)
    if progress is None:
        result = run_update(site, specs, folder, when, offline=offline)
    else:
        result = run_update(site, specs, folder, when, offline=offline, progress=progress)
    if not quiet:
        for o in result.outcomes:
            click.echo(_outcome_line(o, verbose))
            for warning in (*o.alerts, *o.warnings) if verbose else o.alerts:
                click.echo(f"  warning: {warning}", err=True)
        if not result.all_failed:  # the error below says what happened instead
            click.echo(f"ledger {'updated' if result.changed else 'unchanged'}: {folder}")
        if result.new_formula:
            click.echo(f"formula {result.new_formula} is now current; history recomputed (see `influence explain`)")
    if result.all_failed:
        raise InfluenceError("every source failed; the ledger keeps its earlier data")
    from ..render.bundle import BadgeSettings, blog_post_titles, prepare_build
    from .pipeline import report as build_report

    cache = site.config_dir / ".cache" / "influence"  # the report, PNGs and page, ready for the build
    data = build_report(folder, settings, plugin.as_of, cache)
    from ..render.placement import place

    line = place(site, plugin, data)  # a generator without our plugin: its bundle and page written
    if line is None:  # MkDocs/ProperDocs: the build runs the plugin, which reads these back
        titles = blog_post_titles(folder) if plugin.social_preview == "posts" else []
        prepare_build(data, plugin.badge or BadgeSettings(), cache, titles)
    elif not quiet:
        click.echo(line)
    if bundle_dir is not None:
        _write_bundle(plugin, data, bundle_dir, quiet)


def _outcome_line(o: Any, verbose: bool) -> str:
    """``blog: 14 posts (1 warning)``, ``mastodon: failed — HTTP 503 …``: the source's name once."""
    from ..wording import plural

    if o.status == "ok":
        line = f"{o.name}: {plural(o.posts, 'post')}"
        return line + (f" ({plural(len(o.warnings), 'warning')})" if o.warnings and not verbose else "")
    return f"{o.name}: {o.status} — {o.message.removeprefix(f'{o.name}: ')}"


def _write_bundle(plugin: Any, data: dict[str, Any], out: Path, quiet: bool) -> None:
    """The bundle from the report ``update`` has just built (never built a second time)."""
    from ..render.bundle import BadgeSettings, render
    from ..store.fileio import atomic_write
    from ..wording import plural

    files = render(data, plugin.badge or BadgeSettings(), standalone=True)
    written = sum(atomic_write(out / name, content) for name, content in sorted(files.items()))
    if not quiet:
        click.echo(f"bundle: {written} of {plural(len(files), 'file')} changed in {out}")


@main.command()
@click.option(
    "--activity", "activity_file", type=click.Path(path_type=Path, dir_okay=False), required=True, help="An activity file (JSON)."
)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", required=True, help="Score as of this date.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: score, formula, components, topics.")
@click.option("--no-cache", is_flag=True, help="Analyse every post's text; keep nothing in .cache/influence beside the file.")
def score(activity_file: Path, as_of: str, as_json: bool, no_cache: bool) -> None:
    """Score an activity file, with no site or config."""
    from ..model.report import summary
    from ..sources.file import load_activity_file
    from ..store.fileio import to_json
    from ..terms.termcache import cache_file, recorded

    when = _date(as_of, "--as-of")
    assert when is not None
    cache = None if no_cache else cache_file(activity_file)  # unchanged posts' terms (docs/topics.md)
    ledger = recorded(load_activity_file(activity_file), when, cache)
    data = summary(ledger, when)  # the headline only: no weekly history to throw away
    out = {k: data[k] for k in ("score", "formula", "components", "topics")}
    if as_json:
        click.echo(to_json(out), nl=False)
        return
    _echo_headline(data, "")
    for title, labels in (("topics", False), ("series and formats", True)):  # catch-all labels apart (docs/topics.md)
        names = [t["name"] for t in data["topics"] if t["catch_all"] is labels]
        if names:
            click.echo(f"{title}: " + ", ".join(names))


def _echo_headline(data: dict[str, Any], more: str) -> None:
    """The score line and one line per component, as `influence score` and `influence report` print them."""
    click.echo(f"score {data['score']} (formula {data['formula']}, as of {data['as_of']}{more})")
    for name, comp in data["components"].items():
        click.echo(f"  {name:<13}{comp['points']:6.2f}")


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

    from ..store.fileio import atomic_write

    suffix = output.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise click.BadParameter("the file name must end in .svg or .png", param_hint="-o")
    try:
        svg = badges.badge(label, message, style=style, color=color, label_color=label_color)
    except ValueError as exc:
        raise InfluenceError(str(exc)) from None
    atomic_write(output, svg.encode("utf-8") if suffix == ".svg" else badges.to_png(svg, scale=scale))


def _load(config_file: Path | None) -> tuple[Any, Any, Path, Any]:
    """(site, plugin options, data folder, report settings) from mkdocs.yml or influence.yml."""
    from ..config import load

    loaded = load(config_file)
    return loaded.site, loaded.plugin, loaded.folder, loaded.settings


@main.command()
@CONFIG_OPTION
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Report date (default: the plugin's as_of).")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
def report(config_file: Path | None, as_of: str | None, as_json: bool) -> None:
    """Show the report the site would publish."""
    from ..store.fileio import to_json
    from ..wording import plural
    from .pipeline import report as build_report

    _, plugin, folder, settings = _load(config_file)
    data = build_report(folder, settings, _date(as_of, "--as-of") or plugin.as_of)
    if as_json:
        click.echo(to_json(data), nl=False)
        return
    _echo_headline(data, f", {plural(data['posts'], 'post')}")
    if "engagement_note" in data:
        click.echo(data["engagement_note"])
    for name, source in data["sources"].items():  # what the page lists: a source its data does not speak for
        if source.get("status"):
            click.echo(f"  {name}: {source['status']}")


@main.command()
@CONFIG_OPTION
@click.option("--from", "start", metavar="YYYY-MM-DD", help="Start date (default: 30 days before --to).")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="End date (default: the plugin's as_of, i.e. the newest data).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools.")
def explain(config_file: Path | None, start: str | None, end: str | None, as_json: bool) -> None:
    """Say how much each component moved between two dates, and which posts moved it."""
    from ..model.explain import explain as run_explain
    from ..model.explain import to_text
    from ..model.report import configured, default_as_of
    from ..store import ledger as ledger_mod
    from ..store.fileio import to_json

    _, plugin, folder, settings = _load(config_file)
    led = configured(ledger_mod.load(folder), settings.sources)
    to_date = _date(end, "--to") or plugin.as_of or default_as_of(led)
    from_date = _date(start, "--from") or to_date - dt.timedelta(days=30)
    if from_date > to_date:
        raise click.BadParameter("must not be after --to", param_hint="--from")
    data = run_explain(led, from_date, to_date)
    click.echo(to_json(data) if as_json else to_text(data), nl=False)


@main.command()
@CONFIG_OPTION
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Date from which the installed formula is current (default: today).")
def rescore(config_file: Path | None, as_of: str | None) -> None:
    """Recompute the whole history under the installed formula, keeping the old line."""
    from ..model.report import adopt_current, load_epochs, save_epochs
    from ..store.fileio import locked
    from ..wording import plural
    from .pipeline import report as build_report

    _, plugin, folder, settings = _load(config_file)
    when = _date(as_of, "--as-of") or _today()
    with locked(folder):
        epochs = load_epochs(folder)
        adopted = adopt_current(epochs, when)
        save_epochs(folder, adopted)
    data = build_report(folder, settings, plugin.as_of)
    if adopted == epochs:
        click.echo(f"history is already computed under formula {epochs[-1].formula}; score {data['score']}")
        return
    old = [r for r in data["history"] if r["formula"] == epochs[-1].formula]
    new = [r for r in data["history"] if r["formula"] == adopted[-1].formula]
    was = f"{old[-1]['score']} under {epochs[-1].formula} on {old[-1]['date']}" if old else "not computed before"
    click.echo(f"formula {adopted[-1].formula} is current from {when}: score {new[-1]['score']} (was {was})")
    click.echo(f"recomputed {plural(len(new), 'week')}; the history page shows both lines where they overlap")


@main.command()
@CONFIG_OPTION
@click.option("--explain", "show_posts", is_flag=True, help="List the supporting posts of each topic.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def topics(config_file: Path | None, show_posts: bool, as_json: bool) -> None:
    """List the topics with their weight (and, with --explain, the posts behind them)."""
    from ..store.fileio import to_json
    from .pipeline import report as build_report

    _, plugin, folder, settings = _load(config_file)
    data = build_report(folder, settings, plugin.as_of)
    if as_json:
        click.echo(to_json(data["topics"]), nl=False)
        return
    if not data["topics"]:
        click.echo("no topic has enough evidence yet (3 posts over 2 months by default)")
    labels = [t for t in data["topics"] if t["catch_all"]]
    for topic in [t for t in data["topics"] if not t["catch_all"]] + labels:
        if labels and topic is labels[0]:  # after the subjects, as the page lists them (docs/topics.md)
            click.echo("series and formats (what kind of post, not its subject):")
        click.echo(f"{topic['name']}  {topic['weight'] * 100:.1f}%")
        if show_posts:
            for post in topic["posts"]:
                click.echo(f"    {post['date']}  {post['contribution'] * 100:5.1f}%  {post['title']}  {post['url']}")


@main.command()
@CONFIG_OPTION
@click.option("--ci", type=click.Choice(["github", "gitlab"]), help="Also write a scheduled CI recipe.")
@click.option(
    "--generator",
    type=click.Choice(["hugo", "jekyll", "eleventy", "zensical"]),
    help="A site not built by MkDocs: write influence.yml and the generator's badge snippet in this folder.",
)
def init(config_file: Path | None, ci: str | None, generator: str | None) -> None:
    """Enable the plugin in an existing mkdocs.yml (comments and order kept) and add a CI recipe;
    with --generator, set up a Hugo, Jekyll, Eleventy or Zensical site instead (docs/generators/)."""
    from ..config import MKDOCS_NAMES
    from .init import init as run_init

    if generator is None and config_file is None and not any(Path(n).is_file() for n in MKDOCS_NAMES):
        from .siteinit import NAMES, recognise

        generator = recognise(Path.cwd())  # a UsageError naming --generator when it is no site we know
        click.echo(f"no mkdocs.yml here, and this folder looks like a site built with {NAMES[generator]}: setting it up for it")
    if generator is not None:
        from .siteinit import init_site

        if ci is not None:
            raise click.UsageError("--ci writes an MkDocs recipe: for other generators use the GitHub Action (docs/ci.md)")
        done = init_site(generator, config_file.parent if config_file else Path.cwd())
        for line in done or ["nothing to do: already set up"]:
            click.echo(line)
        return
    if config_file is None:
        config_file = next((Path(n) for n in MKDOCS_NAMES if Path(n).is_file()), Path(MKDOCS_NAMES[0]))
    done = run_init(config_file, ci)
    for line in done or ["nothing to do: already set up"]:
        click.echo(line)
    if done and ci:
        click.echo("next: influence update, commit influence-data/, push")


@main.command()
@CONFIG_OPTION
@click.option("--repair", is_flag=True, help="Drop the lines that do not parse (after a numbered backup).")
def doctor(config_file: Path | None, repair: bool) -> None:
    """Check the data folder; with --repair, drop only the bad lines, after a backup."""
    from ..model.report import unused
    from ..store import ledger as ledger_mod
    from ..store import upkeep
    from ..store.fileio import locked
    from ..wording import plural

    _, _, folder, settings = _load(config_file)
    path = folder / ledger_mod.FILENAME
    if not path.is_file():
        raise InfluenceError(f"no ledger at {path}: run `influence update` first")
    with locked(folder):
        if repair:
            problems, backup = upkeep.repair(folder)
            for problem in problems:
                click.echo(f"dropped: {problem}")
            click.echo(f"repaired {path} (backup: {backup})" if backup else f"{path}: no problems found")
            return
        led, problems = ledger_mod.check(path.read_bytes(), str(path))
    for problem in problems:
        click.echo(problem)
    if problems:
        raise InfluenceError(
            f"{plural(len(problems), 'bad line')} in {path}; `influence doctor --repair` drops them after a backup"
        )
    click.echo(f"{path}: no problems found")
    left = unused(led, settings.sources or ())
    if left:
        held = ", ".join(f"{name} ({what})" for name, what in left.items())
        how = f"`influence forget {next(iter(left))}` removes it" if len(left) == 1 else "`influence forget SOURCE` removes one"
        click.echo(f"ledger holds data of sources no longer configured: {held} — {how}")


@main.command()
@CONFIG_OPTION
@click.argument("source")
@click.option("--force", is_flag=True, help="Also forget a source that is still configured (the next update reads it afresh).")
def forget(config_file: Path | None, source: str, force: bool) -> None:
    """Remove a source's data from the ledger (after a numbered backup).

    SOURCE is a name `influence doctor` lists, e.g. mastodon or file. Remove the source from
    the config first: a source still configured is refused unless --force."""
    from ..model.report import source_names
    from ..store import ledger as ledger_mod
    from ..store import upkeep
    from ..store.fileio import locked
    from ..wording import plural, unknown_name

    _, _, folder, settings = _load(config_file)
    path = folder / ledger_mod.FILENAME
    if not path.is_file():
        raise InfluenceError(f"no ledger at {path}: there is nothing to forget")
    with locked(folder):
        led = ledger_mod.load(folder)
        held = {r.source for r in led.records} | {str(r.data["via"]) for r in led.records if "via" in r.data}
        if source not in held:
            raise InfluenceError(f"{path}: {unknown_name(source, held, what='source')}")
        if not force and source in source_names(led, settings.sources or ()):
            raise InfluenceError(
                f"{source} is still configured: remove it from sources first (or the next update brings it back), or use --force"
            )
        removed, backup = upkeep.forget(folder, led, source)
    click.echo(f"forgot {source}: removed {plural(removed, 'ledger line')} from {path} (backup: {backup})")


main.add_command(update, name="fetch")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
