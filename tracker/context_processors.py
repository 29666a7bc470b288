from django.http import HttpRequest

from tracker import access


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the navigation bar shows: secretaries also get Importér and Roller."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_is_secretary": False}
    return {"nav_is_secretary": access.is_secretary(user)}
