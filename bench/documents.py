"""Documents: a space's document list with 1,000 documents, and 10 MB uploads.

Three parts, on the benchmark database (PostgreSQL, DEBUG off):

1. Setup, in a Django subprocess (`python -m bench.documents setup`): a
   closed space holding 1,000 documents (with versions and tags), a member
   signed in, and the number of queries the list page takes on its first
   and its last page (from Django's test client, so the count is exact).
2. Requests per second for the list's first page and a page deep in the
   list, with wrk sending the member's session cookie, against one server
   process (gunicorn, else uvicorn: the same command lines as `serving`).
3. Upload throughput: a 10 MB file posted through the upload form over HTTP
   (multipart parsing, the checks in spaces.files, hashing, private storage),
   several times in a row; then the uploaded documents are deleted.

The Python load generator cannot send cookies, so without wrk part 2 is
reported as skipped rather than measured against the sign-in redirect.
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
import uuid

from bench import register
from bench.harness import (
    BASE_DIR,
    cpu_snapshot,
    cpu_use,
    free_port,
    log,
    server,
)

SPACE_SLUG = "bench-documents"
DOCUMENTS = 1000
PAGE_SIZE = 25
UPLOAD_BYTES = 10 * 1024 * 1024
UPLOADS = 5
BENCH_EMAIL = "bench-documents@bench.invalid"
TITLE_PREFIX = "Bench upload"


# --- the Django side (runs in a subprocess with the benchmark environment) ---


def _setup():
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from people.models import Organisation, Profile, User
    from spaces.models import (
        Document,
        DocumentVersion,
        Membership,
        Space,
        TaggedDocument,
    )

    organisation, _ = Organisation.objects.get_or_create(
        name="Benchmark Department", defaults={"abbreviation": "BENCH", "type": "unit"}
    )
    user, _ = User.objects.get_or_create(
        email=BENCH_EMAIL, defaults={"first_name": "Bench", "last_name": "Member"}
    )
    Profile.objects.update_or_create(user=user, defaults={"organisation": organisation})
    space, _ = Space.objects.update_or_create(
        slug=SPACE_SLUG,
        defaults={
            "name": "Benchmark documents",
            "purpose": "Holds the documents the benchmark lists.",
            "visibility": "closed",
            "lead_organisation": organisation,
        },
    )
    Membership.objects.update_or_create(
        space=space, user=user, defaults={"role": "owner"}
    )
    have = Document.objects.filter(space=space).exclude(title__startswith=TITLE_PREFIX)
    missing = DOCUMENTS - have.count()
    if missing > 0:
        from taggit.models import Tag

        now = timezone.now()
        documents = Document.objects.bulk_create(
            Document(
                space=space,
                title=f"Benchmark document {n}",
                description="A document for the benchmark.",
                created_by=user,
                created_at=now,
                updated_at=now,
            )
            for n in range(missing)
        )
        versions = DocumentVersion.objects.bulk_create(
            DocumentVersion(
                document=document,
                number=1,
                file=f"documents/{space.pk}/bench-missing-file",
                original_name=f"document-{document.pk}.pdf",
                content_type="application/pdf",
                size=12345,
                sha256="0" * 64,
                uploaded_by=user,
            )
            for document in documents
        )
        for document, version in zip(documents, versions, strict=True):
            document.current_version = version
        Document.objects.bulk_update(documents, ["current_version"])
        tags = [
            Tag.objects.get_or_create(name=name, defaults={"slug": name})[0]
            for name in ("evaluation", "minutes", "data", "finance", "policy")
        ]
        TaggedDocument.objects.bulk_create(
            TaggedDocument(content_object=document, tag=tags[n % len(tags)])
            for n, document in enumerate(documents)
        )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = f"/spaces/{SPACE_SLUG}/documents/"
    last = -(-DOCUMENTS // PAGE_SIZE)
    queries = {}
    for label, path in (("first_page", url), ("last_page", f"{url}?page={last}")):
        client.get(path)  # warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        queries[label] = len(captured.captured_queries)
    from django.conf import settings

    return {
        "documents": Document.objects.filter(space=space).count(),
        "path": url,
        "last_page_path": f"{url}?page={last}",
        "queries": queries,
        "session_cookie": f"{settings.SESSION_COOKIE_NAME}="
        f"{client.cookies[settings.SESSION_COOKIE_NAME].value}",
    }


def _cleanup():
    from spaces.models import Document, DocumentVersion

    uploaded = DocumentVersion.objects.filter(
        document__space__slug=SPACE_SLUG, document__title__startswith=TITLE_PREFIX
    )
    removed = 0
    for version in uploaded:
        version.file.delete(save=False)
        removed += 1
    Document.objects.filter(
        space__slug=SPACE_SLUG, title__startswith=TITLE_PREFIX
    ).delete()
    return {"removed_uploads": removed}


def _django_main(command):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop.settings.dev")
    django.setup()
    result = {"setup": _setup, "cleanup": _cleanup}[command]()
    print(json.dumps(result))


def _run_django(env, command):
    completed = subprocess.run(
        [sys.executable, "-m", "bench.documents", command],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"bench.documents {command} failed: {completed.stderr[-2000:]}"
        )
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- the harness side ---------------------------------------------------------


def _server_command(ctx, port):
    from bench.serving import commands

    available = commands(port, ctx.workers)
    for name in ("gunicorn", "uvicorn"):
        if name in ctx.servers and name in available:
            return name, available[name]
    return "gunicorn", available["gunicorn"]


def _wrk(ctx, port, path, cookie):
    from bench.loadgen import REQUEST_TIMEOUT_S, parse_wrk_output, summary

    executable = getattr(ctx.generator, "executable", None)
    command = [
        executable,
        "--latency",
        "-t1",
        f"-c{ctx.concurrency}",
        f"-d{max(1, round(ctx.duration))}s",
        f"--timeout={int(REQUEST_TIMEOUT_S)}s",
        "-H",
        f"Cookie: {cookie}",
        f"http://127.0.0.1:{port}{path}",
    ]
    if ctx.warmup > 0:
        warm = [*command]
        warm[4] = f"-d{max(1, round(ctx.warmup))}s"
        subprocess.run(warm, capture_output=True, timeout=ctx.warmup + 60, check=False)
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=ctx.duration + REQUEST_TIMEOUT_S + 30,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr}")
    parsed = parse_wrk_output(done.stdout)
    return summary(
        generator=ctx.generator.name,
        requests=parsed["requests"],
        seconds=parsed["seconds"],
        p50_ms=parsed["percentiles_ms"].get(50),
        p99_ms=parsed["percentiles_ms"].get(99),
        mean_ms=parsed["mean_ms"],
        max_ms=parsed["max_ms"],
        errors=parsed["errors"],
    )


def _get(port, path, cookie):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
        return response.status, response.read().decode(), cookies


def _multipart(fields, file_field, filename, data):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
    )
    parts.append(data)
    parts.append(f"\r\n--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def _upload_once(port, cookie, n, data):
    path = f"/spaces/{SPACE_SLUG}/documents/upload/"
    status, html, set_cookies = _get(port, path, cookie)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    csrf_cookie = next(
        (c.split(";")[0] for c in set_cookies if c.startswith("csrftoken=")), ""
    )
    if status != 200 or not token:
        raise RuntimeError(f"upload form answered {status} without a CSRF token")
    content_type, body = _multipart(
        {
            "csrfmiddlewaretoken": token[1],
            "title": f"{TITLE_PREFIX} {n}",
            "marking": "official",
        },
        "file",
        f"bench-{n}.pdf",
        data,
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=body,
        method="POST",
        headers={
            "Cookie": f"{cookie}; {csrf_cookie}" if csrf_cookie else cookie,
            "Content-Type": content_type,
        },
    )
    started = time.perf_counter()
    # urllib follows the redirect to the new document's page: that page is
    # part of what the member waits for.
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
        final = response.geturl()
    seconds = time.perf_counter() - started
    if "/documents/upload/" in final:
        raise RuntimeError("the upload was refused (the form came back)")
    return seconds


def _pdf_of_size(size):
    head = b"%PDF-1.4\n% benchmark upload\n"
    tail = b"\n%%EOF\n"
    filler = (b"0123456789abcdef" * (size // 16 + 1))[: size - len(head) - len(tail)]
    return head + filler + tail


@register(
    "documents",
    "document list with 1,000 documents (req/s, queries) and 10 MB upload throughput",
)
def documents(ctx):
    log("documents: preparing 1,000 documents")
    setup = _run_django(ctx.env, "setup")
    cookie = setup.pop("session_cookie")
    port = free_port()
    name, command = _server_command(ctx, port)
    result = {"setup": {**setup, "server": name, "workers": ctx.workers}}
    errors = 0
    try:
        with server(name, command, ctx.env, port) as running:
            if getattr(ctx.generator, "executable", None):
                for label, path in (
                    ("list_first_page", setup["path"]),
                    ("list_last_page", setup["last_page_path"]),
                ):
                    before = cpu_snapshot()
                    run = _wrk(ctx, port, path, cookie)
                    server_cpu, other_cpu = cpu_use(
                        before, cpu_snapshot(), running.process.pid, os.getpgrp()
                    )
                    # CPU per request is steadier than req/s on a shared machine.
                    run["server_cpu_ms_per_request"] = (
                        round(server_cpu * 1000 / run["requests"], 1)
                        if run["requests"]
                        else None
                    )
                    run["other_load_cores"] = round(
                        other_cpu / max(run["seconds"], 0.01), 2
                    )
                    run["queries"] = setup["queries"][label.removeprefix("list_")]
                    run["server_log_errors"] = running.log_errors()
                    errors += run["errors"] + run["server_log_errors"]
                    result[label] = run
                    log(
                        f"documents {label}: {run['rps']} req/s, p50 {run['p50_ms']} "
                        f"ms, p99 {run['p99_ms']} ms, {run['queries']} queries, "
                        f"server CPU {run['server_cpu_ms_per_request']} ms/request, "
                        f"other load {run['other_load_cores']} cores"
                    )
            else:
                result["list_first_page"] = {
                    "skipped": "needs wrk to send the session cookie"
                }
            data = _pdf_of_size(UPLOAD_BYTES)
            timings = [_upload_once(port, cookie, n, data) for n in range(UPLOADS)]
            best = min(timings)
            result["upload_10mb"] = {
                "uploads": UPLOADS,
                "bytes": UPLOAD_BYTES,
                "seconds": [round(t, 3) for t in timings],
                "best_s": round(best, 3),
                "median_s": round(sorted(timings)[len(timings) // 2], 3),
                "mb_per_s_best": round(UPLOAD_BYTES / 1048576 / best, 1),
            }
            log(
                f"documents upload 10 MB: best {best:.3f} s "
                f"({result['upload_10mb']['mb_per_s_best']} MB/s)"
            )
    except (RuntimeError, OSError) as exc:  # OSError: urllib's HTTP errors
        log(f"documents failed: {exc}")
        result["error"] = str(exc)
    finally:
        result["cleanup"] = _run_django(ctx.env, "cleanup")
    first = result.get("list_first_page", {})
    result["ok"] = "error" not in result and errors == 0
    if "rps" in first:
        result["conclusion"] = (
            f"{setup['documents']} documents: the list serves {first['rps']:.0f} "
            f"req/s (p99 {first['p99_ms']} ms) in {first['queries']} queries on "
            f"page 1 and {setup['queries']['last_page']} on the last page; a 10 MB "
            f"upload takes {result.get('upload_10mb', {}).get('best_s')} s."
        )
    return result


if __name__ == "__main__":
    _django_main(sys.argv[1])
