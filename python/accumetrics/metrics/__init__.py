"""sklearn.metrics-compatible functions computed on the accumetrics core."""

from ._report import classification_report
from .classification import (
    accuracy_score,
    balanced_accuracy_score,
    brier_score_loss,
    cohen_kappa_score,
    confusion_matrix,
    f1_score,
    fbeta_score,
    hamming_loss,
    jaccard_score,
    log_loss,
    matthews_corrcoef,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
    top_k_accuracy_score,
)
from .confusion_derived import class_likelihood_ratios, multilabel_confusion_matrix, zero_one_loss
from .curves import auc, confusion_matrix_at_thresholds, det_curve, metric_at_thresholds
from .deviances import (
    d2_tweedie_score,
    mean_gamma_deviance,
    mean_pinball_loss,
    mean_poisson_deviance,
    mean_tweedie_deviance,
)
from .hinge import hinge_loss
from .label_ranking import (
    coverage_error,
    dcg_score,
    label_ranking_average_precision_score,
    label_ranking_loss,
    ndcg_score,
)
from .quantiles import d2_absolute_error_score, d2_pinball_score, max_error, median_absolute_error
from .ranking import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve
from .skill_scores import d2_brier_score, d2_log_loss_score
from .regression import (
    explained_variance_score,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_log_error,
    r2_score,
    root_mean_squared_error,
    root_mean_squared_log_error,
)

__all__ = [
    "accuracy_score",
    "average_precision_score",
    "explained_variance_score",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_log_error",
    "precision_recall_curve",
    "r2_score",
    "roc_auc_score",
    "roc_curve",
    "root_mean_squared_error",
    "root_mean_squared_log_error",
    "balanced_accuracy_score",
    "brier_score_loss",
    "classification_report",
    "cohen_kappa_score",
    "confusion_matrix",
    "f1_score",
    "fbeta_score",
    "hamming_loss",
    "jaccard_score",
    "log_loss",
    "matthews_corrcoef",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
    "top_k_accuracy_score",
    "auc",
    "class_likelihood_ratios",
    "confusion_matrix_at_thresholds",
    "coverage_error",
    "d2_absolute_error_score",
    "d2_brier_score",
    "d2_log_loss_score",
    "d2_pinball_score",
    "d2_tweedie_score",
    "dcg_score",
    "det_curve",
    "hinge_loss",
    "label_ranking_average_precision_score",
    "label_ranking_loss",
    "max_error",
    "mean_gamma_deviance",
    "mean_pinball_loss",
    "mean_poisson_deviance",
    "mean_tweedie_deviance",
    "median_absolute_error",
    "metric_at_thresholds",
    "multilabel_confusion_matrix",
    "ndcg_score",
    "zero_one_loss",
]

from ._namespace import follow_array_api_dispatch

for _name in __all__:
    globals()[_name] = follow_array_api_dispatch(globals()[_name])
del _name
