"""The click bench end to end, tiny: every click's update arrives and every answer is stored.

Counts, never times: speed is what the bench reports, not what a test asserts.
"""

from __future__ import annotations

from bench.clicks.runner import Loop, Options, bench
from bench.clicks.servers import Subject

CLICKS = 40
WARMUP = 8
TINY = Options(
    clicks=CLICKS,
    concurrency=8,
    warmup=WARMUP,
    databases=("sqlite",),
    loops=(Loop.CLOSED,),
)


async def test_the_click_bench_gets_every_update_and_stores_every_answer_of_all_three_apps() -> (
    None
):
    runs = {run.subject: run for run in await bench(TINY)}

    assert set(runs) == {Subject.ADVISOR, Subject.FLOOR, Subject.ACK}
    for run in runs.values():
        assert len(run.clicks) == CLICKS
        assert run.lost == 0
        # 503: the advisor stored the click after its deadline (a machine busy elsewhere); it
        # still updated the message, which is what the bench counts.
        assert set(run.statuses) <= {200, 503}
    # The answers table holds one row per click: each click answers the next question.
    assert runs[Subject.ADVISOR].stored == CLICKS + WARMUP
    assert runs[Subject.FLOOR].stored == CLICKS + WARMUP
