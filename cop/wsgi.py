import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop.settings.dev")
application = get_wsgi_application()

from cop.memory import freeze_startup_objects  # noqa: E402

freeze_startup_objects()
