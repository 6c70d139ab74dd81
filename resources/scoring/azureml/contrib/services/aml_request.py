"""Legacy import path (azureml-contrib-services); same objects as the azureml_inference_server_http shim."""
from azureml_inference_server_http.api.aml_request import *  # noqa: F401,F403
from azureml_inference_server_http.api.aml_request import AMLRequest, rawhttp  # noqa: F401
