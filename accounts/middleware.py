from django.core.exceptions import PermissionDenied

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
