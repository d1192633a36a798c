"""User input as checked arrays, in the message style of the face that reads it (see arrays.py).

arrays: reading arrays in either style; the accumulators' labels, floats, weights and slice ids.
targets: scikit-learn's checks of targets, scores and sample weights.
parameters: scikit-learn's checks of plain arguments (average, zero_division, flags).
encoding: labels as class codes, and the positive class.
memory: the memory limit of one accumulator.
"""

from .arrays import (
    ACCUMULATOR,
    SKLEARN,
    as_array,
    binary_labels,
    check_consistent_length,
    check_finite,
    column,
    flat_reals,
    floats,
    labels,
    not_finite,
    num_samples,
    positive_int,
    read,
    row_ids,
    same_length,
    slice_ids,
    weights,
    whole_numbers,
)
from .memory import check_memory, get_memory_limit, set_memory_limit
