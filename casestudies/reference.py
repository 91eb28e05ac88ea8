"""Controlled vocabularies, copied from ../shared/reference (themes.csv,
success_factors_and_barriers.csv, compact_principles.csv).

Migration 0002 loads them on a new database; `vocabulary_load()` puts them back
where tests emptied the tables. Add to the end; never rename a row in place
(pages refer to rows by id, the loader matches by name).
"""

# (theme, parent theme or "")
THEMES = [
    ("Cross-government working", ""),
    ("Shared services", "Cross-government working"),
    ("Data sharing", "Cross-government working"),
    ("Joint funding and pooled budgets", "Cross-government working"),
    ("Digital and technology", ""),
    ("Digital services", "Digital and technology"),
    ("Information and records management", "Digital and technology"),
    ("Cyber and information assurance", "Digital and technology"),
    ("Service design and customer insight", ""),
    ("Policy making", ""),
    ("Evidence and evaluation", "Policy making"),
    ("Consultation and engagement", "Policy making"),
    ("Local and regional delivery", ""),
    ("Neighbourhood renewal", "Local and regional delivery"),
    ("Area-based initiatives", "Local and regional delivery"),
    ("Health and care", ""),
    ("Public health", "Health and care"),
    ("Welfare to work and employment", ""),
    ("Criminal justice", ""),
    ("Drugs and alcohol", "Criminal justice"),
    ("Children and families", ""),
    ("Child poverty", "Children and families"),
    ("Early years", "Children and families"),
    ("Climate and environment", ""),
    ("Emergencies and resilience", ""),
    ("Pandemic preparedness", "Emergencies and resilience"),
    ("Commercial and procurement", ""),
    ("Workforce and capability", ""),
    ("Secondments and mobility", "Workforce and capability"),
    ("Leadership", "Workforce and capability"),
    ("Finance and value for money", ""),
    ("Invest to save", "Finance and value for money"),
    ("Peer review and improvement", ""),
]

# (kind, label)
FACTORS = [
    ("barrier", "No relationships across government to build on"),
    ("barrier", "Territorial or competitive attitude"),
    ("barrier", "Focus on short-term delivery"),
    ("barrier", "Churn in ministerial or senior posts"),
    ("barrier", "Unclear who is responsible for outcomes"),
    ("barrier", "Difficulty finding the right people"),
    ("barrier", "Objectives reward personal not collaborative achievement"),
    ("barrier", "Risk-averse culture"),
    ("barrier", "Unclear tangible benefits to each party"),
    ("barrier", "Administrative barriers to sign-off"),
    ("barrier", "Fear of unequal funding"),
    ("barrier", "Fear of unequal resourcing"),
    ("barrier", "Changes in data-security arrangements"),
    ("success_factor", "Senior leaders setting an example"),
    ("success_factor", "Celebrating successful collaboration"),
    ("success_factor", "Collaboration in personal objectives"),
    ("success_factor", "Clear roles and responsibilities"),
    ("success_factor", "Shared vision and common interest"),
    ("success_factor", "Frequent face-to-face contact"),
    ("success_factor", "Clear scoping and terms of engagement"),
    ("success_factor", "A focal point in each organisation"),
    ("success_factor", "Dedicated resource"),
    ("success_factor", "Trust openness and honesty"),
    ("success_factor", "Keeping stakeholders updated"),
]

# (code, kind, label, meaning)
PRINCIPLES = [
    (
        "DO-1",
        "commitment",
        "Public and taxpayer first",
        "Keep the public and the taxpayer at the centre of the work",
    ),
    (
        "DO-2",
        "commitment",
        "Joined-up partnership",
        "Encourage joined-up partnership working across government",
    ),
    (
        "DO-3",
        "commitment",
        "Explain clearly",
        "Be as clear as possible about perspectives and the reasons for decisions",
    ),
    (
        "DO-4",
        "commitment",
        "Understand each other",
        "Work to understand other departments' views and priorities",
    ),
    (
        "DO-5",
        "commitment",
        "Respect capability",
        "Respect each other's capabilities and right to manage",
    ),
    (
        "DO-6",
        "commitment",
        "Share early",
        "Share information analysis solutions strategies intentions and good practice as fully and early as possible",
    ),
    (
        "DO-7",
        "commitment",
        "Spot problems early",
        "Identify problems early and look for solutions quickly",
    ),
    (
        "DO-8",
        "commitment",
        "Evidence-based",
        "Base advice on evidence and sound analysis",
    ),
    (
        "DO-9",
        "commitment",
        "Credit where due",
        "Leave responsibility and credit with whoever owns the work",
    ),
    ("AV-1", "avoid", "Losing focus", "Forgetting our own role and focus"),
    ("AV-2", "avoid", "Silos", "Working in isolation from other departments"),
    (
        "AV-3",
        "avoid",
        "Different information",
        "Working from different sets of information",
    ),
    (
        "AV-4",
        "avoid",
        "Minor details",
        "Dwelling on minor details instead of what matters",
    ),
    ("AV-5", "avoid", "Unnecessary work", "Creating work that does not need doing"),
    (
        "AV-6",
        "avoid",
        "Unreasonable deadlines",
        "Setting deadlines that cannot reasonably be met",
    ),
    ("AV-7", "avoid", "Rudeness", "Discourtesy in dealings with colleagues"),
    ("AV-8", "avoid", "Blame culture", "Blaming rather than solving problems together"),
]


def vocabulary_load(Theme, Factor, CompactPrinciple):
    """Create the reference rows (models passed in, so migrations can use it)."""
    by_name = {}
    for name, _parent in THEMES:
        by_name[name], _ = Theme.objects.get_or_create(
            name=name, defaults={"slug": _slugify(name)}
        )
    for name, parent in THEMES:
        if parent and by_name[name].parent_id != by_name[parent].pk:
            by_name[name].parent = by_name[parent]
            by_name[name].save(update_fields=["parent"])
    for kind, label in FACTORS:
        Factor.objects.get_or_create(kind=kind, label=label)
    for code, kind, label, meaning in PRINCIPLES:
        CompactPrinciple.objects.update_or_create(
            code=code, defaults={"kind": kind, "label": label, "meaning": meaning}
        )


def _slugify(name):
    from django.utils.text import slugify

    return slugify(name)[:120]
