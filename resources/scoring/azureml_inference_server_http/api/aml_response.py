"""Endpoint Studio shim of azureml_inference_server_http.api.aml_response (standard library only)."""
import json

__all__ = ["AMLResponse"]


class AMLResponse:
    """A response a run() can return: AMLResponse(message, status_code, response_headers, json_str).

    json_str=True  -> body is json.dumps(message), Content-Type application/json.
    otherwise      -> body is message as is (str/bytes); None becomes "{}".
    Comma-separated header values are sent as repeated headers, as azmlinfsrv does.
    """

    def __init__(self, message, status_code, response_headers=None, json_str=False,
                 run_function_failed=False):
        self.status_code = int(status_code)
        self.run_function_failed = bool(run_function_failed)
        self.headers = []
        content_type = None
        if json_str:
            body = json.dumps(message)
            content_type = "application/json"
        elif message is None:
            body = "{}"
        else:
            body = message
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif not isinstance(body, (bytes, bytearray)):
            body = str(body).encode("utf-8")
        self.data = bytes(body)
        for name, value in (dict(response_headers) if response_headers else {}).items():
            if name.lower() == "content-type":
                content_type = str(value)
                continue
            for part in str(value).split(","):
                self.headers.append((str(name), part.strip()))
        self.content_type = content_type or "text/html; charset=utf-8"

    @property
    def status(self):
        return self.status_code

    def get_data(self, as_text=False):
        return self.data.decode("utf-8", "replace") if as_text else self.data

    def __repr__(self):
        return "<AMLResponse %d, %d bytes>" % (self.status_code, len(self.data))
