"""The W3C Web Annotation test suite (../shared/corpus/w3c-annotation), offline.

`schemas(suite)` compiles the assertion schemas a `.test` file lists (draft-04, each
`$ref`-ing the suite's `definitions/*.json`) against a local `referencing` registry, with
format checks for `uri` and `date-time` (jsonschema checks neither without optional
packages, so these do); `failures(...)` says which an object breaks. `expand(...)` is PyLD
with a document loader that serves the anno.jsonld context from the corpus and refuses
any other address, so no test touches the network.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
ANNO = "http://www.w3.org/ns/anno.jsonld"

_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(
        re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+", value))


@_FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time")
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


def suite_root() -> Path:
    root = SHARED / "corpus" / "w3c-annotation"
    if not (root / "annotation-model" / "definitions").is_dir():
        pytest.skip("../shared/corpus/w3c-annotation is absent (the W3C annotation-model "
                    "test suite sits beside the repository in CI)")
    return root


def _registry(model: Path) -> Registry:
    resources = []
    for path in sorted((model / "definitions").glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents.get("id", path.name),
                          Resource.from_contents(contents, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


def schemas(test_file: str) -> list[tuple[str, Draft4Validator]]:
    """(assertion file, validator) for each assertion a `.test` file of the suite lists,
    e.g. "annotations/annotationMusts.test"."""
    model = suite_root() / "annotation-model"
    registry = _registry(model)
    listed = json.loads((model / test_file).read_text(encoding="utf-8"))["assertions"]
    validators = []
    for name in listed:
        schema = json.loads((model / name).read_text(encoding="utf-8"))
        assert schema.get("expectedResult", "valid") == "valid", name
        validators.append((name, Draft4Validator(schema, registry=registry,
                                                 format_checker=_FORMATS)))
    return validators


def failures(validators: list[tuple[str, Draft4Validator]], data: Any) -> list[str]:
    """The assertions `data` breaks, each with the suite's own first error."""
    broken = []
    for name, validator in validators:
        errors = list(validator.iter_errors(data))
        if errors:
            broken.append(f"{name}: {errors[0].message[:200]}")
    return broken


def anno_context() -> dict[str, Any]:
    path = suite_root() / "context" / "anno.jsonld"
    return json.loads(path.read_text(encoding="utf-8"))


def expand(document: Any) -> list[dict[str, Any]]:
    """JSON-LD expansion with the anno.jsonld context served from the corpus."""
    from pyld import jsonld

    context = anno_context()

    def loader(url: str, options: object = None) -> dict[str, Any]:
        if url.rstrip("/") == ANNO:
            return {"contextUrl": None, "documentUrl": url, "document": context}
        raise jsonld.JsonLdError(f"offline test: refusing to fetch {url}",
                                 "jsonld.LoadDocumentError", code="loading document failed")

    return jsonld.expand(document, {"documentLoader": loader})
