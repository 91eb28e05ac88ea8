"""Events spaces sends upward (connected in notifications' AppConfig.ready).

Sent from `transaction.on_commit`, so receivers see saved rows.
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
