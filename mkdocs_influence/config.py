"""The plugin's options, validated once for both shells (plugin and CLI).

``influence update -f mkdocs.yml`` loads the same ``mkdocs.yml`` through MkDocs itself,
so the CLI and ``mkdocs build`` can never disagree about a setting.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig

from .errors import ConfigError, shown
from .render.placement import generator_option
from .settings import BadgeSettings, Settings, TopicSettings, parse_as_of
from .site import BlogLayout, SiteInfo, from_mkdocs
from .sources import SourceSpec, default_specs, parse_specs
from .wording import unknown_name

_TOPIC_KEYS = {"allow": list, "deny": list, "catch_all": list, "aliases": dict}
_TOPIC_KEYS |= {"max": int, "min_posts": int, "min_months": int, "use_text": bool}
_BADGE_KEYS = {"label": str, "style": str, "color": str, "card_theme": str}


Warn = Callable[[str], None]


def refuse(message: str) -> None:
    """The CLI's answer to an unknown option: an error (MkDocs only warns, see :class:`InfluenceConfig`)."""
    raise ConfigError(message)


def _check_mapping(value: Any, name: str, allowed: Mapping[str, type], warn: Warn) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(f"{name}: expected a mapping with keys {', '.join(allowed)}")
    for key, val in value.items():
        if key not in allowed:
            warn(unknown_name(key, allowed, prefix=f"{name}."))
            continue
        want = allowed[key]
        if not isinstance(val, want) or (want is int and isinstance(val, bool)):
            raise ConfigError(f"{name}.{key}: expected {want.__name__}, got {type(val).__name__}")
    return {k: v for k, v in value.items() if k in allowed}


def topic_settings(value: Any, warn: Warn = refuse) -> TopicSettings:
    raw = _check_mapping(value, "topics", _TOPIC_KEYS, warn)
    for key in ("allow", "deny", "catch_all"):
        if not all(isinstance(x, str) for x in raw.get(key, [])):
            raise ConfigError(f"topics.{key}: expected a list of strings")
    aliases = raw.get("aliases", {})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in aliases.items()):
        raise ConfigError("topics.aliases: expected a mapping of name: canonical name")
    for key in ("max", "min_posts", "min_months"):
        if key in raw and raw[key] < 1:
            raise ConfigError(f"topics.{key}: expected a whole number of at least 1")
    return TopicSettings(
        allow=tuple(raw.get("allow", ())),
        deny=tuple(raw.get("deny", ())),
        catch_all=tuple(raw.get("catch_all", ())),
        aliases=dict(aliases),
        max=raw.get("max", 10),
        min_posts=raw.get("min_posts", 3),
        min_months=raw.get("min_months", 2),
        use_text=raw.get("use_text", True),
    )


def badge_settings(value: Any, warn: Warn = refuse) -> BadgeSettings:
    import badges

    raw = _check_mapping(value, "badge", _BADGE_KEYS, warn)
    style = raw.get("style", "flat")
    if style not in badges.STYLES:
        raise ConfigError(f"badge.style: expected one of {', '.join(badges.STYLES)}, got {shown(style)}")
    color = raw.get("color")
    if color is not None:
        try:
            badges.parse_color(color)
        except ValueError as exc:
            raise ConfigError(f"badge.color: {exc}") from None
    card_theme = raw.get("card_theme", "light")
    if card_theme not in ("light", "dark", "auto"):
        raise ConfigError(f"badge.card_theme: expected one of light, dark, auto, got {card_theme!r}")
    return BadgeSettings(label=raw.get("label", "influence"), style=style, color=color, card_theme=card_theme)


class _Converted(c.BaseConfigOption[Any]):
    """An option whose value is checked and converted by a core function; unknown keys
    inside it become this option's warnings (MkDocs' rule for unknown keys)."""

    def __init__(self, convert: Any, default: Any = None) -> None:
        super().__init__()
        self.convert = convert
        self.default = default

    def run_validation(self, value: object) -> Any:
        try:
            return self.convert(value, warn=self.warnings.append)
        except ConfigError as exc:
            raise c.ValidationError(exc.message) from None


def _as_of_option(value: Any, warn: Warn = refuse) -> dt.date | None:
    return parse_as_of(None if value is None else str(value))


class InfluenceConfig(base.Config):
    """Options of the ``influence`` plugin (docs/config.md lists them all)."""

    #: Turn the plugin off without removing it (e.g. ``enabled: !ENV [INFLUENCE, true]``).
    enabled = c.Type(bool, default=True)
    #: Folder of the ledger, relative to mkdocs.yml; commit it so CI builds keep history.
    data_dir = c.Type(str, default="influence-data")
    #: Where activity comes from; default: this site's blog posts.
    sources = _Converted(parse_specs)
    #: Topic curation: allow, deny, aliases, max, min_posts, min_months, use_text.
    topics = _Converted(topic_settings)
    #: The brag badge: label, style, color.
    badge = _Converted(badge_settings)
    #: Date of the report: 'latest' (the newest observation; reproducible), 'today' or YYYY-MM-DD.
    as_of = _Converted(_as_of_option)
    #: Add the badge to every blog post without touching the posts: none, top or bottom.
    post_badge = c.Choice(("none", "top", "bottom"), default="none")
    #: Under each blog post, where it was discussed (Hacker News, Lobsters, Reddit, comments): none or bottom.
    post_discussions = c.Choice(("none", "bottom"), default="none")
    #: Beside each post on Material's blog index, archive and category pages: "Hacker News 312 · 4 comments".
    post_discussions_index = c.Type(bool, default=False)
    #: Which pages get the badge-bearing social preview: the history page, or also every blog post.
    social_preview = c.Choice(("history", "posts"), default="history")
    #: The site's generator when it is not MkDocs/ProperDocs: ``influence update`` then writes the bundle
    #: and history page into the site's own folders (docs/generators/).
    generator = _Converted(generator_option)  # the names influence.yml's generator: takes (11ty, properdocs…)

    #: What MkDocs only warns about (unknown options, with the nearest valid name): the CLI refuses it.
    unknown_options: tuple[str, ...] = ()

    def _validate(self) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        failed, warnings = super()._validate()
        unknown = set(self.keys()) - self._schema_keys  # MkDocs says "Unrecognised configuration name"
        warnings = [(k, w) for k, w in warnings if k not in unknown]
        return failed, warnings + [(k, unknown_name(k, self._schema_keys)) for k in sorted(unknown)]

    def validate(self) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        failed, warnings = super().validate()
        self.unknown_options = tuple(w for _, w in warnings)
        return failed, warnings


def report_settings(config: MkDocsConfig, plugin: InfluenceConfig, specs: Sequence[SourceSpec] | None = None) -> Settings:
    """What the report needs from the site and the plugin options; ``specs``: the sources, when
    the caller has resolved them already (the defaults look at the site's files)."""
    root = Path(config.config_file_path).resolve().parent if config.config_file_path else None
    return _settings(plugin, config.site_name or "", config.site_url or "", root, specs)


def _settings(
    plugin: InfluenceConfig, site_name: str, site_url: str, root: Path | None = None, specs: Sequence[SourceSpec] | None = None
) -> Settings:
    specs = source_specs(plugin, site_url, root) if specs is None else specs
    kinds = tuple(spec.kind for spec in specs)  # the report counts only these (docs/privacy.md)
    return Settings(topics=plugin.topics or TopicSettings(), site_name=site_name, site_url=site_url, sources=kinds)


def data_dir(config: MkDocsConfig, plugin: InfluenceConfig) -> Path:
    base_dir = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
    return (base_dir / plugin.data_dir).resolve()


class _Collect(logging.Handler):
    """Keeps MkDocs' error messages so the CLI can show them in its one-line error."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = " ".join(record.getMessage().split())
        self.messages.append(re.sub(r"^Config value '?plugins'?: ?", "", text))


def load_mkdocs(config_file: Path) -> tuple[MkDocsConfig, InfluenceConfig]:
    """Load ``mkdocs.yml`` through MkDocs and return it with this plugin's options."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from .store import yamlsafe

    if not config_file.is_file():
        raise ConfigError(f"config file {config_file} does not exist")
    yamlsafe.precheck_file(config_file)  # MkDocs' own loader expands aliases freely
    errors = _Collect()
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.addHandler(errors)
    level = mkdocs_logger.level
    mkdocs_logger.setLevel(logging.ERROR)  # MkDocs reports config problems as log records
    try:
        cfg = load_config(config_file=str(config_file))
    except (ConfigurationError, Abort) as exc:
        detail = errors.messages[0] if errors.messages else str(exc)
        raise ConfigError(f"{config_file}: {detail}") from None
    finally:
        mkdocs_logger.removeHandler(errors)
        mkdocs_logger.setLevel(level)
    plugin = cfg.plugins.get("influence") if cfg.plugins else None
    if plugin is None:
        raise ConfigError(f"{config_file}: the influence plugin is not enabled (add '- influence' under plugins)")
    options: InfluenceConfig = plugin.config  # type: ignore[attr-defined]
    if options.unknown_options:  # a warning under `mkdocs build`, an error here
        raise ConfigError(f"{config_file}: {options.unknown_options[0]}")
    return cfg, options


@dataclass(frozen=True)
class Loaded:
    """Everything a CLI command needs about one site."""

    site: SiteInfo
    plugin: InfluenceConfig
    folder: Path
    settings: Settings


STANDALONE_KEYS = {"site_name", "site_url", "docs_dir", "posts_dir", "post_url", "generator"}


def load_standalone(config_file: Path) -> Loaded:
    """``influence.yml`` for sites not built with MkDocs: the plugin's options plus
    ``site_name``, ``site_url``, ``docs_dir`` (default ``.``) and ``posts_dir`` (where the
    Markdown posts are, relative to ``docs_dir``; default ``blog/posts``), ``post_url`` (Eleventy) and ``generator``
    (mkdocs, hugo, jekyll, eleventy, zensical…; detected from the files in ``docs_dir`` when absent)."""
    import yaml

    from .store import yamlsafe

    try:
        raw = yamlsafe.load(config_file.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{config_file}: cannot read ({exc})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_file}: expected a mapping of options")
    valid = STANDALONE_KEYS | {k for k, _ in InfluenceConfig._schema}
    for key in raw:
        if key not in valid:
            raise ConfigError(f"{config_file}: {unknown_name(key, valid)}")
    site_keys = {k: raw.pop(k) for k in list(raw) if k in STANDALONE_KEYS}
    for key, value in site_keys.items():
        if not isinstance(value, str):
            raise ConfigError(f"{config_file}: {key}: expected text, got {type(value).__name__}")
    plugin = InfluenceConfig(config_file_path=str(config_file))
    plugin.load_dict(raw)
    errors, _ = plugin.validate()
    if errors:
        key, err = errors[0]
        raise ConfigError(f"{config_file}: {key}: {err}")
    if plugin.unknown_options:
        raise ConfigError(f"{config_file}: {plugin.unknown_options[0]}")
    if "generator" in site_keys:
        from . import generators

        try:
            generators.get(site_keys["generator"])
        except ConfigError as exc:
            raise ConfigError(f"{config_file}: {exc.message}") from None
    if "post_url" in site_keys and site_keys.get("generator", "eleventy") not in ("eleventy", "11ty"):
        raise ConfigError(f"{config_file}: post_url is read for Eleventy sites only (docs/generators/eleventy.md)")
    root = config_file.resolve().parent
    if site_keys.get("generator") == "zensical" and (root / "zensical.toml").is_file():
        site = _zensical_site(root / "zensical.toml", site_keys)
    else:
        site = SiteInfo(
            docs_dir=root / site_keys.get("docs_dir", "."),
            config_dir=root,
            site_name=site_keys.get("site_name", ""),
            site_url=site_keys.get("site_url", ""),
            blog=BlogLayout(post_dir=site_keys.get("posts_dir", "blog/posts")),
            generator=site_keys.get("generator", ""),
            posts_dir=site_keys.get("posts_dir", ""),
            post_url=site_keys.get("post_url", ""),
        )
    return Loaded(site, plugin, (root / plugin.data_dir).resolve(), _settings(plugin, site.site_name, site.site_url, root))


def _zensical_site(path: Path, keys: dict[str, str]) -> SiteInfo:
    """The site as ``zensical.toml`` describes it (docs_dir, blog plugin); influence.yml's keys win."""
    from dataclasses import replace

    from .site import from_zensical

    site = from_zensical(path)
    if "posts_dir" in keys:
        site = replace(site, blog=replace(site.blog, post_dir=keys["posts_dir"]), posts_dir=keys["posts_dir"])
    if "docs_dir" in keys:
        site = replace(site, docs_dir=path.parent.resolve() / keys["docs_dir"])
    names = {k: keys[k] for k in ("site_name", "site_url") if k in keys}
    return replace(site, **names) if names else site


MKDOCS_NAMES = ("mkdocs.yml", "mkdocs.yaml")
STANDALONE_NAMES = ("influence.yml", "influence.yaml")
#: settings only an MkDocs config has: a file with one of them is read through MkDocs
MKDOCS_ONLY = frozenset(k for k, _ in MkDocsConfig._schema) - STANDALONE_KEYS
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:", re.MULTILINE)


def find_config(folder: Path) -> Path:
    """The config in ``folder``: the first of mkdocs.yml, mkdocs.yaml, influence.yml, influence.yaml."""
    for name in (*MKDOCS_NAMES, *STANDALONE_NAMES):
        if (folder / name).is_file():
            return folder / name
    looked = ", ".join((*MKDOCS_NAMES, *STANDALONE_NAMES))
    raise ConfigError(f"no config file in {folder}: looked for {looked} (name one with -f)")


def is_mkdocs_config(path: Path) -> bool:
    """mkdocs.yml/.yaml are MkDocs configs and influence.yml/.yaml standalone ones; any other
    name is an MkDocs config when a top-level key is a setting only MkDocs has (plugins, nav,
    theme…; docs/config.md)."""
    if path.name in MKDOCS_NAMES or path.name in STANDALONE_NAMES:
        return path.name in MKDOCS_NAMES
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return not MKDOCS_ONLY.isdisjoint(_TOP_KEY.findall(text))


def check_data_folder(folder: Path) -> None:
    """Say what to do when the data folder cannot be a folder (instead of a bare OS error)."""
    for path in (folder, *folder.parents):
        if path.is_dir():
            return
        if path.exists():
            where = "" if path == folder else f", so the data folder {folder} cannot be made"
            raise ConfigError(f"{path} is a file, not a folder{where}: move it or set data_dir")


def load(config_file: Path | None = None) -> Loaded:
    """A site from an MkDocs config (through MkDocs) or a standalone one (``influence.yml``);
    without ``config_file``, the one :func:`find_config` finds in the current folder."""
    path = find_config(Path.cwd()) if config_file is None else config_file
    if path.is_dir():
        raise ConfigError(f"{path} is a folder: name the config file in it (mkdocs.yml or influence.yml)")
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist")
    if is_mkdocs_config(path):
        cfg, plugin = load_mkdocs(path)
        loaded = Loaded(from_mkdocs(cfg), plugin, data_dir(cfg, plugin), report_settings(cfg, plugin))
    else:
        loaded = load_standalone(path)
    check_data_folder(loaded.folder)
    return loaded


def source_specs(plugin: InfluenceConfig, site_url: str = "", root: Path | None = None) -> list[SourceSpec]:
    """The configured sources, or the defaults for this site (:func:`~.sources.default_specs`)."""
    return plugin.sources or default_specs(site_url, root)
