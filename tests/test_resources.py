from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from archdraft.errors import ResourceError
from archdraft.resources import prompts_dir, resource_dir, templates_dir

CHECKOUT = Path(__file__).resolve().parent.parent


def test_editable_checkout_finds_the_top_level_folders() -> None:
    assert prompts_dir() == CHECKOUT / "prompts"
    assert templates_dir() == CHECKOUT / "templates"


def test_wheel_layout_is_preferred(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "archdraft"
    (package / "_data" / "prompts").mkdir(parents=True)
    assert resource_dir("prompts", package) == package / "_data" / "prompts"


def test_missing_resources_say_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ResourceError, match="reinstall archdraft"):
        resource_dir("prompts", tmp_path / "lib" / "archdraft")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_wheel_carries_prompts_and_templates(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(tmp_path),
            str(CHECKOUT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("archdraft-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for prompt in (CHECKOUT / "prompts").glob("*.j2"):
        assert f"archdraft/_data/prompts/{prompt.name}" in names
    assert "archdraft/_data/templates/backend.md" in names
    assert "archdraft/cli.py" in names
