"""Events spaces sends upward (connected in notifications' and audit's
AppConfig.ready).

Sent from `transaction.on_commit`, so receivers see saved rows; except
`facilitator_acted`, sent inside the transaction (see below).
"""

from django.dispatch import Signal

# kwargs: document, version, uploaded_by, is_new_document (bool).
document_uploaded = Signal()

# kwargs: membership (spaces.models.Membership), space, user.
member_joined = Signal()

# kwargs: invitation (spaces.models.SpaceInvitation).
member_invited = Signal()

# kwargs: join_request (spaces.models.JoinRequest).
join_requested = Signal()

# Sent synchronously INSIDE the service's transaction (unlike the events
# above), when a facilitator acts on other people's membership or on the
# space: listeners (the audit log) write in the same transaction.
# kwargs: actor, action ("spaces.member.remove"), target (model instance),
# space, reason (str), detail (dict: ids, settings, old and new values; never
# text from an OFFICIAL-SENSITIVE item).
facilitator_acted = Signal()
