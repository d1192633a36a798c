#include <accumetrics/histogram_refinement.hpp>

#include "arrays.hpp"
#include "register.hpp"

namespace accumetrics::python {

using namespace pybind11::literals;

using Histogram = Guarded<ScoreHistogram>;
using Refinement = Guarded<HistogramRefinement>;

static Refinement make(Histogram& histogram, double target, index_t max_values) {
    if (!(target >= 0.0)) throw py::value_error("target must be a non-negative bound");
    if (max_values < 1) throw py::value_error("max_values must be positive");
    std::lock_guard<std::mutex> lock(histogram.mutex);
    histogram.core.flush();
    return Refinement(histogram.core, target, max_values);
}

static void update(Refinement& self, const py::array& y_true, const py::array& y_score, const py::object& sample_weight) {
    if (y_true.ndim() != 1 || y_score.ndim() != 1 || y_true.size() != y_score.size())
        throw py::value_error("y_true and y_score must be 1-D arrays of the same length");
    const index_t n = y_score.size();
    check_weight_count(sample_weight, n);
    visit_binary(y_true, "y_true", [&](auto t) {
        visit_float(y_score, "y_score", [&](auto s) {
            visit_weights(sample_weight, [&](auto w) {
                check_range(t, n, 2, "y_true", "not a binary label (0 or 1)", "");
                check_finite(s, n, "y_score");
                check_weights(w, n);
                using W = weight_t<decltype(w)>;
                py::gil_scoped_release release;
                std::lock_guard<std::mutex> lock(self.mutex);
                self.core.add(t, s, static_cast<const W*>(w), n);
            });
        });
    });
}

static py::dict result(Refinement& self) {
    const BinnedRanking r = self.compute([](HistogramRefinement& core) { return core.result(); });
    return py::dict("roc_auc"_a = r.roc_auc, "roc_auc_bound"_a = r.roc_auc_bound,
                    "average_precision"_a = r.average_precision, "average_precision_bound"_a = r.average_precision_bound);
}

void register_refinement(py::module_& m) {
    py::class_<Refinement>(m, "HistogramRefinement")
        .def(py::init(&make), py::arg("histogram"), py::arg("target"), py::arg("max_values"),
             "A second pass that counts the bins with the largest error terms of `histogram` at full precision.")
        .def_property_readonly("chosen_bins", [](const Refinement& r) { return r.read([](auto& c) { return c.chosen_bins(); }); })
        .def_property_readonly("values", [](const Refinement& r) { return r.read([](auto& c) { return c.values(); }); })
        .def_property_readonly("complete", [](const Refinement& r) { return r.read([](auto& c) { return c.complete(); }); })
        .def("update", &update, py::arg("y_true"), py::arg("y_score"), py::arg("sample_weight") = py::none())
        .def("result", &result);
}

}  // namespace accumetrics::python
