"""Bad input: each gives a one-line error naming the file (and line) and how to fix it."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.errors import InputError
from translate.load import load_article
from translate.textfile import decode, encode


def _run(workdir: Path, *args: str):
    return CliRunner().invoke(cli, ["--locales", str(workdir / "locales"), *args], catch_exceptions=False)


def _one_line_error(output: str, name: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, output
    assert name in lines[0], lines[0]
    assert "Traceback" not in output
    return lines[0]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.md", b"  \n\n \t\n", "is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("latin1.txt", "Caf\u00e9 owners protest.\n".encode("latin-1"), "not valid UTF-8"),
        ("utf16.txt", "Hello world.\n".encode("utf-16"), "UTF-16"),
        ("image.md", bytes(range(256)) * 4, "binary"),
    ],
    ids=lambda v: v if isinstance(v, str) and "." in v else None,
)
def test_unreadable_articles_are_clear_errors(workdir: Path, name: str, data: bytes, expected: str) -> None:
    (workdir / name).write_bytes(data)
    result = _run(workdir, "extract", name, "--to", "km")
    assert result.exit_code == 1
    line = _one_line_error(result.output, name)
    assert expected in line
    assert "(" in line and ")" in line  # a hint on how to fix it


def test_latin1_error_names_line_and_fix(workdir: Path) -> None:
    (workdir / "a.txt").write_bytes(b"Title\n\nFirst line.\nSecond caf\xe9 line.\n")
    line = _one_line_error(_run(workdir, "extract", "a.txt").output, "a.txt")
    assert "a.txt:4:" in line and "--encoding latin-1" in line


def test_encoding_option_reads_latin1_and_publishes_it_back(workdir: Path) -> None:
    source = "Caf\u00e9 owners protest\n\nThe caf\u00e9 closed on Monday. Owners were angry.\n".encode("latin-1")
    (workdir / "cafe.txt").write_bytes(source)
    assert _run(workdir, "extract", "cafe.txt", "--to", "km", "--encoding", "latin-1").exit_code == 0
    result = _run(workdir, "publish", "cafe.txt", "--to", "km", "--encoding", "latin-1")
    assert result.exit_code == 0, result.output
    assert (workdir / "out" / "cafe.km.txt").read_bytes() == source


def test_utf16_with_encoding_option(workdir: Path) -> None:
    source = "Rain expected\n\nIt will rain on Monday. Take an umbrella.\n".encode("utf-16")
    (workdir / "rain.txt").write_bytes(source)
    assert _run(workdir, "extract", "rain.txt", "--to", "km", "--encoding", "utf-16").exit_code == 0
    assert _run(workdir, "publish", "rain.txt", "--to", "km", "--encoding", "utf-16").exit_code == 0
    assert (workdir / "out" / "rain.km.txt").read_bytes() == source


def test_bom_and_crlf_survive_publishing(workdir: Path) -> None:
    source = codecs.BOM_UTF8 + b"Title line\r\n\r\nOne sentence here. Another one.\r\n"
    (workdir / "bom.txt").write_bytes(source)
    article = load_article(workdir / "bom.txt")
    assert article.bom and article.newline == "\r\n" and "\r" not in article.source
    assert [s.msgid for s in article.segments()] == ["Title line", "One sentence here.", "Another one."]
    assert encode(article.source, encoding=article.encoding, bom=article.bom, newline=article.newline) == source
    assert _run(workdir, "extract", "bom.txt", "--to", "km").exit_code == 0
    assert _run(workdir, "publish", "bom.txt", "--to", "km").exit_code == 0
    assert (workdir / "out" / "bom.km.txt").read_bytes() == source


def test_mixed_line_ends_are_kept(workdir: Path) -> None:
    decoded = decode(b"a\r\nb\nc\r\n", "x.txt")
    assert decoded.newline == "\n" and decoded.text == "a\r\nb\nc\r\n"


def test_one_megabyte_line_is_handled_quickly(workdir: Path) -> None:
    body = ("The minister said the plan, which covers roads and bridges in 12 provinces, would cost $3.5 million " * 11000)[:1_000_000]
    (workdir / "long.txt").write_text("Long line\n\n" + body + ".\n", encoding="utf-8")
    started = time.perf_counter()
    article = load_article(workdir / "long.txt")
    elapsed = time.perf_counter() - started
    assert len(list(article.segments())) == 2
    assert elapsed < 60  # a regex blow-up would take hours


@pytest.mark.parametrize(
    "text",
    [
        "Zero\u200bwidth space and joiner\u200d here. Second sentence.",
        "Bidi \u202eoverride\u202c and \u2066isolate\u2069 marks. Second sentence.",
        "Emoji 🇰🇭 and 👩‍👩‍👧 families. Second sentence 🎉.",
        "Arabic مرحبا بالعالم and Hebrew שלום עולם text. Second sentence.",
        "Khmer ភ្នំពេញ​ ជា​រាជធានី text. Second sentence.",
    ],
    ids=["zero-width", "bidi-controls", "emoji", "rtl", "khmer"],
)
def test_unusual_characters_round_trip(workdir: Path, text: str) -> None:
    (workdir / "odd.txt").write_text(f"Odd characters\n\n{text}\n", encoding="utf-8")
    assert _run(workdir, "extract", "odd.txt", "--to", "km").exit_code == 0
    article = load_article(workdir / "odd.txt")
    assert len(list(article.segments())) == 3
    result = _run(workdir, "publish", "odd.txt", "--to", "km")
    assert result.exit_code == 0
    assert (workdir / "out" / "odd.km.txt").read_text(encoding="utf-8") == article.source


def test_malformed_front_matter(workdir: Path) -> None:
    (workdir / "bad.md").write_text("---\ntitle: [unclosed\ndate: 2026-11-26\n---\n\nBody text.\n", encoding="utf-8")
    line = _one_line_error(_run(workdir, "extract", "bad.md", "--to", "km").output, "bad.md")
    assert "bad.md:" in line and "YAML" in line


def test_yaml_alias_bomb_is_refused_fast(workdir: Path) -> None:
    bomb = "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        bomb += f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    bomb += "title: Bomb\n---\n\nBody.\n"
    (workdir / "bomb.md").write_text(bomb, encoding="utf-8")
    started = time.perf_counter()
    line = _one_line_error(_run(workdir, "extract", "bomb.md", "--to", "km").output, "bomb.md")
    assert time.perf_counter() - started < 60
    assert "alias" in line.lower()


def test_a_batch_keeps_going_after_a_bad_article(workdir: Path) -> None:
    (workdir / "bad.txt").write_bytes(b"\xff\xfe\x00\x00junk")
    (workdir / "good.txt").write_text("Good title\n\nA good sentence.\n", encoding="utf-8")
    result = _run(workdir, "extract", "bad.txt", "good.txt", "--to", "km")
    assert result.exit_code == 1
    _one_line_error(result.output, "bad.txt")
    assert (workdir / "locales" / "km" / "LC_MESSAGES" / "good.po").exists()


def test_missing_file_and_unknown_extension(workdir: Path) -> None:
    line = _one_line_error(_run(workdir, "extract", "nope.txt").output, "nope.txt")
    assert "no such file" in line
    (workdir / "notes.docx").write_bytes(b"PK")
    line = _one_line_error(_run(workdir, "extract", "notes.docx").output, "notes.docx")
    assert "--format" in line


def test_unknown_language_is_a_usage_error(workdir: Path) -> None:
    (workdir / "a.txt").write_text("T\n\nBody.\n", encoding="utf-8")
    result = _run(workdir, "extract", "a.txt", "--to", "qq")
    assert result.exit_code == 2
    assert "unknown language code 'qq'" in result.output


def test_decode_errors_are_input_errors() -> None:
    with pytest.raises(InputError) as info:
        decode(b"ok\n\xe9\n", "f.txt")
    assert info.value.line == 2 and info.value.path == "f.txt"


def test_khmer_into_latin1_article_is_written_as_utf8(workdir: Path) -> None:
    import polib

    source = "Caf\u00e9 owners protest\n\nThe caf\u00e9 closed on Monday.\n".encode("latin-1")
    (workdir / "cafe.txt").write_bytes(source)
    assert _run(workdir, "extract", "cafe.txt", "--to", "km", "--encoding", "latin-1").exit_code == 0
    po_path = workdir / "locales" / "km" / "LC_MESSAGES" / "cafe.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = "ហាងកាហ្វេ"
    po.save()
    result = _run(workdir, "publish", "cafe.txt", "--to", "km", "--encoding", "latin-1")
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert (workdir / "out" / "cafe.km.txt").read_text(encoding="utf-8").startswith("ហាងកាហ្វេ")
