"""Loading the engine's data files (bank, plan catalogue, advice base) with clear errors."""

from __future__ import annotations

from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)


class CatalogueError(ValueError):
    """A data file is malformed; the message names the file, the item and the field."""


def read_packaged(name: str) -> tuple[str, str]:
    """The text of a data file shipped inside ``engine/data`` and the name to report it by."""
    ref = resources.files("engine") / "data" / name
    return ref.read_text(encoding="utf-8"), f"engine/data/{name}"


def parse_yaml(raw: str, source: str) -> Any:
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise CatalogueError(f"{source}: not valid YAML: {error}") from error


def validate_item(model: type[ModelT], data: Any, *, source: str, item: str) -> ModelT:
    """Validate one item, naming the file, the item and the first failing field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(item)"
        raise CatalogueError(f"{source}: {item}, field '{field}': {first['msg']}") from error
