"""Reading real-world input: encodings, HTML pages, hostile folders, size limits, atomic output (no model needed)."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factx.chunks import split_chunks
from factx.errors import InputError
from factx.models import Article
from factx.read import (Failure, articles_from_bytes, decode_bytes, detect_format, display_path, html_charset,
                        iter_articles, iter_paths)

ENGLISH = "Police arrested 27 people in Sichuan on Friday, the ministry said.\n"
WESTERN = "The café in Zürich said Señor Muñoz paid £12 — “twice” — for the naïve façade.\n"
CHINESE = "中国公安部2014年2月28日说，警方在四川省逮捕了1094名嫌疑人，解救了382名儿童。\n"
JAPANESE = "東京都で２０２４年３月５日、警察は２７人を逮捕したと発表した。被害額は約５億円に上る。\n"

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="{charset}">
<title>Police arrest 27 in Sichuan | Example News</title>
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Police arrest 27 in Sichuan</h1>
<p>Police arrested 27 suspects in Sichuan province on Friday, the ministry said in a statement.</p>
<p>{extra}</p>
<p>The suspects were accused of selling 12 children for up to 20,000 yuan each, state media reported.</p>
</article>
<footer>Copyright 2024 Example News. All rights reserved. Contact us.</footer>
</body></html>
"""


def page(charset: str = "utf-8", extra: str = "A spokesman declined to comment.") -> str:
    return PAGE.format(charset=charset, extra=extra)


# --- encodings -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, encoding, recorded", [
    (ENGLISH, "utf-8", {"utf-8"}),
    (WESTERN, "utf-8", {"utf-8"}),
    (ENGLISH, "utf-8-sig", {"utf-8-sig"}),
    (WESTERN, "utf-8-sig", {"utf-8-sig"}),
    (WESTERN, "utf-16", {"utf-16"}),
    (WESTERN, "utf-16-le", {"utf-16-le"}),
    (WESTERN, "utf-16-be", {"utf-16-be"}),
    (WESTERN, "utf-32", {"utf-32"}),
    (WESTERN, "cp1252", {"cp1252"}),
    (WESTERN.replace("—", "-").replace("“", '"').replace("”", '"'), "latin-1", {"cp1252", "latin-1"}),
    (ENGLISH + CHINESE * 3, "gb2312", {"gb2312", "gbk", "gb18030"}),
    (CHINESE * 3, "gbk", {"gb2312", "gbk", "gb18030"}),
    (JAPANESE * 3, "shift_jis", {"shift_jis", "cp932", "shift_jis_2004"}),
])
def test_decode_encodings(text, encoding, recorded):
    decoded, found = decode_bytes(text.encode(encoding), name="a.txt")
    assert decoded == text
    assert found in recorded


@pytest.mark.parametrize("bom", [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
def test_bom_is_not_part_of_the_text(bom):
    enc = {codecs.BOM_UTF8: "utf-8", codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}[bom]
    [art] = articles_from_bytes(bom + ENGLISH.encode(enc), name="a.txt")
    assert isinstance(art, Article)
    assert art.text == ENGLISH
    assert art.encoding.startswith("utf")


@pytest.mark.parametrize("data, message", [
    (b"", "empty input"),
    (b" \n\t\r\n", "empty input"),
    (codecs.BOM_UTF8 + b"  \n", "empty input"),
    (bytes(range(256)) * 8, "binary file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary file"),
    (b"\x00" * 64, "binary file"),
    (b"\x01\x02\x03\x04\x05\x06 text" * 50, "binary file"),
    ("Le caf\u00e9 de la gare a ferm\u00e9".encode("utf-8")[:-1], "truncated UTF-8"),
    (codecs.BOM_UTF16_LE + b"A\x00\x00", "invalid utf-16"),
])
def test_decode_rejects(data, message):
    with pytest.raises(InputError, match=message):
        decode_bytes(data, name="bad.txt")
    [failure] = articles_from_bytes(data, name="bad.txt")
    assert isinstance(failure, Failure) and failure.id == "bad.txt"
    assert str(failure.error).startswith("bad.txt: ")


# --- HTML ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, head, expected", [
    ("a.html", b"anything", "html"),
    ("a.HTM", b"anything", "html"),
    ("a.jsonl", b"{}", "jsonl"),
    ("a.txt", b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
    ("page", codecs.BOM_UTF8 + b"\n <html><body>x</body></html>", "html"),
    ("a.txt", b"<p>fragment</p>\n<body>", "html"),
    ("a.txt", b"Police said <b> is a tag.", "text"),
    ("", b"Plain text.", "text"),
])
def test_detect_format(name, head, expected):
    assert detect_format(name, head) == expected


@pytest.mark.parametrize("charset, extra", [
    ("utf-8", "Officials in Zürich and Málaga sent “help”."),
    ("windows-1252", "Officials in Zürich and Málaga sent “help”."),
    ("iso-8859-1", "Officials in Zürich and Málaga sent help."),
    ("gbk", "消息来源：新华社。"),
    ("shift_jis", "東京からの報道。"),
])
def test_html_page_in_its_declared_charset(charset, extra):
    data = page(charset, extra).encode(charset)
    [art] = articles_from_bytes(data, name="page.html", fmt=detect_format("page.html", data))
    assert isinstance(art, Article), art
    assert art.format == "html"
    assert art.title == "Police arrest 27 in Sichuan"
    assert art.published == "2024-03-05" and art.published_origin == "metadata"
    assert "Police arrested 27 suspects in Sichuan province" in art.text
    assert extra in art.text
    assert "Copyright" not in art.text and "Home" not in art.text
    assert codecs.lookup(art.encoding).name == codecs.lookup(charset).name or art.encoding == "utf-8"


def test_html_offsets_refer_to_extracted_text():
    [art] = articles_from_bytes(page().encode(), name="p.html", fmt="html")
    start = art.text.index("27 suspects")
    assert art.text[start:start + 11] == "27 suspects"
    assert "<p>" not in art.text


def test_html_option_date_wins():
    [art] = articles_from_bytes(page().encode(), name="p.html", fmt="html", published="2024-04-01")
    assert art.published == "2024-04-01" and art.published_origin == "option"


def test_html_sniffed_in_a_txt_file_and_override(tmp_path):
    f = tmp_path / "story.txt"
    f.write_text(page(), encoding="utf-8")
    [art] = iter_articles([str(f)])
    assert art.format == "html" and art.title == "Police arrest 27 in Sichuan"
    [raw] = iter_articles([str(f)], input_format="text")
    assert raw.format == "text" and raw.text.startswith("<!DOCTYPE html>")
    assert raw.sha256 == art.sha256


@pytest.mark.parametrize("html", [
    "<html><head><title>Only a title</title></head><body></body></html>",
    "<html><body></body></html>",
    "<html><body><script>var x = 1;</script></body></html>",
])
def test_html_without_article_text_is_a_failure(html):
    # A page with any visible text (even a lone menu) is kept: trafilatura falls back to the page's text.
    [failure] = articles_from_bytes(html.encode(), name="empty.html", fmt="html")
    assert isinstance(failure, Failure)
    assert "no article text" in str(failure.error)


@pytest.mark.parametrize("head, expected", [
    (b'<meta charset="windows-1252">', "cp1252"),
    (b"<meta http-equiv='Content-Type' content='text/html; charset=Shift_JIS'>", "shift_jis"),
    (b'<META CHARSET=gb2312>', "gb2312"),
    (b'<meta charset="no-such-codec">', None),
    (b"<p>charset=utf-8</p>", None),
])
def test_html_charset(head, expected):
    assert html_charset(b"<html><head>" + head + b"</head>") == expected


# --- size ------------------------------------------------------------------------------------------------------

def test_max_chars_rejects_cleanly(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("word " * 3000, encoding="utf-8")
    [failure] = iter_articles([str(big)], max_chars=10_000)
    assert isinstance(failure, Failure)
    assert "too long (15,000 characters; the limit is 10,000" in str(failure.error)


def test_file_over_the_byte_limit_is_not_read(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(10_000_000)  # sparse: big on paper, nothing to read

    def no_read(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(os, "open", no_read)
    [failure] = iter_articles([str(big)], max_chars=1000)
    assert "too large (10,000,000 bytes" in str(failure.error)


@pytest.mark.parametrize("text", [
    ("Paragraph one is here.\n\n" * 400),
    ("No newlines at all, only sentences. " * 300),
    ("x" * 9000),
    ("Line with CRLF.\r\n" * 600),
])
def test_split_chunks_is_lossless(text):
    pieces = split_chunks(text, size=1000)
    assert "".join(pieces) == text
    assert all(0 < len(p) <= 1000 for p in pieces[:-1])


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(["a", " ", "\n", "\r", ".", "?", "\u00a0", "😀", "\u200b"]), max_size=3000),
       size=st.integers(min_value=2, max_value=700))
def test_split_chunks_property(text, size):
    pieces = split_chunks(text, size=size)
    assert "".join(pieces) == text
    assert all(0 < len(p) <= size for p in pieces[:-1])
    assert len(pieces[-1]) <= size


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=2000))
def test_any_bytes_read_or_rejected(data):
    for item in articles_from_bytes(data, name="x.bin"):
        if isinstance(item, Failure):
            assert isinstance(item.error, InputError)
        else:
            assert isinstance(item.text, str) and item.text.strip()


# --- hostile folders -------------------------------------------------------------------------------------------

def _good(path: Path, body: str = ENGLISH) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def _by_id(items):
    return {(item.id if isinstance(item, (Article, Failure)) else item): item for item in items}


def test_symlink_loops_and_links_out_are_skipped(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    outside = _good(tmp_path / "secret.txt", "outside text")
    _good(root / "a.txt")
    (root / "self.txt").symlink_to("self.txt")
    (root / "ping.txt").symlink_to("pong.txt")
    (root / "pong.txt").symlink_to("ping.txt")
    (root / "out.txt").symlink_to(outside)
    (root / "inside.txt").symlink_to("a.txt")
    (root / "up").symlink_to("..")
    items = list(iter_articles([str(root)]))
    found = _by_id(items)
    arts = [i for i in items if isinstance(i, Article)]
    assert sorted(a.id for a in arts) == sorted([str(root / "a.txt"), str(root / "inside.txt")])
    assert all(a.text != "outside text" for a in arts)
    for name in ("self.txt", "ping.txt", "pong.txt"):
        assert "symbolic link loop" in str(found[str(root / name)].error)
    assert "outside" in str(found[str(root / "out.txt")].error)
    assert "not followed" in str(found[str(root / "up")].error)


def test_special_files_are_skipped_without_blocking(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    _good(root / "a.txt")
    os.mkfifo(root / "pipe.txt")
    (root / "null.txt").symlink_to("/dev/null")
    found = _by_id(iter_articles([str(root)]))
    assert isinstance(found[str(root / "a.txt")], Article)
    assert "FIFO" in str(found[str(root / "pipe.txt")].error)
    # /dev/null is a device and outside the folder: refused either way, never read.
    assert isinstance(found[str(root / "null.txt")], Failure)
    [direct] = iter_articles([str(root / "pipe.txt")])
    assert "not a regular file" in str(direct.error)


def test_unreadable_file_is_reported(tmp_path, deny_open):
    root = tmp_path / "in"
    root.mkdir()
    _good(root / "a.txt")
    _good(root / "locked.txt")
    deny_open("locked.txt")
    found = _by_id(iter_articles([str(root)]))
    assert isinstance(found[str(root / "a.txt")], Article)
    assert str(found[str(root / "locked.txt")].error) == f"{root / 'locked.txt'}: Permission denied"


def test_unlistable_subfolder_is_reported(tmp_path, monkeypatch):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    _good(root / "a.txt")
    _good(root / "sub" / "b.txt")
    real_scandir = os.scandir

    def guarded(path="."):
        if os.fspath(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", guarded)
    items = list(iter_articles([str(root)]))
    assert [i.id for i in items if isinstance(i, Article)] == [str(root / "a.txt")]
    [failure] = [i for i in items if isinstance(i, Failure)]
    assert "cannot list folder (Permission denied)" in str(failure.error)


def test_odd_file_names(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    _good(root / "new\nline.txt")
    bad = os.fsencode(root) + b"/caf\xe9.txt"
    with open(bad, "wb") as fh:
        fh.write(ENGLISH.encode())
    arts = [a for a in iter_articles([str(root)]) if isinstance(a, Article)]
    ids = sorted(a.id for a in arts)
    assert ids == sorted([f"{root}/caf\\xe9.txt", f"{root}/new\\nline.txt"])
    assert all("\n" not in i and i.encode("utf-8") for i in ids)


@pytest.mark.parametrize("raw, shown", [
    ("plain/a.txt", "plain/a.txt"),
    ("new\nline.txt", "new\\nline.txt"),
    ("tab\there", "tab\\there"),
    (os.fsdecode(b"caf\xe9.txt"), "caf\\xe9.txt"),
    ("ünïcödé.txt", "ünïcödé.txt"),
    ("bell\x07.txt", "bell\\x07.txt"),
])
def test_display_path(raw, shown):
    assert display_path(raw) == shown


def test_missing_path_and_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    items = list(iter_paths([str(tmp_path / "nope.txt"), str(tmp_path / "empty")]))
    assert [type(i) for i in items] == [Failure, Failure]
    assert "no such file" in str(items[0].error)
    assert "no files matching" in str(items[1].error)


# --- atomic output ---------------------------------------------------------------------------------------------

def test_open_output_replaces_only_on_success(tmp_path):
    from factx.cli import open_output

    target = tmp_path / "out.jsonl"
    target.write_text("precious\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with open_output(str(target)) as fh:
            fh.write("half a rec")
            raise RuntimeError("failed mid-run")
    assert target.read_text(encoding="utf-8") == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]
    target.chmod(0o640)
    with open_output(str(target)) as fh:
        fh.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_open_output_refuses_folders(tmp_path):
    from factx.cli import open_output

    with pytest.raises(click.BadParameter, match="is a folder"):
        with open_output(str(tmp_path)):
            pass
    with pytest.raises(click.BadParameter, match="does not exist"):
        with open_output(str(tmp_path / "no" / "out.json")):
            pass


# --- JSONL datasets are streamed ---------------------------------------------------------------------------------

def _dataset(n: int) -> bytes:
    import json

    return "".join(json.dumps({"id": f"a{i}", "text": f"Police arrested {i} people."}) + "\n"
                   for i in range(n)).encode()


def test_jsonl_dataset_larger_than_the_article_limit(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_bytes(_dataset(200))
    assert path.stat().st_size > 200 * 4 + 4
    got = list(iter_articles([str(path)], max_chars=200))
    assert [a.id for a in got] == [f"a{i}" for i in range(200)]


def test_jsonl_long_line_fails_alone(tmp_path):
    import json

    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps({"id": "ok1", "text": "Short."}), json.dumps({"id": "long", "text": "x " * 5000}),
             json.dumps({"id": "ok2", "text": "Also short."})]
    path.write_text("\n".join(lines) + "\n")
    got = list(iter_articles([str(path)], max_chars=100))
    assert [a.id for a in got if isinstance(a, Article)] == ["ok1", "ok2"]
    [failure] = [f for f in got if isinstance(f, Failure)]
    assert failure.id.endswith("mixed.jsonl:2") and "too long" in str(failure.error)


def test_jsonl_is_read_lazily():
    import io

    class Counting(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data, self.pos = data, 0

        def readable(self) -> bool:
            return True

        def readinto(self, buf) -> int:
            n = min(len(buf), len(self.data) - self.pos)
            buf[:n] = self.data[self.pos:self.pos + n]
            self.pos += n
            return n

    data = _dataset(20_000)
    raw = Counting(data)
    articles = iter_articles(["-"], input_format="jsonl", stdin=io.BufferedReader(raw, buffer_size=8192))
    assert next(articles).id == "a0"
    assert raw.pos < len(data) // 10
    assert sum(1 for _ in articles) == 19_999


@pytest.mark.parametrize(("prefix", "encoding"), [(b"", "utf-8"), (codecs.BOM_UTF8, "utf-8"),
                                                  (codecs.BOM_UTF16_LE, "utf-16-le")])
def test_jsonl_encodings(tmp_path, prefix, encoding):
    path = tmp_path / "enc.jsonl"
    path.write_bytes(prefix + '{"id": "z", "text": "Police in Zürich arrested 5."}\n'.encode(encoding))
    [article] = iter_articles([str(path)])
    assert article.id == "z" and "Zürich" in article.text


def test_utf16_jsonl_over_the_limit_is_refused_not_cut(tmp_path):
    path = tmp_path / "wide.jsonl"
    path.write_bytes(codecs.BOM_UTF16_LE + _dataset(50).decode().encode("utf-16-le"))
    [failure] = list(iter_articles([str(path)], max_chars=100))
    assert isinstance(failure, Failure) and "too large" in str(failure.error)


def test_jsonl_line_in_another_encoding_is_decoded(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"id": "u", "text": "ok"}\n' + '{"id": "l", "text": "Señor Muñoz paid 300 euros."}\n'.encode("cp1252"))
    got = list(iter_articles([str(path)]))
    assert [a.text for a in got] == ["ok", "Señor Muñoz paid 300 euros."]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_named_jsonl_is_not_opened_for_counting(tmp_path):
    from factx.cli import _count_inputs

    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    assert _count_inputs((str(fifo),), glob="*.txt", input_format=None) == 1
    [failure] = list(iter_articles([str(fifo)]))
    assert isinstance(failure, Failure) and "FIFO" in str(failure.error)
