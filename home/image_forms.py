"""Editors must give alt text for every image they add in the Wagtail admin.

Wagtail 7.4 keeps an image's alt text in its `description` field: rich text
and ImageChooserBlock use it (`Image.default_alt_text`), and ImageBlock and
the rich text image dialog start from it (they also let an editor mark one
use of an image as decorative). Wagtail leaves it optional and falls back
to the title, which is a file name more often than a description, so here it
is required. Settings name this form in WAGTAILIMAGES_IMAGE_FORM_BASE; it is
the base of every image form in the admin: add, edit, bulk upload, chooser.
"""

from django.core.exceptions import ValidationError
from PIL import Image
from wagtail.images.forms import BaseImageForm

ALT_TEXT_REQUIRED = "Enter alt text: describe the image for someone who cannot see it"


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        alt = self.fields.get("description")
        if alt is not None:
            alt.required = True
            alt.label = "Alt text"
            alt.help_text = (
                "What the image shows, for someone who cannot see it, in a "
                "sentence or two. Screen readers read it out; it is also shown "
                "if the image does not load."
            )
            alt.error_messages["required"] = ALT_TEXT_REQUIRED
        file_field = self.fields.get("file")
        if file_field is not None and hasattr(file_field, "check_image_pixel_size"):
            file_field.check_image_pixel_size = _refusing_bombs(
                file_field.check_image_pixel_size, file_field
            )


def _refusing_bombs(check, field):
    """Wagtail counts an image's pixels by opening it with Pillow, which
    raises (not a validation error: a server error) for a file claiming more
    than twice Pillow's own limit: a "decompression bomb". Refuse those as
    Wagtail refuses any other image with too many pixels."""

    def checked(upload):
        try:
            return check(upload)
        except Image.DecompressionBombError as exc:
            raise ValidationError(
                "This file has too many pixels. The most it can have is "
                f"{field.max_image_pixels:,}.",
                code="file_too_many_pixels",
            ) from exc

    return checked
