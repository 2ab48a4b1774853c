"""``influence init --ci github`` deploys the way actions/deploy-pages requires.

The rules checked are the ones deploy-pages and GitHub Pages document: the deploying job
runs in the ``github-pages`` environment (deploy-pages refuses to run elsewhere), the
workflow may write Pages and mint an OIDC token, the artifact is uploaded before the
deploy, and deployments share the ``pages`` concurrency group (the one GitHub's own Pages
workflows use), so this workflow queues behind the site's existing deployment instead of
racing it. The YAML is also validated against the GitHub workflow JSON schema that
check-jsonschema ships (offline).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mkdocs_influence.shells.cli import main

CONFIGS = {
    "default": "site_name: X\ntheme: {name: material}\nplugins: [search, blog]\n",
    "site_dir": "site_name: X\nsite_dir: public\ntheme: {name: material}\nplugins: [search, {blog: {blog_dir: .}}]\n",
}


def _workflow(tmp_path: Path, config: str) -> tuple[Path, dict]:
    (tmp_path / "mkdocs.yml").write_text(config)
    result = CliRunner().invoke(main, ["init", "-f", str(tmp_path / "mkdocs.yml"), "--ci", "github"])
    assert result.exit_code == 0, result.output
    path = tmp_path / ".github/workflows/influence.yml"
    return path, yaml.safe_load(path.read_text())


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_github_workflow_meets_deploy_pages_rules(tmp_path: Path, name: str) -> None:
    _, flow = _workflow(tmp_path, CONFIGS[name])
    assert flow["permissions"]["pages"] == "write" and flow["permissions"]["id-token"] == "write"
    assert flow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    deploying = {n: j for n, j in flow["jobs"].items() if any("deploy-pages@" in s.get("uses", "") for s in j["steps"])}
    assert len(deploying) == 1
    for job in deploying.values():
        uses = [s.get("uses", "").split("@")[0] for s in job["steps"]]
        deploy = job["steps"][uses.index("actions/deploy-pages")]
        upload = job["steps"][uses.index("actions/upload-pages-artifact")]
        assert uses.index("actions/upload-pages-artifact") < uses.index("actions/deploy-pages")
        page_url = "${{ steps." + deploy["id"] + ".outputs.page_url }}"
        assert job["environment"] == {"name": "github-pages", "url": page_url}
        assert upload["with"]["path"] == ("public" if name == "site_dir" else "site")


def test_github_workflow_is_valid_against_the_workflow_schema(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("check_jsonschema")
    from importlib.resources import files

    schema = json.loads((files("check_jsonschema") / "builtin_schemas" / "vendor" / "github-workflows.json").read_text())
    for name, config in CONFIGS.items():
        (tmp_path / name).mkdir()
        _, flow = _workflow(tmp_path / name, config)
        flow["on"] = flow.pop(True)  # YAML 1.1 reads the key `on` as true; GitHub reads it as "on"
        jsonschema.validate(flow, schema)


def test_example_site_workflow_is_the_recipe() -> None:
    from conftest import EXAMPLE

    flow = yaml.safe_load((EXAMPLE / ".github/workflows/influence.yml").read_text())
    assert flow["concurrency"]["group"] == "pages"
    assert flow["jobs"]["update-and-deploy"]["environment"]["name"] == "github-pages"
