"""Neural networks: a network with one hidden layer learns its features σ(Wx + b) and a
linear predictor on them; backpropagation is the chain rule; freezing the hidden layer
leaves random features, a linear (kernel-like) model."""

import numpy as np

from ftml import datasets
from ftml.experiments import network_metrics as metrics
from ftml.experiments.catalog._declarations import Estimator, Generator, Metric, Theory
from ftml.neural_network import OneHiddenLayerClassifier, OneHiddenLayerRegressor
from ftml.validation import Options, check_finite_squared_norm

# Its place in the course: the last lecture.
ORDER = 70


class _SklearnMLPClassifier(OneHiddenLayerClassifier):
    """scikit-learn's ``MLPClassifier`` with one hidden layer behind ftml's parameters (plain
    SGD: no momentum, a constant step, no early stopping, every epoch run), so that an
    experiment measures both on the same folds. ftml's ``fit`` checks the data and encodes
    the labels; the training is scikit-learn's (its own seeded initialisation), whose
    weights are kept; ``predict`` is ftml's forward pass on them."""

    # What scikit-learn's loop takes: a constant step, reshuffled epochs.
    _parameter_constraints = {
        **OneHiddenLayerClassifier._parameter_constraints,
        "schedule": [Options(str, ("constant",))],
        "sampling": [Options(str, ("without_replacement",))],
    }

    def _train(self, X, targets, output):
        import warnings

        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier

        if self.freeze_hidden or self.init_weights is not None:
            raise ValueError("scikit-learn's MLPClassifier trains both layers from its own "
                             "initialisation: freeze_hidden and init_weights are not taken")
        if self.record_objective:
            raise ValueError("scikit-learn's MLPClassifier records no objective after each "
                             "epoch: record_objective=True is not taken")
        labels = (targets[:, 0] > 0).astype(int) if targets.shape[1] == 1 \
            else np.argmax(targets, axis=1)
        X = check_finite_squared_norm(X)  # ftml's refusal of an overflowing ‖x‖², first
        full_batch = self.solver == "gd"
        batch_size = X.shape[0] if full_batch else min(self.batch_size, X.shape[0])
        reference = MLPClassifier(
            hidden_layer_sizes=(self.n_hidden,), activation=_SKLEARN_ACTIVATIONS[
                self.activation], solver="sgd",
            # scikit-learn divides the penalty by the minibatch's size, ftml by the number of
            # samples: the same penalty per step (exactly, for batches of equal size).
            alpha=self.alpha * batch_size / X.shape[0], batch_size=batch_size,
            learning_rate="constant", learning_rate_init=self.learning_rate,
            max_iter=self.max_iter, shuffle=bool(self.shuffle) and not full_batch,
            random_state=self.random_state, tol=0.0, n_iter_no_change=self.max_iter + 1,
            momentum=0.0, nesterovs_momentum=False, early_stopping=False)
        with warnings.catch_warnings():
            # tol=0 runs every epoch: reaching max_iter is the point, not a failure.
            warnings.simplefilter("ignore", ConvergenceWarning)
            reference.fit(X, labels)
        self.coefs_ = [np.array(weights) for weights in reference.coefs_]
        self.intercepts_ = [np.array(weights) for weights in reference.intercepts_]
        self.n_outputs_ = targets.shape[1]
        self.out_activation_ = output.name
        self.loss_curve_ = list(reference.loss_curve_)
        self.loss_ = float(reference.loss_)
        self.n_iter_ = int(reference.n_iter_)
        self.diverged_ = not np.isfinite(self.loss_)
        return self


_SKLEARN_ACTIVATIONS = {"relu": "relu", "tanh": "tanh", "sigmoid": "logistic"}

DECLARATIONS = [
    Generator(
        "function_target",
        build=datasets.make_function_target,
        check_params=datasets.check_function_target_params,
        params={"function": str, "n_samples": int, "n_features": int, "noise": float,
                "frequency": float, "n_units": int, "structure_seed": int},
        required=("function", "n_samples"),
        description="y = f*(x) + noise, x uniform on [−1, 1]^d, f* a sine, a linear "
                    "function or a ReLU teacher network of n_units units (tp_10); knows f*",
    ),
    Generator(
        "boundary_labels",
        build=datasets.make_boundary_labels,
        check_params=datasets.check_boundary_labels_params,
        params={"boundary": str, "n_samples": int, "label_noise": float},
        required=("boundary", "n_samples"),
        features=2,
        description="binary labels on [−1, 1]² split by a linear or an XOR boundary, flipped "
                    "with probability label_noise (the Bayes risk)",
    ),
    # fit_cost: epochs of minibatch steps, each a forward and a backward pass through the
    # hidden layer (about 3 products of the data with the n_hidden units).
    Estimator("OneHiddenLayerRegressor", OneHiddenLayerRegressor,
              "a network with one hidden layer and a linear output, square loss, plain "
              "SGD or GD; freeze_hidden trains the output layer alone (random features)",
              fit_cost=50.0),
    Estimator("OneHiddenLayerClassifier", OneHiddenLayerClassifier,
              "a network with one hidden layer, logistic or softmax cross-entropy, plain "
              "SGD or GD", fit_cost=50.0),
    Estimator("SklearnMLPClassifier", _SklearnMLPClassifier,
              "scikit-learn's MLPClassifier with one hidden layer and the same parameters "
              "(plain SGD), for comparison", fit_cost=50.0),
    Metric("finite_difference_gradient_error", "truth",
           metrics.finite_difference_gradient_error,
           "‖g − g_fd‖ / ‖g‖: backpropagation against central differences in every "
           "parameter, on the sample's first 20 points"),
    Metric("closed_form_gradient_gap", "truth", metrics.closed_form_gradient_gap,
           "‖g − g_lecture‖ / ‖g‖: backpropagation against the lecture's per-unit, "
           "per-sample closed forms (one output)"),
    Metric("random_features_training_error", "truth", metrics.random_features_training_error,
           "training error of least squares on the hidden features [σ(XWᵀ + b), 1], "
           "relative to Var(y)"),
    Metric("random_features_rank", "truth", metrics.random_features_rank,
           "numerical rank of the hidden features [σ(XWᵀ + b), 1] on the sample"),
    Metric("interpolation_error_at_full_rank", "truth",
           metrics.interpolation_error_at_full_rank,
           "the relative least-squares training error where the hidden features have "
           "rank n (0 elsewhere)"),
    Metric("best_training_loss", "truth", metrics.best_training_loss,
           "the smallest training objective over the fit's epochs, min(loss_curve_)"),
    Metric("excess_classification_risk", "truth", metrics.excess_classification_risk,
           "R(f̂) − R* = (1 − 2η) P(f̂(x) ≠ f*(x)) on test_samples fresh inputs, for labels "
           "flipped with probability η off a known boundary", settings=("test_samples",)),
    Metric("nn_loss_curve", "history", metrics.nn_loss_curve,
           "the training objective after each epoch (full-batch GD: at each iterate, the "
           "start first)"),
    Metric("nn_objective_curve", "history", metrics.nn_objective_curve,
           "the training objective F on all the samples at the start and after each epoch "
           "(record_objective=True)"),
    Metric("frozen_suboptimality", "history", metrics.frozen_suboptimality,
           "F(β_t) − F* of a frozen network at each iterate of GD or after each epoch of "
           "SGD, F* by least squares"),
    Metric("frozen_gd_rate_ratio", "history", metrics.frozen_gd_rate_ratio,
           "(F(β_t) − F*) / ((1 − γμ)^t (F(β_0) − F*)) of a frozen network trained by GD "
           "with γ ≤ 1/L: at most 1 (the linear rate)"),
    Theory("sample_size", "n", lambda model, p: float(p["n_samples"]),
           requires=("n_samples",)),
]
