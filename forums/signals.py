"""Events forums sends upward. `notifications` (and anyone else) connects to
them in its AppConfig.ready; forums never imports notifications.

Every signal is sent from `transaction.on_commit`, so receivers see saved rows.
"""

from django.dispatch import Signal

# kwargs: post (forums.models.Post), thread, author, mentioned (list of Users,
# excluding the author), is_first_post (bool: the post opened the thread).
post_created = Signal()

# kwargs: post, thread, answered_by (the post's author), accepted_by.
answer_accepted = Signal()
