from django.apps import AppConfig


class CaseStudiesConfig(AppConfig):
    name = "casestudies"
    verbose_name = "Case studies and lessons"

    def ready(self):
        from . import receivers

        receivers.connect()
