"""Events casestudies sends upward (connected in notifications' AppConfig.ready).

Sent from `transaction.on_commit`, so receivers see saved rows.
"""

from django.dispatch import Signal

# kwargs: page (CaseStudyPage), author, status ("approved" | "changes_requested"
# | "submitted"), comment (str).
case_study_reviewed = Signal()

# kwargs: page (CaseStudyPage or LessonPage) when first published.
item_published = Signal()
