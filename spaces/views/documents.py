"""Documents: the list, a document's page, uploads and the download view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import access, selectors, services
from ..forms import (
    CommentForm,
    DocumentEditForm,
    DocumentUploadForm,
    FolderForm,
    NewVersionForm,
)
from ..models import Document, Folder
from .common import (
    add_errors,
    page_of,
    querystring_without_page,
    readable_space_or_403,
    space_context,
    space_or_404,
)


def _upload_context():
    from django.conf import settings

    return {
        "accept": ",".join(f".{ext}" for ext in settings.COP_UPLOAD_EXTENSIONS),
        "max_bytes": settings.COP_UPLOAD_MAX_BYTES,
    }


def _too_large(request):
    """Refuse a request body far over the limit before reading it, so an
    oversized upload never reaches the disk (smaller excess is caught, with
    the same message, by spaces.files once the file is read)."""
    from django.conf import settings
    from django.template.defaultfilters import filesizeformat

    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    # The form's other fields and the multipart framing need a little room.
    if request.method == "POST" and length > settings.COP_UPLOAD_MAX_BYTES + 65536:
        messages.error(
            request,
            f"The file is too big: it must be "
            f"{filesizeformat(settings.COP_UPLOAD_MAX_BYTES)} or smaller.",
        )
        return redirect(request.path)
    return None


def _document_or_404(request, slug, document_id):
    """The document if the member may read it; 404 for anything else, so a
    forged id or a sensitive document never shows that it exists."""
    space = space_or_404(request, slug)
    document = access.get_visible_item_or_404(
        Document.objects.filter(space=space).select_related(
            "current_version", "created_by", "folder"
        ),
        request.user,
        pk=document_id,
    )
    document.space = space  # shares the membership cache
    return space, document


@login_required
def document_list(request, slug):
    space = readable_space_or_403(request, slug)
    folder = None
    folder_id = request.GET.get("folder", "")
    if folder_id:
        folder = (
            Folder.objects.filter(space=space, pk=folder_id).first()
            if (folder_id.isdigit())
            else None
        )
        if folder is None:
            raise Http404("No such folder.")
    tag = request.GET.get("tag", "")[:100]
    documents = selectors.space_documents(space, request.user, folder=folder, tag=tag)
    context = space_context(request, space, "documents")
    context.update(
        page=page_of(request, documents),
        querystring=querystring_without_page(request),
        folders=selectors.space_folders(space, request.user),
        tags=selectors.space_tags(space, request.user),
        folder=folder,
        tag=tag,
        folder_form=FolderForm() if context["can_post"] else None,
    )
    return render(request, "spaces/documents.html", context)


@login_required
@require_POST
def folder_create(request, slug):
    space = readable_space_or_403(request, slug)
    form = FolderForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Enter a name for the folder.")
        folder = services.folder_create(
            space=space, by=request.user, name=form.cleaned_data["name"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("spaces:documents", space.slug)
    messages.success(request, f"Folder “{folder.name}” created.")
    return redirect(f"{space.get_absolute_url()}documents/?folder={folder.pk}")


@login_required
def upload(request, slug):
    space = readable_space_or_403(request, slug)
    if not access.can_post(request.user, space):
        raise PermissionDenied("Only members of the space can upload documents.")
    if refused := _too_large(request):
        return refused
    form = DocumentUploadForm(request.POST or None, request.FILES or None, space=space)
    if request.method == "GET" and request.GET.get("folder", "").isdigit():
        form.initial["folder"] = request.GET["folder"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.document_upload(
                space=space,
                by=request.user,
                upload=data["file"],
                title=data["title"],
                description=data["description"],
                marking=data["marking"],
                folder=data["folder"],
                tags=data["tags"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"“{version.document.title}” uploaded.")
            return redirect(version.document)
    context = space_context(request, space, "documents")
    context.update(form=form, **_upload_context())
    return render(
        request, "spaces/upload.html", context, status=400 if form.errors else 200
    )


@login_required
def document_detail(request, slug, document_id):
    space, document = _document_or_404(request, slug, document_id)
    context = space_context(request, space, "documents")
    can_facilitate = context["can_facilitate"]
    context.update(
        document=document,
        versions=selectors.document_versions(document),
        comments=selectors.document_comments(document),
        comment_form=CommentForm() if context["can_post"] else None,
        can_manage=access.can_manage_documents(request.user, document),
        accesses=selectors.document_accesses(document) if can_facilitate else None,
        tags=list(document.tags.all()),
    )
    return render(request, "spaces/document.html", context)


@login_required
@require_POST
def comment_create(request, slug, document_id):
    space, document = _document_or_404(request, slug, document_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.document_comment_create(
                document=document, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Comment added.")
            return redirect(f"{document.get_absolute_url()}#comments")
    context = space_context(request, space, "documents")
    if not context["can_post"]:
        raise PermissionDenied("Only members of the space can comment.")
    context.update(
        document=document,
        versions=selectors.document_versions(document),
        comments=selectors.document_comments(document),
        comment_form=form,
        can_manage=access.can_manage_documents(request.user, document),
        accesses=(
            selectors.document_accesses(document) if context["can_facilitate"] else None
        ),
        tags=list(document.tags.all()),
    )
    return render(request, "spaces/document.html", context, status=400)


def _managed_document(request, slug, document_id):
    space, document = _document_or_404(request, slug, document_id)
    if not access.can_manage_documents(request.user, document):
        raise PermissionDenied(
            "Only the person who added this document or a facilitator can change it."
        )
    return space, document


@login_required
def new_version(request, slug, document_id):
    space, document = _managed_document(request, slug, document_id)
    if refused := _too_large(request):
        return refused
    form = NewVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.document_upload(
                space=space,
                by=request.user,
                upload=form.cleaned_data["file"],
                document=document,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                f"Version {version.number} uploaded: it is now the current one.",
            )
            return redirect(document)
    context = space_context(request, space, "documents")
    context.update(form=form, document=document, **_upload_context())
    return render(
        request, "spaces/new_version.html", context, status=400 if form.errors else 200
    )


@login_required
def document_edit(request, slug, document_id):
    space, document = _managed_document(request, slug, document_id)
    initial = {
        "title": document.title,
        "description": document.description,
        "marking": document.marking,
        "folder": document.folder_id,
        "tags": ", ".join(document.tags.names()),
    }
    form = DocumentEditForm(request.POST or None, initial=initial, space=space)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(
                document=document, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Document details saved.")
            return redirect(document)
    context = space_context(request, space, "documents")
    context.update(form=form, document=document)
    return render(
        request,
        "spaces/document_edit.html",
        context,
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def download(request, slug, document_id, number):
    """Stream a version from private storage, after the access check."""
    space, document = _document_or_404(request, slug, document_id)
    version = document.versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version.")
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing from storage.") from None
    services.document_access_record(version=version, user=request.user)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
