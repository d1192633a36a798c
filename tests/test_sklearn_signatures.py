"""Every scoring function of sklearn.metrics outside clustering and pairwise distances exists in accumetrics,
with the same signature."""

import inspect

import pytest
import sklearn.metrics as skm

import accumetrics as am

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


def test_the_list_is_sklearns():
    assert len(SCORING) == 52


@pytest.mark.parametrize("name", SCORING)
def test_same_signature(name):
    ours = getattr(am, name)
    assert str(inspect.signature(ours)) == str(inspect.signature(getattr(skm, name)))
    assert name in am.__all__ or name in am.metrics.__all__
