// The update of each engine (ConfusionMatrix, ThresholdCounts, Moments), written once for the
// engine's own class and for its Poisson bootstrap, which takes the same arguments, checked the
// same way. An engine counts first and undoes an update with a bad value, naming the value only
// then; a bootstrap, which expands every row into its replicates, checks first.
#pragma once

#include <accumetrics/bootstrap.hpp>
#include <accumetrics/confusion.hpp>
#include <accumetrics/moments.hpp>
#include <accumetrics/thresholds.hpp>

#include <mutex>
#include <string>

#include "arrays.hpp"

namespace accumetrics::python {

// The engine an update reaches through a core, and the slices of its slice ids.
template <class Core>
struct Target {
    static constexpr bool resampled = false;
    static const Core& engine(const Core& core) { return core; }
    static index_t slices(const Core& core) { return core.num_slices(); }
};

template <class Engine>
struct Target<Bootstrap<Engine>> {
    static constexpr bool resampled = true;
    static const Engine& engine(const Bootstrap<Engine>& core) { return core.engine(); }
    static index_t slices(const Bootstrap<Engine>& core) { return core.num_slices(); }  // of one replicate
};

inline const char* const ignore_hint = "; pass ignore_out_of_range=True to skip such samples";

inline std::string slice_range(index_t slices) { return "not a slice id in [0, " + std::to_string(slices) + ")"; }

// Rows of `width` values; weights one per row, or one per value when there are as many.
inline bool weights_per_value(const py::object& sample_weight, index_t rows, index_t width, const char* value) {
    if (sample_weight.is_none()) return false;
    const index_t w = sample_weight.cast<py::array>().size();
    const bool per_value = w == rows * width && width > 1;
    if (w != rows && !per_value)
        throw py::value_error(std::string("sample_weight must have one value per row or per ") + value);
    return per_value;
}

template <class Core>
void update_confusion(Guarded<Core>& self, const py::array& y_true, const py::array& y_pred,
                      const py::object& sample_weight, const py::object& slice_ids, bool ignore_out_of_range) {
    using T = Target<Core>;
    const index_t n = y_true.size();
    if (y_pred.size() != n) throw py::value_error("y_true and y_pred must have the same length");
    const index_t classes = T::engine(self.core).num_classes(), slices = T::slices(self.core);
    const std::int64_t* slice = slice_pointer(slice_ids);
    visit_integer(y_true, "y_true", [&](auto t) {
        visit_integer(y_pred, "y_pred", [&](auto p) {
            visit_weights(sample_weight, [&](auto w) {
                auto check_labels = [&] {
                    const std::string range = " in [0, " + std::to_string(classes) + ")";
                    check_range(t, n, classes, "y_true", "not a class" + range, ignore_hint);
                    check_range(p, n, classes, "y_pred", "not a class" + range, ignore_hint);
                    if (slice) check_range(slice, n, slices, "slice_ids", slice_range(slices), ignore_hint);
                };
                py::gil_scoped_release release;
                std::lock_guard<std::mutex> lock(self.mutex);
                if constexpr (!T::resampled) {
                    // Unweighted counts are checked while they are filled, and undone
                    // exactly on a bad label; float sums are checked first instead.
                    if (!ignore_out_of_range && !w && !self.core.table().weighted()) {
                        if (self.core.add(t, p, typed(w), slice, n, true)) {
                            check_labels();
                            throw std::logic_error("an update was refused without a bad label");
                        }
                        return;
                    }
                }
                if (!ignore_out_of_range) check_labels();
                check_weights(w, n);
                self.core.add(t, p, typed(w), slice, n);
            });
        });
    });
}

template <class Core>
void update_thresholds(Guarded<Core>& self, const py::array& y_true, const py::array& y_score,
                       const py::object& sample_weight, const py::object& slice_ids, bool ignore_out_of_range) {
    using T = Target<Core>;
    const index_t values = y_score.size();
    const index_t labels = T::engine(self.core).num_labels(), slices = T::slices(self.core);
    if (y_true.size() != values || values % labels != 0)
        throw py::value_error("y_true and y_score must both hold rows of num_labels values");
    const index_t rows = values / labels;
    const std::int64_t* slice = slice_pointer(slice_ids);
    const bool per_value = weights_per_value(sample_weight, rows, labels, "score");
    visit_binary(y_true, "y_true", [&](auto t) {
        visit_float(y_score, "y_score", [&](auto s) {
            visit_weights(sample_weight, [&](auto w) {
                auto check_labels = [&] {
                    check_range(t, values, 2, "y_true", "not a binary label (0 or 1)", ignore_hint);
                    if (slice) check_range(slice, rows, slices, "slice_ids", slice_range(slices), ignore_hint);
                };
                py::gil_scoped_release release;
                std::lock_guard<std::mutex> lock(self.mutex);
                if constexpr (!T::resampled) {
                    // Unweighted counts are checked while they are filled, and undone
                    // exactly on bad input; float sums are checked first instead.
                    if (!ignore_out_of_range && !w && !self.core.table().weighted()) {
                        if (self.core.add(t, s, typed(w), slice, rows, false, true)) {
                            check_labels();
                            check_finite(s, values, "y_score");
                            throw std::logic_error("an update was refused without a bad label or score");
                        }
                        return;
                    }
                }
                if (!ignore_out_of_range) check_labels();
                check_finite(s, values, "y_score");
                check_weights(w, per_value ? values : rows);
                self.core.add(t, s, typed(w), slice, rows, per_value);
            });
        });
    });
}

template <class F>
decltype(auto) visit_optional_float(const py::object& a, const char* name, F&& f) {
    if (a.is_none()) return f(static_cast<const void*>(nullptr));
    return visit_float(a.cast<py::array>(), name, std::forward<F>(f));
}

template <class Core>
void update_moments(Guarded<Core>& self, const py::array& y_pred, const py::object& y_true,
                    const py::object& sample_weight, const py::object& slice_ids) {
    using T = Target<Core>;
    const index_t values = y_pred.size();
    const index_t outputs = T::engine(self.core).num_outputs(), slices = T::slices(self.core);
    if (values % outputs != 0) throw py::value_error("y_pred must hold rows of num_outputs values");
    if (!y_true.is_none() && y_true.cast<py::array>().size() != values)
        throw py::value_error("y_true and y_pred must have the same number of values");
    const index_t rows = values / outputs;
    const std::int64_t* slice = slice_pointer(slice_ids);
    const bool per_value = weights_per_value(sample_weight, rows, outputs, "value");
    if (slice) check_range(slice, rows, slices, "slice_ids", slice_range(slices), "");
    visit_float(y_pred, "y_pred", [&](auto x) {
        visit_optional_float(y_true, "y_true", [&](auto y) {
            visit_weights(sample_weight, [&](auto w) {
                py::gil_scoped_release release;
                check_weights(w, per_value ? values : rows);
                std::lock_guard<std::mutex> lock(self.mutex);
                // An engine checks the values through its sums: only when those come out NaN
                // or infinite is the input scanned, to name the culprit.
                if constexpr (!T::resampled)
                    if (self.core.add(x, typed(y), typed(w), slice, rows, per_value, true)) return;
                check_finite(x, values, "y_pred");
                if (y) check_finite(typed(y), values, "y_true");
                self.core.add(x, typed(y), typed(w), slice, rows, per_value);  // finite, though squares may overflow
            });
        });
    });
}

}  // namespace accumetrics::python
