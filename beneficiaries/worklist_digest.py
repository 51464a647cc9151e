"""The daily e-mail of each caseworker's worklist (Django's e-mail settings: the console in
development). Sent by `manage.py send_worklist_digest` or the worker's "morning" job."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from accounts.roles import Role
from beneficiaries.models import Family
from beneficiaries.worklist import due_days, worklist


def worklist_digests_send() -> int:
    """Mail every active caseworker with an address their worklist when it has anything on
    it; returns how many were sent."""
    today = timezone.localdate()
    caseworkers = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.CASEWORKER)
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in caseworkers:
            families = Family.objects.for_user(user).filter(caseworker=user)
            items = worklist(families, today)
            if not items:
                continue
            body = render_to_string(
                "beneficiaries/email/worklist_digest.txt",
                {
                    "user": user,
                    "items": items,
                    "today": today,
                    "days": due_days(),
                    "site": settings.SITE_URL,
                },
            )
            send_mail(
                ngettext(
                    "Your worklist: %(count)s item",
                    "Your worklist: %(count)s items",
                    len(items),
                )
                % {"count": len(items)},
                body,
                None,
                [user.email],
            )
            sent += 1
    return sent
