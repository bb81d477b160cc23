"""API clients (another system reading this one) and the log of their calls."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    """A system allowed to call the API, with one secret token.

    Only the token's SHA-256 digest is stored: the token itself is printed
    once, when the client is created. A client sees one province, or every
    province when it has none (national); it writes only with ``can_write``.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    province = models.ForeignKey(
        "blocs.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        help_text=_("Empty: a national client, which sees every province."),
    )
    can_write = models.BooleanField(
        _("may write"),
        default=False,
        help_text=_("May send awards decided outside the application."),
    )
    token_digest = models.CharField(_("token digest"), max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(
        _("token prefix"),
        max_length=8,
        editable=False,
        help_text=_("The first characters of the token, to recognise it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(name="apiclient_digest_present", condition=~Q(token_digest="")),
        ]

    def __str__(self):
        return self.name

    # What Django REST framework asks of ``request.user``.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def is_national(self) -> bool:
        return self.province_id is None


class ApiCall(models.Model):
    """One call to the API: who, what, the answer's status and when."""

    client = models.ForeignKey(
        ApiClient,
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        help_text=_("Empty: the call carried no valid token."),
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    status = models.PositiveSmallIntegerField(_("status"))
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.method} {self.path} {self.status}"
