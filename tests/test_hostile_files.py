"""Files that used to hang a command or corrupt a catalog, through the real command line.

Named pipes and devices, file names with line breaks or bytes that are not
UTF-8, names that start with a dot, old Mac line ends, byte-order marks with
``--encoding``, invisible-only files, UTF-16 without a byte-order mark,
workspace folders that hide each other, a corrupt template and duplicate
msgids in a translator's catalog.
"""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from conftest import ROOT, msgfmt_check

from translate.cli import cli

BODY = "The ministry said on Monday that rice prices would rise. Farmers in Kampot welcomed the news.\n"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def run_process(workdir: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own: a hang fails the test instead of stopping the run."""
    return subprocess.run(
        [sys.executable, "-m", "translate", *args], cwd=workdir, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def error_lines(output: str) -> list[str]:
    lines = [line for line in output.splitlines() if line.startswith(("error:", "Error:"))]
    assert "Traceback" not in output, output
    return lines


def one_error(output: str, *words: str) -> str:
    lines = error_lines(output)
    assert len(lines) == 1, output
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# -- files that are not regular files ------------------------------------------------


@pytest.mark.parametrize("command", ["extract", "publish"])
def test_a_named_pipe_is_refused_without_being_opened(workdir: Path, command: str) -> None:
    os.mkfifo(workdir / "pipe.md")
    (workdir / "good.txt").write_text("Good title\n\n" + BODY, encoding="utf-8")
    run("extract", "good.txt", "--to", "km")
    proc = run_process(workdir, command, "pipe.md", "good.txt", "--to", "km", timeout=60)
    assert proc.returncode == 1, proc.stderr
    one_error(proc.stderr, "pipe.md: is not a regular file (a FIFO)", "(pass the article file itself")
    assert "good.txt" in proc.stdout  # the batch went on


def test_a_link_to_a_device_is_refused(workdir: Path) -> None:
    (workdir / "zero.txt").symlink_to("/dev/zero")
    (workdir / "folder.md").mkdir()
    proc = run_process(workdir, "extract", "zero.txt", "folder.md", "--to", "km", timeout=60)
    assert proc.returncode == 1
    lines = error_lines(proc.stderr)
    assert lines == [
        "error: zero.txt: is not a regular file (a character device) (pass the article file itself: named pipes, devices and sockets are not read)",
        "error: folder.md: is a folder, not an article (pass article files, e.g. articles/*.md)",
    ]


# -- file names --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown", "words"),
    [
        (b"a\nb.txt", "a\\nb.txt", "a line break or control character"),
        (b"c\rd.txt", "c\\rd.txt", "a line break or control character"),
        (b"tab\tname.txt", "tab\\tname.txt", "a line break or control character"),
        (b"caf\xe9.txt", "caf\\xe9.txt", "a byte that is not UTF-8"),
    ],
    ids=["newline", "carriage-return", "tab", "latin-1-byte"],
)
def test_names_that_cannot_name_a_catalog_are_refused_on_one_line(workdir: Path, name: bytes, shown: str, words: str) -> None:
    Path(os.fsdecode(workdir / os.fsdecode(name))).write_text("Title\n\n" + BODY, encoding="utf-8")
    proc = run_process(workdir, "extract", os.fsdecode(name), "--to", "km")
    assert proc.returncode == 1
    line = one_error(proc.stderr, f"error: {shown}: has {words} in its name", "(rename it")
    assert "\n" not in line and "\r" not in line
    assert not (workdir / "locales").exists()


def test_references_escape_what_a_reference_line_cannot_hold(workdir: Path) -> None:
    folders = ["with\nnewline", "with space", "caf\udce9", "100%"]
    for folder in folders:
        (workdir / folder).mkdir()
    (workdir / folders[0] / "one.txt").write_text("One\n\n" + BODY, encoding="utf-8")
    (workdir / folders[1] / "two.txt").write_text("Two\n\n" + BODY, encoding="utf-8")
    (workdir / folders[2] / "three.txt").write_text("Three\n\n" + BODY, encoding="utf-8")
    (workdir / folders[3] / "four.txt").write_text("Four\n\n" + BODY, encoding="utf-8")
    paths = [f"{folders[0]}/one.txt", f"{folders[1]}/two.txt", f"{folders[2]}/three.txt", f"{folders[3]}/four.txt"]
    result = run("extract", *paths, "--to", "km")
    assert result.exit_code == 0, result.output
    expected = {"one": "with%0Anewline/one.txt", "two": "with%20space/two.txt", "three": "caf%E9/three.txt", "four": "100%25/four.txt"}
    for slug, reference in expected.items():
        for catalog in (workdir / "locales" / "templates" / f"{slug}.pot", workdir / "locales" / "km" / "LC_MESSAGES" / f"{slug}.po"):
            msgfmt_check(catalog)
            entries = polib.pofile(str(catalog))
            assert [occurrence for entry in entries for occurrence in entry.occurrences] == [(reference, "1"), (reference, "3"), (reference, "3")]
            assert f"#: {reference}:1\n" in catalog.read_text(encoding="utf-8")
    before = {path: path.read_bytes() for path in (workdir / "locales").rglob("*.po*")}
    again = run("extract", *paths, "--to", "km")
    assert again.exit_code == 0 and "unchanged" in again.output
    assert {path: path.read_bytes() for path in (workdir / "locales").rglob("*.po*")} == before  # references read back as written


@pytest.mark.parametrize("name", [".md", "..md", ".draft.md"])
def test_a_name_starting_with_a_dot_has_no_slug(workdir: Path, name: str) -> None:
    (workdir / name).write_text("# Title\n\n" + BODY, encoding="utf-8")
    commands = (["extract", name, "--to", "km"], ["extract", name, "--format", "markdown", "--to", "km"], ["publish", name, "--to", "km"], ["check", name])
    for command in commands:
        result = run(*command)
        assert result.exit_code == 1
        one_error(result.output, f"{name}: has nothing before its first dot to name its catalogs", "rename it, e.g. to story.md")
    assert not (workdir / "locales").exists()


def test_a_workspace_reports_an_article_without_a_slug(workdir: Path) -> None:
    (workdir / "translate.toml").write_text('[workspace]\nlanguages = ["km"]\nengine = "fake"\n', encoding="utf-8")
    (workdir / "articles").mkdir()
    (workdir / "articles" / "story.md").write_text("# Story\n\n" + BODY, encoding="utf-8")
    (workdir / "articles" / ".md").write_text("# Hidden\n\n" + BODY, encoding="utf-8")
    result = run("sync")
    assert result.exit_code == 1
    assert "articles/.md: has nothing before its first dot to name its catalogs" in result.output
    assert (workdir / "out" / "story.km.md").exists()
    assert sorted(p.name for p in (workdir / "locales" / "templates").iterdir()) == ["story.pot"]


# -- line ends, byte-order marks, invisible text, UTF-16 -------------------------------------


def test_old_mac_line_ends_separate_blocks_and_publish_byte_for_byte(workdir: Path) -> None:
    source = "---\rtitle: A CR-only article\rdate: 2026-11-26\r---\r\r# The heading\r\rFirst sentence here. Second one.\r\r- An item\r"
    (workdir / "mac.md").write_bytes(source.encode("utf-8"))
    assert run("extract", "mac.md", "--to", "km").exit_code == 0
    template = workdir / "locales" / "templates" / "mac.pot"
    msgfmt_check(template)
    assert [(e.msgctxt, e.msgid) for e in polib.pofile(str(template))] == [
        ("title", "A CR-only article"),
        (None, "The heading"),
        (None, "First sentence here."),
        (None, "Second one."),
        (None, "An item"),
    ]
    catalog = workdir / "locales" / "km" / "LC_MESSAGES" / "mac.po"
    po = polib.pofile(str(catalog))
    for entry in po:
        entry.msgstr = entry.msgid
    po.save()
    assert run("publish", "mac.md", "--to", "km").exit_code == 0
    published = (workdir / "out" / "mac.km.md").read_bytes()
    assert published == source.replace("---\r\r#", "lang: km\r---\r\r#").encode("utf-8")
    assert b"\n" not in published


def test_byte_order_mark_is_recognised_with_an_explicit_utf8_encoding(workdir: Path) -> None:
    source = codecs.BOM_UTF8 + "---\ntitle: With a mark\n---\n\nBody sentence.\n".encode("utf-8")
    (workdir / "bom.md").write_bytes(source)
    assert run("extract", "bom.md", "--to", "km", "--encoding", "utf-8").exit_code == 0
    entries = polib.pofile(str(workdir / "locales" / "templates" / "bom.pot"))
    assert [(e.msgctxt, e.msgid) for e in entries] == [("title", "With a mark"), (None, "Body sentence.")]
    assert run("publish", "bom.md", "--to", "km", "--encoding", "utf-8").exit_code == 0
    assert (workdir / "out" / "bom.km.md").read_bytes() == source.replace(b"---\n\nBody", b"lang: km\n---\n\nBody")


@pytest.mark.parametrize(
    "text",
    ["\u200b", "\ufeff", "\ufeff\u200b\u200b\n", " \u200b\u2060\u200d\n\t\u00a0\u3000", "\ufeff\ufeff"],
    ids=["zwsp", "bom", "bom-zwsp", "mixed", "two-boms"],
)
def test_a_file_of_invisible_characters_is_empty(workdir: Path, text: str) -> None:
    (workdir / "blank.md").write_bytes(text.encode("utf-8"))
    result = run("extract", "blank.md", "--to", "km")
    assert result.exit_code == 1
    one_error(result.output, "blank.md: is empty: there is nothing to translate")
    assert not (workdir / "locales").exists()


def test_a_sentence_of_invisible_characters_is_not_a_msgid(workdir: Path) -> None:
    (workdir / "gap.txt").write_text("Title\n\n\u200b\u200b\n\n" + BODY, encoding="utf-8")
    assert run("extract", "gap.txt", "--to", "km").exit_code == 0
    msgids = [e.msgid for e in polib.pofile(str(workdir / "locales" / "templates" / "gap.pot"))]
    assert msgids == ["Title", "The ministry said on Monday that rice prices would rise.", "Farmers in Kampot welcomed the news."]
    assert run("publish", "gap.txt", "--to", "km").exit_code == 0
    assert (workdir / "out" / "gap.km.txt").read_bytes() == (workdir / "gap.txt").read_bytes()


@pytest.mark.parametrize(("codec", "iconv"), [("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE"), ("utf-32-le", "UTF-32LE")])
def test_utf16_without_a_byte_order_mark_is_named(workdir: Path, codec: str, iconv: str) -> None:
    source = ("Rain expected\n\n" + BODY + "Caf\u00e9 owners \u201cwelcomed\u201d it.\n").encode(codec)
    (workdir / "rain.txt").write_bytes(source)
    result = run("extract", "rain.txt", "--to", "km")
    assert result.exit_code == 1
    one_error(result.output, f"rain.txt:1: looks like {iconv[:6]} text without a byte-order mark", f"pass --encoding {codec}", f"iconv -f {iconv} -t UTF-8")
    assert run("extract", "rain.txt", "--to", "km", "--encoding", codec).exit_code == 0
    assert run("publish", "rain.txt", "--to", "km", "--encoding", codec).exit_code == 0
    assert (workdir / "out" / "rain.km.txt").read_bytes() == source


def test_binary_data_is_still_called_binary(workdir: Path) -> None:
    (workdir / "photo.txt").write_bytes(bytes(range(256)) * 8)
    one_error(run("extract", "photo.txt").output, "photo.txt", "is a binary file")


# -- workspace folders ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('output = "."', "[workspace] output = '.' holds the folder of the articles ('articles/**/*.md'), so every article would be skipped"),
        ('output = "articles"', "[workspace] output = 'articles' is the folder of the articles ('articles/**/*.md'), so every article would be skipped"),
        ('locales = "articles"', "[workspace] locales = 'articles' is the folder of the articles ('articles/**/*.md'), so every article would be skipped"),
        ('locales = "./articles/"', "[workspace] locales = 'articles' is the folder of the articles ('articles/**/*.md'), so every article would be skipped"),
        ('output = "locales"', "[workspace] output = 'locales' is also the locales folder"),
        ('output = "locales/published"', "[workspace] output = 'locales/published' is inside the locales folder 'locales'"),
        ('locales = "out/catalogs"', "[workspace] locales = 'out/catalogs' is inside the output folder 'out'"),
    ],
)
def test_overlapping_workspace_folders_are_refused(workdir: Path, setting: str, message: str) -> None:
    (workdir / "translate.toml").write_text(f'[workspace]\nlanguages = ["km"]\nengine = "fake"\n\n{setting}  # here\n', encoding="utf-8")
    (workdir / "articles").mkdir()
    (workdir / "articles" / "story.md").write_text("# Story\n\n" + BODY, encoding="utf-8")
    for command in ("sync", "status"):
        result = run(command)
        assert result.exit_code == 2, result.output
        config = (workdir / "translate.toml").resolve()
        one_error(result.output, f"{config}:5: {message}", "(give ")
    assert not (workdir / "locales").exists() or not any((workdir / "locales").rglob("*.po"))


def test_an_output_folder_given_on_the_command_line_is_named_as_such(workdir: Path) -> None:
    (workdir / "translate.toml").write_text('[workspace]\nlanguages = ["km"]\nengine = "fake"\noutput = "out"\n', encoding="utf-8")
    (workdir / "articles").mkdir()
    (workdir / "articles" / "story.md").write_text("# Story\n\n" + BODY, encoding="utf-8")
    result = run("sync", "--output", "articles")
    assert result.exit_code == 2
    one_error(result.output, "translate.toml: output folder 'articles' is the folder of the articles")
    assert run("sync").exit_code == 0  # the file's own folders are fine; a source folder may hold them, too
    assert (workdir / "out" / "story.km.md").exists()


# -- catalogs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    ['msgid "unterminated\n', "<<<<<<< HEAD\nmsgid \"x\"\n=======\n", "\xff\xfe not utf-8"],
    ids=["unterminated", "conflict-markers", "not-utf8"],
)
def test_a_corrupt_template_is_made_again_from_the_article(workdir: Path, damage: str) -> None:
    (workdir / "story.txt").write_text("Story\n\n" + BODY, encoding="utf-8")
    assert run("extract", "story.txt", "--to", "km").exit_code == 0
    template = workdir / "locales" / "templates" / "story.pot"
    good = template.read_bytes()
    template.write_bytes(good + damage.encode("latin-1"))
    proc = run_process(workdir, "extract", "story.txt", "--to", "km")
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "template is made again" in line]
    assert len(warnings) == 1 and "locales/templates/story.pot" in warnings[0], proc.stderr
    assert template.read_bytes() == good
    msgfmt_check(template)


def test_a_corrupt_catalog_is_reported_and_left_alone(workdir: Path) -> None:
    (workdir / "story.txt").write_text("Story\n\n" + BODY, encoding="utf-8")
    assert run("extract", "story.txt", "--to", "km").exit_code == 0
    catalog = workdir / "locales" / "km" / "LC_MESSAGES" / "story.po"
    broken = catalog.read_bytes() + b'\nmsgid "Story"\nmsgstr "unterminated\n'
    catalog.write_bytes(broken)
    result = run("extract", "story.txt", "--to", "km")
    assert result.exit_code == 1
    one_error(result.output, "story.po", "no closing quote")
    assert catalog.read_bytes() == broken


def test_duplicate_msgids_in_a_catalog_are_reported_with_both_lines(workdir: Path) -> None:
    (workdir / "story.txt").write_text("Story\n\n" + BODY, encoding="utf-8")
    assert run("extract", "story.txt", "--to", "km").exit_code == 0
    catalog = workdir / "locales" / "km" / "LC_MESSAGES" / "story.po"
    po = polib.pofile(str(catalog))
    po.find("Story").msgstr = "រឿង"
    po.save()
    text = catalog.read_text(encoding="utf-8")
    edited = text + '\n#. a translator pasted it again\nmsgid "Story"\nmsgstr "រឿងរ៉ាវ"\n'
    catalog.write_text(edited, encoding="utf-8")
    lines = edited.split("\n")
    first, second = (number for number, line in enumerate(lines, start=1) if line == 'msgid "Story"')
    proc = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(catalog)], capture_output=True, text=True)
    assert proc.returncode != 0 and "duplicate message definition" in proc.stderr  # msgfmt refuses it too
    for command in (["extract", "story.txt", "--to", "km"], ["publish", "story.txt", "--to", "km"]):
        result = run(*command)
        assert result.exit_code == 1
        one_error(result.output, f"story.po:{second}: has the msgid 'Story' twice, at lines {first} and {second}", "(merge the two entries into one")
    assert catalog.read_text(encoding="utf-8") == edited  # both translations are still there
    assert not (workdir / "out" / "story.km.txt").exists()


def test_the_same_msgid_in_another_context_or_obsolete_is_not_a_duplicate(workdir: Path) -> None:
    (workdir / "story.md").write_text("---\ntitle: Story\n---\n\n# Story\n\n" + BODY, encoding="utf-8")
    assert run("extract", "story.md", "--to", "km").exit_code == 0
    catalog = workdir / "locales" / "km" / "LC_MESSAGES" / "story.po"
    assert [(e.msgctxt, e.msgid) for e in polib.pofile(str(catalog))][:2] == [("title", "Story"), (None, "Story")]
    catalog.write_text(catalog.read_text(encoding="utf-8") + '\n#~ msgid "Story"\n#~ msgstr "old"\n', encoding="utf-8")
    assert run("publish", "story.md", "--to", "km").exit_code == 0


# -- a long translation ------------------------------------------------------------------


def test_check_reads_a_megabyte_translation_without_spaces(workdir: Path) -> None:
    catalog = workdir / "locales" / "km" / "LC_MESSAGES" / "long.po"
    catalog.parent.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "km"}
    for msgid, msgstr in (("a" * 500_000, "b" * 1_000_000), ("_x" * 200_000, "{{" * 300_000), ("One sentence.", "](" * 300_000)):
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    po.save(str(catalog))
    # Each check of these took from minutes to hours when a pattern backtracked.
    proc = run_process(workdir, "check", "--to", "km", timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "long.po" in proc.stdout and "Traceback" not in proc.stderr
