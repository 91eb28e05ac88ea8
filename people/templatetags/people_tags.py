"""Template tags other apps use to show people.

    {% load people_tags %}
    {% similar_people topics as people %}
    {% similar_people page.theme_names exclude=page.owner limit=3 as people %}

`topics` is a list of theme or tag names (a single string works too). The
viewer is the request's user, so contributions in spaces they cannot see
never count.

    {% profile_confirmation_due as due %}  (the home page's banner)
"""

from django import template

from people import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def similar_people(context, topics, exclude=None, limit=5):
    request = context.get("request")
    viewer = getattr(request, "user", None) or context.get("user")
    if isinstance(topics, str):
        topics = [topics]
    if exclude is None:
        exclude = ()
    elif not isinstance(exclude, (list, tuple, set)):
        exclude = (exclude,)
    return selectors.similar_people(viewer, topics or (), exclude=exclude, limit=limit)


@register.simple_tag(takes_context=True)
def profile_confirmation_due(context):
    """The signed-in member's profile when it is time to confirm it, else None.

    For the home page's "Confirm your details" banner:
    {% profile_confirmation_due as due %}{% if due %}...{% endif %}
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return None
    profile = getattr(user, "profile", None)
    return profile if profile is not None and profile.needs_confirmation else None
