"""The ``cross_validation`` protocol: k-fold estimates on a fixed dataset.

Each repeat shuffles the data into k folds (stratified if asked); the estimator is fitted on
every training fold (optionally standardised on it, subsampled to a fraction of it, or tuned
by a grid search inside it) and measured on the held-out fold with the catalog's
``prediction``, ``model`` and ``search`` metrics. The long table has one row per grid point,
repeat and fold; beside it each job writes every held-out prediction and the fit times.
"""

import math
import time
from dataclasses import dataclass, field

import numpy as np

from ftml.experiments.catalog import catalog
from ftml.experiments.protocols._base import (
    Protocol,
    finite_values,
    fit_estimator,
    fresh_estimator,
)
from ftml.experiments.seeding import derive_seed
from ftml.metrics import SCORERS
from ftml.model_selection import KFold, StratifiedKFold
from ftml.preprocessing import StandardScaler

__all__ = ["CrossValidation", "CrossValidationRun", "cross_validate_point", "fold_metrics"]

# How a grid search inside a training fold validates: one split, or k folds.
SEARCH_METHODS = ("holdout", "kfold")


class CrossValidation(Protocol):
    name = "cross_validation"
    description = ("k folds of a fixed dataset, repeated; held-out predictions, fitted-model "
                   "and search metrics; a row per grid point, repeat and fold")
    provides = frozenset({"point_summary", "standard_error"})
    metric_kinds = ("prediction", "unsupervised", "model", "search")
    evaluation_keys = ("standardize", "stratify", "search")
    evaluation_grid = {"standardize": bool, "train_size": float, "search_cv": str}
    outputs = ("predictions", "timings", "rows")
    predicts_classes = True
    run_columns = ("replicate", "fold")

    def known_metrics(self, checker, datasets):
        metrics = catalog().metrics
        prediction = [name for name, metric in metrics.items()
                      if metric.kind in ("prediction", "unsupervised")]
        known = [*prediction, *(f"train_{name}" for name in prediction),
                 *(name for name, metric in metrics.items() if metric.kind == "model")]
        search = [name for name, metric in metrics.items() if metric.kind == "search"]
        if "search" in checker.spec["evaluation"]:
            return set(known + search)
        for index, metric in enumerate(checker.spec["metrics"]):
            if metric in search:
                checker.fail(f"metrics[{index}]", f"{metric} measures a search: set "
                             "evaluation.search")
        return set(known)

    def check_evaluation(self, checker):
        """Check ``evaluation.search``: a parameter of every estimator, values, a score."""
        search = checker.spec["evaluation"].get("search")
        if search is None:
            if "search_cv" in checker.spec["grid"]:
                checker.fail("grid.search_cv", "search_cv needs evaluation.search")
            return
        if search["parameter"] in checker.spec["grid"]:
            checker.fail("evaluation.search.parameter",
                         f"{search['parameter']!r} is also a grid parameter; the search "
                         "chooses it")
        self._cast_search_values(checker, search)
        if search["scoring"] not in SCORERS:
            checker.fail("evaluation.search.scoring",
                         checker.unknown(search["scoring"], SCORERS, "score"))
        methods = checker.spec["grid"].get("search_cv", [search["cv"]])
        for index, method in enumerate(methods):
            if method not in SEARCH_METHODS:
                key = f"grid.search_cv[{index}]" if "search_cv" in checker.spec["grid"] else (
                    "evaluation.search.cv")
                checker.fail(key, f"unknown search method {method!r}; known: "
                             f"{', '.join(SEARCH_METHODS)}")

    def _cast_search_values(self, checker, search):
        """Cast the searched values to the parameter's declared type, in every estimator
        the experiment fits (an integer parameter gets integers, not floats)."""
        from ftml.experiments.config._casting import cast_value

        kinds = {}
        for name in checker.estimator_names:
            types = checker.estimator_types(name)
            if search["parameter"] not in types:
                checker.fail("evaluation.search.parameter",
                             checker.unknown(search["parameter"], types,
                                             f"parameter of the estimator {name}"))
                return
            kinds[name] = types[search["parameter"]]
        if len(set(kinds.values())) > 1:
            checker.fail("evaluation.search.parameter", f"{search['parameter']!r} has different "
                         f"types in the estimators: {kinds}")
            return
        if not kinds:
            return
        (kind,) = set(kinds.values())
        cast = []
        for index, value in enumerate(search["values"]):
            try:
                cast.append(cast_value(value, kind))
            except ValueError as error:
                checker.fail(f"evaluation.search.values[{index}]", str(error))
                return
        search["values"] = cast

    def expected_runs(self, experiment, point):
        evaluation = experiment.spec["evaluation"]
        return {(replicate, fold) for replicate in range(evaluation["replicates"])
                for fold in range(evaluation["folds"])}

    def samples_per_point(self, evaluation):
        return evaluation["replicates"] * evaluation["folds"]

    def measurements(self, checker, X, y, model, estimator, point, seed):
        folds = KFold(checker.spec["evaluation"]["folds"], shuffle=True, random_state=seed)
        train, test = next(folds.split(X))
        estimator = fit_estimator(estimator, estimator.factory().set_params(
            **point.estimator_params), X[train], y[train])
        # A search's metrics need the search, which the job wraps around the estimator:
        # its parameter and scoring are checked by check_evaluation.
        searched = set(catalog().metrics_of("search"))
        predicts = hasattr(estimator, "predict")
        return {
            name: (lambda name=name: fold_metrics(
                [name], estimator, y[train], estimator.predict(X[train]) if predicts else None,
                y[test], estimator.predict(X[test]) if predicts else None,
                X_train=X[train], X_test=X[test])[0])
            for name in checker.spec["metrics"]
            if name not in searched
        }

    def fit_shape(self, evaluation, shape, point):
        """The smallest training fold, cut to the point's ``train_size`` as a job cuts it."""
        from ftml.experiments.config._data_shapes import fit_shape

        train = shape.n_samples - math.ceil(shape.n_samples / evaluation["folds"])
        fraction = point.params.get("train_size", 1.0)
        if fraction < 1.0:
            train = max(2, math.ceil(fraction * train))
        return fit_shape(train, shape.n_features)

    def check_data(self, checker, dataset_name, shape, points):
        """Folds against the samples (and, stratified, the smallest class); the search's
        inner folds against the smallest training fold; then the estimators' limits."""
        if not self.check_size(checker, dataset_name, shape, points):
            return
        evaluation = checker.spec["evaluation"]
        folds = evaluation["folds"]
        where = f"dataset {dataset_name!r}"
        if folds > shape.n_samples:
            checker.fail("evaluation.folds", f"{folds} folds need at least {folds} samples; "
                         f"{where} has {shape.n_samples}")
            return
        if evaluation.get("stratify") and shape.smallest_class is not None and (
                folds > shape.smallest_class):
            checker.fail("evaluation.folds", f"{folds} stratified folds need at least {folds} "
                         f"members in every class; the smallest class of {where} has "
                         f"{shape.smallest_class}")
            return
        search = evaluation.get("search")
        if search is not None:
            methods = {point.params.get("search_cv", search["cv"]) for point in points}
            smallest = min(self.fit_shape(evaluation, shape, point).n_samples
                           for point in points)
            if "kfold" in methods and search["folds"] > smallest:
                checker.fail("evaluation.search.folds",
                             f"{search['folds']} inner folds need at least {search['folds']} "
                             f"samples; the smallest training fold of {where} has {smallest}")
                return
        self.check_limits(checker, dataset_name, shape, points)

    def fits(self, spec, point):
        """Each repeat fits every fold; a search inside a fold fits each candidate on each
        inner split, then the selected one."""
        evaluation = spec["evaluation"]
        return evaluation["replicates"] * evaluation["folds"] * _fits_per_fold(
            evaluation, point)

    def work(self, evaluation, shape, point):
        return (super().work(evaluation, shape, point) * evaluation["folds"]
                * _fits_per_fold(evaluation, point))

    def code_modules(self, experiment, point):
        modules = super().code_modules(experiment, point)
        if "search" in experiment.spec["evaluation"]:
            modules.append("ftml.model_selection")
        return modules

    def run(self, jobs, datasets, optima):
        run = None
        for job in jobs:
            part = cross_validate_point(job, datasets[job["dataset"], job["data_id"]])
            if run is None:
                run = part
            else:
                run.rows += part.rows
                run.predictions += part.predictions
                run.timings += part.timings
        return {"predictions": (run.prediction_header, run.predictions),
                "timings": (run.timing_header, run.timings),
                "rows": (run.header, run.rows)}

    def describe(self, spec):
        return f"{super().describe(spec)}, {spec['evaluation']['folds']} folds"


@dataclass
class CrossValidationRun:
    """What a cross-validation job writes: its rows, and beside them the out-of-fold
    predictions and the timings.

    Attributes
    ----------
    header, rows : list
        One row per (repeat, fold): the grid parameters, ``replicate``, ``fold``, metrics.
    prediction_header, predictions : list
        One row per held-out sample of each (repeat, fold): the grid parameters,
        ``replicate``, ``fold``, ``index`` (the sample's row in the data), ``y_true``,
        ``y_pred``.
    timing_header, timings : list
        One row per (repeat, fold): the grid parameters, fit and predict wall-clock seconds.
        Timings vary between runs: they are kept apart from the tables, which are
        reproducible.
    """

    header: list
    rows: list = field(default_factory=list)
    prediction_header: list = field(default_factory=list)
    predictions: list = field(default_factory=list)
    timing_header: list = field(default_factory=list)
    timings: list = field(default_factory=list)


def _fits_per_fold(evaluation, point):
    """The fits of one training fold: one, or a search's candidates on its inner splits
    and the refit of the selected one."""
    search = evaluation.get("search")
    if search is None:
        return 1
    method = point.params.get("search_cv", search["cv"])
    splits = search["folds"] if method == "kfold" else 1
    return len(search["values"]) * splits + 1


def cross_validate_point(job, dataset):
    """Fit the job's estimator on every training fold of every repeat and measure it on the
    held-out fold.

    Parameters
    ----------
    job : dict
        From :meth:`ftml.experiments.config.Config.training_job`, ``cross_validation``
        protocol. The evaluation may stratify the folds, standardise each training fold,
        and search a hyperparameter inside it; the point may set ``standardize``,
        ``train_size`` (a fraction of the training fold) and ``search_cv``.
    dataset : ObservedData or LinearGaussianModel
        From :func:`ftml.experiments.data.load_data_files`.

    Returns
    -------
    CrossValidationRun

    Raises
    ------
    FloatingPointError
        If a metric is not finite: a table never holds NaN.

    Notes
    -----
    The folds of repeat ``r`` depend on the dataset and ``r`` only: every estimator and
    hyperparameter is measured on the same folds (common random numbers). With
    ``train_size`` below 1, the training subset is the first part of a permutation drawn
    once per (repeat, fold), so smaller subsets are nested in larger ones.
    """
    seed = job["seed"]
    evaluation = job["evaluation"]
    point = job["point"]
    identity = (job["dataset"], job["data_params"])
    point_values = list(point.values())
    standardize = point.get("standardize", evaluation.get("standardize", False))
    train_size = point.get("train_size", 1.0)
    stratify = evaluation.get("stratify", False)
    metrics = job["metrics"]
    needs_train_predictions = any(name.startswith("train_") for name in metrics)
    declaration = catalog().estimators[job["estimator"]]
    run = CrossValidationRun(
        header=[*point, "replicate", "fold", *metrics],
        prediction_header=[*point, "replicate", "fold", "index", "y_true", "y_pred"],
        timing_header=[*point, "replicate", "fold", "fit_seconds", "predict_seconds"],
    )
    for replicate in range(evaluation["replicates"]):
        X, y = dataset.sample(derive_seed(seed, "sample", *identity, replicate))
        fold_seed = derive_seed(seed, "folds", *identity, replicate)
        splitter = (StratifiedKFold if stratify else KFold)(
            evaluation["folds"], shuffle=True, random_state=fold_seed
        )
        for fold, (train, test) in enumerate(splitter.split(X, y)):
            if train_size < 1.0:
                order = derive_seed(seed, "subsample", *identity, replicate, fold)
                train = _subsample(train, y[train], train_size, order, stratify)
            X_train, X_test = X[train], X[test]
            if standardize:
                # Statistics from the training fold only: the validation fold stays unseen.
                scaler = StandardScaler().fit(X_train)
                X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
            estimator = fresh_estimator(job, replicate, fold)
            if "search" in evaluation:
                estimator = _search(estimator, job, replicate, fold)
            start = time.perf_counter()
            fit_estimator(declaration, estimator, X_train, y[train])
            fitted = time.perf_counter()
            # A transformer (PCA) predicts nothing: its metrics read the model and X.
            predicts = hasattr(estimator, "predict")
            test_predictions = estimator.predict(X_test) if predicts else None
            predicted = time.perf_counter()
            train_predictions = (estimator.predict(X_train)
                                 if predicts and needs_train_predictions else None)
            test_score = (
                estimator.score(X_test, y[test]) if "search" in evaluation else None
            )
            values = fold_metrics(metrics, estimator, y[train], train_predictions, y[test],
                                  test_predictions, test_score, X_train=X_train,
                                  X_test=X_test)
            run.rows.append([*point_values, replicate, fold,
                             *finite_values(values, job, replicate, fold)])
            run.predictions += [
                [*point_values, replicate, fold, int(index), truth, prediction]
                for index, truth, prediction in zip(test, y[test].tolist(),
                                                    test_predictions.tolist())
            ] if predicts else []
            run.timings.append([*point_values, replicate, fold, fitted - start,
                                predicted - fitted])
    return run


def fold_metrics(names, estimator, y_train, train_predictions, y_test, test_predictions,
                 test_score=None, *, X_train=None, X_test=None):
    """Measure the named metrics of one fold.

    A prediction metric compares ``test_predictions`` with ``y_test`` (``train_<name>``:
    the training fold's); an unsupervised metric reads the fitted model and ``X_test``
    (``X_train``); a model metric reads the fitted estimator (the refitted best one of a
    search); a search metric reads the search and ``test_score``.
    """
    model = getattr(estimator, "best_estimator_", estimator)
    metrics = catalog().metrics
    values = []
    for name in names:
        train = name.startswith("train_") and name not in metrics
        metric = metrics[name[len("train_"):] if train else name]
        if metric.kind == "prediction":
            values.append(metric.compute(y_train, train_predictions) if train
                          else metric.compute(y_test, test_predictions))
        elif metric.kind == "unsupervised":
            values.append(metric.compute(model, X_train if train else X_test))
        elif metric.kind == "model":
            values.append(metric.compute(model))
        else:
            values.append(metric.compute(estimator, test_score))
    return values


def _subsample(train, labels, fraction, seed, stratify):
    """The first ``ceil(fraction * len(train))`` of a random permutation of ``train``.

    Stratified, the permutation is reordered so that every prefix holds each class in
    proportion (each class's members are spread evenly along it).
    """
    rng = np.random.default_rng(seed)
    order = rng.permutation(train.shape[0])
    if stratify:
        ranks = np.empty(order.shape[0])
        for label in np.unique(labels):
            members = order[labels[order] == label]
            # the k-th member of a class of size c sits at (k + 1/2) / c along the order
            ranks[members] = (np.arange(members.shape[0]) + 0.5) / members.shape[0]
        order = order[np.argsort(ranks[order], kind="stable")]
    size = max(2, math.ceil(fraction * train.shape[0]))
    return np.sort(train[order[:size]])


def _search(estimator, job, replicate, fold):
    """Wrap the estimator in a grid search over ``evaluation.search``: one hold-out split
    or k folds of the training fold, as the point's ``search_cv`` says."""
    from ftml.model_selection import (
        GridSearchCV,
        ShuffleSplit,
        StratifiedShuffleSplit,
    )

    evaluation = job["evaluation"]
    search = evaluation["search"]
    method = job["point"].get("search_cv", search["cv"])
    stratify = evaluation.get("stratify", False)
    # The same inner seed for every method: they differ by their splits' design only.
    inner_seed = derive_seed(job["seed"], "search", job["dataset"], job["data_params"],
                             replicate, fold)
    if method == "holdout":
        inner = (StratifiedShuffleSplit if stratify else ShuffleSplit)(
            1, test_size=search["validation_size"], random_state=inner_seed
        )
    else:
        inner = (StratifiedKFold if stratify else KFold)(
            search["folds"], shuffle=True, random_state=inner_seed
        )
    return GridSearchCV(estimator, {search["parameter"]: search["values"]},
                        scoring=search["scoring"],
                        cv=inner)


