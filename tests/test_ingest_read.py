"""Bytes to text: encodings, bad files, HTML and JSON unwrapping, folders."""

import json
import os

import pytest

from archive.ingest.read import RejectedFile, clean_text, decode, find_files, read_bytes, read_path


def test_utf8_with_bom_is_decoded_without_the_bom():
    text, encoding = decode("Starmer’s speech".encode("utf-8-sig"))
    assert text == "Starmer’s speech"
    assert encoding == "utf-8-sig"


def test_utf16_with_bom_is_decoded():
    text, encoding = decode("Sinn Féin".encode("utf-16"))
    assert text == "Sinn Féin"
    assert encoding == "utf-16"


def test_cp1252_curly_quotes_are_decoded_and_the_choice_recorded():
    data = "Labour’s “new deal” for workers – a Guardian exclusive, said Ms Rayner".encode("cp1252")
    text, encoding = decode(data)
    assert "Labour’s “new deal”" in text
    assert encoding != "utf-8"


def test_clean_text_drops_nuls_lone_surrogates_and_control_characters():
    dirty = "Corbyn\x00 said \udcff hello\x07\r\nagain"
    cleaned = clean_text(dirty)
    assert "\x00" not in cleaned and "\x07" not in cleaned
    assert not any("\ud800" <= ch <= "\udfff" for ch in cleaned)
    assert cleaned.endswith("hello\nagain")


def test_empty_file_is_rejected_with_a_reason(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"   \n")
    with pytest.raises(RejectedFile, match="empty"):
        read_path(path)


def test_binary_file_is_rejected(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(RejectedFile, match="binary"):
        read_path(path)


def test_too_large_file_is_rejected_naming_the_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Labour " * 100)
    with pytest.raises(RejectedFile, match="too large"):
        read_path(path, max_bytes=50)


def test_unreadable_file_is_rejected(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("Labour")
    path.chmod(0)
    if os.access(path, os.R_OK):
        pytest.skip("running as a user who can read anything (root)")
    with pytest.raises(RejectedFile, match="cannot be read"):
        read_path(path)


def test_invalid_json_names_the_line():
    with pytest.raises(RejectedFile, match=r"line 2"):
        read_bytes(b'{"text": "ok"}\n{not json}\n', "batch.jsonl")


def test_json_object_keeps_its_metadata():
    obj = {"text": "Body text here.", "title": "A title", "date": "2025-04-11", "url": "https://example.org/a"}
    [doc] = read_bytes(json.dumps(obj).encode(), "one.json")
    assert doc.text == "Body text here."
    assert doc.meta == {"title": "A title", "date": "2025-04-11", "url": "https://example.org/a"}


def test_json_without_text_or_html_is_rejected():
    with pytest.raises(RejectedFile, match="no 'text' or 'html'"):
        read_bytes(b'{"title": "only a title"}', "bad.json")


def test_jsonl_gives_one_document_per_line():
    data = b'{"text": "First story."}\n\n{"text": "Second story."}\n'
    docs = read_bytes(data, "batch.jsonl")
    assert [d.text for d in docs] == ["First story.", "Second story."]
    assert docs[1].name == "batch.jsonl#3"


def test_html_page_gives_main_text_and_title_without_the_menu():
    html = b"""<!doctype html><html><head><title>Councillors quit Labour | Northern Dispatch</title></head>
    <body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
    <article><h1>Councillors quit Labour over cuts</h1>
    <p>Three councillors in Kirklees have left the Labour Party, saying the cuts to local services went too far.</p>
    <p>Cllr Jane Maddox said the decision had not been easy and that she would sit as an independent.</p></article>
    <footer>Copyright Northern Dispatch</footer></body></html>"""
    [doc] = read_bytes(html, "page.html")
    assert doc.from_html
    assert "Three councillors in Kirklees" in doc.text
    assert "Home" not in doc.text.split()
    assert doc.meta["title"].startswith("Councillors quit Labour")


def test_folders_are_recursed_and_symlink_loops_end(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("x")
    (tmp_path / "a" / "b" / "two.html").write_text("x")
    (tmp_path / "a" / "b" / "skip.pdf").write_text("x")
    (tmp_path / "a" / "b" / "loop").symlink_to(tmp_path / "a")
    found = sorted(p.name for p in find_files([tmp_path / "a"]))
    assert found == ["one.txt", "two.html"]


def test_missing_path_is_rejected(tmp_path):
    with pytest.raises(RejectedFile, match="no such file"):
        list(find_files([tmp_path / "nope"]))


def test_a_stored_original_is_read_again_as_html_only_when_it_is_html():
    from archive.ingest.read import document_from_stored

    html = (
        "<!doctype html><html><body><article><p>"
        + "Labour won the vote in the council chamber. " * 5
        + "</p></article></body></html>"
    )
    assert document_from_stored(html, "page.html", {}).from_html
    plain = document_from_stored("Plain text saved from an HTML page long ago.", "page.html", {})
    assert not plain.from_html
    assert plain.text == "Plain text saved from an HTML page long ago."
