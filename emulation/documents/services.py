"""Issuing documents: render both formats once, store them, never again."""

from __future__ import annotations

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from emulation import audit
from emulation.documents.docx_renderer import render_docx
from emulation.documents.pdf_renderer import render_pdf
from emulation.documents.signing import configured_signer, sign_pdf
from emulation.documents.spec import DocumentSpec
from emulation.models import IssuedDocument, User
from emulation.refusals import require_complete


def subject_key_for(*, bloc_year=None, target=None) -> str:
    subject = target if target is not None else bloc_year
    if subject is None:
        raise ValidationError(_("A document must concern a bloc-year or another record."))
    return f"{subject._meta.label_lower}:{subject.pk}"


def document_issue(
    *,
    actor: User,
    kind: str,
    spec: DocumentSpec,
    title: str,
    bloc_year=None,
    target=None,
) -> IssuedDocument:
    """Render ``spec`` to DOCX and PDF, store both and record the issue. The
    PDF is digitally signed when a certificate is configured (DOCUMENT_SIGNING).

    The new row is version n+1 of (kind, subject); earlier versions stay as
    they were. The spec must carry the document's date (an issued document is
    dated); its number may be blank when numbers are given by the office.
    """
    if actor is None or not actor.pk:
        raise ValidationError(_("A document is issued by a person."))
    if spec.draft:
        raise ValidationError(_("A draft cannot be issued; remove the draft mark first."))
    # Whatever is still missing, all named at once: the date, required facts,
    # sections left as placeholders.
    require_complete(spec.missing())
    if spec.date > timezone.localdate():
        raise ValidationError(
            _("A document cannot be issued with a date still to come (%(date)s).")
            % {"date": spec.date.strftime("%d/%m/%Y")}
        )
    subject_key = subject_key_for(bloc_year=bloc_year, target=target)
    # Render outside the row lock would be nicer for throughput, but rendering
    # inside the transaction keeps "stored files ⇔ row" simple; PDFs take < 1 s.
    docx_bytes = render_docx(spec)
    pdf_bytes = render_pdf(spec)
    signer = configured_signer()
    if signer is not None:
        # Signed as the issuing organisation, the appearance in the signature
        # space of the main signer (the last, on the right).
        pdf_bytes = sign_pdf(
            pdf_bytes,
            signer=signer,
            anchor=spec.signatures[-1].name if spec.signatures else "",
            reason=f"Ban hành {title}"[:200],
            location=spec.place,
        )
    with transaction.atomic():
        if bloc_year is not None:
            # Serialise issues per bloc-year so that two clicks get v1 and v2.
            type(bloc_year).objects.select_for_update().filter(pk=bloc_year.pk).first()
        last = (
            IssuedDocument.objects.filter(kind=kind, subject_key=subject_key)
            .aggregate(m=Max("version"))
            .get("m")
        )
        document = IssuedDocument(
            kind=kind,
            bloc_year=bloc_year,
            target_type=ContentType.objects.get_for_model(target) if target is not None else None,
            target_id=str(target.pk) if target is not None else "",
            subject_key=subject_key,
            title=title[:255],
            number=spec.number,
            date=spec.date,
            version=(last or 0) + 1,
            docx_sha256=hashlib.sha256(docx_bytes).hexdigest(),
            pdf_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
            issued_by=actor,
        )
        stem = f"{kind}-v{document.version}"
        document.docx.save(f"{stem}.docx", ContentFile(docx_bytes), save=False)
        document.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
        try:
            with transaction.atomic():
                document.save(force_insert=True)
        except IntegrityError:
            document.docx.delete(save=False)
            document.pdf.delete(save=False)
            raise ValidationError(
                _("Someone issued this document at the same moment; please try again.")
            ) from None
        audit.record(
            actor=actor,
            action="document.issue",
            target=document,
            data={
                "kind": kind,
                "subject": subject_key,
                "version": document.version,
                "number": spec.number,
                "date": spec.date,
                "docx_sha256": document.docx_sha256,
                "pdf_sha256": document.pdf_sha256,
                "signed": signer is not None,
            },
        )
    return document
