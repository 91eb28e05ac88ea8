"""Demo case studies: our own words around real cross-government facts
(../shared/reference/case_study_ideas.md). People are fictional."""

from datetime import date

AMARA = "amara.okafor@dwp.gov.uk"
TOM = "tom.ashworth@leics.gov.uk"
PRIYA = "priya.raman@digital.cabinet-office.gov.uk"
GARETH = "gareth.lloyd@gov.wales"
FIONA = "fiona.macleod@gov.scot"
DANIEL = "daniel.osei@nhs.net"
HELEN = "helen.brooks@communities.gov.uk"
SAM = "sam.whitfield@harborough.gov.uk"
RUTH = "ruth.adeyemi@cabinetoffice.gov.uk"

CASE_STUDIES = [
    {
        "slug": "policy-action-teams-on-neighbourhood-renewal",
        "title": "Policy Action Teams on neighbourhood renewal",
        "summary": "Eighteen cross-cutting teams, with more than 200 of their 500-plus "
        "members from outside government, produced 569 recommendations; 86% were "
        "accepted into the national strategy.",
        "problem": "Deprived neighbourhoods were served by a dozen departments, each "
        "with its own programme and none with the whole picture. Policy was written "
        "in Whitehall by people who had rarely worked in the places it was for.\n\n"
        "Earlier strategies had treated housing, jobs, crime and health separately, "
        "and the gaps between them were where residents fell through.",
        "approach": "Eighteen Policy Action Teams were set up, each on one theme such "
        "as jobs, neighbourhood management or anti-social behaviour. Each had a lead "
        "minister and department, but members came from across government, councils, "
        "charities, business and the neighbourhoods themselves.\n\nTeams had a "
        "fixed life, a clear question and the freedom to visit areas and take "
        "evidence in public. Their reports fed one national strategy rather than "
        "eighteen separate ones.",
        "costs": "Mostly staff time: teams met over about a year. External members' "
        "travel and expenses were paid centrally.",
        "savings": "Not measured as cash. The gain was fewer overlapping programmes "
        "and recommendations that departments had already agreed to.",
        "evidence": "The acceptance rate of recommendations was tracked by the "
        "central unit and reported publicly.",
        "evidence_strength": "monitoring",
        "what_worked": "Bringing in people who lived and worked in the areas. A fixed "
        "end date kept teams focused.",
        "what_did_not_work": "Some teams produced more recommendations than anyone "
        "could follow up, and tracking slipped after the strategy was published.",
        "do_differently": "Agree at the start who owns each recommendation after the "
        "team disbands.",
        "themes": [
            "Neighbourhood renewal",
            "Policy making",
            "Consultation and engagement",
        ],
        "organisations": [
            ("MHCLG", "lead"),
            ("CO", "partner"),
            ("NCVO", "partner"),
            ("LGA", "partner"),
        ],
        "outcomes": [
            ("Policy Action Teams", "", "", "18", "teams", "Central unit records"),
            ("People taking part", "", "", "500+", "people", "Central unit records"),
            (
                "Members from outside government",
                "",
                "",
                "200+",
                "people",
                "Central unit records",
            ),
            ("Recommendations made", "", "", "569", "recommendations", "Strategy"),
            ("Recommendations accepted", "", "", "86", "%", "Strategy"),
        ],
        "contacts": [(HELEN, True), (RUTH, True)],
        "owner": HELEN,
        "as_at": date(2001, 1, 15),
        "review_by": date(2027, 1, 15),
        "public": True,
        "featured": True,
    },
    {
        "slug": "community-legal-service-partnerships",
        "title": "Community Legal Service partnerships",
        "summary": "Six pioneer areas grew into about 170 local partnerships of "
        "advice agencies, councils and solicitors, covering about 80% of the "
        "population within two years.",
        "problem": "People with legal problems were bounced between advice "
        "agencies, solicitors and council services, each funded separately and "
        "unaware of what the others offered.",
        "approach": "Six pioneer areas brought funders and providers together in a "
        "local partnership to map need and supply, agree referral routes and "
        "plan funding jointly. A quality mark gave people confidence in any door "
        "they walked through. Lessons from the pioneers were written up and "
        "used by every partnership that followed.",
        "costs": "Partnership co-ordinators funded locally, with central start-up "
        "support.",
        "evidence": "Coverage was tracked nationally as partnerships formed.",
        "evidence_strength": "monitoring",
        "what_worked": "Starting with pioneers and letting their experience shape "
        "the national roll-out.",
        "what_did_not_work": "Mapping supply took longer than expected in rural "
        "areas with few providers.",
        "do_differently": "Share a simple mapping template from day one.",
        "themes": ["Area-based initiatives", "Criminal justice"],
        "organisations": [
            ("MoJ", "lead"),
            ("LGA", "partner"),
            ("NCVO", "partner"),
            ("LCC", "partner"),
        ],
        "outcomes": [
            ("Pioneer areas", "", "", "6", "areas", "Programme records"),
            (
                "Local partnerships",
                "0",
                "",
                "about 170",
                "partnerships",
                "Programme records",
            ),
            ("Population covered", "0", "", "about 80", "%", "Programme records"),
        ],
        "contacts": [(TOM, True)],
        "owner": TOM,
        "as_at": date(2002, 4, 1),
        "public": True,
    },
    {
        "slug": "reviewing-area-based-initiatives-to-cut-overlap",
        "title": "Reviewing area-based initiatives to cut overlap",
        "summary": "A central review of more than 80 area-based initiatives led to an "
        "action plan under four themes to cut overlap and the burden on local "
        "partners.",
        "problem": "Councils and local partners were juggling dozens of separately "
        "funded area-based initiatives, each with its own bidding round, targets "
        "and reporting. Staff spent more time feeding the centre than delivering.",
        "approach": "The Regional Co-ordination Unit reviewed over 80 initiatives "
        "with the departments that ran them and the areas that received them. It "
        "asked what each was for, who it served and where it overlapped. The result "
        "was an action plan under four themes: rationalise, simplify reporting, "
        "join up at regional level and give areas more say.",
        "evidence": "The review's findings were published with the action plan.",
        "evidence_strength": "monitoring",
        "what_worked": "Asking the areas on the receiving end, not only the "
        "departments running schemes.",
        "what_did_not_work": "Departments defended their own schemes; rationalisation "
        "was slower than the plan hoped.",
        "do_differently": "Get ministers to agree the principle of merging schemes "
        "before the review names any.",
        "themes": ["Area-based initiatives", "Local and regional delivery"],
        "organisations": [
            ("CO", "lead"),
            ("MHCLG", "partner"),
            ("LCC", "partner"),
            ("LGA", "partner"),
        ],
        "outcomes": [
            ("Initiatives reviewed", "", "", "80+", "initiatives", "Review report"),
            ("Action plan themes", "", "", "4", "themes", "Action plan"),
        ],
        "contacts": [(HELEN, True), (TOM, False)],
        "owner": HELEN,
        "as_at": date(2002, 6, 30),
    },
    {
        "slug": "local-public-service-agreements",
        "title": "Local Public Service Agreements: stretch targets for upfront funding",
        "summary": "Councils agreed stretching local targets with the centre in "
        "return for up to 1 million pounds each of upfront funding and a reward "
        "if they hit them.",
        "problem": "National targets did not fit local priorities, and councils had "
        "no money to invest in the changes that would improve outcomes.",
        "approach": "Each council negotiated around a dozen targets with the "
        "departments concerned, going beyond what it would otherwise achieve. The "
        "centre paid pump-priming money up front and a performance reward at the "
        "end. Departments signed off targets in their area together rather than "
        "one by one.",
        "costs": "Up to 1 million pounds of upfront funding per council, plus "
        "reward grant on success.",
        "evidence": "Performance against each stretch target was audited at the "
        "end of the agreement.",
        "evidence_strength": "comparative",
        "what_worked": "Money up front changed what councils could try.",
        "what_did_not_work": "Negotiation with many departments at once was slow.",
        "do_differently": "Give each council one lead official in the centre.",
        "themes": ["Joint funding and pooled budgets", "Local and regional delivery"],
        "organisations": [
            ("MHCLG", "lead"),
            ("HMT", "funder"),
            ("LCC", "partner"),
            ("LeedsCC", "partner"),
        ],
        "outcomes": [
            (
                "Upfront funding per council",
                "0",
                "",
                "up to 1,000,000",
                "pounds",
                "Agreement terms",
            ),
        ],
        "contacts": [(TOM, True)],
        "owner": TOM,
        "as_at": date(2003, 3, 31),
        "review_by": date(2025, 3, 31),
    },
    {
        "slug": "invest-to-save-joint-bids",
        "title": "Invest to Save: joint bids that save money across boundaries",
        "summary": "A central budget funded projects bid for jointly by two or more "
        "bodies, where the saving would land across organisational boundaries; "
        "projects were independently evaluated.",
        "problem": "Good ideas died because the body that would pay for them was "
        "not the one that would save money.",
        "approach": "Two or more public bodies bid together, showing how costs and "
        "savings fell on each. Winning projects got start-up money and had to take "
        "part in an independent evaluation, so the next bidders could learn from "
        "them.",
        "costs": "Funded from a central budget, competitively bid for in rounds.",
        "savings": "Each project reported savings against its bid; the evaluation "
        "checked them.",
        "evidence": "Independent evaluation of the programme and of projects.",
        "evidence_strength": "evaluated",
        "what_worked": "Requiring a partner made people talk before they bid.",
        "what_did_not_work": "Some partnerships existed only on paper.",
        "do_differently": "Ask each partner to name who does what in the bid.",
        "themes": ["Joint funding and pooled budgets", "Evidence and evaluation"],
        "organisations": [
            ("HMT", "funder"),
            ("CO", "lead"),
            ("DWP", "partner"),
            ("LCC", "partner"),
        ],
        "outcomes": [
            ("Bodies per bid", "", "2", "2 or more", "bodies", "Rules of the fund"),
        ],
        "contacts": [(AMARA, True), (RUTH, True)],
        "owner": RUTH,
        "as_at": date(2004, 7, 1),
    },
    {
        "slug": "public-sector-benchmarking-service",
        "title": "A shared benchmarking service for the public sector",
        "summary": "Launched in 2001, a shared service let public bodies compare "
        "their performance and find good practice instead of each buying its own "
        "benchmarking.",
        "problem": "Organisations paid separately for benchmarking and could not "
        "compare themselves with each other.",
        "approach": "A single service, run jointly, offered a database of "
        "performance measures, a library of good practice and networks of "
        "practitioners. Bodies joined for free and contributed their own data.",
        "evidence": "Usage and membership figures were reported annually.",
        "evidence_strength": "monitoring",
        "what_worked": "Free to join: no procurement needed.",
        "what_did_not_work": "Data quality varied; comparisons needed care.",
        "themes": ["Shared services", "Evidence and evaluation"],
        "organisations": [("CO", "lead"), ("NAO", "partner")],
        "outcomes": [("Year launched", "", "", "2001", "year", "Service records")],
        "contacts": [(PRIYA, True)],
        "owner": PRIYA,
        "as_at": date(2001, 10, 1),
        "public": True,
    },
    {
        "slug": "a-pandemic-flu-framework-kept-current-by-one-newsletter",
        "title": "A pandemic flu framework kept current by one newsletter",
        "summary": "Departments, the NHS, industry and voluntary groups planned for "
        "pandemic flu together; a regular stakeholder newsletter kept everyone "
        "working from the same information.",
        "problem": "Planning involved dozens of organisations. Each had its own "
        "contacts and version of the plan, and changes reached some partners "
        "weeks after others.",
        "approach": "One cross-government framework was agreed, with named leads "
        "in each organisation. A regular newsletter, edited centrally, told every "
        "stakeholder what had changed, what was coming and who to ask.",
        "evidence": "Partners were surveyed on whether they felt informed.",
        "evidence_strength": "anecdotal",
        "what_worked": "One newsletter, one list: nobody had to guess if they were "
        "up to date.",
        "what_did_not_work": "Industry partners joined late and missed early "
        "decisions.",
        "do_differently": "Invite industry and voluntary groups at the scoping stage.",
        "themes": [
            "Pandemic preparedness",
            "Public health",
            "Cross-government working",
        ],
        "organisations": [
            ("DHSC", "lead"),
            ("NHSE", "partner"),
            ("HO", "partner"),
            ("techUK", "partner"),
            ("NCVO", "partner"),
        ],
        "outcomes": [],
        "contacts": [(DANIEL, True)],
        "owner": DANIEL,
        "as_at": date(2008, 11, 1),
        "public": True,
        "featured": True,
    },
    {
        "slug": "moving-every-benefit-payment-to-electronic-payment",
        "title": "Moving every benefit payment to electronic payment",
        "summary": "DWP agencies moved benefit payments from order books and "
        "girocheques to payment into accounts, reporting progress through one "
        "shared performance model.",
        "problem": "Paper payments were costly, open to fraud and different in "
        "each agency, so nobody could see overall progress.",
        "approach": "Each agency converted its own customers, but all reported "
        "through a single performance reporting model agreed at the start. Weekly "
        "figures showed where conversion was stalling, and teams swapped what "
        "worked.",
        "costs": "Conversion campaigns and support for people without accounts.",
        "savings": "Lower transaction costs and less fraud from lost or stolen "
        "order books.",
        "evidence": "Weekly conversion figures from the shared model.",
        "evidence_strength": "monitoring",
        "what_worked": "One reporting model made progress visible across agencies.",
        "what_did_not_work": "People without bank accounts needed far more help "
        "than planned.",
        "do_differently": "Work with banks and the Post Office on basic accounts "
        "before switching.",
        "themes": ["Digital services", "Welfare to work and employment"],
        "organisations": [("DWP", "lead"), ("HMRC", "partner")],
        "outcomes": [
            (
                "Payments made electronically",
                "about 40",
                "100",
                "over 95",
                "%",
                "Shared performance model",
            ),
        ],
        "contacts": [(AMARA, True)],
        "owner": AMARA,
        "as_at": date(2005, 4, 1),
        "featured": True,
    },
    {
        "slug": "shared-document-repository-settles-a-dispute",
        "title": "A shared document repository helped settle a major dispute",
        "summary": "An online repository built with the department's lawyers put "
        "every document in one place and was central to settling a major "
        "contract dispute out of court.",
        "problem": "Documents for a large dispute were spread across teams, "
        "contractors and lawyers, in paper and email.",
        "approach": "The agency and its lawyers built a single online repository, "
        "agreed what went in and how it was indexed, and gave each party "
        "controlled access.",
        "savings": "Avoided the cost of a court case.",
        "evidence_strength": "anecdotal",
        "what_worked": "Agreeing an index with the lawyers first.",
        "themes": ["Information and records management", "Commercial and procurement"],
        "organisations": [("DfT", "lead"), ("techUK", "supplier")],
        "outcomes": [],
        "contacts": [(PRIYA, False)],
        "owner": PRIYA,
        "as_at": date(2006, 9, 1),
    },
    {
        "slug": "end-of-vehicle-life-campaign-funded-by-two-bodies",
        "title": "An end-of-vehicle-life campaign funded by two bodies",
        "summary": "Two public bodies each put in 60 thousand pounds for one "
        "campaign telling motorists how to dispose of old vehicles properly.",
        "problem": "Both bodies wanted the same behaviour from the same people, and "
        "had planned separate campaigns.",
        "approach": "They pooled budgets, agreed one message and one brief, and "
        "shared the results.",
        "costs": "60 thousand pounds from each body: 120 thousand in all.",
        "evidence_strength": "anecdotal",
        "what_worked": "Equal shares avoided arguments about who led.",
        "themes": ["Climate and environment", "Joint funding and pooled budgets"],
        "organisations": [("Defra", "lead"), ("DVLA", "funder"), ("EA", "partner")],
        "outcomes": [
            (
                "Contribution from each body",
                "",
                "60,000",
                "60,000",
                "pounds",
                "Campaign budget",
            ),
        ],
        "contacts": [],
        "owner": RUTH,
        "as_at": date(2007, 5, 1),
    },
    {
        "slug": "neighbouring-district-councils-share-services",
        "title": "Neighbouring district councils share services",
        "summary": "Two neighbouring district councils shared management and "
        "services and saved over 3 million pounds through efficiencies and "
        "partnerships, as a 2018 peer challenge confirmed.",
        "problem": "Small councils each ran their own back office, with growing "
        "costs and hard-to-fill specialist posts.",
        "approach": "The councils agreed a shared chief executive and management "
        "team, then merged services one at a time, starting with those where "
        "staff wanted it. Each council kept its own identity and decisions.",
        "costs": "One-off costs of restructuring and aligning IT systems.",
        "savings": "Over 3 million pounds through efficiencies and partnerships.",
        "evidence": "A peer challenge in 2018 reviewed the partnership.",
        "evidence_strength": "evaluated",
        "what_worked": "Starting with willing services built trust.",
        "what_did_not_work": "Aligning IT systems took far longer than planned.",
        "do_differently": "Plan IT convergence before merging teams.",
        "themes": ["Shared services", "Local and regional delivery"],
        "organisations": [("HDC", "lead"), ("LCC", "partner"), ("LGA", "partner")],
        "outcomes": [
            (
                "Savings",
                "0",
                "3,000,000",
                "over 3,000,000",
                "pounds",
                "Peer challenge 2018",
            ),
        ],
        "contacts": [(SAM, True), (TOM, True)],
        "owner": SAM,
        "as_at": date(2018, 11, 1),
        "review_by": date(2026, 11, 1),
        "public": True,
        "featured": True,
    },
    {
        "slug": "one-report-template-instead-of-five",
        "title": "One report template instead of five",
        "summary": "A district council replaced five stage-specific report templates "
        "with one, and cut the number of approval steps.",
        "problem": "Officers used a different template at each stage of a decision, "
        "and every report went through several sign-offs.",
        "approach": "A small team mapped the five templates, kept what every report "
        "needed and removed the rest. Approval steps were cut to those that added "
        "something.",
        "evidence_strength": "anecdotal",
        "what_worked": "Testing the new template on real reports.",
        "themes": ["Service design and customer insight"],
        "organisations": [("HDC", "lead")],
        "outcomes": [
            ("Report templates", "5", "1", "1", "templates", "Council records"),
        ],
        "contacts": [(SAM, True)],
        "owner": SAM,
        "as_at": date(2023, 6, 1),
        "status": "review",
    },
    {
        "slug": "kandahar-three-departments-one-building-no-shared-data",
        "title": "Three departments, one building, no shared data",
        "summary": "In Kandahar, three departments worked side by side but could "
        "not share data across their systems: a lesson, not a success.",
        "problem": "Staff from three departments shared an office but each used "
        "its own IT, security rules and reporting.",
        "approach": "Teams fell back on printing, re-keying and meetings to share "
        "information. Attempts to link systems stalled on security accreditation.",
        "evidence_strength": "anecdotal",
        "what_did_not_work": "Different systems and rules defeated good will.",
        "do_differently": "Agree shared data and systems before people co-locate.",
        "themes": ["Data sharing", "Cyber and information assurance"],
        "organisations": [("FCDO", "lead"), ("MOD", "partner"), ("HO", "partner")],
        "outcomes": [],
        "contacts": [(RUTH, True)],
        "owner": RUTH,
        "as_at": date(2010, 1, 1),
    },
    {
        "slug": "welsh-councils-single-data-sharing-agreement",
        "title": "One data sharing agreement for Welsh councils",
        "summary": "The Welsh Government and councils agreed one data sharing "
        "template for support services, replacing dozens of one-off agreements.",
        "problem": "Every council negotiated its own data sharing agreement with "
        "each partner, taking months each time.",
        "approach": "A working group wrote a single template with a shared legal "
        "gateway and a register of agreements using it.",
        "evidence_strength": "monitoring",
        "what_worked": "A register showed who was already signed up.",
        "themes": ["Data sharing"],
        "organisations": [("WG", "lead"), ("LGA", "partner")],
        "outcomes": [
            ("Time to agree data sharing", "6", "1", "", "months", "Working group"),
        ],
        "contacts": [(GARETH, True)],
        "owner": GARETH,
        "as_at": date(2024, 9, 1),
        "status": "review",
    },
    {
        "slug": "scotland-and-gds-joint-discovery",
        "title": "A joint discovery on checking identity across Scotland and GDS",
        "summary": "Scottish Government and GDS ran one discovery on identity "
        "checks instead of two, sharing user research and findings.",
        "problem": "Both teams planned discoveries on the same user need.",
        "approach": "One team, mixed from both organisations, with one research "
        "plan and shared findings published to both.",
        "evidence_strength": "anecdotal",
        "what_worked": "Mixed team from day one.",
        "what_did_not_work": "Different governance meant two sets of sign-off.",
        "themes": ["Digital services", "Service design and customer insight"],
        "organisations": [("SG", "lead"), ("GDS", "partner")],
        "outcomes": [
            ("Discoveries run", "2 planned", "1", "1", "discoveries", "Team records"),
        ],
        "contacts": [(FIONA, True), (PRIYA, True)],
        "owner": FIONA,
        "as_at": date(2024, 2, 1),
    },
]
