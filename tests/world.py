"""What the worlds of the route-walking tests share: which routes are ours,
and the URL of each of our named routes.

Two tests build a world and visit every route of ours in it: the access
walk (tests/test_access_walk.py, every role in one secret space) and the
hostile tests (tests/hostile/world.py, one organisation admin's forged
input). Each builds its own users and things, since its actors, texts and
markings are its own; `route_urls` turns them into URLs, so a route's path
is written once.
"""

from django.urls import URLPattern, URLResolver, get_resolver

# Our apps: every route they serve, named or not, is walked. Third-party
# routes (allauth, Wagtail admin/documents/core) are not ours to list.
OUR_MODULES = {
    "cop",
    "home",
    "spaces",
    "forums",
    "people",
    "casestudies",
    "notifications",
    "search",
    "audit",
}
# Their namespaces (cop and home have none) and the unnamespaced project
# routes (cop/urls.py).
OUR_NAMESPACES = OUR_MODULES - {"cop", "home"}
OUR_PROJECT_ROUTES = {"healthz", "robots_txt"}


def routes():
    """(name, route, view) for every URL pattern; an unnamed one's name is
    empty."""
    return _walk(get_resolver().url_patterns, "", None)


def _walk(patterns, prefix, namespace):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(
                pattern.url_patterns,
                prefix + str(pattern.pattern),
                pattern.namespace or namespace,
            )
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (
                f"{namespace}:{pattern.name}" if namespace else pattern.name
            )
            yield name, prefix + str(pattern.pattern), pattern.callback


def _is_ours(name, callback):
    if name in OUR_PROJECT_ROUTES or (name and name.split(":")[0] in OUR_NAMESPACES):
        return True
    module = getattr(callback, "__module__", "") or ""
    return module.split(".")[0] in OUR_MODULES


def our_routes():
    """(name, route) for every route of ours, named or not."""
    return [(name, route) for name, route, view in routes() if _is_ours(name, view)]


def route_urls(
    *,
    space,
    version,  # of a document in the space
    membership,  # someone's in the space
    join_request,  # to the space
    action,
    invitation,  # to the space
    question,  # a thread in the space
    answer,  # a post in it
    flag,
    person,  # whose profile is visited, and who is asked in the forums
    organisation,  # whose page and key contacts are visited
    key_contact,
    signup,  # an invitation to the service
    introduction,
    draft,  # a draft case study
    published,  # a published case study
    notification,  # its recipient's email links are visited too
    digest_period,
    outbox_message,  # a file name in the staff outbox
    audit_entry,  # an id
    # Routes a world points at other objects than the above.
    removed_organisation=None,
    join_space=None,
    ask_space=None,
    leave_space=None,
    commented=None,  # a version
    to_lock=None,
    to_move=None,
    own_post=None,  # edited, and its history read
    to_hide=None,  # hidden and restored
    managed=None,  # the person staff manage
):
    """Route name -> URL for every named route of ours, in `space` and at
    the objects given."""
    from notifications.emails import digest_view_token, unsubscribe_token
    from notifications.models import Kind

    base = f"/spaces/{space.slug}"
    doc = f"{base}/documents/{version.document_id}"
    commented_doc = f"{base}/documents/{(commented or version).document_id}"
    handle = person.profile.handle
    managed_handle = (managed or person).profile.handle
    org = f"/people/organisations/{organisation.slug}"
    removed = removed_organisation or organisation
    to_lock, to_move = to_lock or question, to_move or question
    own_post, to_hide = own_post or answer, to_hide or answer
    reader = notification.recipient_id
    return {
        "healthz": "/healthz",
        "robots_txt": "/robots.txt",
        # spaces
        "spaces:directory": "/spaces/",
        "spaces:create": "/spaces/new/",
        "spaces:invitation": invitation.get_absolute_url(),
        "spaces:detail": f"{base}/",
        "spaces:edit": f"{base}/edit/",
        "spaces:organisation_set": f"{base}/organisations/",
        "spaces:organisation_remove": f"{base}/organisations/{removed.pk}/remove/",
        "spaces:join": f"/spaces/{(join_space or space).slug}/join/",
        "spaces:ask_to_join": f"/spaces/{(ask_space or space).slug}/ask-to-join/",
        "spaces:leave": f"/spaces/{(leave_space or space).slug}/leave/",
        "spaces:members": f"{base}/members/",
        "spaces:invite": f"{base}/members/invite/",
        "spaces:member_role": f"{base}/members/{membership.pk}/role/",
        "spaces:member_remove": f"{base}/members/{membership.pk}/remove/",
        "spaces:join_request_decide": f"{base}/requests/{join_request.pk}/approve/",
        "spaces:actions": f"{base}/actions/",
        "spaces:action_edit": f"{base}/actions/{action.pk}/edit/",
        "spaces:documents": f"{base}/documents/",
        "spaces:folder_create": f"{base}/documents/folders/new/",
        "spaces:upload": f"{base}/documents/upload/",
        "spaces:document": f"{doc}/",
        "spaces:document_edit": f"{doc}/edit/",
        "spaces:comment_create": f"{commented_doc}/comments/",
        "spaces:new_version": f"{doc}/versions/new/",
        "spaces:download": version.get_download_url(),
        # forums
        "forums:index": "/forums/",
        "forums:guidelines": "/forums/guidelines/",
        "forums:ask": f"/forums/ask/?to={handle}",
        "forums:space": f"/forums/spaces/{space.slug}/",
        "forums:thread_create": f"/forums/spaces/{space.slug}/new/",
        "forums:moderation": f"/forums/spaces/{space.slug}/moderation/",
        "forums:thread": f"/forums/threads/{question.pk}/",
        "forums:reply": f"/forums/threads/{question.pk}/reply/",
        "forums:posts_after": f"/forums/threads/{question.pk}/posts/",
        "forums:follow": f"/forums/threads/{question.pk}/follow/",
        "forums:lock": f"/forums/threads/{to_lock.pk}/lock/",
        "forums:move": f"/forums/threads/{to_move.pk}/move/",
        "forums:post": f"/forums/posts/{answer.pk}/",
        "forums:post_edit": f"/forums/posts/{own_post.pk}/edit/",
        "forums:react": f"/forums/posts/{answer.pk}/react/",
        "forums:report": f"/forums/posts/{answer.pk}/report/",
        "forums:accept": f"/forums/posts/{answer.pk}/accept/",
        "forums:history": f"/forums/posts/{own_post.pk}/history/",
        "forums:hide": f"/forums/posts/{to_hide.pk}/hide/",
        "forums:restore": f"/forums/posts/{to_hide.pk}/restore/",
        "forums:flag_dismiss": f"/forums/flags/{flag.pk}/dismiss/",
        # people
        "people:directory": "/people/",
        "people:how_to_join": "/people/join/",
        "people:invite": "/people/invite/",
        "people:invitation_accept": signup.get_absolute_url(),
        "people:profile_edit": "/people/me/edit/",
        "people:profile_confirm": "/people/me/confirm/",
        "people:introductions": "/people/introductions/",
        "people:introduction_decide": f"/people/introductions/{introduction.pk}/accept/",
        "people:organisations": "/people/organisations/",
        "people:organisation": f"{org}/",
        "people:key_contacts": f"{org}/key-contacts/",
        "people:key_contact_remove": f"{org}/key-contacts/{key_contact.pk}/remove/",
        "people:profile": f"/people/{handle}/",
        "people:profile_follow": f"/people/{handle}/follow/",
        "people:introduction_request": f"/people/{handle}/introduction/",
        "people:profile_manage": f"/people/{managed_handle}/manage/",
        "people:profile_leaver": f"/people/{managed_handle}/leaver/",
        # casestudies
        "casestudies:index": "/case-studies/",
        "casestudies:start": "/case-studies/contribute/",
        "casestudies:overview": f"/case-studies/contribute/{draft.pk}/",
        "casestudies:check": f"/case-studies/contribute/{draft.pk}/check/",
        "casestudies:step": f"/case-studies/contribute/{draft.pk}/story/",
        "casestudies:mine": "/case-studies/mine/",
        "casestudies:adoption": f"/case-studies/reused/{published.pk}/",
        "casestudies:feed": "/case-studies/feed/",
        "casestudies:atom": "/case-studies/feed/atom/",
        # notifications
        "notifications:index": "/notifications/",
        "notifications:mark_read": f"/notifications/{notification.pk}/read/",
        "notifications:mark_all_read": "/notifications/read-all/",
        "notifications:preferences": "/notifications/preferences/",
        "notifications:unsubscribe": (
            f"/notifications/unsubscribe/{unsubscribe_token(reader, Kind.REPLY)}/"
        ),
        "notifications:digest_preview": "/notifications/digest/preview/",
        "notifications:digest_view": (
            f"/notifications/digest/view/{digest_view_token(reader, digest_period)}/"
        ),
        "notifications:outbox": "/notifications/outbox/",
        "notifications:outbox_message": f"/notifications/outbox/{outbox_message}/1/",
        # search
        "search:search": "/search/",
        "search:suggest": "/search/suggest/",
        "search:similar": "/search/similar/",
        "search:similar_open": "/search/similar/open/",
        "search:similar_report": "/search/similar/report/",
        # The audit log, in the Wagtail admin.
        "audit:index": "/admin/audit/",
        "audit:index_results": "/admin/audit/results/",
        "audit:inspect": f"/admin/audit/inspect/{audit_entry}/",
    }
