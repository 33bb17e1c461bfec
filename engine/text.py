"""Bilingual text: every user-facing string exists in Dutch and English."""

from __future__ import annotations

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
