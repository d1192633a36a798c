"""Every scoring function of sklearn.metrics outside clustering and pairwise distances exists in accumetrics,
with the same signature."""

import inspect

import pytest
import sklearn.metrics as skm

import accumetrics as am
from peer_versions import changed_in

# Signatures as of scikit-learn 1.9: y_pred renamed y_proba, replace_undefined_by added, raise_warning removed.
CHANGED_IN_1_9 = {"class_likelihood_ratios", "cohen_kappa_score", "d2_log_loss_score", "log_loss"}

# sklearn.metrics' names that are not scoring functions of labels, scores or targets.
NOT_SCORES = {"check_scoring", "get_scorer", "get_scorer_names", "make_scorer", "euclidean_distances",
              "nan_euclidean_distances", "pairwise_distances", "pairwise_distances_argmin",
              "pairwise_distances_argmin_min", "pairwise_distances_chunked", "pairwise_kernels"}
CLUSTERING = {"adjusted_mutual_info_score", "adjusted_rand_score", "calinski_harabasz_score", "completeness_score",
              "consensus_score", "davies_bouldin_score", "fowlkes_mallows_score", "homogeneity_completeness_v_measure",
              "homogeneity_score", "mutual_info_score", "normalized_mutual_info_score", "pair_confusion_matrix",
              "rand_score", "silhouette_samples", "silhouette_score", "v_measure_score"}
SCORING = sorted(
    name for name in skm.__all__
    if inspect.isfunction(getattr(skm, name)) and name not in NOT_SCORES | CLUSTERING
)


@changed_in("sklearn", "1.9", "its list of scoring functions (newer: confusion_matrix_at_thresholds, d2_brier_score, metric_at_thresholds)")
def test_the_list_is_sklearns():
    assert len(SCORING) == 52


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=changed_in("sklearn", "1.9", f"{name}'s signature")) if name in CHANGED_IN_1_9 else name
    for name in SCORING
])
def test_same_signature(name):
    ours = getattr(am, name)
    assert str(inspect.signature(ours)) == str(inspect.signature(getattr(skm, name)))
    assert name in am.__all__ or name in am.metrics.__all__
