"""Scores a scikit-learn regression model saved with joblib (see ../train.py).

The model file is model/sklearn_regression_model.pkl inside AZUREML_MODEL_DIR, as in Azure's
own sample; the response is a JSON list with one prediction per input row.
"""
import json
import logging
import os

import joblib
import numpy as np

from azureml_inference_server_http.api.aml_response import AMLResponse

logger = logging.getLogger("sklearn-regression")
logger.setLevel(logging.INFO)

model = None
deployment = os.environ.get("DEPLOYMENT_LABEL", "model")


def init():
    """Loads the model once, before the server accepts requests."""
    global model
    path = os.path.join(os.environ["AZUREML_MODEL_DIR"], "model", "sklearn_regression_model.pkl")
    model = joblib.load(path)
    logger.info("Init complete: %s, %d features, from %s",
                type(model).__name__, model.n_features_in_, path)


def run(raw_data):
    """{"data": [[x1, ..., x10], ...]} -> [prediction, ...] (6 decimals)."""
    logger.info("%s: request received", deployment)
    try:
        data = np.array(json.loads(raw_data)["data"], dtype=float)
        if data.ndim != 2 or data.shape[1] != model.n_features_in_:
            raise ValueError("got shape %s, the model expects rows of %d numbers"
                             % (data.shape, model.n_features_in_))
    except (ValueError, KeyError, TypeError) as e:
        return AMLResponse({"message": 'expected {"data": [[x1, ..., x10], ...]}: %s' % e},
                           400, json_str=True)
    # Rounded so that exact fits print as 390.0, not 389.9999999999999.
    result = np.round(model.predict(data), 6)
    logger.info("%s: %d rows scored", deployment, len(result))
    return result.tolist()
