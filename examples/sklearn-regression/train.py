"""Trains the two models of this example and saves them with joblib.

Run it in the image the deployments use, so the pickles match its scikit-learn:

    docker run --rm -v "$PWD:/work" -w /work endpoint-studio/python-sklearn:3.11-bookworm \
        python3 train.py

Both models are LinearRegression fits of 10 features on noise-free synthetic data, so the
fitted coefficients are the generating ones and every prediction can be checked by hand:
blue  y = 1.0*x1 + 2.0*x2 + ... + 10.0*x10 + 5.0   (sum of i*x_i, plus 5)
green y = 5.0*x1 + 4.5*x2 + ... + 0.5*x10 - 3.0     (the retrained model, weights reversed)
"""
import os

import joblib
import numpy as np
from sklearn.linear_model import LinearRegression

MODELS = {
    "model-1": (np.arange(1.0, 11.0), 5.0),
    "model-2": (np.arange(10.0, 0.0, -1.0) / 2.0, -3.0),
}


def main():
    rng = np.random.RandomState(0)
    x = rng.uniform(0.0, 10.0, size=(200, 10))
    here = os.path.dirname(os.path.abspath(__file__))
    for folder, (coef, intercept) in MODELS.items():
        model = LinearRegression().fit(x, x @ coef + intercept)
        path = os.path.join(here, folder, "model", "sklearn_regression_model.pkl")
        joblib.dump(model, path)
        print("%s: coef %s intercept %.3f -> %s (%d bytes)"
              % (folder, np.round(model.coef_, 6), model.intercept_, path, os.path.getsize(path)))


if __name__ == "__main__":
    main()
