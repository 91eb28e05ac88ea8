"""Plain-English names for the action codes the apps send.

The codes are the record; these names are only for reading. A code missing
here (a new one, or Wagtail's) shows Wagtail's label for it, or the code.
"""

from wagtail.log_actions import registry

LABELS = {
    # forums (mirrored from ModerationLog, and forums.signals.moderator_acted)
    "forums.post.hide": "Hid a post",
    "forums.post.restore": "Restored a post",
    "forums.thread.lock": "Locked a thread",
    "forums.thread.unlock": "Unlocked a thread",
    "forums.thread.move": "Moved a thread",
    "forums.flag.dismiss": "Dismissed a report",
    "forums.answer.accept": "Accepted an answer for the asker",
    # spaces (spaces.signals.facilitator_acted)
    "spaces.space.update": "Changed a space's settings",
    "spaces.space.archive": "Archived a space",
    "spaces.space.unarchive": "Reopened an archived space",
    "spaces.organisation.set": "Added or changed a space's organisation",
    "spaces.organisation.remove": "Removed an organisation from a space",
    "spaces.member.invite": "Invited someone into a space",
    "spaces.member.remove": "Removed a member from a space",
    "spaces.member.role": "Changed a member's role in a space",
    "spaces.join_request.approve": "Approved a request to join",
    "spaces.join_request.decline": "Declined a request to join",
    "spaces.document.update": "Changed someone else's document",
    "spaces.document.version": "Uploaded a version of someone else's document",
    # people (people.signals.admin_acted)
    "people.member.leaver": "Marked a member as a leaver",
    "people.member.update": "Moved a member or changed their team",
    "people.invitation.create": "Invited someone to join",
    "people.key_contact.set": "Named a key contact",
    "people.key_contact.remove": "Removed a key contact",
}


def label_for(code):
    if code in LABELS:
        return LABELS[code]
    if registry.action_exists(code):
        return str(registry.get_action_label(code))
    return code
