"""The audit log: who did what, when, to what, and why (issue 9, point 7).

It records what staff, editors, space facilitators and organisation admins do
to other people's things: moderation, membership decisions, space settings,
leavers, the editorial workflow and edits in the Wagtail admin. Members'
ordinary acts (posting, reacting, uploading their own documents) are not
recorded.

How the apps reach it: they do not. The audit app *listens*, like
notifications and search ("apps in their rooms", DESIGN.md): no app imports
`audit`. There is one rule for every source: a receiver here writes the entry
*inside the transaction of the act it records*, so the act and its entry
commit together or not at all. The sources are:

1. The acting apps' own events, sent synchronously from their services
   inside the atomic block, all with the same keyword arguments
   (actor, action, target, space, reason, detail):
   `spaces.signals.facilitator_acted`, `forums.signals.moderator_acted`,
   `people.signals.admin_acted`.
2. Logs the apps already keep, mirrored with `post_save` rather than sending
   a second event for the same act: forums' `ModerationLog` (hide, restore,
   lock, unlock, move, dismiss a report) and Wagtail's own `PageLogEntry`
   and `ModelLogEntry`, which Wagtail writes in the same transaction as the
   act and which carry the acting user. That covers the case-study workflow
   (submit, approve, reject, publish, unpublish) and every edit staff make to
   snippets, users and groups in the admin. Wagtail's `page_published` and
   workflow signals are not used: they do not say who acted.

Entries are read in the Wagtail admin ("Audit log", audit/views.py) by
superusers and by staff given the "Can view audit entry" permission (the
Auditors group), and exported there as CSV. docs/operations.md, "Audit log".

`audit.record(...)` (audit/services.py) writes one entry, for code that has
no event to send (management commands, a one-off fix in a shell).
"""


def record(*args, **kwargs):
    """audit.services.record, importable before the app registry is ready."""
    from .services import record as _record

    return _record(*args, **kwargs)
