"""Scores a linear model stored as JSON: y = w . x + b for each row, in pure Python.

Runs under Azure ML's inference server (azmlinfsrv) and under Endpoint Studio's scoring server;
needs nothing but python3. The model file is model/linear-model.json inside AZUREML_MODEL_DIR.
"""
import json
import logging
import os

from azureml_inference_server_http.api.aml_response import AMLResponse

logger = logging.getLogger("linear-python")
logger.setLevel(logging.INFO)

model = None


def init():
    """Loads the model once, before the server accepts requests."""
    global model
    path = os.path.join(os.environ["AZUREML_MODEL_DIR"], "model", "linear-model.json")
    with open(path, encoding="utf-8") as f:
        model = json.load(f)
    if len(model["weights"]) != len(model["features"]):
        raise ValueError("%s: %d weights for %d features"
                         % (path, len(model["weights"]), len(model["features"])))
    logger.info("Init complete: model %s, features %s, from %s",
                model["name"], ", ".join(model["features"]), path)


def run(raw_data):
    """{"data": [[rooms, area, age, distance], ...]} -> {"model": name, "predictions": [...]}."""
    logger.info("%s: request received", model["name"])
    try:
        rows = json.loads(raw_data)["data"]
        width = len(model["weights"])
        for i, row in enumerate(rows):
            if len(row) != width:
                raise ValueError("row %d has %d values; the model expects %d (%s)"
                                 % (i, len(row), width, ", ".join(model["features"])))
        predictions = [sum(w * float(x) for w, x in zip(model["weights"], row)) + model["bias"]
                       for row in rows]
    except (ValueError, KeyError, TypeError) as e:
        message = 'expected {"data": [[%s], ...]}: %s' % (", ".join(model["features"]), e)
        return AMLResponse({"message": message}, 400, json_str=True)
    logger.info("%s: %d rows scored", model["name"], len(predictions))
    return {"model": model["name"], "predictions": predictions}
