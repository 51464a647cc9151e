"""The one access mechanism every view of Mustaqil goes through.

Three policies, declared on each view:
- PUBLIC: anyone, signed in or not (login page, certificate verification);
- SIGNED_IN: any signed-in user (home dashboard, language, logout);
- PERMISSION: the role must hold `permission_required` (else 403), and records come from
  the model's `for_user(user)` queryset (a record out of scope is 404).

`AccessPolicyMiddleware` refuses any view that declares none, and the URL-policy test walks
every pattern, so a page added without a policy can neither be served nor pass CI.
"""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

PUBLIC = "public"
SIGNED_IN = "signed-in"
PERMISSION = "permission"


class PublicAccessMixin:
    """For the few pages a visitor may open without signing in."""

    access_policy = PUBLIC

    @login_not_required
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


class SignedInAccessMixin:
    """For pages every signed-in user may open; LoginRequiredMiddleware does the check."""

    access_policy = SIGNED_IN


class PermissionAccessMixin(PermissionRequiredMixin):
    """A role check: a signed-in user without `permission_required` gets 403."""

    access_policy = PERMISSION
    raise_exception = True


class ScopedAccessMixin(PermissionAccessMixin):
    """A role check plus the model's scope: objects come only from `for_user(user)`."""

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user)


def get_scoped_object_or_404(queryset, user, **lookup):
    """Fetch one record the user may see, or 404: for records a view reaches from its URL."""
    return get_object_or_404(queryset.for_user(user), **lookup)


def require_permission(user, permission: str) -> None:
    """An action inside a page (a button, a POST) that the role may not do is 403."""
    if not user.has_perm(permission):
        raise PermissionDenied


def public_view(view_func):
    """Declare a function view public."""
    view_func = login_not_required(view_func)
    view_func.access_policy = PUBLIC
    return view_func


def signed_in_view(view_func):
    """Declare a function view open to every signed-in user."""
    view_func.access_policy = SIGNED_IN
    return view_func


def access_policy_of(view_func) -> str | None:
    """The policy a resolved view declares, or None when it declares none."""
    view_class = getattr(view_func, "view_class", None)
    if view_class is not None:
        policy = getattr(view_class, "access_policy", None)
        if policy == PERMISSION and not getattr(view_class, "permission_required", None):
            return None
        return policy
    return getattr(view_func, "access_policy", None)


def is_admin_site(resolver_match) -> bool:
    """Django's admin checks staff status itself and stays superuser territory."""
    return resolver_match is not None and "admin" in resolver_match.app_names


def undeclared_views(urlconf=None) -> list[str]:
    """Every URL pattern (outside the admin) whose view declares no access policy."""
    from django.urls import URLPattern, URLResolver, get_resolver

    missing = []

    def walk(patterns, prefix, app_names):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                names = [*app_names, pattern.app_name] if pattern.app_name else app_names
                walk(pattern.url_patterns, route, names)
            elif isinstance(pattern, URLPattern):
                if "admin" in app_names:
                    continue
                if access_policy_of(pattern.callback) is None:
                    missing.append(f"/{route} -> {pattern.lookup_str}")

    walk(get_resolver(urlconf).url_patterns, "", [])
    return missing
