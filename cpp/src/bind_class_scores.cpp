#include <accumetrics/class_scores.hpp>

#include "arrays.hpp"
#include "register.hpp"

namespace accumetrics::python {

static index_t classes_of(const py::array& scores) {
    if (scores.ndim() != 2)
        throw py::value_error("y_pred must have shape (samples, classes); got " + std::to_string(scores.ndim()) +
                              " dimensions");
    if (scores.shape(1) <= 0) throw py::value_error("y_pred has no classes (shape (samples, 0))");
    return scores.shape(1);
}

template <class F>
decltype(auto) visit_labels(const py::array& a, F&& f) {
    if (a.dtype().kind() == 'f') return visit_float(a, "y_true", std::forward<F>(f));
    return visit_integer(a, "y_true", std::forward<F>(f));
}

// Checks one label and at most one weight per row of `y_pred`, then calls f(scores, labels, weights) with
// typed pointers (weights: a null `const void*` when there are none), the GIL released.
template <class F>
void visit_rows(const py::array& y_true, const py::array& y_pred, const py::object& sample_weight, F&& f) {
    const index_t rows = y_pred.shape(0);
    if (y_true.size() != rows)
        throw py::value_error("y_true has " + std::to_string(y_true.size()) + " labels for " + std::to_string(rows) +
                              " rows of y_pred; expected one label per row");
    if (!sample_weight.is_none() && sample_weight.cast<py::array>().size() != rows)
        throw py::value_error("sample_weight has " + std::to_string(sample_weight.cast<py::array>().size()) +
                              " entries for " + std::to_string(rows) + " rows of y_pred; expected one per row");
    visit_float(y_pred, "y_pred", [&](auto s) {
        visit_labels(y_true, [&](auto t) {
            visit_weights(sample_weight, [&](auto w) {
                py::gil_scoped_release release;
                check_weights(w, rows);
                f(s, t, w);
            });
        });
    });
}

template <class P>
using pointee = std::remove_cv_t<std::remove_pointer_t<P>>;

// (rows, matches, sum of weights, sum of the weights of matching rows).
static py::tuple count_matches(const py::array& y_true, const py::array& y_pred, const py::object& sample_weight,
                               ClassMatch how, index_t k) {
    const index_t classes = classes_of(y_pred), rows = y_pred.shape(0);
    if (k < 1) throw py::value_error("k must be at least 1; got " + std::to_string(k));
    MatchSums sums;
    visit_rows(y_true, y_pred, sample_weight, [&](auto s, auto t, auto w) {
        if (w)
            count_class_matches(s, t, typed(w), rows, classes, how, k, sums);
        else
            count_class_matches<pointee<decltype(s)>, pointee<decltype(t)>, void>(s, t, nullptr, rows, classes, how,
                                                                               k, sums);
    });
    return py::make_tuple(sums.rows, sums.matches, sums.weight.value(), sums.matched_weight.value());
}

// (rows, rows with a label outside [0, classes), sum of weights, weighted sum of the cross-entropies).
static py::tuple sum_crossentropy(const py::array& y_true, const py::array& y_pred, const py::object& sample_weight,
                                  CrossentropyForm form, double lo, double hi) {
    const index_t classes = classes_of(y_pred), rows = y_pred.shape(0);
    if (!(lo <= hi)) throw py::value_error("the clip bounds must satisfy lo <= hi");
    CrossentropySums sums;
    visit_rows(y_true, y_pred, sample_weight, [&](auto s, auto t, auto w) {
        if (w)
            add_crossentropy(s, t, typed(w), rows, classes, form, lo, hi, sums);
        else
            add_crossentropy<pointee<decltype(s)>, pointee<decltype(t)>, void>(s, t, nullptr, rows, classes, form,
                                                                            lo, hi, sums);
    });
    return py::make_tuple(sums.rows, sums.unlabeled, sums.weight.value(), sums.loss.value());
}

static py::array_t<std::int64_t> argmax(const py::array& y_pred) {
    const index_t classes = classes_of(y_pred), rows = y_pred.shape(0);
    py::array_t<std::int64_t> out(rows);
    std::int64_t* data = out.mutable_data();
    visit_float(y_pred, "y_pred", [&](auto s) {
        py::gil_scoped_release release;
        argmax_rows(s, rows, classes, data);
    });
    return out;
}

void register_class_scores(py::module_& m) {
    py::enum_<ClassMatch>(m, "ClassMatch")
        .value("argmax", ClassMatch::argmax)
        .value("top_k", ClassMatch::top_k);
    m.def("count_class_matches", &count_matches, py::arg("y_true"), py::arg("y_pred"),
          py::arg("sample_weight") = py::none(), py::arg("how") = ClassMatch::argmax, py::arg("k") = 1,
          "(rows, matches, sum of weights, sum of matching weights) of rows of class scores y_pred against "
          "integer labels y_true: argmax (the first of equal maxima) equal to the label, or the label among "
          "the k highest scores (ties at the k-th count; a row with a non-finite score does not match).");
    py::enum_<CrossentropyForm>(m, "CrossentropyForm")
        .value("logits", CrossentropyForm::logits)
        .value("normalized", CrossentropyForm::normalized)
        .value("softmax_of_log", CrossentropyForm::softmax_of_log);
    m.def("sum_crossentropy", &sum_crossentropy, py::arg("y_true"), py::arg("y_pred"),
          py::arg("sample_weight") = py::none(), py::arg("form") = CrossentropyForm::normalized,
          py::arg("lo") = 1e-7, py::arg("hi") = 1 - 1e-7,
          "(rows, rows whose label is not a class, sum of weights, weighted sum of the losses) of the sparse "
          "categorical cross-entropy of rows of y_pred (probabilities clipped to [lo, hi], or logits) against "
          "integer labels y_true, in one pass; a row whose label is not a class has loss 0.");
    m.def("argmax", &argmax, py::arg("y_pred"),
          "The column of each row's highest score (the first of equal maxima; NaN is never a maximum).");
}

}  // namespace accumetrics::python
