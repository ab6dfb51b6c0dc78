"""Uploads are refused above their limit before the body is stored.

A view says how large a file it takes with `@upload_limit(bytes)`; every other
view takes files up to `UPLOAD_DEFAULT_LIMIT`. `UploadLimitMiddleware` runs
before anything reads the body (CSRF included): a request whose declared length
is beyond the limit is answered 413 at once, unread; otherwise files are kept in
memory only while they fit, and a file that grows past the limit is skipped
(never written to disk) while the rest of the form is read as usual, so the
view can say what was wrong and keep what the person typed.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.middleware import GetResponse

# Room for the other fields and the multipart framing around a file.
FORM_ALLOWANCE = 64 * 1024


def upload_limit[V: Callable[..., HttpResponse]](max_bytes: int) -> Callable[[V], V]:
    def decorator(view: V) -> V:
        # Read back by UploadLimitMiddleware.process_view; a function's own
        # attributes have no place in its type.
        view.upload_limit = max_bytes  # type: ignore[attr-defined]
        return view

    return decorator


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".rstrip("0").rstrip(".")


class LimitedMemoryUploadHandler(FileUploadHandler):
    """Keeps each file in memory up to the limit; skips a file that grows beyond."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.refused: set[str] = set()
        # Read back by refuse_large_uploads, which the view calls with its form.
        request.refused_uploads = self.refused  # type: ignore[attr-defined]

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = io.BytesIO()
        self.size = 0
        self.skipped = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.size += len(raw_data)
        if self.size > self.limit:
            # Let go of what was read; Django closes `file` when parsing ends.
            self.file = io.BytesIO()
            self.skipped = True
            self.refused.add(self.field_name)
            raise SkipFile
        self.file.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if self.skipped:
            return None
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def refuse_large_uploads(request: HttpRequest, form: forms.BaseForm) -> None:
    """Give the (bound) form an error for each file the limit kept out."""
    if not form.is_bound:
        return
    refused: set[str] = getattr(request, "refused_uploads", set())
    for name in refused:
        if name in form.fields:
            # In place of "this field is required": the file came, too large.
            form.errors.pop(name, None)
            form.add_error(
                name,
                _("The file is larger than %(size)s MB and was not read.")
                % {"size": megabytes(upload_limit_of(request))},
            )


def upload_limit_of(request: HttpRequest) -> int:
    """The limit UploadLimitMiddleware set for this request's view."""
    limit: int = request.upload_limit  # type: ignore[attr-defined]
    return limit


class UploadLimitMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        content_type = request.META.get("CONTENT_TYPE", "")
        if not content_type.startswith("multipart/"):
            return None
        limit: int = getattr(view_func, "upload_limit", settings.UPLOAD_DEFAULT_LIMIT)
        # Read back by upload_limit_of.
        request.upload_limit = limit  # type: ignore[attr-defined]
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit + FORM_ALLOWANCE:
            return render(
                request,
                "413.html",
                {"size": megabytes(limit)},
                status=413,
            )
        request.upload_handlers = [LimitedMemoryUploadHandler(request, limit)]
        return None
