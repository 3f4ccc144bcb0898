"""Store addresses: parse what a person or an IT policy wrote into a typed spec.

Accepted forms:

    /abs/path  or  file:///abs/path      a folder (local disk or mounted share)
    s3://bucket[/prefix][?endpoint=https://host:port&region=name]
    webdav://host[:port]/path            WebDAV over http
    webdavs://[user@]host[:port]/path    WebDAV over https
    webdavs://host/path?ca_bundle=/etc/ssl/org-ca.pem   trusting a private CA too

Errors say how to write the address correctly. No message, repr or printable
field ever holds a password: credentials belong in the system keyring, and a
password typed into a WebDAV address is kept only in a `Secret`, which
prints as `***`, so the caller can move it to the keyring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, parse_qsl, quote, unquote, urlsplit

from .credentials import Secret
from .errors import StoreConfigError

EXAMPLES = "a folder path such as /srv/coffre/vault, s3://bucket/prefix or webdavs://host/path"

# At least two letters, so that a Windows drive letter (C:\...) is not a scheme.
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+):")
_BUCKET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_REGION = re.compile(r"[A-Za-z0-9_-]+")
_S3_OPTIONS = ("endpoint", "region")


@dataclass(frozen=True, slots=True)
class LocalSpec:
    """A folder: on a local disk, a removable disk, or a mounted SMB/NFS share."""

    path: Path

    @property
    def url(self) -> str:
        return self.path.as_uri()


@dataclass(frozen=True, slots=True)
class S3Spec:
    """A prefix of an S3-compatible bucket. Credentials come from the keyring, not here."""

    bucket: str
    prefix: str = ""  # no leading or trailing '/'; "" is the whole bucket
    endpoint: str | None = None  # e.g. https://s3.example.org:9000; None: the provider default
    region: str | None = None

    @property
    def url(self) -> str:
        base = f"s3://{self.bucket}/{self.prefix}"
        options = [(k, v) for k, v in (("endpoint", self.endpoint), ("region", self.region)) if v]
        if not options:
            return base
        return base + "?" + "&".join(f"{k}={quote(v, safe=':/')}" for k, v in options)


@dataclass(frozen=True, slots=True)
class WebDavSpec:
    """A folder on a WebDAV server. `base_url` is http(s), ends with '/', has no credentials."""

    base_url: str
    user: str | None = None
    password: Secret | None = field(default=None, repr=False)
    ca_bundle: str | None = None  # PEM file of a private CA to trust (?ca_bundle=/path)

    @property
    def url(self) -> str:
        scheme, rest = self.base_url.split("://", 1)
        user = f"{quote(self.user, safe='')}@" if self.user else ""
        options = f"?ca_bundle={quote(self.ca_bundle, safe='/:')}" if self.ca_bundle else ""
        return f"{'webdavs' if scheme == 'https' else 'webdav'}://{user}{rest}{options}"


StoreSpec = LocalSpec | S3Spec | WebDavSpec


def redact(address: str) -> str:
    """The address as it may be printed: no password, no query values."""
    text = re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", r"\1***@", address)
    return re.sub(r"=([^&#]*)", "=***", text)


def _fail(message: str) -> StoreConfigError:
    return StoreConfigError(message)


def parse_store_url(address: str) -> StoreSpec:
    """Parse a store address (surrounding whitespace ignored) into a spec."""
    text = address.strip()
    if not text:
        raise _fail(f"The store address is empty. Give {EXAMPLES}.")
    match = _SCHEME.match(text)
    if match is None:
        return _parse_path(text)
    scheme = match.group(1).lower()
    if not text[match.end() :].startswith("//"):
        raise _fail(
            f"The store address {redact(text)!r} is incomplete: write {scheme}:// followed "
            f"by the location, for example {EXAMPLES}."
        )
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise _fail(f"The store address {redact(text)!r} is not a valid URL ({exc}).") from None
    if scheme == "file":
        return _parse_file(parts, text)
    if scheme == "s3":
        return _parse_s3(parts, text)
    if scheme in ("webdav", "webdavs"):
        return _parse_webdav(parts, text, secure=scheme == "webdavs")
    if scheme in ("http", "https"):
        raise _fail(
            f"The store address {redact(text)!r} is a web address. For a WebDAV server write "
            "webdavs://host/path (or webdav:// without TLS); for S3-compatible storage write "
            "s3://bucket/prefix?endpoint=https://host."
        )
    if scheme in ("smb", "cifs", "nfs"):
        raise _fail(
            f"Coffre does not open {scheme}:// addresses itself. Mount the share with your "
            "system, then give the path of the mounted folder, such as /mnt/share/coffre."
        )
    raise _fail(f"Unsupported store address scheme {scheme!r}. Give {EXAMPLES}.")


def _parse_path(text: str) -> LocalSpec:
    if "\x00" in text:
        raise _fail("The store path contains a NUL character. Give a plain folder path.")
    if text.startswith("~"):
        raise _fail(
            f"The store path {text!r} starts with '~', which is not expanded here. "
            "Write the full path, such as /home/me/coffre-vault."
        )
    path = Path(text)
    if not path.is_absolute():
        raise _fail(
            f"The store path {text!r} is relative. Give the absolute path of the folder, such "
            "as /srv/coffre/vault; for a network share, mount it and give the mounted path."
        )
    return LocalSpec(path)


def _parse_file(parts: SplitResult, text: str) -> LocalSpec:
    if parts.netloc not in ("", "localhost"):
        raise _fail(
            f"The file address {redact(text)!r} names a host. Write a local folder with three "
            "slashes, such as file:///srv/coffre/vault; for a network share, mount it and give "
            "the mounted folder's path."
        )
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise _fail(
            f"The file address {redact(text)!r} contains '?' or '#'. Write those characters "
            "in folder names as %3F and %23, or give the plain path instead."
        )
    from urllib.request import url2pathname  # here: urllib.request loads http.client (~10 ms)

    path = url2pathname(parts.path)
    if not path or not Path(path).is_absolute():
        raise _fail(
            f"The file address {redact(text)!r} has no absolute path. Write it as "
            "file:///srv/coffre/vault."
        )
    return _parse_path(path)


def _no_credentials(parts: SplitResult, text: str, what: str) -> None:
    if "@" in parts.netloc:
        raise _fail(
            f"The {what} address {redact(text)!r} contains credentials. Remove them from the "
            "address: Coffre asks for them separately and keeps them in the system keyring."
        )


def _clean_path(raw: str, text: str) -> list[str]:
    segments = [unquote(s) for s in raw.strip("/").split("/")] if raw.strip("/") else []
    for seg in segments:
        if seg in ("", ".", ".."):
            raise _fail(
                f"The path in {redact(text)!r} has an empty, '.' or '..' segment. "
                "Write the path plainly, such as /team/vault."
            )
    return segments


def _parse_s3(parts: SplitResult, text: str) -> S3Spec:
    _no_credentials(parts, text, "S3")
    bucket = parts.netloc
    if not bucket:
        raise _fail(f"The S3 address {redact(text)!r} has no bucket. Write s3://bucket/prefix.")
    if ":" in bucket:
        raise _fail(
            f"The S3 address {redact(text)!r} has a port after the bucket name. Give the "
            "server as an option instead: s3://bucket/prefix?endpoint=https://host:9000."
        )
    if not _BUCKET.fullmatch(bucket):
        raise _fail(
            f"{bucket!r} is not a valid bucket name: use letters, digits, '.', '-' and '_'."
        )
    if parts.fragment:
        raise _fail(f"The S3 address {redact(text)!r} contains '#'; remove it.")
    prefix = "/".join(_clean_path(parts.path, text))
    options: dict[str, str] = {}
    try:
        pairs = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        raise _fail(
            f"The options in {redact(text)!r} are malformed. Write them as "
            "?endpoint=https://host&region=name."
        ) from None
    for name, value in pairs:
        if name not in _S3_OPTIONS:
            raise _fail(
                f"Unknown S3 address option {name!r}. The options are: "
                f"{', '.join(_S3_OPTIONS)}. Credentials go in the keyring, not the address."
            )
        if name in options:
            raise _fail(f"The S3 address option {name!r} is given twice.")
        if not value:
            raise _fail(f"The S3 address option {name!r} is empty.")
        options[name] = value
    endpoint = options.get("endpoint")
    if endpoint is not None:
        endpoint = _check_endpoint(endpoint)
    region = options.get("region")
    if region is not None and not _REGION.fullmatch(region):
        raise _fail(f"{region!r} is not a valid region name: use letters, digits, '-', '_'.")
    return S3Spec(bucket=bucket, prefix=prefix, endpoint=endpoint, region=region)


def _check_endpoint(endpoint: str) -> str:
    try:
        parts = urlsplit(endpoint)
        _ = parts.port  # raises ValueError on a bad port
    except ValueError:
        raise _fail("The S3 endpoint is not a valid URL. Write it as https://host:port.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _fail(
            "The S3 endpoint must be a web address with a host, such as https://s3.example.org."
        )
    if "@" in parts.netloc:
        raise _fail(
            "The S3 endpoint contains credentials. Remove them: Coffre asks for them "
            "separately and keeps them in the system keyring."
        )
    if parts.query or parts.fragment:
        raise _fail("The S3 endpoint must not contain '?' or '#'.")
    return endpoint.rstrip("/")


def _parse_webdav(parts: SplitResult, text: str, *, secure: bool) -> WebDavSpec:
    host = parts.hostname
    if not host:
        raise _fail(
            f"The WebDAV address {redact(text)!r} has no server name. Write webdavs://host/path."
        )
    try:
        port = parts.port
    except ValueError:
        raise _fail(f"The WebDAV address {redact(text)!r} has an invalid port.") from None
    if parts.fragment or text.endswith("#"):
        raise _fail(f"The WebDAV address {redact(text)!r} must not contain '#'.")
    ca_bundle = _webdav_options(parts.query, text)
    _clean_path(parts.path, text)
    path = parts.path.rstrip("/") + "/"
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    user = unquote(parts.username) if parts.username else None
    password = Secret(unquote(parts.password)) if parts.password else None
    base_url = f"{'https' if secure else 'http'}://{netloc}{path}"
    return WebDavSpec(base_url=base_url, user=user, password=password, ca_bundle=ca_bundle)


def _webdav_options(query: str, text: str) -> str | None:
    """The one WebDAV address option, `ca_bundle` (absolute path of a PEM file), if given."""
    if not query:
        return None
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        pairs = [("", "")]
    names = [name for name, _ in pairs]
    if names != ["ca_bundle"]:
        raise _fail(
            f"The WebDAV address {redact(text)!r} has options after '?' other than one "
            "ca_bundle. The only option is ?ca_bundle=/path/to/org-ca.pem; credentials go in "
            "the keyring, not the address."
        )
    bundle = pairs[0][1]
    if not bundle or not Path(bundle).is_absolute():
        raise _fail(
            f"The ca_bundle option in {redact(text)!r} must be the absolute path of a PEM "
            "file, such as ?ca_bundle=/etc/ssl/org-ca.pem."
        )
    return bundle
