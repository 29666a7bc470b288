"""Additions to the generated OpenAPI document: the error answers every operation can give."""
from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "description": "En fejl: `detail` forklarer den på dansk; fejl i enkelte felter står under feltets navn.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
CONFLICT = {
    "type": "object",
    "description": "Opfølgningen er ændret, siden klienten hentede den. Hent den igen, og prøv igen.",
    "properties": {"detail": {"type": "string"}, "version": {"type": "integer"}},
    "required": ["detail", "version"],
}


def _error(description: str, schema: str = "Error") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Documents 400, 403, 404 and 409 where they can occur, so clients (and schema checks) know them."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    schemas["Conflict"] = CONFLICT
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            responses.setdefault("403", _error("Ikke logget ind, eller handlingen er ikke tilladt for brugeren."))
            if "{id}" in path:
                responses.setdefault("404", _error("Findes ikke, eller brugeren må ikke se den."))
            if any(p.get("name") == "page" for p in operation.get("parameters", [])):
                responses.setdefault("404", _error("Siden findes ikke (sidenummeret er for stort)."))
            if operation.get("requestBody") or any(p.get("in") == "query" for p in operation.get("parameters", [])):
                responses.setdefault("400", _error("Ugyldige data eller filtre; beskeden siger hvorfor."))
            if path.startswith("/api/action-items/{id}") and method in ("patch", "post"):
                responses.setdefault("409", _error("Ændret af en anden i mellemtiden.", "Conflict"))
    return result
