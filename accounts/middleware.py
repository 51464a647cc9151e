import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.access import access_policy_of, is_admin_site


class AccessPolicyMiddleware:
    """Deny by default: a view that declares no access policy is never served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_admin_site(request.resolver_match):
            return None
        if access_policy_of(view_func) is None:
            raise PermissionDenied("This page declares no access policy.")
        return None


SESSION_STARTED = "_session_started"
SESSION_SEEN = "_session_seen"
# The last-seen stamp is rewritten at most this often, so most requests write no session.
SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Sign out a session idle for SESSION_IDLE_TIMEOUT seconds, or older than
    SESSION_COOKIE_AGE since sign-in however busy: rewriting the last-seen stamp would
    otherwise keep extending Django's own expiry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED)
            seen = request.session.get(SESSION_SEEN)
            if started is None or seen is None:
                # A session from before this middleware, or a test's force_login.
                request.session[SESSION_STARTED] = started = started or now
                request.session[SESSION_SEEN] = seen = now
            if (
                now - seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect_to_login(request.get_full_path())
            if now - seen >= SEEN_RESOLUTION:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


def stamp_session_start(sender, request, user, **kwargs):
    """user_logged_in: a new session's clock starts at sign-in."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_STARTED] = now
        request.session[SESSION_SEEN] = now
