"""Time per epoch of ftml's one-hidden-layer networks against scikit-learn's MLPs, and the
cost of a backward pass against a forward pass.

Usage: python benchmarks/nn_vs_sklearn.py [--repeats R] [--epochs E]

Problems (seed 0): regression on (50,000 x 50) Gaussian inputs with a teacher network's
targets, m = 100 tanh units; classification of the digits (1,797 x 64, standardised), m = 100
ReLU units, 10 classes. Both sides run plain minibatch SGD (scikit-learn's
``solver="sgd"``, ``momentum=0``, ``nesterovs_momentum=False``, ``learning_rate="constant"``)
with batches of 200, no shuffling, ``tol=0`` and no early stopping, from the same initial
weights (scikit-learn's are overwritten after a one-epoch fit with ``warm_start=True``),
so that they take the same steps. Each fit of E epochs is timed R times, the two taking
turns within each repeat (the first to go alternating), one thread (BLAS pinned by the
environment before numpy loads and by ``threadpoolctl``); the table gives the median time
per epoch and its ratio, ftml / scikit-learn. Agreement: the largest relative difference of
the loss curves (scikit-learn's first entry, that of its allocating fit, dropped).

Backward against forward: on the regression problem, the median time of
``gradients(X, y)`` (a forward pass that keeps its activations, then the backward pass) over
the median time of the forward pass alone (``predict``), interleaved the same way.
"""

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier, MLPRegressor  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from _timing import interleaved  # noqa: E402
from ftml.datasets import load_digits, make_function_target  # noqa: E402
from ftml.neural_network import (  # noqa: E402
    NetworkParameters,
    OneHiddenLayerClassifier,
    OneHiddenLayerRegressor,
)

SEED = 0
BATCH = 200
LEARNING_RATE = 0.01


def problems():
    """(label, X, y, ftml class, scikit-learn class, activation, scikit-learn activation)."""
    teacher = make_function_target("teacher", 50_000, n_features=50, noise=0.1, n_units=5)
    X, y = teacher.sample(np.random.default_rng(SEED))
    digits_X, digits_y = load_digits()
    digits_X = (digits_X - digits_X.mean(axis=0)) / np.maximum(digits_X.std(axis=0), 1e-12)
    return [("regression 50,000 x 50", X, y, OneHiddenLayerRegressor, MLPRegressor,
             "tanh", "tanh"),
            ("digits 1,797 x 64", digits_X, digits_y, OneHiddenLayerClassifier,
             MLPClassifier, "relu", "relu")]


def fits(X, y, ours_class, theirs_class, activation, sk_activation, epochs):
    """The two fits of ``epochs`` epochs from the same initial weights."""
    n_outputs = 1 if ours_class is OneHiddenLayerRegressor else np.unique(y).shape[0]
    initial = glorot_weights(X.shape[1], 100, n_outputs)
    ours = ours_class(100, activation=activation, solver="sgd", batch_size=BATCH,
                      learning_rate=LEARNING_RATE, max_iter=epochs, shuffle=False,
                      init_weights=initial)

    def fit_ours(X):
        return ours.fit(X, y)

    def fit_theirs(X):
        model = theirs_class(hidden_layer_sizes=(100,), activation=sk_activation,
                             solver="sgd", alpha=0.0,
                             batch_size=BATCH, learning_rate="constant",
                             learning_rate_init=LEARNING_RATE, momentum=0.0,
                             nesterovs_momentum=False, shuffle=False, tol=0.0,
                             n_iter_no_change=epochs + 2, max_iter=1, warm_start=True,
                             random_state=SEED)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y)  # allocates the layers (and its label binariser)
            model.coefs_, model.intercepts_ = initial.to_coefs()
            model.set_params(max_iter=epochs)
            timed = time.perf_counter()
            model.fit(X, y)
            model.fit_seconds_ = time.perf_counter() - timed
        return model

    return {"ftml": fit_ours, "scikit-learn": fit_theirs}


def glorot_weights(n_features, n_hidden, n_outputs, seed=SEED):
    """Initial weights shared by both libraries: Glorot's uniform draws (the default of
    both), layer by layer."""
    rng = np.random.default_rng(seed)
    bound = np.sqrt(6 / (n_features + n_hidden))
    W = rng.uniform(-bound, bound, (n_hidden, n_features))
    b = rng.uniform(-bound, bound, n_hidden)
    bound = np.sqrt(6 / (n_hidden + n_outputs))
    theta = rng.uniform(-bound, bound, (n_hidden, n_outputs))
    c = rng.uniform(-bound, bound, n_outputs)
    return NetworkParameters(W, b, theta, c)


def own_seconds(model, elapsed):
    """scikit-learn's allocating fit is not part of the epochs timed."""
    return getattr(model, "fit_seconds_", elapsed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"scikit-learn {sklearn.__version__}; one thread; {args.repeats} interleaved repeats "
          f"of {args.epochs} epochs, batches of {BATCH}, step {LEARNING_RATE}")
    print(f"{'problem':<24} {'library':<13} {'s/epoch':>9} {'ratio':>6} {'loss agreement':>15}")
    with threadpool_limits(1):
        for label, X, y, ours_class, theirs_class, activation, sk_activation in problems():
            runs = fits(X, y, ours_class, theirs_class, activation, sk_activation, args.epochs)
            times, models = interleaved(runs, X, args.repeats, own_seconds)
            per_epoch = {name: np.median(seconds) / args.epochs for name, seconds in times.items()}
            ours_curve = np.asarray(models["ftml"].loss_curve_)
            theirs_curve = np.asarray(models["scikit-learn"].loss_curve_[1:])
            agreement = np.max(np.abs(ours_curve / theirs_curve - 1))
            for name in runs:
                ratio = per_epoch[name] / per_epoch["scikit-learn"]
                shown = f"{agreement:.1e}" if name == "ftml" else ""
                print(f"{label:<24} {name:<13} {per_epoch[name]:>9.4f} {ratio:>6.2f} "
                      f"{shown:>15}")
        label, X, y, ours_class, *_ = problems()[0]
        network = ours_class(100, activation="tanh", max_iter=1, random_state=SEED).fit(X, y)
        passes = {"forward": lambda X: network.predict(X),
                  "forward + backward": lambda X: network.gradients(X, y)}
        times, _ = interleaved(passes, X, max(args.repeats, 5))
        forward = np.median(times["forward"])
        both = np.median(times["forward + backward"])
        print(f"\n{label}, m = 100: forward {forward * 1e3:.1f} ms, forward + backward "
              f"{both * 1e3:.1f} ms: the backward pass costs {(both - forward) / forward:.2f} "
              "forward passes")


if __name__ == "__main__":
    main()
