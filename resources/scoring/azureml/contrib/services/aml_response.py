"""Legacy import path (azureml-contrib-services); same objects as the azureml_inference_server_http shim."""
from azureml_inference_server_http.api.aml_response import AMLResponse  # noqa: F401
