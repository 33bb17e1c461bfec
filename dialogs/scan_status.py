"""Who has not finished the open scan, for whoever runs the advisor (`advisor scan status`).

Business rules:
- Everyone invited to the open scan and everyone who began it counts; a person is either
  finished, not finished yet, or (invited only) not reached by their invitation.
- Names and counts only: never what anyone answered, nor how far they got.
- No open scan: say so, and how one opens.
"""

from __future__ import annotations

import shlex

from dialogs import phrases
from dialogs.messages import Facts, Heading, Paragraph, People, Reply
from dialogs.ports import LaunchRepository, ScanRepository
from dialogs.records import Organisation
from dialogs.views import moment


async def scan_status(
    org: Organisation, *, scans: ScanRepository, launches: LaunchRepository
) -> Reply:
    """The open scan's participation in the organisation's language."""
    language, zone = org.settings.language, org.settings.time_zone
    scan = await scans.current(org.id)
    if scan is None:
        how = phrases.STATUS_HOW_TO_OPEN(language).format(org=shlex.quote(org.name))
        return (Paragraph(phrases.NO_OPEN_SCAN(language)), Paragraph(how))
    invitations = await launches.invitations(org.id, scan.id)
    began = await scans.participation(org.id, scan.id)
    finished = {p.respondent for p in began if p.completed_at is not None}
    finished |= {i.respondent for i in invitations if i.completed}
    unreached = {
        i.respondent: i.failure
        for i in invitations
        if i.failure is not None and i.respondent not in finished
    }
    everyone = {i.respondent for i in invitations} | {p.respondent for p in began}
    pending = sorted(everyone - finished - unreached.keys())
    counts = [
        (phrases.STATUS_EVERYONE(language), str(len(everyone))),
        (phrases.STATUS_FINISHED(language), str(len(finished))),
        (phrases.STATUS_PENDING(language), str(len(pending))),
    ]
    if unreached:
        counts.append((phrases.STATUS_FAILED(language), str(len(unreached))))
    blocks: list[Heading | Paragraph | People | Facts] = [
        Heading(phrases.STATUS_TITLE(language).format(number=scan.number)),
        Facts(tuple(counts)),
    ]
    if pending:
        blocks += [Heading(phrases.STATUS_PENDING(language)), People(tuple(pending))]
    for failure in sorted(set(unreached.values())):
        failed = tuple(sorted(r for r, why in unreached.items() if why is failure))
        blocks += [
            Heading(phrases.STATUS_FAILED(language)),
            Paragraph(failure.explanation(language)),
            People(failed),
        ]
    launch = await launches.get(org.id, scan.id)
    deadline = None if launch is None else launch.deadline
    blocks.append(
        Paragraph(
            phrases.RESULT_AT_CLOSING_ON(language).format(deadline=moment(deadline, zone))
            if deadline is not None
            else phrases.RESULT_AT_CLOSING(language)
        )
    )
    blocks.append(Paragraph(phrases.STATUS_PRIVATE(language)))
    return tuple(blocks)
