from accounts.navigation import menu_for
from accounts.roles import Role, user_roles


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "role_labels": []}
    labels = [Role(role).label for role in sorted(user_roles(user))]
    return {"menu": menu_for(user, request.path), "role_labels": labels}
