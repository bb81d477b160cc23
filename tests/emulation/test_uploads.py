import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from emulation.uploads import RandomName, safe_original_name, validate_upload

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


CONTENT = {
    "pdf": lambda: PDF,
    "png": lambda: PNG,
    "jpg": lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 20,
    "docx": lambda: office("docx"),
    "xlsx": lambda: office("xlsx"),
}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("bao-cao.pdf", "pdf"),
        ("anh.png", "png"),
        ("anh.JPG", "jpg"),
        ("bao cao.docx", "docx"),
        ("so lieu.xlsx", "xlsx"),
    ],
)
def test_accepted_files(name, kind):
    assert validate_upload(SimpleUploadedFile(name, CONTENT[kind]())) == kind


def test_a_disguised_file_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 an executable"))
    assert error.value.code == "type"


def test_content_must_match_the_extension():
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("bao-cao.docx", PDF))
    assert error.value.code == "mismatch"


def test_a_zip_that_is_not_an_office_file_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.exe", "x")
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("so-lieu.xlsx", buffer.getvalue()))


def test_an_oversized_file_is_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("bao-cao.pdf", PDF + b"0" * 200))
    assert error.value.code == "size"


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "a/b.pdf", "..\\x.pdf", "x\x00.pdf"])
def test_a_path_in_the_name_is_refused(name):
    upload = SimpleUploadedFile("x.pdf", PDF)
    upload._name = name  # bypass Django's own basename clean-up to test ours
    with pytest.raises(ValidationError) as error:
        validate_upload(upload)
    assert error.value.code == "path"


def test_safe_original_name():
    assert safe_original_name("C:\\Users\\a\\Báo cáo\x07.pdf") == "Báo cáo.pdf"
    assert safe_original_name("../..") == "tep"


def test_random_names_reveal_nothing_of_the_original():
    name = RandomName("evidence")(None, "Báo cáo mật của Sở.pdf")

    assert name.startswith("evidence/")
    assert name.endswith(".pdf")
    assert "Sở" not in name
