from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """One act by a member of staff, an editor, a facilitator or an admin.

    Append-only. The labels are snapshots taken when the act happened, so an
    entry still reads well after the actor, the target or the space is
    renamed or deleted; `actor` itself is kept only while the user exists.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField("who", max_length=255)
    # A dotted code: "<app>.<thing>.<verb>" ("forums.post.hide"), or Wagtail's
    # own action names for what it logs ("wagtail.publish").
    action = models.CharField("what", max_length=100)
    target_type = models.CharField("type", max_length=100, blank=True)
    target_id = models.CharField("ID", max_length=64, blank=True)
    target_label = models.CharField("on what", max_length=255, blank=True)
    # The space's id and name, not a foreign key: the entry outlives the space.
    space_id = models.BigIntegerField("space ID", null=True, blank=True)
    space_label = models.CharField("space", max_length=150, blank=True)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    created_at = models.DateTimeField("when", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The admin's action filter, newest first.
            models.Index(fields=["action", "-created_at"], name="audit_action_when"),
        ]
        verbose_name = "audit entry"
        verbose_name_plural = "audit log"
        # Nothing to grant but reading: entries are never added, changed or
        # deleted by hand.
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.actor_label}: {self.action} {self.target_label}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries cannot be deleted.")
