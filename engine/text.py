"""Bilingual text: every user-facing string exists in Dutch and English."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from engine.vocabulary import Language


class Text(BaseModel):
    """A text in both of the product's languages."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __call__(self, language: Language) -> str:
        return self.nl if language is Language.NL else self.en


def text(nl: str, en: str) -> Text:
    return Text(nl=nl, en=en)


class Counted(BaseModel):
    """A text about a number of things, singular and plural, in both languages.

    Dutch and English share one plural rule: one thing is singular, every other number
    (zero included) is plural. `{n}` in either form is the number.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    one: Text
    other: Text

    def __call__(self, language: Language, n: int, **values: Any) -> str:
        form = self.one if n == 1 else self.other
        return form(language).format(n=n, **values)


def counted(*, nl: tuple[str, str], en: tuple[str, str]) -> Counted:
    """`counted(nl=("{n} persoon", "{n} mensen"), en=("{n} person", "{n} people"))`."""
    return Counted(one=Text(nl=nl[0], en=en[0]), other=Text(nl=nl[1], en=en[1]))
