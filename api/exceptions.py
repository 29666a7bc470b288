"""Errors from the tracker services, as HTTP answers with their Danish messages.

- ``ConflictError`` (someone changed the item since the client read it) → 409,
  with the item's current version so the client can reload and retry.
- ``TransitionError`` and Django's ``ValidationError`` → 400, field messages
  under their field names and the rest under ``detail``.
"""
from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tracker.services import ConflictError


def validation_error_data(error: DjangoValidationError) -> dict[str, Any]:
    if hasattr(error, "error_dict"):
        data: dict[str, Any] = {}
        for field, messages in error.message_dict.items():
            data["detail" if field == NON_FIELD_ERRORS else field] = messages
        if "detail" in data:
            data["detail"] = " ".join(data["detail"])
        return data
    return {"detail": " ".join(error.messages)}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ConflictError):
        return Response(
            {"detail": str(exc), "version": exc.item.version}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_data(exc), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
