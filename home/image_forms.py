"""Editors must give alt text for every image they add in the Wagtail admin.

Wagtail 7.4 keeps an image's alt text in its `description` field: rich text
and ImageChooserBlock use it (`Image.default_alt_text`), and ImageBlock and
the rich text image dialog start from it (they also let an editor mark one
use of an image as decorative). Wagtail leaves it optional and falls back
to the title, which is a file name more often than a description, so here it
is required. Settings name this form in WAGTAILIMAGES_IMAGE_FORM_BASE; it is
the base of every image form in the admin: add, edit, bulk upload, chooser.
"""

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
