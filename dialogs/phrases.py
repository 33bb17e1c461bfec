"""Everything the dialogs say, in Dutch and English."""

from __future__ import annotations

from engine.text import counted, text

DONT_KNOW = text("Weet ik niet", "I don't know")
PROGRESS = text("Vraag {current} van {total}", "Question {current} of {total}")
PICK_ONE = text("Kies het antwoord dat het best past.", "Pick the answer that fits best.")
PICK_SEVERAL = text(
    "Kies er één of meer (bijvoorbeeld 1,3).", "Pick one or more (for example 1,3)."
)

BACK = text("Terug", "Back")
PAUSE = text("Pauzeren", "Pause")
SUBMIT = text("Verstuur", "Submit")
NOT_ANSWERED = text("Ik kon je niet antwoorden.", "I couldn't answer you.")
SENT_DIRECTLY = text("Ik heb je een direct bericht gestuurd.", "I've sent you a direct message.")
FAILED = text(
    "Er ging iets mis aan onze kant; er is niets veranderd. Probeer het zo nog eens.",
    "Something went wrong on our side; nothing was changed. Please try again shortly.",
)

FAILED_WITH_REFERENCE = text(
    "Er ging iets mis aan onze kant (referentie {reference}). Probeer het zo nog eens; blijft het "
    "misgaan, geef de referentie dan door aan wie de advisor beheert.",
    "Something went wrong on our side (reference {reference}). Please try again shortly; if it "
    "keeps happening, pass the reference on to whoever runs the advisor.",
)
BUTTON_UNKNOWN = text(
    "Die knop ken ik niet (meer). Typ 'help' om te zien wat je kunt doen.",
    "I don't know that button (any more). Type 'help' to see what you can do.",
)

WELCOME = text(
    "Hallo! Ik ben de social strategy advisor. Met een korte scan (16 vragen, minder dan vijf "
    "minuten) bepalen we samen in welke fase van het Social Strategy Readiness Model jullie "
    "organisatie zit, en wat de volgende stap is.",
    "Hi! I'm the social strategy advisor. A short scan (16 questions, under five minutes) shows "
    "which phase of the Social Strategy Readiness Model your organisation is in, and what to do "
    "next.",
)
HELP_TITLE = text("Wat je kunt doen", "What you can do")
HELP_ITEMS = (
    text("scan: de scan starten of verdergaan waar je was", "scan: start the scan or resume it"),
    text(
        "resultaat: jouw profiel en dat van de organisatie (dat verschijnt zodra de scan sluit)",
        "results: your profile and the organisation's (which appears when the scan closes)",
    ),
    text(
        "plan: de stappen naar de volgende fase en de vaste taken",
        "plan: the steps to the next phase and the always-on tasks",
    ),
    text("advies: wat nu te doen en waarom", "advice: what to do next and why"),
    text(
        "een vraag in gewone woorden, bijvoorbeeld: hoe meten we ROI?",
        "a question in plain words, e.g.: how do we get employees to share?",
    ),
    text("taal en / taal nl: de taal wisselen", "language en / language nl: switch language"),
    text(
        "terug: de vorige vraag (tijdens de scan); stop: pauzeren",
        "back: the previous question (during the scan); stop: pause",
    ),
    text(
        "overnemen: het plan als taken overnemen; taken: de lijst",
        "adopt: take the plan on as tasks; tasks: the list",
    ),
    text(
        "klaar 3 / later 3 / overslaan 3 reden: taak 3 afvinken, uitstellen of overslaan",
        "done 3 / snooze 3 / skip 3 reason: tick task 3 off, put it off or skip it",
    ),
    text(
        "meten: de cijfers van vorige week (meten 2026-W47: een andere week); afwezig tot "
        "2026-12-31: geen herinneringen",
        "measure: last week's figures (measure 2026-W47: another week); away until 2026-12-31: "
        "no reminders",
    ),
)

SCAN_RESUMED = text(
    "Welkom terug: we gaan verder bij vraag {current}.",
    "Welcome back: we continue at question {current}.",
)
SCAN_STARTED_BASELINE = text(
    "Dit is de nulmeting: de eerste scan van jullie organisatie. Latere scans laten de groei zien.",
    "This is the baseline: your organisation's first scan. Later scans show the progress.",
)
SCAN_ALREADY_DONE = text(
    "Je hebt deze scan al ingevuld. Je kunt je antwoorden nog aanpassen met 'terug'.",
    "You have completed this scan. You can still change an answer with 'back'.",
)
SCAN_PAUSED = text(
    "Gepauzeerd. Je antwoorden zijn bewaard; typ 'scan' om verder te gaan.",
    "Paused. Your answers are saved; type 'scan' to continue.",
)
SCAN_NOT_RUNNING = text(
    "Je bent niet met de scan bezig. Typ 'scan' om te beginnen.",
    "You are not taking the scan. Type 'scan' to start.",
)
SCAN_CLOSED = text(
    "Deze scan is gesloten en neemt geen antwoorden meer aan. Je antwoord is niet opgeslagen.",
    "This scan is closed and takes no more answers. Your answer was not saved.",
)
AT_FIRST = text("Dit is de eerste vraag.", "This is the first question.")
UNKNOWN_CHOICE = text(
    "Dat is geen van de antwoorden. Kies een nummer uit de lijst.",
    "That is not one of the options. Pick a number from the list.",
)
STALE_PROMPT = text(
    "Die vraag hoort niet bij je huidige scan; er is niets opgeslagen.",
    "That question does not belong to your current scan; nothing was saved.",
)
OLD_BUTTON = text(
    "Die knop komt uit een ouder bericht en beantwoordt niets meer; er is niets opgeslagen. "
    "Antwoord hieronder.",
    "That button is from an older message and no longer answers anything; nothing was saved. "
    "Please answer below.",
)
BUTTON_SCAN_CLOSED = text(
    "Die knop hoort bij een scan die gesloten is; er is niets opgeslagen. Typ 'scan' om met de "
    "huidige scan te beginnen of verder te gaan.",
    "That button belongs to a scan that has closed; nothing was saved. Type 'scan' to start or "
    "continue the current one.",
)
TYPED_ONE = text(
    "Typ één nummer van 1 tot en met {last}; er is niets opgeslagen.",
    "Type one number from 1 to {last}; nothing was saved.",
)
TYPED_SEVERAL = text(
    "Typ een of meer nummers van 1 tot en met {options}, zoals 1,3, of alleen {dont_know} voor "
    "'weet ik niet'; er is niets opgeslagen.",
    "Type one or more numbers from 1 to {options}, such as 1,3, or just {dont_know} for "
    "'I don't know'; nothing was saved.",
)
EMPTY_INPUT = text(
    "Ik heb niets ontvangen. Typ een nummer, een opdracht of een vraag ('help' voor de lijst).",
    "I received nothing. Type a number, a command or a question ('help' lists them).",
)
SAVED = text("Bewaard.", "Saved.")

DONE_TITLE = text("Klaar, dank je wel!", "Done, thank you!")
YOUR_PROFILE = text("Jouw beeld van de organisatie", "How you see the organisation")
YOUR_PHASE = text(
    "Volgens jou zit de organisatie in {phase}.", "In your view the organisation is in {phase}."
)
YOUR_PHASE_UNKNOWN = text(
    "Je wist bij te veel dimensies het antwoord niet (een fase vraagt er minstens {minimum}), dus "
    "we kunnen geen fase bepalen.",
    "You answered 'I don't know' on too many dimensions (a phase needs at least {minimum}), so "
    "there is no phase to show.",
)
UNKNOWN = text("onbekend", "unknown")
YOUR_ANSWERS_PRIVATE = text(
    "Alleen jij ziet je eigen antwoorden. Anderen zien alleen het totaal van de groep.",
    "Only you see your own answers. Others see only the group's totals.",
)

ORG_TITLE = text("De organisatie", "The organisation")
ORG_NO_SCAN = text(
    "Er is nog geen scan in jullie organisatie. Typ 'scan' om de eerste te starten.",
    "Your organisation has no scan yet. Type 'scan' to start the first one.",
)
ORG_TOO_FEW = counted(
    nl=(
        "Scan {number} is gesloten, maar {n} persoon vulde hem in en een resultaat vraagt er "
        "minstens {threshold}. Daarom is er geen resultaat: zo blijft niemand herleidbaar.",
        "Scan {number} is gesloten, maar {n} mensen vulden hem in en een resultaat vraagt er "
        "minstens {threshold}. Daarom is er geen resultaat: zo blijft niemand herleidbaar.",
    ),
    en=(
        "Scan {number} has closed, but {n} person completed it and a result needs at least "
        "{threshold}. So there is no result: that way no one can be singled out.",
        "Scan {number} has closed, but {n} people completed it and a result needs at least "
        "{threshold}. So there is no result: that way no one can be singled out.",
    ),
)
"""A closed scan whose respondents stayed below the threshold; `{n}` is how many completed it.
Results come only from closed scans, so no "more are needed": a closed scan gets no more."""

ORG_PHASE = text("Fase van de organisatie", "Organisation's phase")
ORG_PROGRESS = text("Op weg naar de volgende fase", "Towards the next phase")
ORG_RESPONDENTS = text("Ingevuld door", "Completed by")
ORG_LIMITING = text("Zwakste schakel", "Weakest link")
ORG_SCAN = text("Scan", "Scan")
ORG_SCAN_BASELINE = text("{number} (nulmeting)", "{number} (baseline)")
PROFILE_CHART = text(
    "Profiel per dimensie (mediaan, 1 tot 5)", "Profile per dimension (median, 1 to 5)"
)
DIMENSION_NOTE = text(
    "n={n}, eensgezindheid {agreement}%, weet niet {dont_know}%",
    "n={n}, agreement {agreement}%, don't know {dont_know}%",
)
UNRATED = text("Te weinig antwoorden om te tonen: {areas}.", "Too few answers to show: {areas}.")
SEGMENTS_TITLE = text("Per rol", "By role")
SEGMENT_ROW = text("{phase} (n={n})", "{phase} (n={n})")
SEGMENTS_HIDDEN = text(
    "Een rol wordt alleen apart getoond als ze minstens {threshold} mensen telt en er buiten "
    "haar ook minstens {threshold} zijn: zo is geen groep uit de andere cijfers af te leiden.",
    "A role is shown separately only if it has at least {threshold} people and at least "
    "{threshold} are outside it: that way no group can be worked out from the other figures.",
)
A_FEW = text("een paar", "a few")
NEARLY_ALL = text("op een paar na iedereen", "all but a few")
DIMENSION_NOTE_FEW_UNSURE = text(
    "eensgezindheid {agreement}%, een paar weten het niet",
    "agreement {agreement}%, a few don't know",
)
ORG_NO_PHASE = counted(
    nl=(
        "Nog geen fase: daarvoor zijn genoeg antwoorden nodig op minstens {minimum} van de "
        "{total} dimensies, en die zijn er op {n} dimensie.",
        "Nog geen fase: daarvoor zijn genoeg antwoorden nodig op minstens {minimum} van de "
        "{total} dimensies, en die zijn er op {n} dimensies.",
    ),
    en=(
        "No phase yet: that needs enough answers on at least {minimum} of the {total} "
        "dimensions, and {n} dimension has them.",
        "No phase yet: that needs enough answers on at least {minimum} of the {total} "
        "dimensions, and {n} dimensions have them.",
    ),
)
NEEDS_PHASE = text(
    "Een plan en advies volgen uit de fase van de organisatie, en die is er nog niet: te weinig "
    "dimensies hebben genoeg antwoorden. Bekijk het resultaat om te zien welke.",
    "A plan and advice follow from the organisation's phase, and there is no phase yet: too "
    "few dimensions have enough answers. The result shows which.",
)
ROLE_GAP_TITLE = text(
    "Management en medewerkers zien het anders", "Management and employees see it differently"
)
ROLE_GAP_ROW = text(
    "management {management}, medewerkers {employees}",
    "management {management}, employees {employees}",
)
OVERALL = text("Totaal", "Overall")
CHANGES_TITLE = text("Verandering sinds de vorige scan", "Change since the previous scan")
CONTEXT_TITLE = text("Wat mensen noemen", "What people mention")
OBSTACLES = text("Obstakels", "Obstacles")
OBJECTIVES = text("Doelstellingen", "Objectives")
GOALS = text("Doelen", "Goals")

PLAN_TITLE = text("Plan: van {phase} naar {target}", "Plan: from {phase} to {target}")
PLAN_TITLE_TOP = text("Plan: {phase} vasthouden", "Plan: staying in {phase}")
PLAN_STEPS = text("Eenmalige stappen", "One-off steps")
PLAN_NO_STEPS = text("Geen eenmalige stappen nodig.", "No one-off steps needed.")
PLAN_TASKS = text("Always-on: vaste taken", "Always-on tasks")
PLAN_TASK = text("{title} ({cadence}, {owner})", "{title} ({cadence}, {owner})")
PLAN_STEP = text("{title} ({dimension}, {owner})", "{title} ({dimension}, {owner})")
NEEDS_RESULT = text(
    "Een plan en advies volgen uit het resultaat van de organisatie, en dat is er nog niet.",
    "A plan and advice follow from the organisation's result, which is not available yet.",
)

ADVICE_TITLE = text("Advies: de volgende stap", "Advice: the next step")
ADVICE_WHY = text("Waarom", "Why")
ADVICE_DO = text("Wat te doen", "What to do")
NO_MATCH = text(
    "Daar heb ik geen goed antwoord op, en ik ga niet gokken. Hierover weet ik wel iets:",
    "I have no good answer to that, and I will not guess. These are the topics I know:",
)
ALSO_RELEVANT = text("Misschien ook: {title}", "Perhaps also: {title}")

LANGUAGE_SET = text("Ik spreek vanaf nu Nederlands.", "I'll speak English from now on.")
LANGUAGE_UNKNOWN = text("Kies 'taal nl' of 'taal en'.", "Choose 'language nl' or 'language en'.")

PEOPLE = counted(nl=("{n} persoon", "{n} mensen"), en=("{n} person", "{n} people"))
LAUNCHED = counted(
    nl=(
        "Scan {number} is gestart voor {n} persoon{deadline}. Ik stuur die persoon een "
        "uitnodiging.",
        "Scan {number} is gestart voor {n} mensen{deadline}. Ik stuur iedereen een uitnodiging.",
    ),
    en=(
        "Scan {number} is launched for {n} person{deadline}. I'm sending them an invitation.",
        "Scan {number} is launched for {n} people{deadline}. I'm sending everyone an invitation.",
    ),
)
UNTIL = text(", tot {deadline}", ", until {deadline}")
INVITATIONS_SENT = text(
    "Uitnodigingen verstuurd: {sent}. Niet gelukt: {failed}.",
    "Invitations sent: {sent}. Could not be delivered: {failed}.",
)
INVITED = text(
    "Je bent uitgenodigd voor de social strategy readiness scan van je organisatie.",
    "You're invited to your organisation's social strategy readiness scan.",
)
REMINDER = text(
    "Een herinnering: de scan sluit op {deadline}. Het kost minder dan vijf minuten.",
    "A reminder: the scan closes on {deadline}. It takes less than five minutes.",
)
ALREADY_LAUNCHED = text(
    "Er loopt al een gelanceerde scan; die moet eerst gesloten zijn.",
    "A launched scan is already running; it has to be closed first.",
)
"""Followed by the chat's own way to close it (`HOW_TO_CLOSE`)."""
JUST_LAUNCHED = text(
    "Iemand anders heeft deze scan zojuist gelanceerd, dus die van jou is niet nodig: er is niets "
    "veranderd en er zijn geen uitnodigingen van jou verstuurd.",
    "Someone else launched this scan a moment ago, so yours was not needed: nothing was changed "
    "and no invitations went out from yours.",
)
MANAGERS_ONLY = text(
    "Dit kan alleen de projectmanager die de scan lanceerde.",
    "Only the project manager who launched the scan can do this.",
)
NO_OPEN_SCAN = text("Er loopt geen scan.", "No scan is running.")
STATUS_TITLE = text("Deelname aan scan {number}", "Participation in scan {number}")
STATUS_INVITED = counted(
    nl=("{n} uitgenodigde", "{n} uitgenodigden"), en=("{n} person invited", "{n} people invited")
)
STATUS_COUNTS = counted(
    nl=(
        "{n} van de {invited} heeft de scan afgerond.",
        "{n} van de {invited} hebben de scan afgerond.",
    ),
    en=(
        "{n} of the {invited} has completed the scan.",
        "{n} of the {invited} have completed the scan.",
    ),
)
"""`{n}` is how many finished (the verb agrees with it), `{invited}` a STATUS_INVITED."""
STATUS_PENDING = text("Nog niet afgerond", "Not completed yet")
STATUS_FAILED = text("Uitnodiging niet aangekomen", "Invitation not delivered")
STATUS_PRIVATE = text(
    "Je ziet wie nog moet antwoorden, nooit wat iemand antwoordde.",
    "You see who still has to answer, never what anyone answered.",
)
CLOSED = text("Scan {number} is gesloten.", "Scan {number} is closed.")
SCAN_RUNNING_TITLE = text("Scan {number} loopt", "Scan {number} is running")
PARTICIPATION_COMPLETED = counted(
    nl=(
        "Tot nu toe heeft {n} persoon de scan ingevuld.",
        "Tot nu toe hebben {n} mensen de scan ingevuld.",
    ),
    en=(
        "So far {n} person has completed the scan.",
        "So far {n} people have completed the scan.",
    ),
)
PARTICIPATION_INVITED = counted(
    nl=("{n} persoon is uitgenodigd.", "{n} mensen zijn uitgenodigd."),
    en=("{n} person was invited.", "{n} people were invited."),
)
RESULT_AT_CLOSING = text(
    "Het resultaat van de organisatie verschijnt als de scan sluit. Zo kan niemand twee "
    "resultaten naast elkaar leggen om de antwoorden van wie als laatste invulde te zien.",
    "The organisation's result appears when the scan closes. That way no one can set two "
    "results side by side to see the answers of whoever completed it last.",
)
RESULT_AT_CLOSING_ON = text(
    "Het resultaat van de organisatie verschijnt als de scan sluit, op {deadline}. Zo kan "
    "niemand twee resultaten naast elkaar leggen om de antwoorden van wie als laatste invulde "
    "te zien.",
    "The organisation's result appears when the scan closes, on {deadline}. That way no one can "
    "set two results side by side to see the answers of whoever completed it last.",
)
EARLIER_RESULT = text(
    "Tot dan staat hieronder het resultaat van scan {number}, de laatst gesloten scan.",
    "Until then, below is the result of scan {number}, the latest closed scan.",
)
WHERE_TO_MANAGE = {
    "slack": text(
        "Een scan lanceren, volgen en sluiten en de instellingen wijzigen gaat met de "
        "slash-opdracht: '/advisor lanceren', '/advisor status', '/advisor sluiten' en "
        "'/advisor instellingen'.",
        "Launching, following and closing a scan, and the settings, go through the slash "
        "command: '/advisor launch', '/advisor status', '/advisor close' and '/advisor settings'.",
    ),
    "teams": text(
        "Een scan lanceren, volgen en sluiten gaat in het kanaal van het team: noem mij daar en "
        "typ 'lanceren', 'status' of 'sluiten'. De instellingen open je hier met "
        "'instellingen', het overzicht met 'overzicht'.",
        "A scan is launched, followed and closed in the team's channel: mention me there and "
        "type 'launch', 'status' or 'close'. Here, 'settings' opens the settings and 'home' the "
        "overview.",
    ),
    "console": text(
        "In de terminal laat 'advisor scan status' zien wie nog niet klaar is, sluit 'advisor "
        "scan close' de scan, begint 'advisor scan new' een nieuwe en wijzigt 'advisor org' de "
        "instellingen, telkens met --org en de naam van je organisatie.",
        "In the terminal, 'advisor scan status' shows who has not finished, 'advisor scan "
        "close' closes the scan, 'advisor scan new' starts a new one and 'advisor org' changes "
        "the settings, each with --org and your organisation's name.",
    ),
}
"""A manager's word (launch, status, close, settings) said in a person's own conversation."""
HOW_TO_CLOSE = {
    "slack": text(
        "De projectmanager sluit de scan met '/advisor close'.",
        "The project manager closes the scan with '/advisor close'.",
    ),
    "teams": text(
        "De projectmanager sluit de scan door in het kanaal van het team 'sluiten' te typen.",
        "The project manager closes the scan by typing 'close' in the team's channel.",
    ),
    "console": text(
        "De projectmanager sluit de scan in de terminal met 'advisor scan close --org {org}'.",
        "The project manager closes the scan in the terminal with 'advisor scan close --org "
        "{org}'.",
    ),
}
"""How each chat's project manager closes a scan, by the chat's name in a conversation key."""
LAUNCH_TITLE = text("Scan lanceren", "Launch a scan")
LAUNCH_AUDIENCE = text("Wie doen er mee? (een kanaal)", "Who takes part? (a channel)")
LAUNCH_USERGROUP = text("... of een gebruikersgroep", "... or a user group")
AUDIENCE_MISSING = text(
    "Kies een kanaal of een gebruikersgroep.", "Choose a channel or a user group."
)
LAUNCH_DEADLINE = text("Sluitingsdatum", "Closing date")
LAUNCH_THRESHOLD = text("Anonimiteitsdrempel (3 tot en met 25)", "Anonymity threshold (3 to 25)")
LAUNCH_REPORT = text("Kanaal voor het resultaat", "Channel for the result")
LAUNCH_SUBMIT = text("Lanceren", "Launch")
CANCEL = text("Annuleren", "Cancel")
THRESHOLD_TOO_LOW = text("De drempel is minstens 3.", "The threshold is at least 3.")
THRESHOLD_OUT_OF_RANGE = text(
    "De drempel ligt tussen 3 en 25.", "The threshold is between 3 and 25."
)
DEADLINE_PAST = text("Kies een datum in de toekomst.", "Choose a date in the future.")
SETTINGS_TITLE = text("Instellingen", "Settings")
SETTINGS_LANGUAGE = text(
    "Taal van de resultaten en van nieuwe gesprekken",
    "Language of results and of new conversations",
)
SETTINGS_REPORT = text(
    "Kanaal voor het maandrapport (naast de projectmanager)",
    "Channel for the monthly report (beside the project manager)",
)
SETTINGS_SAVED = text(
    "Opgeslagen: taal {language}, anonimiteitsdrempel {threshold}.",
    "Saved: language {language}, anonymity threshold {threshold}.",
)
SETTINGS_SAVED_REPORT = text(
    "Het maandrapport gaat ook naar dit kanaal:", "The monthly report also goes to this channel:"
)
LANGUAGE_UNKNOWN_CHOICE = text("Kies Nederlands of Engels.", "Choose Dutch or English.")
LANGUAGE_NAME = text("Nederlands", "English")
"""Each language's own name, used as `LANGUAGE_NAME(language)`."""
SAVE = text("Opslaan", "Save")

UNDELIVERABLE_PERSON_GONE = text(
    "Dit account is gedeactiveerd of verwijderd, of kan geen berichten ontvangen.",
    "This account is deactivated or removed, or cannot receive messages.",
)
UNDELIVERABLE_NO_ACCESS = text(
    "Ik zit niet in dat kanaal of kan het niet zien. Nodig me uit in het kanaal "
    "(/invite @SSRM Advisor) en probeer het opnieuw.",
    "I'm not in that channel or cannot see it. Invite me to the channel "
    "(/invite @SSRM Advisor) and try again.",
)
UNDELIVERABLE_MISSING_PERMISSION = text(
    "De app mist een toestemming die hiervoor nodig is. Vraag een beheerder van de werkruimte "
    "de app opnieuw te installeren met het manifest van de advisor.",
    "The app lacks a permission this needs. Ask a workspace admin to reinstall the app from "
    "the advisor's manifest.",
)
UNDELIVERABLE_APP_REMOVED = text(
    "De app is uit de werkruimte verwijderd of de toegang is ingetrokken. Een beheerder van de "
    "werkruimte moet de app opnieuw installeren.",
    "The app was removed from the workspace or its access was revoked. A workspace admin must "
    "reinstall the app.",
)
UNDELIVERABLE_OTHER = text(
    "Het chatplatform weigerde het bericht; de details staan in het logboek van de advisor.",
    "The chat platform refused the message; the details are in the advisor's log.",
)
UNDELIVERABLE_UNAVAILABLE = text(
    "Het chatplatform was niet bereikbaar: het gaf geen antwoord, of een serverfout, ook na een "
    "paar pogingen. Dat gaat meestal vanzelf over; probeer het over een paar minuten opnieuw. "
    "Blijft het gebeuren, vraag dan wie de advisor beheert de verbinding met het platform na te "
    "kijken.",
    "The chat platform could not be reached: it gave no answer, or a server error, even after a "
    "few tries. This usually passes by itself; try again in a few minutes. If it keeps happening, "
    "ask whoever runs the advisor to check its connection to the platform.",
)
MEMBERS_UNREADABLE = text(
    "Ik kan niet zien wie er in dit kanaal zit, dus er is niets gelanceerd:",
    "I can't see who is in this channel, so nothing was launched:",
)
NOT_PUBLISHED = text(
    "Ik kon het resultaat van scan {number} niet plaatsen in:",
    "I couldn't post the result of scan {number} in:",
)

MY_SCAN_TITLE = text("Jouw scan", "Your scan")
MY_SCAN_NONE = text(
    "Er loopt nu geen scan. Typ 'scan' om er een te beginnen.",
    "No scan is running now. Type 'scan' to start one.",
)
MY_SCAN_DONE = text(
    "Je hebt scan {number} afgerond. Dank je wel!", "You completed scan {number}. Thank you!"
)
MY_SCAN_WAITING = text(
    "Scan {number} loopt en wacht op jouw antwoorden. Typ 'scan' om te beginnen.",
    "Scan {number} is running and waiting for your answers. Type 'scan' to begin.",
)
MY_SCAN_PARTWAY = counted(
    nl=(
        "Je hebt {answered} van de {n} vraag van scan {number} beantwoord. Typ 'scan' om verder "
        "te gaan.",
        "Je hebt {answered} van de {n} vragen van scan {number} beantwoord. Typ 'scan' om verder "
        "te gaan.",
    ),
    en=(
        "You've answered {answered} of the {n} question of scan {number}. Type 'scan' to carry on.",
        "You've answered {answered} of the {n} questions of scan {number}. Type 'scan' to carry "
        "on.",
    ),
)
"""`{n}` is the number of questions in the scan."""
RESULT_READY = text(
    "Scan {number} is gesloten. Zo zie jij de organisatie, naast het resultaat van iedereen:",
    "Scan {number} is closed. Here is how you see the organisation, beside everyone's result:",
)

NUDGE_DUE = text("{title}: vandaag, {when}.", "{title}: due today, {when}.")
NUDGE_OVERDUE = text(
    "{title} stond voor {when} en staat nog open.", "{title} was due {when} and is still open."
)
NUDGE_ACTIONS = text(
    "Klaar? Antwoord 'klaar {id}' (met een link of notitie erachter als je wilt). Later: "
    "'later {id}'. Overslaan: 'overslaan {id} reden'. Afwezig: 'afwezig tot 2026-12-31'.",
    "Done? Reply 'done {id}' (add a link or a note if you like). Later: 'snooze {id}'. "
    "Skip it: 'skip {id} reason'. Away: 'away until 2026-12-31'.",
)
NUDGE_HANDOVER = text(
    "De taak #{id} ({title}) is nu van jou: wie hem had, heeft gevraagd om vergeten te worden. "
    "Typ 'overdragen {id} @naam' om hem aan iemand anders te geven.",
    "Task #{id} ({title}) is yours now: the person who had it asked to be forgotten. Type "
    "'reassign {id} @name' to give it to someone else.",
)
NUDGE_ESCALATION = counted(
    nl=(
        "{title} ({owner}) is {n} keer niet gedaan. Misschien past een andere eigenaar "
        "('overdragen {id} naam') of een ander ritme.",
        "{title} ({owner}) is {n} keer op rij niet gedaan. Misschien past een andere eigenaar "
        "('overdragen {id} naam') of een ander ritme.",
    ),
    en=(
        "{title} ({owner}) was missed once. Perhaps it needs another owner ('reassign {id} "
        "name') or another rhythm.",
        "{title} ({owner}) was missed {n} times in a row. Perhaps it needs another owner "
        "('reassign {id} name') or another rhythm.",
    ),
)
"""`{n}` is how many occurrences in a row were missed."""
BUTTON_DONE = text("Klaar", "Done")
BUTTON_DONE_TASK = text("Klaar: #{id} {title}", "Done: #{id} {title}")
BUTTON_SNOOZE = text("Later", "Snooze")
BUTTON_TASKS = text("Alle taken", "All tasks")
BUTTON_MEASURE = text("Cijfers invullen", "Log figures")
BUTTON_SCAN = text("Verder met de scan", "Continue the scan")
TYPED_SCAN = text("scan", "scan")
TYPED_DONE = text("klaar {id}", "done {id}")
TYPED_SNOOZE = text("later {id}", "snooze {id}")
TYPED_TASKS = text("taken", "tasks")
TYPED_MEASURE = text("meten", "measure")
DIGEST_TITLE = text("Je week: {week}", "Your week: {week}")
DIGEST_DUE = text("Deze week te doen", "Due this week")
DIGEST_OVERDUE = text("Achterstallig", "Overdue")
DIGEST_DONE = text("Vorige week gedaan", "Done last week")
DIGEST_NOTHING = text("Niets.", "Nothing.")
DIGEST_CONSISTENCY = text(
    "Op tijd gedaan: {recent} (4 weken), {longer} (12 weken).",
    "Done on time: {recent} (4 weeks), {longer} (12 weeks).",
)
DIGEST_UNREACHABLE = text("Niet bereikbaar", "Unreachable")
DIGEST_ACTIONS = text(
    "Typ 'taken' voor de lijst, 'klaar nummer' om iets af te vinken of 'meten' voor de cijfers "
    "van vorige week.",
    "Type 'tasks' for the list, 'done number' to tick something off or 'measure' for last "
    "week's figures.",
)
NOT_YET = text("nog niet te zeggen", "too early to say")

DESK_UNAVAILABLE = text(
    "Taken en metingen zijn hier niet beschikbaar.", "Tasks and figures are not available here."
)
ADOPTED = text(
    "Plan overgenomen: {steps} en {tasks}, met jou als eigenaar. Typ 'taken' voor de lijst; ik "
    "herinner eigenaren op tijd.",
    "Plan adopted: {steps} and {tasks}, with you as owner. Type 'tasks' for the list; I'll "
    "remind owners in time.",
)
"""`{steps}` an ADOPTED_STEPS, `{tasks}` an ADOPTED_TASKS."""
ADOPTED_STEPS = counted(
    nl=("{n} eenmalige stap", "{n} eenmalige stappen"), en=("{n} one-off step", "{n} one-off steps")
)
ADOPTED_TASKS = counted(
    nl=("{n} vaste taak", "{n} vaste taken"), en=("{n} always-on task", "{n} always-on tasks")
)
ALREADY_ADOPTED = text(
    "Dat is al overgenomen. Typ 'taken' voor de lijst.",
    "That has been adopted already. Type 'tasks' for the list.",
)
ADOPT_WHICH = text(
    "Noem de nummers uit het plan (1 tot en met {total}), bijvoorbeeld 'overnemen 1,3' of "
    "'overnemen 2-4'; 'overnemen' alleen neemt alles over. Er is niets veranderd.",
    "Name the plan's numbers (1 to {total}), for example 'adopt 1,3' or 'adopt 2-4'; 'adopt' "
    "on its own adopts everything. Nothing was changed.",
)
PLAN_ADOPT = text(
    "Neem het plan over met 'overnemen', of een deel ervan met 'overnemen 1,3'. Ik maak er "
    "taken van en herinner de eigenaren op tijd.",
    "Adopt the plan with 'adopt', or part of it with 'adopt 1,3'. I'll turn it into tasks and "
    "remind their owners in time.",
)
BUTTON_ADOPT = text("Plan overnemen", "Adopt the plan")
TYPED_ADOPT = text("overnemen", "adopt")
TASKS_TITLE = text("Taken", "Tasks")
TASKS_NONE = text(
    "Er zijn nog geen taken. Na een resultaat neemt de projectmanager het plan over met "
    "'overnemen'.",
    "There are no tasks yet. After a result, the project manager adopts the plan with 'adopt'.",
)
TASK_LINE = text(
    "#{id} {title}: volgende keer {due} ({owner})", "#{id} {title}: next {due} ({owner})"
)
TASK_LINE_DONE = text("#{id} {title}: afgerond", "#{id} {title}: finished")
WHICH_TASK = text(
    "Welke taak? Zet het nummer erachter, bijvoorbeeld 'klaar 3'. 'taken' toont de nummers.",
    "Which task? Add its number, for example 'done 3'. 'tasks' shows the numbers.",
)
NO_SUCH_TASK = text("Taak #{id} bestaat niet.", "There is no task #{id}.")
NOT_YOUR_TASK = text(
    "Taak #{id} is van iemand anders; alleen de eigenaar of de projectmanager kan hem afvinken.",
    "Task #{id} belongs to someone else; only its owner or the project manager can mark it.",
)
MARKED_DONE = text("#{id} {title}: gedaan. Dank je!", "#{id} {title}: done. Thank you!")
MARKED_SKIPPED = text("#{id} {title}: overgeslagen.", "#{id} {title}: skipped.")
ALREADY_MARKED = text("Die keer was al afgevinkt.", "That occurrence was marked already.")
NOTHING_OPEN = text("Taak #{id} heeft niets openstaan.", "Task #{id} has nothing open.")
SKIP_NEEDS_REASON = text(
    "Geef een reden, bijvoorbeeld 'overslaan 3 vakantie'.",
    "Give a reason, for example 'skip 3 holiday'.",
)
SNOOZED = text(
    "Goed, ik herinner je aan #{id} op {when}.", "Fine, I'll remind you about #{id} on {when}."
)
AWAY_HOW = text(
    "Typ 'afwezig tot 2026-12-31' (de laatste dag dat je weg bent), of 'afwezig uit'.",
    "Type 'away until 2026-12-31' (the last day you're away), or 'away off'.",
)
AWAY_SET = text(
    "Tot en met {until} stuur ik je geen herinneringen.", "No reminders until after {until}."
)
AWAY_OFF = text("Welkom terug: herinneringen staan weer aan.", "Welcome back: reminders are on.")
REASSIGN_HOW = text(
    "Typ 'overdragen 3 naam' om taak 3 aan iemand anders te geven.",
    "Type 'reassign 3 name' to give task 3 to someone else.",
)
REASSIGNED = text("#{id} is nu van {owner}.", "#{id} now belongs to {owner}.")
MEASURE_INTRO = text(
    "De cijfers van week {week} ({start} tot en met {end}). Typ bij elke vraag een heel getal, "
    "'-' als je het niet weet, of 'stop' om wat je al typte als concept te bewaren.",
    "The figures for week {week} ({start} to {end}). Answer each with a whole number, '-' if "
    "you don't know, or 'stop' to keep what you typed as a draft.",
)
MEASURE_PROMPT = text("{number}/{total} {label}?", "{number}/{total} {label}?")
MEASURE_SAVED = text(
    "Opgeslagen voor week {week} ({start} tot en met {end}).{rate}",
    "Saved for week {week} ({start} to {end}).{rate}",
)
MEASURE_RATE = text(
    " Engagement rate: {rate}% (interacties / bereik).",
    " Engagement rate: {rate}% (engagements / reach).",
)
MEASURE_STOPPED = text("Gestopt; er is niets opgeslagen.", "Stopped; nothing was saved.")
CROSS_CHECK = counted(
    nl=(
        "Let op: de werkwijze krijgt fase {phase}, maar berichten gingen de afgelopen 8 weken "
        "{on_time} van de {n} keer op tijd uit. Beeld en praktijk lopen uiteen.",
        "Let op: de werkwijze krijgt fase {phase}, maar berichten gingen de afgelopen 8 weken "
        "{on_time} van de {n} keer op tijd uit. Beeld en praktijk lopen uiteen.",
    ),
    en=(
        "Note: way of working is rated phase {phase}, but in the last 8 weeks {on_time} of the "
        "{n} post due went out on time. Perception and practice differ.",
        "Note: way of working is rated phase {phase}, but in the last 8 weeks {on_time} of the "
        "{n} posts due went out on time. Perception and practice differ.",
    ),
)
"""`{n}` is how many posts were due ("keer" is both singular and plural in Dutch)."""
MEASURE_TITLE = text("Cijfers", "Figures")
MEASURE_FORM_INTRO = text(
    "Kies de week en vul de cijfers in; laat leeg wat je niet weet. Heeft de week al cijfers, "
    "dan vervangen deze ze.",
    "Choose the week and fill in its figures; leave blank what you don't know. If the week has "
    "figures already, these replace them.",
)
REPORT_READY = text(
    "Het managementrapport van {month} staat klaar: fase, profiel, cijfers en taken. Deel het "
    "met het management.",
    "The management report for {month} is ready: phase, profile, figures and tasks. Share it "
    "with management.",
)
REPORT_FILE_TITLE = text("Managementrapport {month}", "Management report {month}")

# Data rights
RIGHTS_HELP_ITEMS = (
    text(
        "mijn gegevens: alles wat de advisor over jou bewaart, als bestand; privacy: wat er "
        "bewaard wordt, wie wat ziet en hoe lang",
        "my data: everything the advisor keeps about you, as a file; privacy: what is kept, who "
        "sees what and for how long",
    ),
    text(
        "vergeet mij: al je gegevens wissen (je bevestigt eerst)",
        "forget me: erase all your data (you confirm first)",
    ),
    text(
        "exporteren / logboek: de export en het logboek van de organisatie (projectmanager)",
        "export / audit: the organisation's export and audit log (project manager)",
    ),
)
RIGHTS_UNAVAILABLE = text(
    "Inzage en wissen zijn hier niet beschikbaar; vraag het aan wie de advisor beheert.",
    "Seeing and erasing your data is not available here; ask whoever runs the advisor.",
)
MY_DATA_READY = text(
    "Hier is alles wat de advisor over jou bewaart, in één JSON-bestand: je antwoorden per "
    "scan, je eigen resultaten, je gesprek, taal en tijdzone, je taken en wat je ermee deed, "
    "herinneringen en uitnodigingen. Zeg 'vergeet mij' om het te laten wissen.",
    "Here is everything the advisor keeps about you, in one JSON file: your answers per scan, "
    "your own results, your conversation, language and time zone, your tasks and what you did "
    "with them, reminders and invitations. Say 'forget me' to have it erased.",
)
MY_DATA_FILE_TITLE = text("Mijn gegevens", "My data")
FORGET_ASK = text(
    "Weet je het zeker? Ik wis dan alles over jou: je antwoorden in een lopende scan verdwijnen; "
    "antwoorden in een gesloten scan blijven alleen anoniem bewaard, zodat de gepubliceerde "
    "uitslag klopt, en niets wijst nog naar jou; je taken gaan naar de projectmanager. Dit kan "
    "niet ongedaan worden gemaakt.",
    "Are you sure? I will then erase everything about you: your answers in a running scan are "
    "deleted; answers in a closed scan are kept only anonymously, so the published result stays "
    "true, and nothing points to you any more; your tasks go to the project manager. This "
    "cannot be undone.",
)
FORGET_HOW_TO_CONFIRM = text(
    "Typ 'ja, vergeet mij' of druk op de knop om te bevestigen; al het andere breekt af.",
    "Type 'yes, forget me' or press the button to confirm; anything else cancels.",
)
FORGET_MANAGER = text(
    "Je bent de projectmanager. Wie neemt het over? Noem die bij je bevestiging, bijvoorbeeld "
    "'ja, vergeet mij, draag over aan @anne'. Zonder opvolger heeft de organisatie daarna geen "
    "projectmanager.",
    "You are the project manager. Who takes over? Name them when you confirm, for example "
    "'yes, forget me, hand over to @ann'. Without a successor the organisation has no project "
    "manager afterwards.",
)
FORGET_SUCCESSOR = text(
    "De rol van projectmanager gaat naar {successor}.",
    "The project manager's role goes to {successor}.",
)
FORGET_BUTTON = text("Ja, vergeet mij", "Yes, forget me")
FORGET_CANCELLED = text("Afgebroken: er is niets gewist.", "Cancelled: nothing was erased.")
FORGET_NOTHING_TO_CONFIRM = text(
    "Er is niets te bevestigen. Zeg 'vergeet mij' als je wilt dat ik je gegevens wis.",
    "There is nothing to confirm. Say 'forget me' if you want me to erase your data.",
)
FORGOTTEN = text(
    "Gedaan: ik ben je vergeten. Gewist uit lopende scans: {deleted}. Anoniem bewaard uit "
    "gesloten scans, zonder verband met jou: {detached}. Dit gesprek begint opnieuw.",
    "Done: I have forgotten you. Deleted from running scans: {deleted}. Kept only anonymously "
    "from closed scans, linked to nobody: {detached}. This conversation starts afresh.",
)
FORGOTTEN_ANSWERS = counted(nl=("{n} antwoord", "{n} antwoorden"), en=("{n} answer", "{n} answers"))
FORGOTTEN_SHEETS = counted(
    nl=("{n} ingevulde scan", "{n} ingevulde scans"), en=("{n} answer sheet", "{n} answer sheets")
)
FORGOTTEN_TASKS = counted(nl=("{n} taak", "{n} taken"), en=("{n} task", "{n} tasks"))
FORGOTTEN_TASKS_HANDED = text(
    "Je taken zijn nu van {heir}: {tasks}.",
    "Your tasks now belong to {heir}: {tasks}.",
)
FORGOTTEN_TASKS_STOPPED = text(
    "Je taken zijn gestopt, want niemand kan ze overnemen: {tasks}.",
    "Your tasks were stopped, as there is no one to take them on: {tasks}.",
)
FORGOTTEN_NO_MANAGER = text(
    "De organisatie heeft nu geen projectmanager: wie het plan overneemt wordt het, of stel er "
    "een in met 'advisor org --manager'.",
    "The organisation has no project manager now: whoever adopts the plan becomes one, or set "
    "one with 'advisor org --manager'.",
)
PRIVACY_TITLE = text("Privacy", "Privacy")
PRIVACY_ITEMS = (
    text(
        "Wat ik bewaar: je antwoorden per scan, je gesprek met mij (waar je bent, taal, "
        "tijdzone), je taken en wat je ermee deed, herinneringen en uitnodigingen.",
        "What I keep: your answers per scan, your conversation with me (where you are, "
        "language, time zone), your tasks and what you did with them, reminders and invitations.",
    ),
    text(
        "Wie wat ziet: niemand ziet jouw antwoorden. De uitslag van de organisatie verschijnt "
        "pas als de scan sluit, en alleen voor groepen van minstens {threshold} mensen. Jouw "
        "eigen profiel zie alleen jij. De projectmanager ziet wie meedeed, niet wat iemand "
        "antwoordde, en ziet de taken.",
        "Who sees what: nobody sees your answers. The organisation's result appears only when "
        "the scan closes, and only for groups of at least {threshold} people. Only you see your "
        "own profile. The project manager sees who took part, not what anyone answered, and "
        "sees the tasks.",
    ),
    text(
        "Hoe lang: antwoorden uit scans die langer dan {period} geleden sloten worden anoniem "
        "gemaakt; verstuurde herinneringen en technische gegevens worden na korte tijd gewist; "
        "verwijdert de organisatie de app, dan wordt alles gewist na {grace}.",
        "For how long: answers from scans that closed more than {period} ago are made "
        "anonymous; sent reminders and technical records are deleted after a short while; if "
        "the organisation removes the app, everything is deleted after {grace}.",
    ),
    text(
        "Inzien en meenemen: zeg 'mijn gegevens' en je krijgt alles als bestand. Wissen: zeg "
        "'vergeet mij'; dat wordt nooit geweigerd.",
        "See and take it with you: say 'my data' and you get everything as a file. Erase: say "
        "'forget me'; that is never refused.",
    ),
)
RETENTION_PERIOD = counted(nl=("{n} maand", "{n} maanden"), en=("{n} month", "{n} months"))
GRACE_PERIOD = counted(nl=("{n} dag", "{n} dagen"), en=("{n} day", "{n} days"))
EXPORT_READY = text(
    "De export van de organisatie: per scan de gepubliceerde uitslag per dimensie en groep, de "
    "deelname, het plan, de taken met wat ermee gedaan is en de cijfers; nooit iemands "
    "antwoorden. De vaste taken staan ook in een agendabestand (.ics) voor Outlook of Google "
    "Agenda.",
    "The organisation's export: per scan the published result per dimension and group, the "
    "participation, the plan, the tasks with what was done, and the figures; never anyone's "
    "answers. The always-on tasks are also in a calendar file (.ics) for Outlook or Google "
    "Calendar.",
)
EXPORT_FILE_TITLE = text("Export van de organisatie", "Organisation export")
TASKS_CALENDAR_TITLE = text("Vaste taken (agenda)", "Always-on tasks (calendar)")
RIGHTS_MANAGER_ONLY = text(
    "Dit kan alleen de projectmanager:", "Only the project manager can do this:"
)
RIGHTS_NO_MANAGER = text(
    "Dit kan alleen de projectmanager, en die heeft de organisatie nog niet: wie het plan "
    "overneemt of een scan lanceert wordt het.",
    "Only the project manager can do this, and the organisation has none yet: whoever adopts "
    "the plan or launches a scan becomes one.",
)
AUDIT_TITLE = text("Logboek", "Audit log")
AUDIT_EMPTY = text("Het logboek is nog leeg.", "The audit log is empty so far.")
AUDIT_BY_ADVISOR = text("de advisor", "the advisor")

# The organisation's calendar: working days, hours, quiet hours, cap, public holidays, days off
CALENDAR_WORKING_DAYS = text("Werkdagen", "Working days")
CALENDAR_WORKING_DAYS_HINT = text(
    "Bijvoorbeeld ma-vr, of ma, di, do.", "For example mon-fri, or mon, tue, thu."
)
CALENDAR_HOURS = text("Werktijden", "Working hours")
CALENDAR_HOURS_HINT = text(
    "Van en tot, bijvoorbeeld 09:00-17:30.", "From and until, for example 09:00-17:30."
)
CALENDAR_QUIET_HOURS = text("Stille uren", "Quiet hours")
CALENDAR_QUIET_HOURS_HINT = text(
    "Een rustig moment binnen de werktijden zonder herinneringen, zoals de lunch (12:00-13:00). "
    "Leeg: geen.",
    "A quiet spell within working hours without reminders, such as lunch (12:00-13:00). "
    "Empty: none.",
)
CALENDAR_WEEKLY_CAP = text("Herinneringen per week", "Reminders per week")
CALENDAR_WEEKLY_CAP_HINT = text(
    "Hoeveel persoonlijke herinneringen iemand per week hooguit krijgt (1 tot en met {maximum}).",
    "The most personal reminders anyone gets in a week (1 to {maximum}).",
)
CALENDAR_COUNTRY = text("Land voor feestdagen", "Country for public holidays")
CALENDAR_COUNTRY_HINT = text(
    "Op de officiële feestdagen van dit land komen geen herinneringen. Een landcode zoals NL, BE "
    "of GB; leeg: geen.",
    "No reminders arrive on this country's public holidays. A country code such as NL, BE or "
    "GB; empty: none.",
)
CALENDAR_COUNTRY_NONE = text("Geen feestdagen van een land", "No country's public holidays")
CALENDAR_DAYS_OFF = text("Eigen vrije dagen", "Our own days off")
CALENDAR_DAYS_OFF_HINT = text(
    "Dagen waarop de organisatie dicht is, bijvoorbeeld 2026-12-24, 2026-12-31.",
    "Days the organisation is closed, for example 2026-12-24, 2026-12-31.",
)
CALENDAR_DAY_UNKNOWN = text(
    "'{word}' herken ik niet als dag. Schrijf bijvoorbeeld ma-vr, of ma, di, do.",
    "I don't recognise '{word}' as a day. Write for example mon-fri, or mon, tue, thu.",
)
CALENDAR_NO_WORKING_DAY = text("Noem minstens één werkdag.", "Name at least one working day.")
CALENDAR_HOURS_UNREADABLE = text(
    "Schrijf de werktijden als begin en einde, bijvoorbeeld 09:00-17:30.",
    "Write the working hours as a start and an end, for example 09:00-17:30.",
)
CALENDAR_HOURS_BACKWARDS = text(
    "De werkdag moet beginnen voordat hij eindigt.", "The working day has to start before it ends."
)
CALENDAR_QUIET_UNREADABLE = text(
    "Schrijf de stille uren als begin en einde, bijvoorbeeld 12:00-13:00, of laat het veld leeg.",
    "Write the quiet hours as a start and an end, for example 12:00-13:00, or leave it empty.",
)
CALENDAR_QUIET_OUTSIDE = text(
    "De stille uren moeten beginnen voordat ze eindigen, binnen de werktijden ({hours}) vallen "
    "en een deel van de werkdag vrijlaten.",
    "The quiet hours have to start before they end, fall within the working hours ({hours}) "
    "and leave part of the working day free.",
)
CALENDAR_CAP_UNREADABLE = text(
    "Het aantal herinneringen per week is een heel getal van 1 tot en met {maximum}.",
    "The number of reminders per week is a whole number from 1 to {maximum}.",
)
CALENDAR_COUNTRY_UNKNOWN = text(
    "Van '{country}' ken ik de feestdagen niet. Gebruik een landcode van twee letters, zoals NL, "
    "BE of GB, of laat het veld leeg.",
    "I don't know the public holidays of '{country}'. Use a two-letter country code such as NL, "
    "BE or GB, or leave it empty.",
)
CALENDAR_DAY_OFF_UNREADABLE = text(
    "'{word}' herken ik niet als datum. Schrijf vrije dagen als 2026-12-24, met komma's ertussen.",
    "I don't recognise '{word}' as a date. Write days off as 2026-12-24, with commas between.",
)
CALENDAR_TOO_MANY_DAYS_OFF = text(
    "Dat zijn te veel vrije dagen (hooguit {maximum}); laat voorbije dagen weg.",
    "Those are too many days off (at most {maximum}); leave out the days that have passed.",
)
CALENDAR_ZONE = text("Tijdzone", "Time zone")
CALENDAR_ZONE_HINT = text(
    "Waar de werkdag van de organisatie ligt, en ieders zone tot de eigen zone bekend is.",
    "Where the organisation's working day is, and anyone's zone until their own is known.",
)
CALENDAR_ZONE_UNKNOWN = text(
    "De tijdzone '{zone}' ken ik niet. Gebruik een naam als Europe/Amsterdam of America/New_York.",
    "I don't know the time zone '{zone}'. Use a name such as Europe/Amsterdam or America/New_York.",
)

# People named in running text: a person the reader's chat cannot name (another chat's id)
COLLEAGUE = text("een collega", "a colleague")

# Figures entry (issue 17): any week, a draft kept, figures in doubt confirmed
MEASURE_PAUSED = counted(
    nl=(
        "Gepauzeerd; er is nog niets opgeslagen. Je {n} cijfer voor week {week} bewaar ik als "
        "concept: typ 'meten' om verder te gaan.",
        "Gepauzeerd; er is nog niets opgeslagen. Je {n} cijfers voor week {week} bewaar ik als "
        "concept: typ 'meten' om verder te gaan.",
    ),
    en=(
        "Paused; nothing is saved yet. Your {n} figure for week {week} is kept as a draft: type "
        "'measure' to go on.",
        "Paused; nothing is saved yet. Your {n} figures for week {week} are kept as a draft: "
        "type 'measure' to go on.",
    ),
)
MEASURE_RESUMED = counted(
    nl=(
        "Verder met je concept voor week {week} ({start} tot en met {end}): {n} cijfer staat "
        "er al in.",
        "Verder met je concept voor week {week} ({start} tot en met {end}): {n} cijfers staan "
        "er al in.",
    ),
    en=(
        "Going on with your draft for week {week} ({start} to {end}): {n} figure is in already.",
        "Going on with your draft for week {week} ({start} to {end}): {n} figures are in already.",
    ),
)
MEASURE_DRAFT_DROPPED = text(
    "Je concept voor week {week} is weggegooid; het was nog niet opgeslagen.",
    "Your draft for week {week} is discarded; it had not been saved.",
)
MEASURE_CORRECTING = text(
    "Week {week} heeft al cijfers: {values}. Wat je nu typt vervangt ze allemaal.",
    "Week {week} has figures already: {values}. What you type now replaces all of them.",
)
"""`{values}` lists each stored figure after its label."""
MEASURE_CONFIRM = text("Toch opslaan? ja/nee", "Save anyway? yes/no")
MEASURE_YES_OR_NO = text(
    "Typ 'ja' om deze cijfers zo op te slaan, 'nee' om ze te verbeteren, of 'stop'.",
    "Type 'yes' to save these figures as they are, 'no' to correct them, or 'stop'.",
)
MEASURE_CORRECT = text("Typ het dan opnieuw.", "Then type it again.")
MEASURE_WEEK_UNKNOWN = text(
    "'{typed}' kan ik niet als week lezen. Schrijf de week zoals {example}.",
    "I can't read '{typed}' as a week. Write the week like {example}.",
)
MEASURE_WEEK_NOT_OVER = text(
    "Week {week} is nog niet voorbij; de cijfers kunnen tot en met week {latest}. Er is niets "
    "opgeslagen.",
    "Week {week} is not over yet; figures can be logged up to week {latest}. Nothing was saved.",
)
MEASURE_WEEK = text("Week", "Week")
MEASURE_WEEK_OPTION = text("{week} ({start} t/m {end})", "{week} ({start} to {end})")
MEASURE_CHECK = text("Controle", "Check")
MEASURE_CHECK_TO_SAVE = text(
    "Vink dit aan om de cijfers zo op te slaan.", "Tick this to save the figures as they are."
)
MEASURE_CHECKED = text(
    "Ik heb het nagekeken: deze cijfers kloppen", "I checked: these figures are right"
)
MEASURE_FORM_DOUBT = text(
    "{doubt} Klopt het toch? Vink 'Ik heb het nagekeken' aan en sla opnieuw op.",
    "{doubt} Right all the same? Tick 'I checked' and save again.",
)

# The terminal: `advisor scan status`, and the scan after its last answer.
STATUS_HOW_TO_OPEN = text(
    "Een scan gaat open zodra iemand hem in de chat begint, of met: advisor scan new --org {org}",
    "A scan opens as soon as someone begins it in the chat, or with: advisor scan new --org {org}",
)
STATUS_EVERYONE = text("Uitgenodigd of begonnen", "Invited or begun")
STATUS_FINISHED = text("Afgerond", "Completed")
SCAN_STOP_AT_END = text(
    "Je hebt alle vragen beantwoord en alles is bewaard; er valt niets te pauzeren. Wil je een "
    "antwoord aanpassen? Typ 'terug' voor de laatste vraag.",
    "You have answered every question and everything is saved; there is nothing to pause. To "
    "change an answer, type 'back' for the last question.",
)
SCAN_ALL_ANSWERED = text(
    "Je hebt alle vragen beantwoord; er is niets veranderd. Wil je een antwoord aanpassen? Typ "
    "'terug' voor de laatste vraag, en nog eens 'terug' voor de vragen ervoor.",
    "You have answered every question; nothing was changed. To change an answer, type 'back' "
    "for the last question, and 'back' again for the ones before it.",
)

# The organisation's calendar, continued: what the settings say once saved
CALENDAR_SAVED = text(
    "Werkdagen {working_days}, werktijden {hours} ({zone}). Herinneringen die nog moesten komen "
    "zijn verplaatst naar wat de nieuwe agenda toestaat.",
    "Working days {working_days}, working hours {hours} ({zone}). Reminders still to come have "
    "moved to what the new calendar allows.",
)

# Names in the report (issue 17): the people and places no chat names for its reader
A_CHANNEL = text("een kanaal", "a channel")
"""A place (a channel) its chat did not name, where no chat can show it (the report's file)."""
SOME_COLLEAGUES = counted(nl=("een collega", "{n} collega's"), en=("a colleague", "{n} colleagues"))
SOME_CHANNELS = counted(nl=("een kanaal", "{n} kanalen"), en=("a channel", "{n} channels"))

# The organisation's calendar, continued: the country as a choice rather than typed
CALENDAR_COUNTRY_CHOICE_HINT = text(
    "Op de officiële feestdagen van het gekozen land komen geen herinneringen.",
    "No reminders arrive on the public holidays of the country chosen.",
)
