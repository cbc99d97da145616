from __future__ import annotations

from pathlib import Path

import pytest

from archdraft.config import Config, load_config
from archdraft.errors import ConfigError


def test_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path, {}) == Config()


def test_precedence_file_then_env_then_flags(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.archdraft]\ntemplate = "from-file"\nout = "file.md"\ndrop_empty = true\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path, {"ARCHDRAFT_OUT": "env.md"}, template="flag", out=None)
    assert (config.template, config.out, config.drop_empty) == ("flag", "env.md", True)


def test_archdraft_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.archdraft]\nout = "a.md"\n', encoding="utf-8")
    (tmp_path / "archdraft.toml").write_text('out = "b.md"\n', encoding="utf-8")
    assert load_config(tmp_path, {}).out == "b.md"


def test_unknown_setting_is_named(tmp_path: Path) -> None:
    (tmp_path / "archdraft.toml").write_text('outt = "x.md"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting 'outt'"):
        load_config(tmp_path, {})


def test_bad_values(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ARCHDRAFT_DROP_EMPTY"):
        load_config(tmp_path, {"ARCHDRAFT_DROP_EMPTY": "maybe"})
    assert load_config(tmp_path, {"ARCHDRAFT_DROP_EMPTY": "yes"}).drop_empty is True


def test_broken_pyproject_of_the_scanned_repo_is_not_our_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.archdraft\n", encoding="utf-8")
    assert load_config(tmp_path, {}) == Config()
