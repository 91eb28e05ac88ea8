"""Reference lists for profiles, copied from ../shared/reference/ (grades.csv,
professions.csv) so the app does not read files outside the repository at run
time. A change here needs `makemigrations people` (they are field choices).
"""

GRADES = [
    ("Permanent Secretary", "Senior Civil Service"),
    ("Director General", "Senior Civil Service"),
    ("Director", "Senior Civil Service"),
    ("Deputy Director", "Senior Civil Service"),
    ("Grade 6", "Grades 6 and 7"),
    ("Grade 7", "Grades 6 and 7"),
    ("Senior Executive Officer", "Below Grade 7"),
    ("Higher Executive Officer", "Below Grade 7"),
    ("Executive Officer", "Below Grade 7"),
    ("Administrative Officer", "Below Grade 7"),
    ("Fast Streamer", "Below Grade 7"),
    ("Local government officer", "Other"),
    ("Partner organisation", "Other"),
]

PROFESSIONS = [
    "Policy",
    "Operational delivery",
    "Digital data and technology",
    "Commercial",
    "Communications",
    "Economics",
    "Statistics",
    "Social research",
    "Finance",
    "Human resources",
    "Legal",
    "Knowledge and information management",
    "Project delivery",
    "Property",
    "Internal audit",
    "Security",
    "Analysis",
    "Customer service",
]

# UK nations and English regions (ITL1), plus people posted abroad.
REGIONS = [
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
    "Scotland",
    "Wales",
    "Northern Ireland",
    "Overseas",
]

GRADE_CHOICES = [(grade, grade) for grade, _band in GRADES]
PROFESSION_CHOICES = [(name, name) for name in PROFESSIONS]
REGION_CHOICES = [(name, name) for name in REGIONS]
