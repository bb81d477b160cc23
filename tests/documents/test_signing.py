"""Digital signature (ký số) of issued PDFs: signed with a certificate made in
the test (PKCS#12), validated with pyHanko; a tampered file fails; without a
certificate documents are issued unsigned as before; the document's page says
whether the signature is valid and who signed."""

import datetime
import io

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.urls import reverse
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from emulation.documents import Paragraph, Signature, render_pdf
from emulation.documents.services import document_issue
from emulation.documents.signing import check_signature, configured_signer, sign_pdf
from emulation.enums import DocumentKind
from tests.documents.test_renderer import spec

pytestmark = pytest.mark.django_db

ORGANISATION = "Khối thi đua các cơ quan Tham mưu – Tổng hợp"
SIGNERS = [
    Signature(position="Thư ký", name="Lê Thị Hoa"),
    Signature(position="Chủ trì", name="Trần Minh Đức", on_behalf="TM. Khối thi đua"),
]


def make_certificate(tmp_path, passphrase=b"mat-khau-ky-so"):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "UBND tỉnh An Phú"),
            x509.NameAttribute(NameOID.COMMON_NAME, ORGANISATION),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "to-chuc.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"ky-so",
            key,
            certificate,
            None,
            serialization.BestAvailableEncryption(passphrase),
        )
    )
    return path, certificate


@pytest.fixture
def certificate(tmp_path, settings):
    path, certificate = make_certificate(tmp_path)
    settings.DOCUMENT_SIGNING = {
        **settings.DOCUMENT_SIGNING,
        "PKCS12_FILE": str(path),
        "PKCS12_PASSPHRASE": "mat-khau-ky-so",
    }
    return certificate


def pyhanko_status(data: bytes, certificate):
    reader = PdfFileReader(io.BytesIO(data))
    root = certificate.public_bytes(serialization.Encoding.DER)
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(root)])
    return validate_pdf_signature(reader.embedded_signatures[0], context)


def test_a_pdf_signed_with_the_organisations_certificate_validates_with_pyhanko(certificate):
    signed = sign_pdf(
        render_pdf(spec(signatures=SIGNERS)), signer=configured_signer(), anchor="Trần Minh Đức"
    )

    status = pyhanko_status(signed, certificate)
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert ORGANISATION in status.signing_cert.subject.human_friendly
    check = check_signature(signed)
    assert check.signed and check.valid and check.trusted
    assert ORGANISATION in check.signer


def test_a_tampered_file_fails_validation(certificate):
    signed = sign_pdf(
        render_pdf(spec(signatures=SIGNERS)), signer=configured_signer(), anchor="Trần Minh Đức"
    )
    # One byte of the first content stream changed, the file's length kept.
    at = signed.index(b"stream") + 40
    tampered = signed[:at] + bytes([signed[at] ^ 0xFF]) + signed[at + 1 :]

    assert not pyhanko_status(tampered, certificate).intact
    assert not check_signature(tampered).valid


def test_a_change_appended_after_signing_makes_the_signature_not_cover_the_file(certificate):
    signed = sign_pdf(
        render_pdf(spec(signatures=SIGNERS)), signer=configured_signer(), anchor="Trần Minh Đức"
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/Lang"] = generic.TextStringObject("vi")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)

    check = check_signature(output.getvalue())
    assert check.signed and not check.valid


def test_the_visible_signature_stands_in_the_signature_space_of_the_main_signer(certificate):
    signed = sign_pdf(
        render_pdf(spec(signatures=SIGNERS)), signer=configured_signer(), anchor="Trần Minh Đức"
    )

    page = PdfReader(io.BytesIO(signed)).pages[-1]
    widgets = [a.get_object() for a in page["/Annots"] if a.get_object()["/Subtype"] == "/Widget"]
    assert len(widgets) == 1
    left, bottom, right, top = (float(v) for v in widgets[0]["/Rect"])
    positions = {}

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            positions[text.strip()] = (tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    name_x, name_y = positions["Trần Minh Đức"]
    title_y = positions["CHỦ TRÌ"][1]
    assert name_y < bottom < top < title_y  # between the capacity and the name
    assert left < name_x + 30 < right and left > page.mediabox.width / 2 - 40  # right column


def test_an_issued_pdf_is_signed_when_a_certificate_is_configured(cast, certificate):
    document = document_issue(
        actor=cast.secretariat,
        kind=DocumentKind.COVENANT,
        spec=spec(signatures=SIGNERS, body=[Paragraph("Nội dung.")]),
        title="Giao ước thi đua năm 2024",
        bloc_year=cast.bloc_year,
    )

    with document.pdf.open("rb") as handle:
        check = check_signature(handle.read())
    assert check.valid and ORGANISATION in check.signer


def test_without_a_certificate_documents_are_issued_unsigned(cast):
    document = document_issue(
        actor=cast.secretariat,
        kind=DocumentKind.COVENANT,
        spec=spec(signatures=SIGNERS, body=[Paragraph("Nội dung.")]),
        title="Giao ước thi đua năm 2024",
        bloc_year=cast.bloc_year,
    )

    with document.pdf.open("rb") as handle:
        assert check_signature(handle.read()).signed is False


# --- the document's page --------------------------------------------------------


def issue_covenant(cast):
    return document_issue(
        actor=cast.secretariat,
        kind=DocumentKind.COVENANT,
        spec=spec(signatures=SIGNERS, body=[Paragraph("Nội dung.")]),
        title="Giao ước thi đua năm 2024",
        bloc_year=cast.bloc_year,
    )


def test_the_documents_page_says_the_signature_is_valid_and_who_signed(cast, certificate, login):
    document = issue_covenant(cast)

    response = login(cast.officer).get(
        reverse("documents:issued_document_detail", args=[document.pk])
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-valid="yes"' in body
    assert "Chữ ký số hợp lệ" in body and ORGANISATION in body
    assert reverse("documents:issued_document_download", args=[document.pk, "pdf"]) in body


def test_the_documents_page_says_when_a_pdf_is_unsigned(cast, login):
    document = issue_covenant(cast)

    body = login(cast.officer).get(reverse("documents:issued_document_detail", args=[document.pk]))

    assert 'data-signed="no"' in body.content.decode()


def test_the_documents_page_is_404_for_an_outsider_and_get_only(cast, login):
    document = issue_covenant(cast)
    url = reverse("documents:issued_document_detail", args=[document.pk])

    assert login(cast.outsider).get(url).status_code == 404
    assert login(cast.secretariat).post(url).status_code == 405
