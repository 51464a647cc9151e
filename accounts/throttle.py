"""Login throttling beyond axes' lock per username.

axes locks a username after AXES_FAILURE_LIMIT failures. That alone never stops one
password tried once against every user (a "password spray"), so two more locks, each
counted over axes' cool-off period, make the same 429 answer:
- an **address** from which sign-in failed for LOGIN_LOCK_USERNAMES distinct usernames is
  locked (for every username); a colleague mistyping their own password many times counts
  as one username, so a shared office connection is not locked by ordinary mistakes;
- a **password** that failed for LOGIN_LOCK_USERNAMES distinct usernames is refused from
  any address, even for a user whose password it is.

Failed passwords are kept only as a keyed fingerprint (HMAC-SHA256 with SECRET_KEY), and
only for the cool-off period.
"""

import hashlib
import hmac

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings

from accounts.models import FailedPassword


def password_fingerprint(password: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), b"failed-login:" + password.encode(), hashlib.sha256
    ).hexdigest()


def _password(request, credentials) -> str | None:
    """The password tried: the backend sees it in the credentials; the failure signal only
    gets them cleansed, so there it is read from the sign-in form."""
    password = (credentials or {}).get("password")
    if password and set(password) != {"*"}:
        return password
    if request is not None and request.method == "POST":
        return request.POST.get(settings.AXES_PASSWORD_FORM_FIELD) or None
    return None


class LoginThrottleHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures < limit and (
            self.address_is_spraying(request) or self.password_is_sprayed(request, credentials)
        ):
            return limit
        return failures

    def address_is_spraying(self, request) -> bool:
        usernames = (
            AccessAttempt.objects.filter(
                ip_address=request.axes_ip_address,
                attempt_time__gte=get_cool_off_threshold(request),
            )
            .values("username")
            .distinct()
            .count()
        )
        return usernames >= settings.LOGIN_LOCK_USERNAMES

    def password_is_sprayed(self, request, credentials) -> bool:
        password = _password(request, credentials)
        if not password:
            return False
        usernames = (
            FailedPassword.objects.filter(
                fingerprint=password_fingerprint(password),
                attempt_time__gte=get_cool_off_threshold(request),
            )
            .values("username")
            .distinct()
            .count()
        )
        return usernames >= settings.LOGIN_LOCK_USERNAMES

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is not None and not getattr(request, "axes_locked_out", False):
            password = _password(request, credentials)
            if password:
                FailedPassword.objects.filter(
                    attempt_time__lt=get_cool_off_threshold(request)
                ).delete()
                FailedPassword.objects.create(
                    fingerprint=password_fingerprint(password),
                    username=(get_client_username(request, credentials) or "")[:150],
                    attempt_time=request.axes_attempt_time,
                )
        super().user_login_failed(sender, credentials, request, **kwargs)

    def reset_attempts(self, **kwargs) -> int:
        # "Delete access attempts" in the admin or `axes_reset` lifts the password locks too.
        if not kwargs.get("username") and not kwargs.get("ip_address"):
            FailedPassword.objects.all().delete()
        return super().reset_attempts(**kwargs)
