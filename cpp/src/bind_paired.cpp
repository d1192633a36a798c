#include <accumetrics/paired_histogram.hpp>

#include <pybind11/stl.h>

#include "accumulator.hpp"
#include "arrays.hpp"
#include "register.hpp"

namespace accumetrics::python {

using namespace pybind11::literals;

using Paired = Guarded<PairedHistogram>;

static void update(Paired& self, const py::array& y_true, const py::array& score_a, const py::array& score_b,
                   const py::object& sample_weight) {
    if (y_true.ndim() != 1 || score_a.ndim() != 1 || score_b.ndim() != 1 || y_true.size() != score_a.size() ||
        score_a.size() != score_b.size())
        throw py::value_error("y_true, score_a and score_b must be 1-D arrays of the same length");
    if (score_a.dtype().kind() != score_b.dtype().kind() || score_a.itemsize() != score_b.itemsize())
        throw py::type_error("score_a and score_b must have the same dtype");
    const index_t n = y_true.size();
    check_weight_count(sample_weight, n);
    visit_binary(y_true, "y_true", [&](auto t) {
        visit_float(score_a, "score_a", [&](auto a) {
            using S = std::remove_cv_t<std::remove_pointer_t<decltype(a)>>;
            const S* b = static_cast<const S*>(score_b.data());
            require_contiguous(score_b, "score_b");
            visit_weights(sample_weight, [&](auto w) {
                check_range(t, n, 2, "y_true", "not a binary label (0 or 1)", "");
                check_finite(a, n, "score_a");
                check_finite(b, n, "score_b");
                check_weights(w, n);
                using W = weight_t<decltype(w)>;
                py::gil_scoped_release release;
                std::lock_guard<std::mutex> lock(self.mutex);
                self.core.add(t, a, b, static_cast<const W*>(w), n);
            });
        });
    });
}

static py::dict delong(Paired& self) {
    const DeLong r = self.compute([](PairedHistogram& core) {
        core.flush();
        return core.delong();
    });
    return py::dict("positives"_a = r.positives, "negatives"_a = r.negatives, "roc_auc_a"_a = r.roc_auc_a,
                    "roc_auc_b"_a = r.roc_auc_b, "var_a"_a = r.var_a, "var_b"_a = r.var_b, "cov"_a = r.cov);
}

void register_paired(py::module_& m) {
    py::class_<Paired> cls(m, "PairedHistogram");
    cls.def(py::init<index_t>(), py::arg("max_cells") = index_t(1) << 20)
        .def_property_readonly("max_cells", [](const Paired& p) { return p.core.max_cells(); })
        .def_property_readonly("shift", [](Paired& p) { return p.compute([](PairedHistogram& c) { c.flush(); return c.shift(); }); })
        .def_property_readonly("num_cells", [](Paired& p) {
            return p.compute([](PairedHistogram& c) { c.flush(); return c.num_cells(); });
        })
        .def("update", &update, py::arg("y_true"), py::arg("score_a"), py::arg("score_b"),
             py::arg("sample_weight") = py::none())
        .def("delong", &delong, "DeLong's AUCs, variances and covariance of the two models.");
    def_accumulator(
        cls,
        [](PairedHistogram core) {
            core.flush();
            return py::make_tuple(core.max_cells(), core.shift(), core.keys(true), core.weights(true),
                                  core.keys(false), core.weights(false));
        },
        [](const py::tuple& state) {
            if (state.size() != 6) throw py::value_error("not a PairedHistogram state");
            Paired p(state[0].cast<index_t>());
            p.core.restore(state[1].cast<int>(), state[2].cast<std::vector<std::uint64_t>>(),
                           state[3].cast<std::vector<double>>(), state[4].cast<std::vector<std::uint64_t>>(),
                           state[5].cast<std::vector<double>>());
            return p;
        });
}

}  // namespace accumetrics::python
