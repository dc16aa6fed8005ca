"""Uploaded zips are inflated against a real byte budget, never their headers."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from studyapp.content import uploads
from studyapp.errors import ValidationFailed
from tests.admin.test_content_admin import people, upload  # noqa: F401

MB = 1024 * 1024


def lying_zip(real: int, claim: int = 100, name: str = "lessons/big.md") -> bytes:
    """A zip of ``real`` bytes of text whose headers claim ``claim`` bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, b"a" * real)
    data = bytearray(buf.getvalue())
    struct.pack_into("<I", data, 22, claim)  # local header: uncompressed size
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, claim)  # central directory
    return bytes(data)


def honest_zip(sizes: list[int]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i, size in enumerate(sizes):
            z.writestr(f"lessons/part-{i}.md", b"b" * size)
    return buf.getvalue()


def test_a_zip_whose_headers_lie_is_refused_with_a_message(people, login_as, app):  # noqa: F811
    data = lying_zip(40 * MB)
    assert len(data) < 100 * 1024
    resp = upload(login_as("admin"), [("bomb.zip", data)])
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "bomb.zip" in page and "无法解压" in page
    content = Path(app.config["CONTENT_DIR"])
    assert not list(content.rglob("big.md"))


def test_inflating_a_lying_zip_keeps_memory_bounded(tmp_path: Path):
    data = lying_zip(40 * MB)
    tracemalloc.start()
    with pytest.raises(ValidationFailed):
        uploads.stage_files(
            tmp_path, tmp_path / "content", [("b.zip", data)], "lessons"
        )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 4 * MB
    assert not list(tmp_path.rglob("big.md"))


def test_the_budget_counts_inflated_bytes_across_members(tmp_path: Path):
    # Whatever the headers say, each chunk really inflated is charged.
    archive = zipfile.ZipFile(io.BytesIO(honest_zip([1000, 2000])))
    budget = [2500]
    first, second = archive.infolist()
    uploads._inflate(archive, first, tmp_path / "a.md", budget, "two.zip")
    with pytest.raises(ValidationFailed) as err:
        uploads._inflate(archive, second, tmp_path / "b.md", budget, "two.zip")
    assert "two.zip" in err.value.message and "请分批上传" in err.value.message
    assert not (tmp_path / "b.md").exists()


def test_an_honest_big_zip_is_refused_before_inflating(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNPACKED", 2 * MB)
    with pytest.raises(ValidationFailed) as err:
        uploads._unzip(tmp_path, "big.zip", honest_zip([3 * MB]))
    assert "请分批上传" in err.value.message
    assert not list(tmp_path.rglob("*.md"))


def test_a_zip_within_the_budget_is_staged_whole(tmp_path: Path):
    staged = uploads._unzip(tmp_path, "ok.zip", honest_zip([1000, 2000]))
    assert staged == ["lessons/part-0.md", "lessons/part-1.md"]
    assert (tmp_path / "lessons/part-1.md").stat().st_size == 2000


@pytest.mark.parametrize(
    "path", ["/api/v1/admin/content/uploads", "/api/v1/admin/org/imports"]
)
def test_a_text_field_where_a_file_belongs_is_bad_input(people, login_as, path):  # noqa: F811
    from tests.conftest import csrf_token

    client = login_as("admin")
    resp = client.post(
        path,
        data={"files": "not a file", "kind": "lessons"},
        headers={"X-CSRFToken": csrf_token(client, "/admin/content/")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400
    assert resp.get_json()["error"]["field"].startswith("files")


def lying_office(kind: str, real: int) -> bytes:
    """A real XLSX or DOCX with one part padded to ``real`` bytes whose headers
    claim its true size: openpyxl and python-docx read that part whole."""
    import docx
    from openpyxl import Workbook

    buf = io.BytesIO()
    if kind == "xlsx":
        book = Workbook()
        book.active.title = "members"
        book.active.append(["username", "name", "branch"])
        book.save(buf)
        part = "xl/styles.xml"
    else:
        docx.Document().save(buf)
        part = "word/styles.xml"
    source = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == part:
                honest = len(body)
                body += b" " * real
            z.writestr(info.filename, body)
    data = bytearray(out.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        offset = z.getinfo(part).header_offset
    struct.pack_into("<I", data, offset + 22, honest)
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(part)] != part.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, honest)
    return bytes(data)


def _peak(call):  # type: ignore[no-untyped-def]
    tracemalloc.start()
    try:
        result = call()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return result, peak


def test_a_members_workbook_whose_headers_lie_is_damaged_not_inflated():
    from studyapp.org.tables import TableError, read_bytes

    data = lying_office("xlsx", 40 * MB)
    assert len(data) < 200 * 1024

    def read():  # type: ignore[no-untyped-def]
        with pytest.raises(TableError) as err:
            read_bytes("党员.xlsx", data)
        return err.value

    err, peak = _peak(read)
    assert "党员.xlsx:1" in str(err) and "已损坏" in str(err)
    assert peak < 8 * MB


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_a_question_bank_file_whose_headers_lie_is_damaged_not_inflated(kind):
    from studyapp.content.convert.sniff import content_problem

    data = lying_office(kind, 40 * MB)
    problem, peak = _peak(lambda: content_problem(kind, data))
    assert problem is not None and "已损坏" in problem
    assert peak < 8 * MB
