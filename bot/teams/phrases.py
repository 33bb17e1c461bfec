"""What only Teams says: its welcome, the help in a team's channel, its forms."""

from __future__ import annotations

from engine.text import text

WELCOME = text(
    "Hallo! Ik ben de adviseur voor jullie sociale-mediastrategie. Hieronder zie je waar je "
    "staat en wat je me kunt vragen.",
    "Hello! I'm the advisor for your social media strategy. Below is where you stand and what "
    "you can ask me.",
)
CHANNEL_HELP = text(
    "In dit kanaal start de projectleider een scan voor het team: noem mij en typ 'lanceren'. "
    "Daarna 'status' om te zien wie klaar is, of 'sluiten' om af te ronden. De scan zelf, je "
    "resultaat, het plan en je taken vind je in je persoonlijke chat met mij.",
    "In this channel the project manager launches a scan for the team: mention me and type "
    "'launch'. Then 'status' to see who has finished, or 'close' to wrap it up. The scan itself, "
    "your result, the plan and your tasks are in your personal chat with me.",
)
A_CHANNEL = text("een kanaal", "a channel")
"""Stands for a channel whose name Teams never told, where its name would be."""
NOT_INSTALLED = text(
    "Ik ken jullie organisatie nog niet: voeg de app eerst toe aan Teams, dan kan ik je helpen.",
    "I don't know your organisation yet: add the app to Teams first, then I can help you.",
)

# Forms
FORM_CHECK_MARKED = text(
    "Kijk de gemarkeerde velden na en probeer het opnieuw; er is nog niets gebeurd.",
    "Check the marked fields and try again; nothing has happened yet.",
)
LAUNCH_TEAM_INTRO = text(
    "Iedereen in het team {team} krijgt een uitnodiging voor de scan.",
    "Everyone in the team {team} gets an invitation to the scan.",
)
LAUNCH_REPORT_HERE = text(
    "Het resultaat en het maandrapport in dit kanaal plaatsen",
    "Post the result and the monthly report in this channel",
)

# Files (data rights), by Teams' file consent
FILES_IN_PERSONAL_CHAT = text(
    "Bestanden kan ik alleen in je persoonlijke chat met mij sturen: vraag het me daar.",
    "I can send files only in your personal chat with me: ask me there.",
)
FILE_NOT_YOURS = text(
    "Dit bestand kan ik je niet meer geven.", "I can no longer give you this file."
)
FILE_GONE = text(
    "Het hoort niet meer bij de export; zeg 'export' voor de bestanden van nu.",
    "It is no longer part of the export; say 'export' for the current files.",
)
FILE_UPLOAD_FAILED = text(
    "Het bestand kon niet in je OneDrive worden gezet; probeer het later nog eens.",
    "The file could not be put in your OneDrive; please try again later.",
)

# The organisation's settings (a card, as Teams has no modal)
SETTINGS_INTRO = text(
    "Wat hier staat geldt voor de hele organisatie. Alleen de projectmanager kan het wijzigen.",
    "What is set here holds for the whole organisation. Only the project manager can change it.",
)
SETTINGS_NO_REPORT = text("Geen kanaal", "No channel")
SETTINGS_NO_CHANNELS = text(
    "Ik ken nog geen kanaal: voeg de app toe aan een team en noem mij daar, dan kun je het kiezen.",
    "I don't know any channel yet: add the app to a team and mention me there, then you can "
    "choose it.",
)
SETTINGS_CHANNEL_UNKNOWN = text(
    "Kies een van de kanalen uit de lijst.", "Choose one of the channels in the list."
)
SETTINGS_UNCHANGED = text(
    "Er is niets veranderd aan de instellingen.", "Nothing was changed in the settings."
)

# The overview (home), like Slack's App Home
HOME_TITLE = text("Je overzicht", "Your overview")
HOME_SCAN = text("Scan", "Scan")
HOME_RESULTS = text("Resultaat", "Results")
HOME_TASKS = text("Taken", "Tasks")
HOME_SETTINGS = text("Instellingen", "Settings")
SETTINGS_WORD = text("instellingen", "settings")
"""What the settings button says for the person (Teams shows it in the chat as if typed)."""
SETTINGS_TOO_LONG = text(
    "Dit is te lang om te lezen; kort het in.", "This is too long to read; please shorten it."
)
SETTINGS_UNNAMED_CHANNEL = text("Kanaal zonder naam", "Unnamed channel")
"""A report channel to choose whose team's name Teams never told."""
