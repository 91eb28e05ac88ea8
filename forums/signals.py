"""Events forums sends upward. `notifications` (and anyone else) connects to
them in its AppConfig.ready; forums never imports notifications.

Every signal is sent from `transaction.on_commit`, so receivers see saved rows;
except `moderator_acted`, sent inside the transaction (see below).
"""

from django.dispatch import Signal

# kwargs: post (forums.models.Post), thread, author, mentioned (list of Users,
# excluding the author), is_first_post (bool: the post opened the thread).
post_created = Signal()

# kwargs: post, thread, answered_by (the post's author), accepted_by.
answer_accepted = Signal()

# Sent synchronously INSIDE the service's transaction when a moderator acts
# where forums' ModerationLog does not record it (accepting an answer for the
# asker). Same kwargs as spaces.signals.facilitator_acted: actor, action,
# target, space, reason, detail.
moderator_acted = Signal()
