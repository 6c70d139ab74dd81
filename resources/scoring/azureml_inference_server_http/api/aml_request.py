"""Endpoint Studio shim of azureml_inference_server_http.api.aml_request (standard library only).

`@rawhttp` makes the scoring server pass an `AMLRequest` to run() instead of the decoded body.
AMLRequest offers the parts of the Flask/werkzeug request object that scoring scripts use.
"""
import json
from urllib.parse import parse_qs, parse_qsl

__all__ = ["AMLRequest", "rawhttp", "Headers"]


def rawhttp(func):
    """Mark run() as wanting the raw HTTP request (an AMLRequest)."""
    func.__aml_rawhttp__ = True
    return func


class Headers(dict):
    """Case-insensitive header mapping (keys kept as given, lookups ignore case)."""

    def __init__(self, items=()):
        super().__init__()
        self._lower = {}
        for k, v in items:
            self[k] = v

    def __setitem__(self, key, value):
        old = self._lower.get(key.lower())
        if old is not None and old != key:
            super().__delitem__(old)
        self._lower[key.lower()] = key
        super().__setitem__(key, value)

    def __getitem__(self, key):
        return super().__getitem__(self._lower.get(key.lower(), key))

    def __contains__(self, key):
        return isinstance(key, str) and key.lower() in self._lower

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug signature
        real = self._lower.get(key.lower()) if isinstance(key, str) else None
        if real is None:
            return default
        value = super().__getitem__(real)
        if type is not None:
            try:
                return type(value)
            except (ValueError, TypeError):
                return default
        return value

    def getlist(self, key):
        v = self.get(key)
        return [] if v is None else [v]


class MultiDict(dict):
    """Minimal werkzeug-like MultiDict: d[key] -> first value, getlist(key) -> all values."""

    def __init__(self, pairs=()):
        super().__init__()
        self._all = {}
        for k, v in pairs:
            self._all.setdefault(k, []).append(v)
            if k not in self:
                super().__setitem__(k, v)

    def getlist(self, key):
        return list(self._all.get(key, []))

    def get(self, key, default=None, type=None):  # noqa: A002
        if key not in self:
            return default
        value = super().__getitem__(key)
        if type is not None:
            try:
                return type(value)
            except (ValueError, TypeError):
                return default
        return value

    def to_dict(self, flat=True):
        return dict(self) if flat else {k: list(v) for k, v in self._all.items()}

    def lists(self):
        return iter(self._all.items())


class AMLRequest:
    """The request passed to a @rawhttp run(): method, path, headers, args, data, json, form."""

    def __init__(self, method, full_path, headers, body=b"", remote_addr=None, host=None):
        self.method = method
        self.full_path = full_path if "?" in full_path else full_path + "?"
        path, _, query = full_path.partition("?")
        self.path = path
        self.query_string = query.encode("latin-1", "replace")
        self.headers = headers if isinstance(headers, Headers) else Headers(headers)
        self._body = body or b""
        self.remote_addr = remote_addr
        self.host = host or self.headers.get("Host", "localhost")
        self.url = "http://%s%s" % (self.host, full_path)
        self.base_url = "http://%s%s" % (self.host, path)
        self.args = MultiDict(parse_qsl(query, keep_blank_values=True))
        self._form = None

    # -- body ----------------------------------------------------------------------------
    @property
    def data(self):
        return self._body

    def get_data(self, cache=True, as_text=False, parse_form_data=False):
        return self._body.decode("utf-8", "replace") if as_text else self._body

    @property
    def content_type(self):
        return self.headers.get("Content-Type")

    @property
    def mimetype(self):
        ct = self.content_type or ""
        return ct.split(";", 1)[0].strip().lower()

    @property
    def content_length(self):
        return len(self._body)

    @property
    def is_json(self):
        mt = self.mimetype
        return mt == "application/json" or (mt.startswith("application/") and mt.endswith("+json"))

    def get_json(self, force=False, silent=False, cache=True):
        if not (force or self.is_json):
            if silent:
                return None
            raise ValueError("Did not attempt to load JSON data because the request "
                             "Content-Type was not 'application/json'.")
        try:
            return json.loads(self._body.decode("utf-8"))
        except ValueError:
            if silent:
                return None
            raise

    @property
    def json(self):
        return self.get_json()

    @property
    def form(self):
        if self._form is None:
            if self.mimetype == "application/x-www-form-urlencoded":
                self._form = MultiDict(parse_qsl(self._body.decode("utf-8", "replace"),
                                                 keep_blank_values=True))
            else:
                self._form = MultiDict()
        return self._form

    @property
    def values(self):
        return MultiDict(list(self.args.items()) + list(self.form.items()))

    @property
    def files(self):
        return MultiDict()

    @property
    def environ(self):
        return {"REQUEST_METHOD": self.method, "PATH_INFO": self.path,
                "QUERY_STRING": self.query_string.decode("latin-1")}

    def __repr__(self):
        return "<AMLRequest '%s' [%s]>" % (self.url, self.method)
