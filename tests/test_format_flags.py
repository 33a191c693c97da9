"""Sentences that format-guessing tools could take for format strings say they are not."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest

from translate.catalog.merge import merge
from translate.catalog.template import format_flags


@pytest.mark.parametrize(
    ("msgid", "flags"),
    [
        ("The hotel reported 60% occupancy in March.", ["no-c-format", "no-python-format"]),
        ("Almost 100% of {0} members voted.", ["no-c-format", "no-python-format", "no-python-brace-format"]),
        ("Growth was 5%.", []),
        ("It rose 10%, then fell.", []),
        ("A plain sentence.", []),
        ("{{< figure src=\"a.jpg\" >}} caption", []),
        ("Prices up 3% d", ["no-c-format", "no-python-format"]),
    ],
    ids=["percent-o", "brace", "end", "comma", "plain", "shortcode", "percent-d"],
)
def test_format_flags(msgid: str, flags: list[str]) -> None:
    assert format_flags(msgid) == flags


def test_msgfmt_checks_no_format_on_a_reviewed_percent_sentence(tmp_path: Path) -> None:
    """As msgmerge does, the format flags come from the template: a python-format that pybabel update guessed goes."""
    pot = polib.POFile()
    pot.append(polib.POEntry(msgid="The hotel reported 60% occupancy in March.", msgstr="", flags=format_flags("The hotel reported 60% occupancy in March.")))
    old = polib.POFile()
    old.append(polib.POEntry(msgid="The hotel reported 60% occupancy in March.", msgstr="សណ្ឋាគារ ៦០% ក្នុង​ខែ​មីនា។", flags=["no-c-format", "no-python-format", "python-format", "no-wrap"]))
    merged, _ = merge(old, pot)
    [entry] = merged
    assert entry.flags == ["no-wrap", "no-c-format", "no-python-format"]  # the translator's no-wrap stays
    merged.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "km"}
    for flags, code in ((entry.flags, 0), (old[0].flags, 1)):
        entry.flags = flags
        path = tmp_path / "km.po"
        merged.save(str(path))
        assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True).returncode == code
