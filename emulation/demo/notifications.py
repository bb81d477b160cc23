"""Demo: notifications. The steps before wrote them as the year went (returns,
submissions, the ballots, the proposal and the decision); here the 2024
secretariat (Thanh tra, ``ttt.officer``) reminds Sở Tư pháp, half done, of the
self-assessment deadline, and each account keeps its three newest
notifications unread — the older ones read, as if the year had been followed.

Idempotent: the reminder is sent once; reading changes nothing a second time."""

from __future__ import annotations

from blocs.enums import ASSESSMENT_EDITABLE_STATES, Phase
from blocs.models import SelfAssessment
from blocs.selectors.assessment import today_in_vietnam
from blocs.services.assessment import assessment_remind
from emulation.demo import DemoContext
from emulation.enums import NotificationKind
from emulation.models import Notification, User
from emulation.services import notification_read

KEPT_UNREAD = 3


def run(ctx: DemoContext) -> None:
    stp_2024 = SelfAssessment.objects.filter(
        membership__agency__code="stp",
        membership__bloc_year__year__year=2024,
        membership__bloc_year__phase=Phase.SELF_ASSESSMENT,
        state__in=ASSESSMENT_EDITABLE_STATES,
    ).first()
    reminded = Notification.objects.filter(
        kind=NotificationKind.DEADLINE_REMINDER, recipient__agency__code="stp"
    ).exists()
    if stp_2024 is not None and not reminded:
        assessment_remind(
            actor=User.objects.get(username="ttt.officer"),
            assessment=stp_2024,
            today=today_in_vietnam(),
        )
    read = 0
    for user in User.objects.filter(notifications__read_at__isnull=True).distinct():
        for notification in Notification.objects.filter(recipient=user, read_at__isnull=True)[
            KEPT_UNREAD:
        ]:
            notification_read(user=user, notification=notification)
            read += 1
    ctx.log(f"  notifications: {Notification.objects.count()}, {read} marked read now")
