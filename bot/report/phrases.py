"""Everything the management report says, in Dutch and English."""

from __future__ import annotations

from engine.text import counted, text

TITLE = text("Managementrapportage social media", "Social media management report")
SUBTITLE = text("{organisation}, {date}", "{organisation}, {date}")
MISSING = text("–", "–")

# -- at a glance -----------------------------------------------------------------------------------

SUMMARY_TITLE = text("In het kort", "At a glance")
FACT_PHASE = text("Fase", "Phase")
FACT_RESPONDENTS = text("Deelnemers aan scan {number}", "People who answered scan {number}")
FACT_LIMITING = text("Houdt de organisatie tegen", "Holding the organisation back")
FACT_SINCE_BASELINE = text(
    "Sinds de nulmeting (scan {number})", "Since the baseline (scan {number})"
)
FACT_ON_TIME = counted(
    nl=("Taken op tijd, laatste {n} week", "Taken op tijd, laatste {n} weken"),
    en=("Tasks on time, last {n} week", "Tasks on time, last {n} weeks"),
)
FACT_NEXT_STEP = text("Eerstvolgende stap", "Next step")
TOO_FEW_SHORT = counted(
    nl=("Geen uitslag: {n} deelnemer", "Geen uitslag: {n} deelnemers"),
    en=("No result: {n} participant", "No result: {n} participants"),
)
NO_RESULT_SHORT = text("Nog geen uitslag", "No result yet")

# -- response --------------------------------------------------------------------------------------

RESPONSE_TITLE = text("Respons", "Response")
RESPONSE_INVITED = counted(
    nl=(
        "Scan {number}: {n} van de {invited} genodigden vulde hem helemaal in ({percent}).",
        "Scan {number}: {n} van de {invited} genodigden vulden hem helemaal in ({percent}).",
    ),
    en=(
        "Scan {number}: {n} of the {invited} invited finished it ({percent}).",
        "Scan {number}: {n} of the {invited} invited finished it ({percent}).",
    ),
)
RESPONSE_STARTED = counted(
    nl=(
        "Scan {number} ging niet als uitnodiging rond, dus telt dit wie eraan begon: {n} van de "
        "{started} maakte hem af ({percent}).",
        "Scan {number} ging niet als uitnodiging rond, dus telt dit wie eraan begon: {n} van de "
        "{started} maakten hem af ({percent}).",
    ),
    en=(
        "Scan {number} went out without invitations, so this counts those who began it: {n} of "
        "the {started} finished it ({percent}).",
        "Scan {number} went out without invitations, so this counts those who began it: {n} of "
        "the {started} finished it ({percent}).",
    ),
)
RESPONSE_NOBODY = text("Niemand begon aan scan {number}.", "Nobody started scan {number}.")
NO_RESPONSE = text(
    "Er is nog geen afgesloten scan om de respons van te tellen.",
    "No scan has closed yet, so there is no response to count.",
)

# -- phase and profile -----------------------------------------------------------------------------

PROFILE_TITLE = text("Fase en profiel", "Phase and profile")
NO_RESULT = text("Er is nog geen scan met een uitslag.", "No scan has a result yet.")
WITHHELD = counted(
    nl=(
        "Scan {number} sloot met {n} deelnemer; een uitslag vraagt er minstens {threshold}, "
        "zodat niemand herleidbaar is. Daarom is er geen.",
        "Scan {number} sloot met {n} deelnemers; een uitslag vraagt er minstens {threshold}, "
        "zodat niemand herleidbaar is. Daarom is er geen.",
    ),
    en=(
        "Scan {number} closed with {n} participant; a result needs at least {threshold}, so "
        "that nobody can be singled out. So there is none.",
        "Scan {number} closed with {n} participants; a result needs at least {threshold}, so "
        "that nobody can be singled out. So there is none.",
    ),
)
"""The report shows closed scans only, and a closed scan gets no more answers."""
PROFILE_INTRO = counted(
    nl=(
        "Scan {number}: {n} persoon deed mee. De organisatie staat in {phase}.",
        "Scan {number}: {n} mensen deden mee. De organisatie staat in {phase}.",
    ),
    en=(
        "Scan {number}: {n} person took part. The organisation is in {phase}.",
        "Scan {number}: {n} people took part. The organisation is in {phase}.",
    ),
)
PROFILE_INTRO_NO_PHASE = counted(
    nl=(
        "Scan {number}: {n} persoon deed mee. De organisatie heeft nog geen fase.",
        "Scan {number}: {n} mensen deden mee. De organisatie heeft nog geen fase.",
    ),
    en=(
        "Scan {number}: {n} person took part. The organisation has no phase yet.",
        "Scan {number}: {n} people took part. The organisation has no phase yet.",
    ),
)
"""`{phase}` is unused: without enough dimensions there is none."""
PROFILE_PROGRESS = text(
    "Op weg naar {target} is {percent} van de afstand afgelegd.",
    "On the way to {target}, {percent} of the distance is covered.",
)
PROFILE_TOP = text("Dit is de hoogste fase.", "This is the highest phase.")
NO_PHASE_SHORT = text("nog geen fase", "no phase yet")
NO_PHASE = text(
    "Een fase vraagt genoeg antwoorden op minstens {minimum} dimensies; die zijn er nog niet.",
    "A phase needs enough answers on at least {minimum} dimensions; there are not enough yet.",
)
PROFILE_LIMITING = text(
    "Wat de organisatie nu het meest tegenhoudt: {dimensions}.",
    "What holds the organisation back most right now: {dimensions}.",
)
UNRATED = text(
    "Te weinig antwoorden om te beoordelen: {dimensions}.",
    "Too few answers to rate: {dimensions}.",
)
NO_DIMENSIONS = text(
    "Geen enkele dimensie kreeg genoeg antwoorden om te tonen.",
    "No dimension got enough answers to be shown.",
)
COL_DIMENSION = text("Dimensie", "Dimension")
COL_PHASE = text("Fase", "Phase")
COL_MEDIAN = text("Mediaan", "Median")
COL_AGREEMENT = text("Eensgezindheid", "Agreement")
COL_ANSWERS = text("Antwoorden", "Answers")
PROFILE_CHART = text(
    "Mediaan per dimensie (1 = ad hoc, 5 = prestatiegedreven)",
    "Median per dimension (1 = ad hoc, 5 = performance-driven)",
)
PROFILE_EXPLAINED = text(
    "Eensgezindheid: 100% als iedereen hetzelfde antwoordt, 0% bij twee tegengestelde kampen.",
    "Agreement: 100% when everyone answers alike, 0% for two opposite camps.",
)

# -- agreement -------------------------------------------------------------------------------------

AGREEMENT_TITLE = text("Eensgezindheid", "Agreement")
AGREEMENT_SPREAD = text(
    "Het meest eensgezind over {most} ({most_percent}), het minst over {least} ({least_percent}).",
    "People agree most on {most} ({most_percent}) and least on {least} ({least_percent}).",
)
AGREEMENT_ONE = text(
    "Eensgezindheid over {dimension}: {percent}.", "Agreement on {dimension}: {percent}."
)
AGREEMENT_CHART = text("Eensgezindheid per dimensie (%)", "Agreement per dimension (%)")
NOTHING_TO_SHOW = text(
    "Zonder uitslag valt hier niets te tonen.", "Without a result there is nothing to show here."
)

# -- management and employees ----------------------------------------------------------------------

GAP_TITLE = text("Management en medewerkers", "Management and employees")
GAP_APART = text(
    "Management en medewerkers liggen een fase of meer uit elkaar bij: {dimensions}.",
    "Management and employees are a phase or more apart on: {dimensions}.",
)
GAP_CLOSE = text(
    "Management en medewerkers liggen bij elke vergeleken dimensie minder dan een fase uit elkaar.",
    "Management and employees are less than a phase apart on every dimension compared.",
)
GAP_HIDDEN = text(
    "Management en medewerkers worden alleen naast elkaar gezet als beide groepen, en iedereen "
    "daarbuiten, minstens {threshold} deelnemers tellen. In deze scan is dat niet zo, zodat "
    "niemands antwoorden herleidbaar zijn.",
    "Management and employees are set side by side only when both groups, and everyone outside "
    "them, count at least {threshold} participants. In this scan they do not, so that nobody's "
    "answers can be traced.",
)
GAP_NOT_COMPARED = text(
    "Niet vergeleken, omdat te weinig mensen van een groep ze beoordeelden: {dimensions}.",
    "Not compared, as too few people in one of the groups rated them: {dimensions}.",
)
GAP_NONE_SHARED = text(
    "Geen dimensie werd door genoeg mensen in beide groepen beoordeeld om te vergelijken.",
    "No dimension was rated by enough people in both groups to compare.",
)
COL_MANAGEMENT = text("Management", "Management")
COL_EMPLOYEES = text("Medewerkers", "Employees")
COL_CHANGE_GAP = text("Verschil", "Difference")
OVERALL_PHASE = text("Fase als geheel", "Overall phase")
GAP_CHART = text(
    "Mediaan per dimensie: management en medewerkers",
    "Median per dimension: management and employees",
)
GAP_EXPLAINED = text(
    "Verschil: management min medewerkers. Een fase of meer verschil is het bespreken waard "
    "voordat een stap begint.",
    "Difference: management minus employees. A phase or more is worth talking through before "
    "a step begins.",
)

# -- change since the baseline ---------------------------------------------------------------------

CHANGE_TITLE = text("Verandering sinds de nulmeting", "Change since the baseline")
CHANGE_INTRO = text(
    "Scan {before} (de nulmeting) naast scan {after}.",
    "Scan {before} (the baseline) next to scan {after}.",
)
CHANGE_IS_BASELINE = text(
    "Dit is de eerste scan met een uitslag. De verandering is te zien na de volgende scan.",
    "This is the first scan with a result. The change shows after the next scan.",
)
CHANGE_NOT_COMPARABLE = text(
    "Vergelijken kan pas als zowel de nulmeting als de laatste scan een uitslag hebben.",
    "A comparison needs a result for both the baseline and the latest scan.",
)
CHANGE_NOTHING_SHARED = text(
    "Geen dimensie kreeg in beide scans genoeg antwoorden om te vergelijken.",
    "No dimension got enough answers in both scans to compare.",
)
COL_BASELINE = text("Nulmeting", "Baseline")
COL_LATEST = text("Nu", "Now")
COL_CHANGE = text("Verschil", "Change")
CHANGE_CHART = text("Mediaan per dimensie, toen en nu", "Median per dimension, then and now")
LEGEND_SCAN = text("Scan {number}", "Scan {number}")

# -- figures over time -----------------------------------------------------------------------------

KPI_TITLE = text("Cijfers door de tijd", "Figures over time")
NO_KPIS = text("Er zijn nog geen cijfers vastgelegd.", "No figures have been logged yet.")
KPI_INTRO = counted(
    nl=(
        "{n} periode vastgelegd, van {first} tot en met {last}.",
        "{n} periodes vastgelegd, van {first} tot en met {last}.",
    ),
    en=(
        "{n} period logged, from {first} to {last}.",
        "{n} periods logged, from {first} to {last}.",
    ),
)
"""For two periods or more; a single one is KPI_ONE_PERIOD, which names it."""
KPI_ONE_PERIOD = text("1 periode vastgelegd: {period}.", "1 period logged: {period}.")
POSTS_CHART = text("Berichten per periode", "Posts per period")
REACH_CHART = text(
    "Bereik en interacties per periode, elk op een eigen schaal",
    "Reach and engagements per period, each on its own scale",
)
RATES_CHART = text(
    "Interactiegraad en deelname van medewerkers (%), elk op een eigen schaal",
    "Engagement rate and employee advocacy (%), each on its own scale",
)
MISSING_WEEKS = counted(
    nl=(
        "Geen cijfers voor {n} week, een gat in de grafieken: {weeks}.",
        "Geen cijfers voor {n} weken, gaten in de grafieken: {weeks}.",
    ),
    en=(
        "No figures for {n} week, a gap in the charts: {weeks}.",
        "No figures for {n} weeks, gaps in the charts: {weeks}.",
    ),
)
WEEK_OF = text("week van {date}", "week of {date}")
FLAGGED_TITLE = text("Opvallende cijfers", "Flagged figures")
FLAGGED_INTRO = text(
    "Deze cijfers kunnen niet kloppen en staan daarom niet in de grafieken; de tabel toont ze "
    "zoals ze zijn vastgelegd.",
    "These figures cannot be right, so the charts leave them out; the table shows them as logged.",
)
FLAG_LINE = text("{period}: {why}.", "{period}: {why}.")
FLAG_ABOVE_REACH = text(
    "meer interacties ({engagements}) dan bereik ({reach}), een interactiegraad van {rate}",
    "more engagements ({engagements}) than people reached ({reach}), an engagement rate of {rate}",
)
FLAG_ABOVE_INVITED = text(
    "meer medewerkers die deelden ({sharers}) dan er gevraagd werden ({invited}), een deelname "
    "van {rate}",
    "more employees sharing ({sharers}) than were asked ({invited}), a participation of {rate}",
)
FLAG_NEGATIVE = text("{figure} is negatief ({value})", "{figure} is negative ({value})")
NOT_LOGGED = text("{chart}: nog niets vastgelegd.", "{chart}: nothing logged yet.")
REACH = text("Bereik", "Reach")
ENGAGEMENTS = text("Interacties", "Engagements")
ENGAGEMENT_RATE = text("Interactiegraad", "Engagement rate")
ADVOCACY = text("Deelname medewerkers", "Advocacy participation")
COL_PERIOD = text("Periode", "Period")
COL_POSTS = text("Berichten", "Posts")
KPI_TABLE_LATEST = counted(
    nl=("De laatste periode:", "De laatste {n} periodes:"),
    en=("The latest period:", "The latest {n} periods:"),
)
KPI_EXPLAINED = text(
    "Interactiegraad: interacties gedeeld door bereik. Deelname medewerkers: wie deelde, "
    "gedeeld door wie gevraagd werd te delen.",
    "Engagement rate: engagements divided by reach. Advocacy participation: employees who "
    "shared, divided by those asked to share.",
)

# -- consistency -----------------------------------------------------------------------------------

TASKS_TITLE = text("Taken op tijd gedaan", "Tasks done on time")
NO_TASKS = text("Er zijn nog geen taken opgepakt.", "No tasks have been taken on yet.")
NOTHING_DUE_YET = text("Er is nog geen taak aan de beurt geweest.", "No task has come due yet.")
COL_TASK = text("Taak", "Task")
COL_OWNER = text("Wie", "Owner")
COL_WEEKS = counted(nl=("{n} week", "{n} weken"), en=("{n} week", "{n} weeks"))
COL_STREAK = text("Reeks", "Streak")
TEAM = text("Het hele team", "The whole team")
ON_TIME_CELL = text("{percent} ({on_time} van {counted})", "{percent} ({on_time} of {counted})")
NOTHING_DUE = text("nog niets te doen", "nothing due yet")
TASKS_CHART = text("Deel op tijd gedaan (%)", "Share done on time (%)")
LEGEND_WEEKS = counted(
    nl=("Laatste {n} week", "Laatste {n} weken"), en=("Last {n} week", "Last {n} weeks")
)
UNREACHABLE = text(
    "De chat weigerde berichten aan (tot zij zelf weer iets sturen, of het kanaal de advisor "
    "toelaat):",
    "The chat refused messages to (until they write to the advisor again, or the channel lets "
    "it in):",
)
TASKS_EXPLAINED = text(
    "Op tijd: afgevinkt op of voor de dag waarop het moest. Overgeslagen keren tellen niet "
    "mee. Reeks: zoveel keer achter elkaar op tijd.",
    "On time: marked done on or before the day it was due. Skipped occurrences do not count. "
    "Streak: times in a row done on time.",
)

# -- what comes next -------------------------------------------------------------------------------

NEXT_TITLE = text("Volgende stappen", "Next steps")
NO_PLAN = text(
    "Er is nog geen plan: dat volgt uit de eerste uitslag.",
    "There is no plan yet: it follows from the first result.",
)
PLAN_INTRO = text("Van {phase} naar {target}.", "From {phase} to {target}.")
PLAN_INTRO_TOP = text(
    "{phase}, de hoogste fase: vasthouden wat er staat.",
    "{phase}, the highest phase: keep up what is in place.",
)
STEPS = text("Stappen naar de volgende fase", "Steps towards the next phase")
DUE_TITLE = text("Aan de beurt", "Due")
DUE_LINE = text("{title} ({owner}): uiterlijk {date}", "{title} ({owner}): by {date}")
OVERDUE_LINE = text(
    "{title} ({owner}): te laat, moest op {date}", "{title} ({owner}): overdue since {date}"
)
NO_STEPS = text("Er zijn geen stappen nodig voor de volgende fase.", "No steps are needed.")
STEP_LINE = text("{title} ({dimension}; {owner})", "{title} ({dimension}; {owner})")
ALWAYS_ON = text("Doorlopende taken", "Always-on tasks")
TASK_LINE = text("{title}: {cadence} ({owner})", "{title}: {cadence} ({owner})")
