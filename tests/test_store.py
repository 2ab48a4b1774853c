"""The store under scheduled rebuilds: small growth, crash safety, repair, determinism, the CI recipe."""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import EXAMPLE, influence, mkdocs_build, mkdocs_env, utc, write_site

from mkdocs_influence.errors import LedgerError
from mkdocs_influence.shells.cli import main
from mkdocs_influence.store import ledger as L
from mkdocs_influence.store.activity import Activity, Audience, Post
from mkdocs_influence.store.fileio import GIT_IGNORED, locked

WORDS = "wool dye madder weld indigo socks heel yarn skein mordant alum iron walnut onion garden knit colour".split()


def _post(i: int, published: dt.datetime, metrics: dict[str, int]) -> Post:
    rng = random.Random(i)
    text = " ".join(rng.choice(WORDS) for _ in range(300))
    return Post(
        "mastodon",
        str(10_000 + i),
        f"Post {i} about {WORDS[i % len(WORDS)]}",
        published,
        url=f"https://social.example/@me/{i}",
        tags=(WORDS[i % 7],),
        text=text,
        metrics=metrics,
    )


def test_a_year_of_daily_runs_grows_the_store_by_less_than_1_mb(tmp_path: Path) -> None:
    """1,000 posts, then a daily run for a year: a new post most days, counts moving on recent posts."""
    start = dt.date(2025, 1, 1)
    rng = random.Random(1)
    counts: dict[int, dict[str, int]] = {}
    posts: dict[int, Post] = {}
    for i in range(1000):
        published = utc(2022, 1, 1) + dt.timedelta(hours=26 * i)
        counts[i] = {"replies": rng.randint(0, 5), "likes": rng.randint(0, 30)}
        posts[i] = _post(i, published, counts[i])
    led = L.observe(
        L.Ledger(), "mastodon", Activity(tuple(posts.values()), (Audience("mastodon", start, 300),)), start, complete=False
    )
    size0 = len(L.dumps(led).encode())
    for day in range(1, 366):
        today = start + dt.timedelta(days=day)
        if day % 7:  # six posts a week
            i = len(posts)
            counts[i] = {}
            posts[i] = _post(i, dt.datetime.combine(today, dt.time(9), dt.timezone.utc), counts[i])
        for i in sorted(posts)[-10:]:  # recent posts keep collecting replies and likes
            if rng.random() < 0.5:
                counts[i] = {**counts[i], "likes": counts[i].get("likes", 0) + rng.randint(1, 4)}
                posts[i] = Post(**{**posts[i].__dict__, "metrics": dict(counts[i])})
        recent = tuple(posts[i] for i in sorted(posts)[-40:])  # what one page of the API returns
        audience = (Audience("mastodon", today, 300 + day // 3),)
        led = L.observe(led, "mastodon", Activity(recent, audience), today, complete=False)
    growth = len(L.dumps(led).encode()) - size0
    assert growth <= 1_000_000, f"{growth} bytes in a year"
    # and the year is really there: the counts as of mid-year differ from the end
    assert L.snapshot(led, start + dt.timedelta(days=180)).posts != L.snapshot(led, start + dt.timedelta(days=365)).posts


@pytest.fixture
def big_site(tmp_path: Path) -> Path:
    """A site whose activity file makes ``influence update`` take a noticeable time."""
    rng = random.Random(3)
    posts = [
        {
            "id": f"p{i}",
            "source": "mastodon",
            "title": f"Post {i}",
            "published": (dt.date(2020, 1, 1) + dt.timedelta(days=i)).isoformat(),
            "text": " ".join(rng.choice(WORDS) for _ in range(200)),
            "metrics": {"replies": rng.randint(0, 9)},
        }
        for i in range(1500)
    ]
    config = write_site(
        tmp_path,
        {
            "mkdocs.yml": "site_name: Big\nplugins:\n  - influence:\n      sources: [{file: activity.json}]\n",
            "docs/index.md": "# Big\n",
            "activity.json": json.dumps({"posts": posts}),
        },
    )
    influence("update", "-f", str(config), "--as-of", "2026-01-01")
    for p in posts[:700]:
        p["metrics"]["replies"] += 1  # the next run has a lot to write
    (tmp_path / "activity.json").write_text(json.dumps({"posts": posts}))
    return config


@pytest.mark.slow
def test_sigkill_at_50_moments_leaves_a_valid_store(big_site: Path) -> None:
    folder = big_site.parent / "influence-data"
    before = (folder / "ledger.jsonl").read_bytes()
    cmd = [sys.executable, "-m", "mkdocs_influence", "update", "-f", str(big_site), "--as-of", "2026-01-02", "-q"]
    started = time.monotonic()
    subprocess.run(cmd, check=True, env=mkdocs_env(), cwd=big_site.parent)
    duration = time.monotonic() - started
    after = (folder / "ledger.jsonl").read_bytes()
    assert after != before
    outcomes = {"old": 0, "new": 0}
    for n in range(50):
        (folder / "ledger.jsonl").write_bytes(before)
        proc = subprocess.Popen(cmd, env=mkdocs_env(), cwd=big_site.parent)
        time.sleep(duration * n / 50)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = (folder / "ledger.jsonl").read_bytes()
        L.load(folder)  # always loads
        assert data in (before, after)
        outcomes["new" if data == after else "old"] += 1
        with locked(folder):  # a killed process never leaves the lock held
            pass
    assert outcomes["old"] > 0
    leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) <= 50  # temp files of killed runs are harmless; the store is intact


def test_concurrent_update_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    config = write_site(
        tmp_path,
        {"mkdocs.yml": "site_name: X\nplugins:\n  - influence\n", "docs/blog/posts/a.md": "---\ndate: 2026-01-01\n---\n# A\n"},
    )
    with locked(tmp_path / "influence-data"):
        result = CliRunner().invoke(main, ["update", "-f", str(config)])
    assert result.exit_code == 1 and "is being updated by another process" in result.output


def test_doctor_finds_and_repairs_only_the_bad_line(example_site: Path) -> None:
    config = example_site / "mkdocs.yml"
    path = example_site / "influence-data" / "ledger.jsonl"
    lines = path.read_text().splitlines()
    lines.insert(5, '{"kind":"metrics","source":"mastodon","id":"x","observed":"2026-11-20","shares":3}')
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(LedgerError, match=r"ledger.jsonl line 6: metrics must be known names"):
        L.load(path.parent)
    result = CliRunner().invoke(main, ["doctor", "-f", str(config)])
    assert result.exit_code == 1 and "line 6" in result.output and "--repair" in result.output
    result = CliRunner().invoke(main, ["doctor", "-f", str(config), "--repair"])
    assert result.exit_code == 0 and "ledger.jsonl.bak1" in result.output
    assert (path.parent / "ledger.jsonl.bak1").read_text().splitlines()[5].endswith('"shares":3}')
    repaired = L.load(path.parent)
    assert len(repaired.records) == len(lines) - 2  # everything but the header and the bad line
    assert CliRunner().invoke(main, ["doctor", "-f", str(config)]).exit_code == 0


def test_same_store_same_date_gives_identical_bundles(example_site: Path, tmp_path: Path) -> None:
    config = str(example_site / "mkdocs.yml")
    env = {**mkdocs_env(), "SOURCE_DATE_EPOCH": "1763596800"}  # 2025-11-20
    outs = []
    for n in range(2):
        out = tmp_path / f"bundle{n}"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "mkdocs_influence",
                "update",
                "-f",
                config,
                "--offline",
                "--as-of",
                "2026-11-20",
                "--bundle",
                str(out),
                "-q",
            ],
            check=True,
            env=env,
        )
        outs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outs[0] == outs[1] and len(outs[0]) >= 12


def test_source_date_epoch_is_the_default_date(tmp_path: Path) -> None:
    config = write_site(
        tmp_path,
        {"mkdocs.yml": "site_name: X\nplugins:\n  - influence\n", "docs/blog/posts/a.md": "---\ndate: 2020-01-01\n---\n# A\n"},
    )
    env = {**mkdocs_env(), "SOURCE_DATE_EPOCH": "1700000000"}  # 2023-11-14
    subprocess.run([sys.executable, "-m", "mkdocs_influence", "update", "-f", str(config), "-q"], check=True, env=env)
    assert '"observed":"2023-11-14"' in (tmp_path / "influence-data" / "ledger.jsonl").read_text()


# --- influence init and the recipe --------------------------------------------------

# init itself and the recipe it writes: tests/test_init.py


@pytest.mark.slow
def test_workflow_commands_in_a_clone(tmp_path: Path) -> None:
    """Run the recipe's own shell steps (not GitHub) twice in a git clone of the example."""
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("site", ".cache", ".lock"))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    for cmd in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        ["commit", "-qm", "start"],
        ["remote", "add", "origin", str(remote)],
        ["push", "-q", "-u", "origin", "main"],
    ):
        subprocess.run(git + cmd, cwd=site, check=True)
    workflow = yaml.safe_load((site / ".github/workflows/influence.yml").read_text())
    steps = [
        s["run"] for s in workflow["jobs"]["update-and-deploy"]["steps"] if "run" in s and not s["run"].startswith("pip install")
    ]
    env = {
        **mkdocs_env(),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "GIT_AUTHOR_DATE": "2026-11-22T00:00:00Z",
    }
    heads = []
    for day in ("1795132800", "1795219200"):  # two scheduled runs on two days (SOURCE_DATE_EPOCH)
        for step in steps:
            subprocess.run(["bash", "-ec", step], cwd=site, check=True, env={**env, "SOURCE_DATE_EPOCH": day})
        heads.append(subprocess.run(["git", "rev-parse", "HEAD"], cwd=site, capture_output=True, text=True, check=True).stdout)
    assert heads[0] == heads[1]  # nothing new on the second day: nothing committed
    assert (site / "site" / "influence" / "index.html").is_file()
    assert "Traceback" not in (site / "site" / "influence" / "index.html").read_text()


def test_mkdocs_build_does_not_touch_the_data_folder(example_site: Path) -> None:
    before = {p.name: p.read_bytes() for p in (example_site / "influence-data").iterdir()}
    mkdocs_build(example_site / "mkdocs.yml")
    after = {p.name: p.read_bytes() for p in (example_site / "influence-data").iterdir()}
    assert before == after


def test_the_committed_example_data_is_current(example_site: Path) -> None:
    """The README's demo (an offline update on a later day) changes no committed file."""
    ledger = example_site / "influence-data" / "ledger.jsonl"
    before = ledger.read_bytes()
    result = CliRunner().invoke(main, ["update", "-f", str(example_site / "mkdocs.yml"), "--offline", "--as-of", "2026-12-01"])
    assert result.exit_code == 0 and "ledger unchanged" in result.output
    assert ledger.read_bytes() == before


def test_data_folder_gitignore_keeps_backups_out_and_the_users_lines(tmp_path: Path) -> None:
    folder = tmp_path / "influence-data"
    folder.mkdir()
    (folder / ".gitignore").write_text("my-notes.txt")  # an older version's file, or the user's own
    with locked(folder):
        pass
    lines = (folder / ".gitignore").read_text().splitlines()
    assert lines[0] == "my-notes.txt" and set(GIT_IGNORED) <= set(lines)
    assert any(fnmatch.fnmatch("ledger.jsonl.bak12", p) for p in GIT_IGNORED)
    before = (folder / ".gitignore").read_bytes()
    with locked(folder):
        pass
    assert (folder / ".gitignore").read_bytes() == before  # idempotent


def test_a_no_change_update_writes_nothing_but_tidies_a_file_that_needs_it(example_site: Path) -> None:
    """Nothing new recorded: the ledger file is left as it is (no rewrite of thousands of lines),
    unless loading had to tidy it (lines out of order after a merge, a value the model cannot use):
    then it is written back tidied, as before."""
    ledger = example_site / "influence-data" / "ledger.jsonl"
    args = ["update", "-f", str(example_site / "mkdocs.yml"), "--offline", "--as-of", "2026-12-01"]
    written = ledger.stat().st_mtime_ns
    assert "ledger unchanged" in CliRunner().invoke(main, args).output and ledger.stat().st_mtime_ns == written
    header, *lines = ledger.read_text("utf-8").splitlines()
    tidy = ledger.read_bytes()
    ledger.write_text("\n".join([header, *reversed(lines)]) + "\n", "utf-8")  # a merge left the lines out of order
    assert "ledger updated" in CliRunner().invoke(main, args).output
    assert ledger.read_bytes() == tidy
