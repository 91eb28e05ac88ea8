"""Fixtures for notification and digest tests: content made straight through
the ORM (not the content apps' services), so these tests depend only on the
models and the signals contract."""

import pytest
from django.utils import timezone

from tests.factories import UserFactory, add_member


def make_thread(space, author, *, title="Sharing data between councils", **extra):
    from forums.models import Thread

    extra.setdefault("marking", "official")
    return Thread.objects.create(space=space, author=author, title=title, **extra)


def make_post(thread, author, body="A reply"):
    from forums.models import Post

    return Post.objects.create(thread=thread, author=author, body=body)


def make_document(space, by, *, title="Evaluation plan", marking="official", **extra):
    from spaces.models import Document

    return Document.objects.create(
        space=space, created_by=by, title=title, marking=marking, **extra
    )


def send_document_uploaded(document, by):
    """What spaces sends on commit after an upload: a real stored version."""
    from django.core.files.base import ContentFile

    from spaces.models import DocumentVersion
    from spaces.signals import document_uploaded

    version = DocumentVersion.objects.create(
        document=document,
        number=document.versions.count() + 1,
        file=ContentFile(b"plain text", name="plan.txt"),
        original_name="plan.txt",
        content_type="text/plain",
        size=10,
        sha256="0" * 64,
        uploaded_by=by,
    )
    document_uploaded.send(
        sender=type(document),
        document=document,
        version=version,
        uploaded_by=by,
        is_new_document=True,
    )
    return version


@pytest.fixture
def third_member(db, other_organisation):
    return UserFactory(
        email="sam@leics.gov.uk",
        first_name="Sam",
        last_name="Patel",
        organisation=other_organisation,
    )


@pytest.fixture
def thread(open_space, member):
    add_member(open_space, member)
    return make_thread(open_space, member)


@pytest.fixture
def now():
    return timezone.now()
