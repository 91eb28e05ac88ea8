"""Case study index: requests/s with 200 case studies, signed in, under uvicorn.

The index's query count does not grow with the number of case studies
(tests/casestudies/test_index_feed_home.py), so this measures filtering
(EXISTS subqueries), pagination and card rendering. Unfiltered and filtered
(theme with its children + outcome present) are measured side by side.
"""

import json
import subprocess
import sys

from bench import register
from bench.fanout import uvicorn
from bench.harness import BASE_DIR, free_port, log, server
from bench.threads import measure

CASE_STUDIES = 200

SETUP_SCRIPT = """
import json
from django.test import Client
from casestudies.models import CaseStudyOrganisation, CaseStudyPage, OutcomeMeasure, Theme
from casestudies.services import ensure_index_pages
from people.models import Organisation, User

index, _ = ensure_index_pages()
org = Organisation.objects.order_by("pk").first() or Organisation.objects.create(
    name="Bench Organisation", abbreviation="BENCH", type="unit"
)
user, _ = User.objects.get_or_create(
    email="bench.casestudies@example.gov.uk",
    defaults={"first_name": "Bench", "last_name": "Casestudies"},
)
theme = Theme.objects.get(name="Data sharing")
have = CaseStudyPage.objects.filter(slug__startswith="bench-index-case-study-").count()
for n in range(have, __COUNT__):
    page = CaseStudyPage(
        title=f"Bench case study {n}", slug=f"bench-index-case-study-{n}",
        summary="A bench case study: what was done and what changed.",
    )
    page.themes = [theme]
    page.organisation_roles = [CaseStudyOrganisation(organisation=org, role="lead")]
    page.outcomes = [OutcomeMeasure(name="Days", baseline="90", actual="5")]
    index.add_child(instance=page)
client = Client()
client.force_login(user)
print("BENCH:" + json.dumps({"url": index.url, "cookie": client.cookies["sessionid"].value}))
"""


def bench_data(env):
    script = SETUP_SCRIPT.replace("__COUNT__", str(CASE_STUDIES))
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH:"):
            data = json.loads(line[len("BENCH:") :])
            return data["url"], f"sessionid={data['cookie']}"
    raise RuntimeError(f"bench data setup failed: {result.stderr[-2000:]}")


@register(
    "casestudies", f"case study index req/s at {CASE_STUDIES} case studies (filtered)"
)
def casestudies(ctx):
    url, cookie = bench_data(ctx.env)
    port = free_port()
    results = {}
    with server("casestudies-uvicorn", uvicorn(port), ctx.env, port):
        for label, path in (
            ("index", url),
            ("filtered", f"{url}?theme=cross-government-working&has_outcomes=on"),
        ):
            log(f"casestudies: {label}")
            results[label] = measure(port, path, cookie, ctx)
    errors = sum(run["errors"] for run in results.values())
    index, filtered = results["index"], results["filtered"]
    return {
        **results,
        "ok": errors == 0,
        "setup": {
            "case_studies": CASE_STUDIES,
            "concurrency": ctx.concurrency,
            "server": "uvicorn, 1 worker",
        },
        "conclusion": (
            f"case study index at {CASE_STUDIES}: {index['rps']} req/s "
            f"(p99 {index['p99_ms']} ms); filtered {filtered['rps']} req/s."
        ),
    }
