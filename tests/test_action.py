"""The reusable GitHub Action and its GitLab twin: valid against their schemas (shipped by
check-jsonschema, offline), the examples in docs/ci.md too, and the commit step run for real."""

from __future__ import annotations

import json
import re
import subprocess
from importlib.resources import files
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

jsonschema = pytest.importorskip("jsonschema")
pytest.importorskip("check_jsonschema")

ACTION = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
GITLAB = ROOT / "templates" / "ci" / "influence.gitlab-ci.yml"


def _schema(name: str) -> dict:
    return json.loads((files("check_jsonschema") / "builtin_schemas" / "vendor" / name).read_text("utf-8"))


def _doc_blocks() -> list[dict]:
    text = (ROOT / "docs" / "ci.md").read_text("utf-8").split("## Any generator", 1)[1].split("\n## ", 1)[0]
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def test_action_is_valid_against_the_actions_schema() -> None:
    jsonschema.validate(ACTION, _schema("github-actions.json"))
    assert ACTION["runs"]["using"] == "composite"


def test_inputs_reach_scripts_only_through_the_environment() -> None:
    """``${{ inputs.x }}`` pasted into ``run:`` would let a value inject shell commands."""
    steps = ACTION["runs"]["steps"]
    used = set()
    for step in steps:
        assert "${{" not in step.get("run", ""), step.get("name")
        used |= set(re.findall(r"inputs\.([\w-]+)", json.dumps(step)))
    assert used == set(ACTION["inputs"])  # every input does something, none is undeclared


def test_doc_examples_are_valid_workflows_and_gitlab_config() -> None:
    blocks = _doc_blocks()
    flows = [b for b in blocks if "jobs" in b]
    assert len(flows) == 2
    for flow in flows:
        flow["on"] = flow.pop(True)  # YAML 1.1 reads the key `on` as true
        jsonschema.validate(flow, _schema("github-workflows.json"))
        uses = [s["uses"] for job in flow["jobs"].values() for s in job["steps"] if "uses" in s]
        assert "OWNER/mkdocs-influence@v1" in uses
    gitlab = yaml.safe_load(GITLAB.read_text("utf-8"))
    jsonschema.validate(gitlab, _schema("gitlab-ci.json"))
    caller = next(b for b in blocks if "include" in b)
    jsonschema.validate(caller, _schema("gitlab-ci.json"))
    assert caller["influence"]["extends"] == ".influence" and ".influence" in gitlab


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def test_commit_step_commits_only_a_changed_data_folder_and_pushes(tmp_path: Path) -> None:
    script = next(s for s in ACTION["runs"]["steps"] if s.get("name") == "Commit the data folder if it changed")["run"]
    remote, work = tmp_path / "remote.git", tmp_path / "work"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    _git(tmp_path, "clone", "-q", str(remote), str(work))
    (work / "influence-data").mkdir()
    (work / "influence-data" / "ledger.jsonl").write_text("{}\n", "utf-8")
    (work / "other.txt").write_text("not ours\n", "utf-8")
    env = {"DATA_DIR": "influence-data", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def run() -> None:
        subprocess.run(["bash", "-e", "-c", script], cwd=work, env=env, check=True, capture_output=True, text=True)

    _git(work, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", "start")
    _git(work, "push", "-q", "origin", "HEAD:main")
    _git(work, "branch", "-q", "--set-upstream-to=origin/main")
    run()
    assert _git(remote, "log", "--format=%s", "-1") == "influence: record activity (influence-data)\n"
    assert _git(remote, "show", "--name-only", "--format=", "HEAD") == "influence-data/ledger.jsonl\n"  # only the data folder
    run()  # nothing changed: no new commit
    assert _git(remote, "rev-list", "--count", "HEAD") == "2\n"
