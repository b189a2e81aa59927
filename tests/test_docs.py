"""The README documents every command and option, and its setup commands stay true."""

from __future__ import annotations

import re
from pathlib import Path

import click
from click.testing import CliRunner
import pytest

from factx.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_documented(name):
    assert f"factx {name}" in README
    assert cli.commands[name].help


@pytest.mark.parametrize("name, opt", [
    (name, opt)
    for name, cmd in sorted(cli.commands.items())
    for param in cmd.params if isinstance(param, click.Option)
    for opt in param.opts if opt.startswith("--") and opt != "--help"
])
def test_option_documented(name, opt):
    assert re.search(re.escape(opt) + r"\b", README), f"{name} {opt} is not in README.md"


def test_setup_commands():
    assert "pip install . && factx extract samples/" in README
    marker = README.index("<!-- ci: test command -->")
    block = README[marker:marker + 400]
    assert "pip install -e '.[test,dask]'" in block and "pytest" in block
    sample = re.search(r"factx extract (samples/\S+)", README).group(1)
    assert (Path(__file__).resolve().parents[1] / sample).is_file()


def test_event_types_page_is_current():
    page = (Path(__file__).resolve().parents[1] / "docs" / "event-types.md").read_text(encoding="utf-8")
    table = CliRunner().invoke(cli, ["types"]).stdout
    assert table.startswith("| type | family |") and page.endswith(table), "run: python scripts/build_types_page.py"
