"""Editors cannot add an image without alt text (home/image_forms.py).

Every image enters through the Wagtail admin's image library, where alt
text (the image's description) is required; Wagtail's rich text image
dialog and ImageBlock ask again for each use, or for it to be marked
decorative. Our page models have no image fields today, and their rich
text offers no image button.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.forms import ImageInsertionForm, get_image_form
from wagtail.models import Collection, UploadedFile, get_page_models

from home.image_forms import ALT_TEXT_REQUIRED
from tests.factories import UserFactory, give_totp

pytestmark = pytest.mark.django_db

Image = get_image_model()


def png(name="chart.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def admin_client(client, organisation):
    user = give_totp(
        UserFactory(
            email="images@dwp.gov.uk",
            organisation=organisation,
            is_staff=True,
            is_superuser=True,
        )
    )
    client.force_login(user)
    return client


def _form(description, user=None):
    form_class = get_image_form(Image)
    return form_class(
        data={
            "title": "Council tax chart",
            "description": description,
            "collection": Collection.get_first_root_node().pk,
        },
        files={"file": png()},
        user=user,
    )


@pytest.mark.parametrize("description", ["", "   "])
def test_the_image_form_refuses_an_image_without_alt_text(description):
    form = _form(description)
    assert not form.is_valid()
    assert form.errors["description"] == [ALT_TEXT_REQUIRED]
    assert form.fields["description"].label == "Alt text"


def test_the_image_form_saves_an_image_with_alt_text():
    form = _form("Bar chart: claims fell from 90 days to 5.")
    assert form.is_valid(), form.errors
    image = form.save()
    assert image.description == "Bar chart: claims fell from 90 days to 5."
    assert image.default_alt_text == image.description


def test_adding_an_image_in_the_admin_without_alt_text_is_refused(admin_client):
    root = Collection.get_first_root_node().pk
    response = admin_client.post(
        "/admin/images/add/",
        {"title": "Chart", "file": png(), "collection": root, "description": ""},
    )
    assert response.status_code == 200
    assert ALT_TEXT_REQUIRED in response.content.decode()
    assert not Image.objects.exists()

    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Chart",
            "file": png(),
            "collection": root,
            "description": "Bar chart of claims by month",
        },
    )
    assert response.status_code == 302
    assert Image.objects.get().description == "Bar chart of claims by month"


def test_bulk_upload_holds_the_file_until_alt_text_is_given(admin_client):
    response = admin_client.post("/admin/images/multiple/add/", {"files[]": png()})
    assert response.status_code == 200
    assert not Image.objects.exists()
    upload = UploadedFile.objects.get()

    prefix = f"uploaded-image-{upload.pk}"
    response = admin_client.post(
        f"/admin/images/multiple/create_from_uploaded_image/{upload.pk}/",
        {f"{prefix}-title": "Chart", f"{prefix}-description": ""},
    )
    assert response.json()["success"] is False
    assert not Image.objects.exists()

    response = admin_client.post(
        f"/admin/images/multiple/create_from_uploaded_image/{upload.pk}/",
        {f"{prefix}-title": "Chart", f"{prefix}-description": "Claims by month"},
    )
    assert response.json()["success"] is True
    assert Image.objects.get().description == "Claims by month"


def test_inserting_an_image_into_rich_text_needs_alt_text_or_decorative():
    refused = ImageInsertionForm({"format": "fullwidth", "alt_text": ""})
    assert not refused.is_valid()
    assert "alt_text" in refused.errors
    assert ImageInsertionForm({"format": "fullwidth", "alt_text": "A map"}).is_valid()
    decorative = ImageInsertionForm(
        {"format": "fullwidth", "alt_text": "", "image_is_decorative": "on"}
    )
    assert decorative.is_valid()


def _rich_text_features():
    """(where, features) for every rich text field and block on our pages."""
    from wagtail.blocks import RichTextBlock, StreamBlock, StructBlock

    def blocks(block, where):
        if isinstance(block, RichTextBlock):
            yield where, block.features
        if isinstance(block, StreamBlock | StructBlock):
            for name, child in block.child_blocks.items():
                yield from blocks(child, f"{where}.{name}")

    for page_model in get_page_models():
        if page_model._meta.app_label not in {"home", "casestudies"}:
            continue
        for field in page_model._meta.get_fields():
            where = f"{page_model.__name__}.{field.name}"
            if isinstance(field, RichTextField):
                yield where, field.features
            elif isinstance(field, StreamField):
                yield from blocks(field.stream_block, where)


def test_our_rich_text_has_no_image_button_that_skips_alt_text():
    """Rich text on our pages names its features, and none offers the image
    or embed buttons today. Turning one on is a decision to make knowingly:
    the dialog asks for alt text per use (above), from the library's."""
    found = dict(_rich_text_features())
    assert "HomePage.intro" in found
    assert "CaseStudyPage.problem.paragraph" in found
    for where, features in found.items():
        assert features is not None, f"{where} uses Wagtail's default features"
        assert not {"image", "embed"} & set(features), where
