"""Digital signature (ký số) of issued PDFs: PAdES, as the issuing organisation,
with a visible appearance in the signature space of the document's signature
block; and the check of a file's signature that the download page shows.

The certificate comes from the environment (settings.DOCUMENT_SIGNING): a
PKCS#12 file and its passphrase, or a PKCS#11 module (a USB token or an HSM)
with the token's label, the key's label and the PIN. With neither, documents
are issued unsigned, as before.

    signer = configured_signer()          # None: sign nothing
    signed = sign_pdf(data, signer=signer, anchor="Trần Minh Đức")
    check = check_signature(signed)       # SignatureCheck(valid=True, signer="…")
"""

from __future__ import annotations

import datetime
import importlib
import io
import logging
from dataclasses import dataclass
from functools import lru_cache

from asn1crypto import pem, x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

logger = logging.getLogger(__name__)

FIELD_NAME = "ChuKySo"
# The font of the visible signature: Times-compatible, with Vietnamese marks.
STAMP_FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
STAMP_TEXT = "Ký bởi: %(signer)s\nThời gian ký: %(ts)s"
# The signature space under the signer's capacity (document.css: 60 pt).
BOX_WIDTH, BOX_HEIGHT = 190, 56


@dataclass(frozen=True)
class SignatureCheck:
    """What the download page says about a PDF's signature."""

    signed: bool
    valid: bool = False  # intact, cryptographically sound and covering the whole file
    trusted: bool = False  # the certificate chains to a configured trust root
    signer: str = ""  # the certificate's subject: "Khối thi đua …, UBND tỉnh An Phú"
    signed_at: datetime.datetime | None = None
    problem: str = ""  # why it is not valid, for the operator


@lru_cache(maxsize=2)
def _font_bytes(path: str) -> bytes:
    """The font rescaled to 1000 units per em: pyHanko writes glyph widths in
    font units where PDF reads thousandths of an em (Liberation has 2048)."""
    font = TTFont(path)
    scale_upem(font, 1000)
    buffer = io.BytesIO()
    font.save(buffer)
    font.close()
    return buffer.getvalue()


class _StampFont(GlyphAccumulatorFactory):
    """pyHanko's font factory, reading the font rescaled, from memory (its own
    reads the file as it is, and leaves it open)."""

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_font_bytes(self.font_file)),
            font_size=self.font_size,
            obj_stream=obj_stream,
        )


def signing_configured() -> bool:
    config = settings.DOCUMENT_SIGNING
    return bool(config["PKCS12_FILE"] or config["PKCS11_MODULE"])


def configured_signer() -> signers.Signer | None:
    """The organisation's signer from settings.DOCUMENT_SIGNING; None when no
    certificate is configured. A configured certificate that cannot be opened
    is an error, never a silent unsigned issue."""
    config = settings.DOCUMENT_SIGNING
    if config["PKCS12_FILE"]:
        return _pkcs12_signer(config["PKCS12_FILE"], config["PKCS12_PASSPHRASE"])
    if config["PKCS11_MODULE"]:
        return _pkcs11_signer(config)
    return None


@lru_cache(maxsize=4)
def _pkcs12_signer(path: str, passphrase: str) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load_pkcs12(
        path, passphrase=passphrase.encode() if passphrase else None
    )
    if signer is None:
        raise ImproperlyConfigured(
            f"SIGNING_PKCS12_FILE {path!r} could not be opened (file or passphrase wrong)."
        )
    return signer


def _pkcs11_signer(config: dict) -> signers.Signer:
    # pyHanko's PKCS#11 support needs python-pkcs11, installed only where a
    # token or an HSM is used; it is imported only when one is configured.
    try:
        pkcs11 = importlib.import_module("pyhanko.sign.pkcs11")
    except ImportError as exc:
        raise ImproperlyConfigured(
            "SIGNING_PKCS11_MODULE is set but python-pkcs11 is not installed "
            "(pip install python-pkcs11)."
        ) from exc
    criteria = importlib.import_module("pyhanko.config.pkcs11").TokenCriteria(
        label=config["PKCS11_TOKEN"]
    )
    session = pkcs11.open_pkcs11_session(
        config["PKCS11_MODULE"], token_criteria=criteria, user_pin=config["PKCS11_PIN"] or None
    )
    return pkcs11.PKCS11Signer(
        session, cert_label=config["PKCS11_KEY"], key_label=config["PKCS11_KEY"]
    )


def _timestamper():
    url = settings.DOCUMENT_SIGNING["TIMESTAMP_URL"]
    return HTTPTimeStamper(url) if url else None


def _lines(page) -> list[tuple[str, float, float]]:
    """(text, x, y) of each line on a page, in PDF points from the lower left."""
    found: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((" ".join(text.split()), x, y))

    page.extract_text(visitor_text=visit)
    return found


def signature_box(data: bytes, anchor: str) -> tuple[int, tuple[int, int, int, int]]:
    """(page index, box) of the signature space above ``anchor`` (the signer's
    name, alone under the space): the last page that shows the name, the box
    centred over it, between the name and the line above. Without the name,
    the lower right of the last page."""
    reader = PdfReader(io.BytesIO(data))
    width = float(reader.pages[-1].mediabox.width)
    if anchor:
        for index in range(len(reader.pages) - 1, -1, -1):
            lines = _lines(reader.pages[index])
            named = [line for line in lines if line[0] == anchor]
            if not named:
                continue
            _text, x, y = named[-1]
            # Names are centred in their column: the column is the half of the
            # page the name starts in.
            centre = width * 0.75 - 20 if x > width / 2 else width * 0.25 + 40
            above = [ly for _t, lx, ly in lines if ly > y + 12 and abs(lx - x) < width / 4]
            top = min(above, default=y + BOX_HEIGHT + 20) - 4
            bottom = max(y + 14, top - BOX_HEIGHT)
            half = BOX_WIDTH // 2
            return index, (int(centre - half), int(bottom), int(centre + half), int(top))
    right = int(width) - 40
    return len(reader.pages) - 1, (right - BOX_WIDTH, 60, right, 60 + BOX_HEIGHT)


def sign_pdf(
    data: bytes, *, signer: signers.Signer, anchor: str = "", reason: str = "", location: str = ""
) -> bytes:
    """``data`` signed (PAdES baseline, SHA-256) with a visible signature in
    the signature space above ``anchor``; a timestamp when a TSA is configured."""
    page, box = signature_box(data, anchor)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
    )
    style = TextStampStyle(
        stamp_text=STAMP_TEXT,
        text_box_style=TextBoxStyle(font=_StampFont(STAMP_FONT, font_size=8), font_size=8),
        timestamp_format="%d/%m/%Y %H:%M:%S %z",
        border_width=1,
        background=None,
    )
    pdf_signer = signers.PdfSigner(
        metadata,
        signer=signer,
        timestamper=_timestamper(),
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(sig_field_name=FIELD_NAME, on_page=page, box=box),
    )
    output = io.BytesIO()
    pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), output=output)
    return output.getvalue()


def _trust_roots(signer: signers.Signer | None) -> list[x509.Certificate]:
    roots = []
    for path in settings.DOCUMENT_SIGNING["TRUST_ROOTS"]:
        with open(path, "rb") as handle:
            raw = handle.read()
        if pem.detect(raw):
            roots += [x509.Certificate.load(der) for _t, _h, der in pem.unarmor(raw, multiple=True)]
        else:
            roots.append(x509.Certificate.load(raw))
    if signer is not None and signer.signing_cert is not None:
        roots.append(signer.signing_cert)  # the organisation's own certificate
        roots += list(signer.cert_registry)
    return roots


def check_signature(data: bytes) -> SignatureCheck:
    """Whether the PDF carries a signature, whether it is valid (the file is
    as signed, the signature sound and covering the whole file), whether the
    certificate is trusted, and who signed and when."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = reader.embedded_signatures
    except Exception as exc:  # noqa: BLE001 - an unreadable file is "not valid", said so
        return SignatureCheck(signed=False, problem=str(exc))
    if not embedded:
        return SignatureCheck(signed=False)
    try:
        signer = configured_signer()
    except (ImproperlyConfigured, SigningError, OSError):
        signer = None
    signature = embedded[-1]
    try:
        status = validate_pdf_signature(
            signature, ValidationContext(trust_roots=_trust_roots(signer), allow_fetching=False)
        )
    except (SignatureValidationError, ValueError, KeyError) as exc:
        return SignatureCheck(signed=True, problem=str(exc))
    covers_all = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    return SignatureCheck(
        signed=True,
        valid=bool(status.intact and status.valid and covers_all),
        trusted=bool(status.trusted),
        signer=status.signing_cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
        problem="" if covers_all else "the file was changed after it was signed",
    )
