"""The engine's data a conversation consults: the question bank, the plan catalogue, the advice."""

from __future__ import annotations

from dataclasses import dataclass

from engine.advice_base import AdviceBase
from engine.bank import QuestionBank
from engine.matching import TopicIndex
from engine.plan_catalogue import PlanCatalogue


@dataclass(frozen=True)
class Knowledge:
    """The engine's data, loaded once at start-up."""

    bank: QuestionBank
    catalogue: PlanCatalogue
    advice: AdviceBase
    index: TopicIndex
