"""Neural networks: a network with one hidden layer learns its features σ(Wx + b) and a
linear predictor on them; backpropagation is the chain rule; freezing the hidden layer
leaves random features, a linear (kernel-like) model."""

from ftml import datasets
from ftml.experiments import network_metrics as metrics
from ftml.experiments.catalog._declarations import Estimator, Generator, Metric, Theory
from ftml.neural_network import OneHiddenLayerClassifier, OneHiddenLayerRegressor

# Its place in the course: the last lecture.
ORDER = 70

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
    Metric("frozen_suboptimality", "history", metrics.frozen_suboptimality,
           "F(β_t) − F* of a frozen network trained by GD, F* by least squares"),
    Metric("frozen_gd_rate_ratio", "history", metrics.frozen_gd_rate_ratio,
           "(F(β_t) − F*) / ((1 − γμ)^t (F(β_0) − F*)) of a frozen network trained by GD "
           "with γ ≤ 1/L: at most 1 (the linear rate)"),
    Theory("sample_size", "n", lambda model, p: float(p["n_samples"]),
           requires=("n_samples",)),
]
