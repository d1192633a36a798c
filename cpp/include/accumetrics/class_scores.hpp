// The accuracy family over rows of class scores, in one pass over the batch: each row's argmax (the
// first of equal maxima; NaN is never a maximum), and whether the row's true class is its argmax or
// among its k highest scores (every class tied with the k-th highest counts, and a row with a
// non-finite score matches nothing, as TensorFlow's in_top_k has it). And the cross-entropy of
// each row against its label, summed in the same single pass.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "config.hpp"
#include "summation.hpp"

namespace accumetrics {

enum class ClassMatch : int { argmax = 0, top_k = 1 };

template <class S>
inline index_t row_argmax(const S* row, index_t classes) {
    index_t best = 0;
    S top = std::numeric_limits<S>::lowest();
    for (index_t j = 0; j < classes; ++j)
        if (row[j] > top) {
            top = row[j];
            best = j;
        }
    return best;
}

template <class S>
ACCUMETRICS_KERNEL void argmax_rows(const S* scores, index_t rows, index_t classes, std::int64_t* out) {
    for (index_t i = 0; i < rows; ++i) out[i] = row_argmax(scores + i * classes, classes);
}

// Whether the true class `label` (`classes` or more for none) is among the k highest scores of `row`.
template <class S>
inline bool in_top_k(const S* row, index_t classes, index_t label, index_t k) {
    if (label >= classes) return false;
    const S v = row[label];
    index_t above = 0, finite = 0;
    for (index_t j = 0; j < classes; ++j) {
        above += row[j] > v;
        finite += row[j] - row[j] == S(0);  // false for NaN and infinities
    }
    return finite == classes && above < k;
}

struct MatchSums {
    std::int64_t rows = 0;
    std::int64_t matches = 0;
    CompensatedSum weight;
    CompensatedSum matched_weight;
};

// The index of a label, or `classes` when it is not one: floats must hold a whole number.
template <class L>
inline index_t label_index(L v, index_t classes) {
    if constexpr (std::is_floating_point_v<L>) {
        const bool ok = v >= L(0) && v < L(classes) && v == L(static_cast<index_t>(v));
        return ok ? static_cast<index_t>(v) : classes;
    } else {
        const auto u = static_cast<std::uint64_t>(static_cast<std::int64_t>(v));
        return u < static_cast<std::uint64_t>(classes) ? static_cast<index_t>(u) : classes;
    }
}

// Adds rows [0, rows) of `scores` (row-major, `classes` per row) to `sums`; `weight` may be null (W = void).
template <class S, class L, class W>
ACCUMETRICS_KERNEL void count_class_matches(const S* scores, const L* labels, const W* weight, index_t rows,
                                            index_t classes, ClassMatch how, index_t k, MatchSums& sums) {
    std::int64_t matches = 0;
    for (index_t i = 0; i < rows; ++i) {
        const S* row = scores + i * classes;
        const index_t label = label_index(labels[i], classes);
        const bool match = how == ClassMatch::argmax ? label < classes && row_argmax(row, classes) == label
                                                     : in_top_k(row, classes, label, k);
        matches += match;
        if constexpr (!std::is_void_v<W>) {
            const double w = static_cast<double>(weight[i]);
            sums.weight.add(w);
            if (match) sums.matched_weight.add(w);
        }
    }
    sums.rows += rows;
    sums.matches += matches;
    if constexpr (std::is_void_v<W>) {
        sums.weight.add(static_cast<double>(rows));
        sums.matched_weight.add(static_cast<double>(matches));
    }
}

// How a row of scores becomes the log-probability of its label, as the Keras backends compute a sparse
// categorical cross-entropy. Probabilities are clipped to [lo, hi] (Keras's epsilon, 1 - epsilon).
enum class CrossentropyForm : int {
    logits = 0,              // log_softmax(x)[y] = x[y] - log(sum(exp(x)))
    normalized = 1,          // log(clip(p[y] / sum(p)))                       (JAX, torch, numpy)
    softmax_of_log = 2,      // log(clip(p[y])) - log(sum(clip(p)))          (TensorFlow's softmax of log p)
};

struct CrossentropySums {
    std::int64_t rows = 0;
    std::int64_t unlabeled = 0;  // rows whose label is not a class: their loss is 0, their weight counts
    CompensatedSum weight;
    CompensatedSum loss;
};

template <class S>
inline double label_log_probability(const S* row, index_t classes, index_t label, CrossentropyForm form, double lo,
                                    double hi) {
    const auto clip = [lo, hi](double p) { return p < lo ? lo : (p > hi ? hi : p); };  // NaN stays NaN
    if (form == CrossentropyForm::logits) {
        double top = -std::numeric_limits<double>::infinity();
        for (index_t j = 0; j < classes; ++j) top = std::fmax(top, static_cast<double>(row[j]));  // NaN: below
        double total = 0.0;
        for (index_t j = 0; j < classes; ++j) total += std::exp(static_cast<double>(row[j]) - top);
        return static_cast<double>(row[label]) - top - std::log(total);
    }
    double total = 0.0;
    if (form == CrossentropyForm::normalized) {
        for (index_t j = 0; j < classes; ++j) total += static_cast<double>(row[j]);
        return std::log(clip(static_cast<double>(row[label]) / total));
    }
    for (index_t j = 0; j < classes; ++j) total += clip(static_cast<double>(row[j]));
    return std::log(clip(static_cast<double>(row[label]))) - std::log(total);
}

// Adds the weighted cross-entropy of rows [0, rows) of `scores` (row-major, `classes` per row) against
// integer `labels` to `sums`; `weight` may be null (W = void).
template <class S, class L, class W>
ACCUMETRICS_KERNEL void add_crossentropy(const S* scores, const L* labels, const W* weight, index_t rows,
                                         index_t classes, CrossentropyForm form, double lo, double hi,
                                         CrossentropySums& sums) {
    std::int64_t unlabeled = 0;
    for (index_t i = 0; i < rows; ++i) {
        const index_t label = label_index(labels[i], classes);
        double loss = 0.0;
        if (label < classes)
            loss = -label_log_probability(scores + i * classes, classes, label, form, lo, hi);
        else
            ++unlabeled;
        if constexpr (std::is_void_v<W>) {
            sums.loss.add(loss);
        } else {
            const double w = static_cast<double>(weight[i]);
            sums.weight.add(w);
            sums.loss.add(w * loss);
        }
    }
    sums.rows += rows;
    sums.unlabeled += unlabeled;
    if constexpr (std::is_void_v<W>) sums.weight.add(static_cast<double>(rows));
}

}  // namespace accumetrics
