"""Background work for search: reading the text out of uploaded documents."""

import logging

from celery import shared_task
from django.apps import apps
from django.conf import settings

from .extract import extract_text

logger = logging.getLogger(__name__)


@shared_task(name="search.extract_document_text", ignore_result=True)
def extract_document_text(document_id, version_id):
    """Store the text of a document's current file and re-index the document.

    Takes ids (the task may run in another process, later). An older version
    arriving after a newer one is ignored: only the current file is indexed.
    """
    from wagtail.search.index import class_is_indexed, insert_or_update_object

    Document = apps.get_model("spaces", "Document")
    document = (
        Document.objects.select_related("current_version")
        .filter(pk=document_id)
        .first()
    )
    if document is None or document.current_version_id != version_id:
        return
    version = document.current_version
    limit = getattr(settings, "COP_UPLOAD_MAX_BYTES", 25 * 1024 * 1024)
    try:
        with version.file.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        logger.warning("cannot read %s for search: %s", version, exc)
        return
    text = extract_text(data[:limit], version.original_name, version.content_type)
    Document.objects.filter(pk=document.pk).update(extracted_text=text)
    document.extracted_text = text
    if class_is_indexed(Document):
        insert_or_update_object(document)
