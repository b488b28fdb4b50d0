"""Which fsspec filesystem serves a path, canonical locations, and backend errors made readable."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from curator_core.errors import CuratorError, StorageError
from curator_core.storage._paths import protocol_of

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

__all__ = ["backend_errors", "canonical_path", "filesystem", "is_local", "local_path"]

_LOCAL = (None, "file", "local")
_ALIASES = {"s3a": "s3", "gcs": "gs", "abfss": "abfs"}
# protocol -> (package, the pip line that installs it)
_PACKAGES = {
    "s3": ("s3fs", "pip install s3fs (the curator-core[s3] extra)"),
    "gs": ("gcsfs", "pip install gcsfs (the curator-core[gcs] extra)"),
    "abfs": ("adlfs", "pip install adlfs"),
    "az": ("adlfs", "pip install adlfs"),
}
_OBJECT_STORES = ("s3", "gs", "abfs", "az")
_DENIED = {
    "AccessDenied",
    "ExpiredToken",
    "InvalidAccessKeyId",
    "NoCredentialsError",
    "PartialCredentialsError",
    "SignatureDoesNotMatch",
}
_UNREACHABLE = {"ClientConnectorError", "ConnectTimeoutError", "EndpointConnectionError", "ServerDisconnectedError"}


def is_local(path: str) -> bool:
    """True for plain paths and ``file://`` URLs."""
    return protocol_of(os.fspath(path)) in _LOCAL


def local_path(path: str) -> str:
    """A local path or ``file://`` URL as a plain path (``~`` expanded)."""
    path = os.fspath(path)
    if protocol_of(path) is not None:
        path = path.split("://", 1)[1]
    return os.path.expanduser(path)


def filesystem(path: str, storage_options: Mapping[str, Any] | None = None) -> tuple[AbstractFileSystem, str]:
    """The fsspec filesystem for ``path`` and the path without its protocol.

    A protocol whose package is missing raises :class:`StorageError` with the ``pip install`` line.
    """
    import fsspec

    path = os.fspath(path)
    protocol = protocol_of(path) or "file"
    try:
        cls = fsspec.get_filesystem_class(protocol)
    except ImportError:
        package, pip = _PACKAGES.get(_ALIASES.get(protocol, protocol), (None, None))
        needs = f"the {package} package" if package else "a package that is not installed"
        hint = f": {pip}" if pip else ""
        raise StorageError(f"{path}: the '{protocol}://' protocol needs {needs}{hint}") from None
    except ValueError:
        raise StorageError(f"{path}: unknown protocol '{protocol}://' (fsspec does not know it)") from None
    options = {} if protocol in _LOCAL else dict(storage_options or {})
    with backend_errors(path, "opening the filesystem for"):
        fs = cls(**options)
    return fs, fs._strip_protocol(path)


def canonical_path(path: str, storage_options: Mapping[str, Any] | None = None) -> str:
    """The one spelling of a location used for ids: absolute real local paths, ``protocol://bucket/key`` URLs."""
    path = os.fspath(path)
    protocol = protocol_of(path)
    if protocol in _LOCAL:
        return os.path.realpath(os.path.abspath(local_path(path)))
    rest = re.sub(r"/{2,}", "/", path.split("://", 1)[1]).strip("/")
    return f"{_ALIASES.get(protocol or '', protocol)}://{rest}"


def _endpoint(storage_options: Mapping[str, Any] | None) -> str:
    client = dict((storage_options or {}).get("client_kwargs") or {})
    return str(
        client.get("endpoint_url")
        or (storage_options or {}).get("endpoint_url")
        or os.environ.get("AWS_ENDPOINT_URL_S3")
        or os.environ.get("AWS_ENDPOINT_URL")
        or "the default endpoint"
    )


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(seen) < 32:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _bucket_missing(fs: AbstractFileSystem, path: str, protocol: str) -> str | None:
    if protocol not in _OBJECT_STORES:
        return None
    bucket = fs._strip_protocol(path).split("/", 1)[0]
    try:
        return None if fs.exists(bucket) else bucket
    except Exception:
        return None


def translate(
    exc: BaseException,
    url: str,
    action: str,
    fs: AbstractFileSystem | None = None,
    storage_options: Mapping[str, Any] | None = None,
) -> BaseException:
    """One readable error naming ``url`` for a failure inside a storage backend."""
    if isinstance(exc, CuratorError):
        return exc
    protocol = _ALIASES.get(protocol_of(url) or "", protocol_of(url) or "file")
    names = {type(e).__name__ for e in _chain(exc)} | {
        str(getattr(e, "response", {}).get("Error", {}).get("Code", "")) for e in _chain(exc)
    }
    text = " ".join(str(e) for e in _chain(exc))
    if names & _UNREACHABLE or any(isinstance(e, ConnectionError) for e in _chain(exc)):
        return StorageError(
            f"{action} {url} failed: cannot connect to the storage endpoint {_endpoint(storage_options)} "
            "(connection refused or unreachable); check endpoint_url in storage_options or AWS_ENDPOINT_URL"
        )
    if names & _DENIED or isinstance(exc, PermissionError) or "InvalidAccessKeyId" in text:
        return StorageError(
            f"{action} {url} failed: access denied; check the credentials (storage_options key/secret, "
            "or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY for s3://)"
        )
    if isinstance(exc, FileNotFoundError) or "NoSuchBucket" in names:
        bucket = _bucket_missing(fs, url, protocol) if fs is not None else None
        if bucket is not None or "NoSuchBucket" in names:
            return StorageError(f"{action} {url} failed: the bucket '{bucket or url}' does not exist")
        return FileNotFoundError(f"no such file or directory: {url}")
    if isinstance(exc, IsADirectoryError | NotADirectoryError | FileExistsError) and protocol == "file":
        return exc
    return StorageError(f"{action} {url} failed: {type(exc).__name__}: {exc}")


@contextmanager
def backend_errors(
    url: str,
    action: str,
    fs: AbstractFileSystem | None = None,
    storage_options: Mapping[str, Any] | None = None,
) -> Iterator[None]:
    """Turn what a backend raises inside the block into :func:`translate`'s one clear error."""
    try:
        yield
    except Exception as exc:
        error = translate(exc, url, action, fs, storage_options)
        if error is exc:
            raise
        raise error from exc
