"""Documents: upload, versions, downloads, the access log and every refusal."""

import pytest
from django.core.files.storage import storages

from people.models import Contribution
from spaces.models import Document, DocumentAccess, DocumentComment, DocumentVersion
from tests.factories import SpaceFactory, UserFactory, add_member
from tests.spaces.conftest import PDF, pdf_file, queries_for, text_file

pytestmark = pytest.mark.django_db


def stored_files():
    storage = storages["private"]
    found = []
    if not storage.exists("documents"):
        return found
    for folder in storage.listdir("documents")[0]:
        found += storage.listdir(f"documents/{folder}")[1]
    return found


def post_upload(client, space, **fields):
    data = {
        "title": "Evaluation plan",
        "description": "How we will measure it.",
        "marking": "official",
        "tags": "evaluation, data sharing",
        "file": pdf_file(),
    }
    data.update(fields)
    return client.post(f"/spaces/{space.slug}/documents/upload/", data)


def test_a_member_uploads_a_document(
    client, member, closed_space, django_capture_on_commit_callbacks
):
    from spaces import signals

    add_member(closed_space, member)
    client.force_login(member)
    page = client.get(f"/spaces/{closed_space.slug}/documents/upload/")
    assert 'type="file"' in page.content.decode()
    received = []

    def receiver(**kwargs):
        received.append(kwargs)

    signals.document_uploaded.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = post_upload(client, closed_space)
    finally:
        signals.document_uploaded.disconnect(receiver)
    document = Document.objects.get()
    assert response.status_code == 302
    assert (
        response["Location"] == f"/spaces/{closed_space.slug}/documents/{document.pk}/"
    )
    assert document.current_version.number == 1
    assert document.current_version.original_name == "report.pdf"
    assert document.current_version.content_type == "application/pdf"
    assert sorted(document.tags.names()) == ["data sharing", "evaluation"]
    assert received[0]["is_new_document"] is True
    assert received[0]["version"] == document.current_version
    assert Contribution.objects.filter(user=member, kind="document").exists()
    # Stored under a random name, outside any public URL.
    assert document.current_version.file.name.startswith(
        f"documents/{closed_space.pk}/"
    )
    assert "report" not in document.current_version.file.name


def test_new_versions_keep_history_and_move_current(client, member, open_space, upload):
    add_member(open_space, member)
    version1 = upload(open_space, member)
    document = version1.document
    client.force_login(member)
    for n, name in ((2, "report-v2.pdf"), (3, "report-v3.pdf")):
        response = client.post(
            f"/spaces/{open_space.slug}/documents/{document.pk}/versions/new/",
            {"file": pdf_file(name, PDF + f"% v{n}\n".encode()), "note": f"Draft {n}"},
        )
        assert response.status_code == 302
    document.refresh_from_db()
    numbers = list(document.versions.values_list("number", flat=True))
    assert numbers == [3, 2, 1]
    assert document.current_version.number == 3
    assert document.current_version.original_name == "report-v3.pdf"
    page = client.get(document.get_absolute_url()).content.decode()
    for number in (1, 2, 3):
        assert f"/documents/{document.pk}/versions/{number}/download/" in page
    old = client.get(
        f"/spaces/{open_space.slug}/documents/{document.pk}/versions/1/download/"
    )
    assert old.status_code == 200
    assert b"".join(old.streaming_content) == PDF
    assert len(stored_files()) == 3


def test_only_the_uploader_or_a_facilitator_adds_versions(
    client, member, other_member, facilitator, open_space, upload
):
    add_member(open_space, member)
    add_member(open_space, other_member)
    add_member(open_space, facilitator, "facilitator")
    document = upload(open_space, member).document
    url = f"/spaces/{open_space.slug}/documents/{document.pk}/versions/new/"
    client.force_login(other_member)
    assert client.post(url, {"file": pdf_file()}).status_code == 403
    client.force_login(facilitator)
    assert client.post(url, {"file": pdf_file()}).status_code == 302
    assert document.versions.count() == 2


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (pdf_file("setup.exe", b"MZ\x90\x00"), "not a type of file you can upload"),
        (pdf_file("empty.pdf", b""), "is empty"),
        (
            pdf_file("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 100),
            "contents are a program",
        ),
        (text_file("notes.pdf", b"just some text"), "contents are a plain text file"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    client, member, open_space, file, message
):
    add_member(open_space, member)
    client.force_login(member)
    response = post_upload(client, open_space, file=file)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "There is a problem" in body
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert stored_files() == []


def test_an_oversized_file_is_refused(client, member, open_space, settings):
    settings.COP_UPLOAD_MAX_BYTES = 100
    add_member(open_space, member)
    client.force_login(member)
    response = post_upload(client, open_space, file=text_file("big.txt", b"a" * 101))
    assert response.status_code == 400
    assert "must be 100\xa0bytes or smaller" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files() == []


def test_no_file_at_all_is_refused(client, member, open_space):
    add_member(open_space, member)
    client.force_login(member)
    response = client.post(
        f"/spaces/{open_space.slug}/documents/upload/",
        {"title": "Nothing", "marking": "official"},
    )
    assert response.status_code == 400
    assert "Choose a file to upload." in response.content.decode()
    assert not Document.objects.exists()


def test_a_bad_new_version_changes_nothing(client, member, open_space, upload):
    add_member(open_space, member)
    document = upload(open_space, member).document
    client.force_login(member)
    response = client.post(
        f"/spaces/{open_space.slug}/documents/{document.pk}/versions/new/",
        {"file": pdf_file("v2.pdf", b"\x7fELF" + b"\x00" * 50)},
    )
    assert response.status_code == 400
    assert "contents are a program" in response.content.decode()
    document.refresh_from_db()
    assert document.versions.count() == 1
    assert document.current_version.number == 1
    assert len(stored_files()) == 1


def test_a_marking_above_the_ceiling_is_refused(client, member, open_space, upload):
    add_member(open_space, member)
    client.force_login(member)
    response = post_upload(client, open_space, marking="official-sensitive")
    assert response.status_code == 400
    assert "handling ceiling is OFFICIAL" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files() == []

    document = upload(open_space, member).document
    response = client.post(
        f"/spaces/{open_space.slug}/documents/{document.pk}/edit/",
        {"title": "Renamed", "marking": "official-sensitive"},
    )
    assert response.status_code == 400
    document.refresh_from_db()
    assert document.marking == "official"
    assert document.title == "Shared report"


def test_lowering_the_ceiling_under_sensitive_documents_is_refused(
    client, member, sensitive_space, upload
):
    add_member(sensitive_space, member, "owner")
    upload(sensitive_space, member, marking="official-sensitive")
    client.force_login(member)
    response = client.post(
        f"/spaces/{sensitive_space.slug}/edit/",
        {
            "name": sensitive_space.name,
            "purpose": sensitive_space.purpose,
            "kind": "community",
            "visibility": "open",
            "ceiling": "official",
        },
    )
    assert response.status_code == 200
    assert "1 document in this space is marked OFFICIAL-SENSITIVE" in (
        response.content.decode()
    )
    sensitive_space.refresh_from_db()
    assert sensitive_space.ceiling == "official-sensitive"


def test_a_non_member_cannot_upload(client, outsider, open_space):
    client.force_login(outsider)
    response = post_upload(client, open_space)
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_download_headers_and_access_log(
    client, member, facilitator, open_space, upload
):
    add_member(open_space, member)
    add_member(open_space, facilitator, "facilitator")
    version = upload(open_space, member, file=pdf_file("Board paper: “final”.pdf"))
    client.force_login(member)
    response = client.get(version.get_download_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment; filename")
    assert "Board" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    log = DocumentAccess.objects.get()
    assert (log.user, log.version) == (member, version)

    # Facilitators see who downloaded; members do not see the log.
    page = client.get(version.document.get_absolute_url()).content.decode()
    assert "Access log" not in page
    client.force_login(facilitator)
    page = client.get(version.document.get_absolute_url()).content.decode()
    assert "Access log" in page
    assert member.display_name in page


def test_text_files_are_served_as_attachments_not_rendered(
    client, member, open_space, upload
):
    add_member(open_space, member)
    version = upload(
        open_space, member, file=text_file("page.txt", b"<script>alert(1)</script>")
    )
    client.force_login(member)
    response = client.get(version.get_download_url())
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_there_is_no_public_url_for_a_file(client, member, open_space, upload):
    add_member(open_space, member)
    version = upload(open_space, member)
    client.force_login(member)
    for url in (
        f"/media/{version.file.name}",
        f"/media/private/{version.file.name}",
        f"/no-public-url/{version.file.name}",
    ):
        assert client.get(url, follow=True).status_code == 404


def test_forged_document_and_version_ids_are_404(client, member, open_space, upload):
    add_member(open_space, member)
    document = upload(open_space, member).document
    hidden = SpaceFactory(visibility="secret")
    stranger = UserFactory()
    add_member(hidden, stranger)
    elsewhere = upload(hidden, stranger, title="Elsewhere").document
    client.force_login(member)
    base = f"/spaces/{open_space.slug}/documents"
    assert client.get(f"{base}/999999/").status_code == 404
    assert client.get(f"{base}/{document.pk}/versions/7/download/").status_code == 404
    assert client.get(f"{base}/999999/versions/1/download/").status_code == 404
    # A real document from another space, reached through this space's URL.
    assert client.get(f"{base}/{elsewhere.pk}/").status_code == 404
    assert client.get(f"{base}/{elsewhere.pk}/versions/1/download/").status_code == 404
    assert not DocumentAccess.objects.exists()


def test_downloading_after_removal_from_the_space_is_404(
    client, member, facilitator, closed_space, upload
):
    add_member(closed_space, facilitator, "owner")
    membership = add_member(closed_space, member)
    version = upload(closed_space, member)
    client.force_login(member)
    assert client.get(version.get_download_url()).status_code == 200
    client.force_login(facilitator)
    client.post(f"/spaces/{closed_space.slug}/members/{membership.pk}/remove/")
    client.force_login(member)
    assert client.get(version.get_download_url()).status_code == 404
    assert client.get(version.document.get_absolute_url()).status_code == 404
    assert DocumentAccess.objects.filter(user=member).count() == 1


def test_sensitive_document_has_banners_top_and_bottom_and_is_hidden_from_others(
    client, member, outsider, staff, sensitive_space, upload
):
    add_member(sensitive_space, member)
    secret_doc = upload(
        sensitive_space, member, title="Fraud patterns", marking="official-sensitive"
    )
    plain = upload(sensitive_space, member, title="Meeting dates")
    client.force_login(member)
    page = client.get(secret_doc.document.get_absolute_url()).content.decode()
    assert page.count('data-testid="sensitive-banner"') == 2
    first_banner = page.index('data-testid="sensitive-banner"')
    last_banner = page.rindex('data-testid="sensitive-banner"')
    assert (
        first_banner < page.index("<h1") < page.index("Version history") < last_banner
    )

    for viewer in (outsider, staff):
        client.force_login(viewer)
        listing = client.get(f"/spaces/{sensitive_space.slug}/documents/")
        assert "Meeting dates" in listing.content.decode()
        assert "Fraud patterns" not in listing.content.decode()
        assert client.get(secret_doc.document.get_absolute_url()).status_code == 404
        assert client.get(secret_doc.get_download_url()).status_code == 404
        assert client.get(plain.get_download_url()).status_code == 200


def test_secret_space_is_invisible_everywhere_to_non_members(
    client, outsider, member, secret_space, upload
):
    add_member(secret_space, member)
    version = upload(secret_space, member, title="Options appraisal")
    document = version.document
    client.force_login(outsider)
    directory = client.get("/spaces/", {"q": "Spending"}).content.decode()
    assert secret_space.name not in directory
    assert "0 spaces" in directory
    all_spaces = client.get("/spaces/", {"visibility": "secret"}).content.decode()
    assert "0 spaces" in all_spaces
    base = f"/spaces/{secret_space.slug}"
    for url in (
        f"{base}/",
        f"{base}/members/",
        f"{base}/actions/",
        f"{base}/documents/",
        f"{base}/documents/upload/",
        f"{base}/edit/",
        f"{base}/ask-to-join/",
        f"{base}/leave/",
        f"{base}/documents/{document.pk}/",
        f"{base}/documents/{document.pk}/edit/",
        f"{base}/documents/{document.pk}/versions/new/",
        version.get_download_url(),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert secret_space.name not in response.content.decode()
    for url in (f"{base}/join/", f"{base}/ask-to-join/", f"{base}/members/invite/"):
        assert client.post(url).status_code == 404
    assert not DocumentAccess.objects.exists()


def test_comments_are_rendered_safely(client, member, open_space, upload):
    add_member(open_space, member)
    document = upload(open_space, member).document
    client.force_login(member)
    response = client.post(
        f"/spaces/{open_space.slug}/documents/{document.pk}/comments/",
        {"body": "**Agreed.** <script>alert(1)</script>"},
    )
    assert response.status_code == 302
    comment = DocumentComment.objects.get()
    assert "<strong>Agreed.</strong>" in comment.body_html
    assert "<script>" not in comment.body_html
    empty = client.post(
        f"/spaces/{open_space.slug}/documents/{document.pk}/comments/", {"body": " "}
    )
    assert empty.status_code == 400
    assert DocumentComment.objects.count() == 1


def test_non_members_of_an_open_space_read_but_do_not_comment(
    client, member, outsider, open_space, upload
):
    add_member(open_space, member)
    document = upload(open_space, member).document
    client.force_login(outsider)
    page = client.get(document.get_absolute_url())
    assert page.status_code == 200
    assert "Post comment" not in page.content.decode()
    response = client.post(
        f"/spaces/{open_space.slug}/documents/{document.pk}/comments/", {"body": "Hi"}
    )
    assert response.status_code == 403
    assert not DocumentComment.objects.exists()


def test_folders_and_tags_filter_the_list(client, member, open_space, upload):
    from spaces import services

    add_member(open_space, member)
    client.force_login(member)
    client.post(
        f"/spaces/{open_space.slug}/documents/folders/new/", {"name": "Minutes"}
    )
    folder = open_space.folders.get()
    upload(open_space, member, title="March minutes", folder=folder, tags=["minutes"])
    upload(open_space, member, title="Data map", tags=["data"])
    base = f"/spaces/{open_space.slug}/documents/"
    in_folder = client.get(base, {"folder": folder.pk}).content.decode()
    assert "March minutes" in in_folder
    assert "Data map" not in in_folder
    tagged = client.get(base, {"tag": "data"}).content.decode()
    assert "Data map" in tagged
    assert "March minutes" not in tagged
    assert client.get(base, {"folder": "999999"}).status_code == 404
    # A folder of the same name twice is refused.
    with pytest.raises(Exception, match="already a folder"):
        services.folder_create(space=open_space, by=member, name="minutes")


def _documents(space, user, n, upload):
    for i in range(n):
        upload(space, user, title=f"Document {i}", tags=[f"tag{i % 3}"])


def test_document_list_query_count_does_not_grow(
    client, member, open_space, upload, django_assert_max_num_queries
):
    add_member(open_space, member)
    client.force_login(member)
    _documents(open_space, member, 2, upload)
    url = f"/spaces/{open_space.slug}/documents/"
    client.get(url)
    small = queries_for(client, url)
    _documents(open_space, member, 23, upload)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert len(response.context["page"]) == 25


def test_document_page_query_count_does_not_grow_with_versions_and_comments(
    client, member, open_space, upload, django_assert_max_num_queries
):
    from spaces import services

    add_member(open_space, member, "owner")
    document = upload(open_space, member).document
    client.force_login(member)
    client.get(document.get_absolute_url())
    small = queries_for(client, document.get_absolute_url())
    for n in range(5):
        services.document_upload(
            space=open_space, by=member, upload=pdf_file(), document=document
        )
        services.document_comment_create(document=document, by=member, body=f"C{n}")
        client.get(document.current_version.get_download_url())
    with django_assert_max_num_queries(small):
        client.get(document.get_absolute_url())


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(
    client, member, open_space, settings
):
    settings.COP_UPLOAD_MAX_BYTES = 1000
    add_member(open_space, member)
    client.force_login(member)
    response = post_upload(
        client, open_space, file=text_file("huge.txt", b"a" * 200_000)
    )
    assert response.status_code == 302
    assert response["Location"] == f"/spaces/{open_space.slug}/documents/upload/"
    page = client.get(response["Location"]).content.decode()
    assert "The file is too big: it must be 1000\xa0bytes or smaller." in page
    assert not Document.objects.exists()
    assert stored_files() == []


def test_folder_counts_leave_out_what_the_reader_cannot_see(
    client, member, outsider, sensitive_space, upload
):
    from spaces.models import Folder

    add_member(sensitive_space, member)
    folder = Folder.objects.create(space=sensitive_space, name="Data")
    upload(sensitive_space, member, title="Open figures", folder=folder)
    upload(
        sensitive_space,
        member,
        title="Case list",
        folder=folder,
        marking="official-sensitive",
    )
    url = f"/spaces/{sensitive_space.slug}/documents/"
    client.force_login(member)
    counts = {f.name: f.document_count for f in client.get(url).context["folders"]}
    assert counts == {"Data": 2}
    client.force_login(outsider)
    counts = {f.name: f.document_count for f in client.get(url).context["folders"]}
    assert counts == {"Data": 1}
