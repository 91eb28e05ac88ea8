"""Fill in the searchable text of documents uploaded before search read files.

manage.py extract_document_text          # documents with no text yet
manage.py extract_document_text --all    # every document with a file
"""

from django.core.management.base import BaseCommand

from search.tasks import extract_document_text
from spaces.models import Document


class Command(BaseCommand):
    help = "Extract the text of documents' current files for search."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="re-read documents that have text too"
        )

    def handle(self, *args, **options):
        documents = Document.objects.filter(current_version__isnull=False)
        if not options["all"]:
            documents = documents.filter(extracted_text="")
        done = 0
        for document_id, version_id in documents.values_list(
            "pk", "current_version_id"
        ).iterator():
            extract_document_text(document_id, version_id)
            done += 1
        with_text = (
            Document.objects.filter(current_version__isnull=False)
            .exclude(extracted_text="")
            .count()
        )
        self.stdout.write(
            f"Read {done} document(s); {with_text} now have searchable text."
        )
