"""The page tree: index -> case studies; lesson index -> lessons.

Visibility (one rule, `visible_to`, backed by spaces.access):
- anonymous visitors see only pages an editor marked public (never sensitive);
- signed-in members see OFFICIAL pages outside spaces and those in spaces they
  may read (spaces.access.visible_items / can_view);
- OFFICIAL-SENSITIVE pages must belong to a space and only its members see them.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from people.models import Organisation
from spaces.access import can_view
from spaces.models import Marking, Space

from ..blocks import NARRATIVE_BLOCKS

SUMMARY_MAX = 280


class EvidenceStrength(models.TextChoices):
    ANECDOTAL = "anecdotal", "Anecdotal: what people involved observed"
    MONITORING = "monitoring", "Monitoring data collected during the work"
    COMPARATIVE = "comparative", "Comparison with a baseline or similar areas"
    EVALUATED = "evaluated", "Independent evaluation"


class ProjectStage(models.TextChoices):
    ANY = "any", "Any stage"
    SCOPING = "scoping", "Scoping and agreeing terms"
    DELIVERY = "delivery", "Delivery"
    CLOSURE = "closure", "Closing and handing over"
    EVALUATION = "evaluation", "Evaluation"


class ChoiceListField(models.JSONField):
    """A JSON list of values from `item_choices`, edited as checkboxes."""

    def __init__(self, *args, item_choices=(), **kwargs):
        self.item_choices = list(item_choices)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=self.item_choices,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name.capitalize(),
            help_text=self.help_text,
        )


class Visibility(models.Model):
    """Fields every case-study-app page carries, read by spaces.access."""

    marking = models.CharField(
        max_length=20, choices=Marking.choices, default=Marking.OFFICIAL
    )
    space = models.ForeignKey(
        Space,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Needed for OFFICIAL-SENSITIVE: only the space's members see it.",
    )
    is_public = models.BooleanField(
        "public",
        default=False,
        help_text="Visible to people who are not signed in. Editors only; never "
        "for OFFICIAL-SENSITIVE.",
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        if self.marking == Marking.SENSITIVE and self.space_id is None:
            errors["space"] = "OFFICIAL-SENSITIVE items must belong to a space."
        if self.space_id and self.marking not in self.space.allowed_markings():
            errors["marking"] = "This space only holds OFFICIAL items."
        if self.is_public and self.marking == Marking.SENSITIVE:
            errors["is_public"] = "OFFICIAL-SENSITIVE items cannot be public."
        if errors:
            raise ValidationError(errors)

    def visible_to(self, user):
        if self.is_public and self.marking == Marking.OFFICIAL:
            return True
        return can_view(user, self)

    def serve(self, request, *args, **kwargs):
        if not self.visible_to(request.user):
            # Say "sign in" only where existence is no secret: OFFICIAL items
            # outside a space or in an open one. Everything else is a 404.
            hidden_space = (
                self.space_id is not None
                and self.space.visibility != Space.Visibility.OPEN
            )
            if (
                not request.user.is_authenticated
                and self.marking == Marking.OFFICIAL
                and not hidden_space
            ):
                return redirect_to_login(request.get_full_path())
            raise Http404("Not found.")
        return super().serve(request, *args, **kwargs)

    visibility_panels = [
        MultiFieldPanel(
            [FieldPanel("marking"), FieldPanel("space"), FieldPanel("is_public")],
            heading="Who can see it",
        )
    ]


class CaseStudyIndexPage(Page):
    """Lists case studies with filters that combine (selectors.case_study_index)."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["casestudies.CaseStudyPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from ..selectors import case_study_index

        context = super().get_context(request, *args, **kwargs)
        context.update(case_study_index(request=request))
        return context


class CaseStudyPage(Visibility, Page):
    summary = models.CharField(
        max_length=SUMMARY_MAX,
        help_text=f"Plain text, up to {SUMMARY_MAX} characters: shown on cards, "
        "in search results and digests.",
    )
    problem = StreamField(
        NARRATIVE_BLOCKS, blank=True, verbose_name="problem and context"
    )
    approach = StreamField(NARRATIVE_BLOCKS, blank=True)
    costs = models.TextField(blank=True, help_text="What it cost, and who paid.")
    savings = models.TextField(blank=True, help_text="What it saved, and for whom.")
    evidence = models.TextField(blank=True, help_text="How we know it worked.")
    evidence_strength = models.CharField(
        max_length=20, choices=EvidenceStrength.choices, blank=True
    )
    what_worked = models.TextField(blank=True)
    what_did_not_work = models.TextField("what did not work", blank=True)
    do_differently = models.TextField("what we would do differently", blank=True)
    themes = ParentalManyToManyField(
        "casestudies.Theme", blank=True, related_name="case_studies"
    )
    success_factors = ParentalManyToManyField(
        "casestudies.Factor",
        blank=True,
        related_name="case_studies_helped",
        limit_choices_to={"kind": "success_factor"},
    )
    barriers = ParentalManyToManyField(
        "casestudies.Factor",
        blank=True,
        related_name="case_studies_hindered",
        limit_choices_to={"kind": "barrier"},
    )
    principles = ParentalManyToManyField(
        "casestudies.CompactPrinciple",
        blank=True,
        related_name="case_studies",
        verbose_name="Compact principles",
    )
    as_at = models.DateField(
        "as at", null=True, blank=True, help_text="When these facts were true."
    )
    review_by = models.DateField(
        null=True,
        blank=True,
        help_text="The owner is reminded to check the facts after this date.",
    )
    featured = models.BooleanField(
        default=False, help_text="Show on the home page (editors' picks)."
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("as_at"), FieldPanel("review_by")])],
            heading="Dates",
        ),
        InlinePanel("organisation_roles", heading="Organisations involved", min_num=1),
        FieldPanel("problem"),
        FieldPanel("approach"),
        InlinePanel("outcomes", heading="Outcome measures"),
        MultiFieldPanel(
            [FieldPanel("costs"), FieldPanel("savings")], heading="Costs and savings"
        ),
        MultiFieldPanel(
            [FieldPanel("evidence"), FieldPanel("evidence_strength")],
            heading="Evidence",
        ),
        MultiFieldPanel(
            [
                FieldPanel("what_worked"),
                FieldPanel("what_did_not_work"),
                FieldPanel("do_differently"),
            ],
            heading="Reflections",
        ),
        MultiFieldPanel(
            [
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("success_factors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("barriers", widget=forms.CheckboxSelectMultiple),
                FieldPanel("principles", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Themes and tags",
        ),
        InlinePanel("contacts", heading="Named contacts"),
    ]
    promote_panels = Page.promote_panels + [
        *Visibility.visibility_panels,
        FieldPanel("featured"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("problem"),
        index.SearchField("approach"),
        index.SearchField("what_worked"),
        index.SearchField("what_did_not_work"),
        index.SearchField("do_differently"),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.FilterField("marking"),
        index.FilterField("is_public"),
        index.FilterField("space"),
        index.FilterField("featured"),
        index.FilterField("as_at"),
    ]

    parent_page_types = ["casestudies.CaseStudyIndexPage"]
    subpage_types = []
    card_template = "casestudies/includes/card.html"

    class Meta:
        verbose_name = "case study"
        verbose_name_plural = "case studies"

    def __str__(self):
        return self.title

    def get_context(self, request, *args, **kwargs):
        from ..selectors import case_study_detail_context

        context = super().get_context(request, *args, **kwargs)
        context.update(case_study_detail_context(page=self, request=request))
        return context


class CaseStudyOrganisation(Orderable):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        PARTNER = "partner", "Partner"
        FUNDER = "funder", "Funder"
        SUPPLIER = "supplier", "Supplier"

    page = ParentalKey(
        CaseStudyPage, on_delete=models.CASCADE, related_name="organisation_roles"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="case_study_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTNER)

    panels = [FieldPanel("organisation"), FieldPanel("role")]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class OutcomeMeasure(Orderable):
    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="outcomes")
    name = models.CharField(max_length=200)
    baseline = models.CharField(max_length=60, blank=True)
    target = models.CharField(max_length=60, blank=True)
    actual = models.CharField(max_length=60, blank=True)
    unit = models.CharField(max_length=60, blank=True)
    source = models.CharField(
        max_length=255, blank=True, help_text="Where the figure comes from."
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel(
            [FieldPanel("baseline"), FieldPanel("target"), FieldPanel("actual")]
        ),
        FieldRowPanel([FieldPanel("unit"), FieldPanel("source")]),
    ]

    def __str__(self):
        return self.name


class CaseStudyContact(Orderable):
    """A member to ask about the work. Shown only when `consented` is set."""

    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(
        max_length=150, blank=True, help_text="Their part in the work."
    )
    consented = models.BooleanField(
        "agreed to be named",
        default=False,
        help_text="Only contacts who agreed are shown on the page.",
    )

    panels = [FieldPanel("user"), FieldPanel("role"), FieldPanel("consented")]

    def __str__(self):
        return str(self.user)


class LessonIndexPage(Page):
    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["casestudies.LessonPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from ..selectors import lesson_index

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_index(request=request))
        return context


class LessonPage(Visibility, Page):
    """One lesson learned, first-class: found, linked and reused on its own.

    Its source is a case study, a discussion thread (URL) or a space (the
    `space` field, which also decides who can see it).
    """

    lesson = models.CharField(
        "the lesson in one sentence",
        max_length=200,
        help_text="One sentence someone could act on.",
    )
    what_happened = models.TextField()
    why = models.TextField("why it happened", blank=True)
    do_differently = models.TextField("what to do differently", blank=True)
    organisation_types = ChoiceListField(
        "applies to organisation types",
        item_choices=Organisation.Type.choices,
        help_text="Leave empty if it applies to any organisation.",
    )
    project_stage = models.CharField(
        "applies at project stage",
        max_length=20,
        choices=ProjectStage.choices,
        default=ProjectStage.ANY,
    )
    source_case_study = models.ForeignKey(
        CaseStudyPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
    )
    source_thread_url = models.URLField("source discussion", blank=True)
    evidence_strength = models.CharField(
        max_length=20, choices=EvidenceStrength.choices, blank=True
    )

    content_panels = Page.content_panels + [
        FieldPanel("lesson"),
        FieldPanel("what_happened"),
        FieldPanel("why"),
        FieldPanel("do_differently"),
        MultiFieldPanel(
            [FieldPanel("organisation_types"), FieldPanel("project_stage")],
            heading="Applies to",
        ),
        MultiFieldPanel(
            [
                PageChooserPanel("source_case_study", "casestudies.CaseStudyPage"),
                FieldPanel("source_thread_url"),
                FieldPanel("evidence_strength"),
            ],
            heading="Source and evidence",
        ),
    ]
    promote_panels = Page.promote_panels + Visibility.visibility_panels

    search_fields = Page.search_fields + [
        index.SearchField("lesson"),
        index.SearchField("what_happened"),
        index.SearchField("why"),
        index.SearchField("do_differently"),
        index.FilterField("marking"),
        index.FilterField("is_public"),
        index.FilterField("space"),
    ]

    parent_page_types = ["casestudies.LessonIndexPage"]
    subpage_types = []
    card_template = "casestudies/includes/lesson_card.html"

    def __str__(self):
        return self.title

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        source = self.source_case_study
        context["source_case_study"] = (
            source
            if source and source.live and source.visible_to(request.user)
            else None
        )
        return context

    def organisation_type_labels(self):
        labels = dict(Organisation.Type.choices)
        return [labels.get(value, value) for value in self.organisation_types]
