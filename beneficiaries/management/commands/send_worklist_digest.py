"""Mail each caseworker with an e-mail address their worklist, when it has anything on it
(Django's e-mail settings: the console in development). Run daily by cron or a worker."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from accounts.roles import Role
from beneficiaries.models import Family
from beneficiaries.worklist import due_days, worklist


class Command(BaseCommand):
    help = "E-mail each caseworker the work due or overdue for their families."

    def handle(self, *args, **options):
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
        self.stdout.write(f"Worklist digests sent: {sent}")
